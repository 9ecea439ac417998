"""The real Application under seeded hostile input: 2,000 updates here, 100,000 in `make fuzz`.

``TSUNAGU_FUZZ_SEED`` replays a run (the seed is printed, and named in every failure);
``TSUNAGU_FUZZ_UPDATES`` sets how many updates (default 2,000).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from tests.auxil.fuzz import run_fuzz

UPDATES = int(os.environ.get("TSUNAGU_FUZZ_UPDATES", "2000"))


async def test_fuzzed_updates_break_no_promise(tmp_path: Path) -> None:
    seed = int(os.environ.get("TSUNAGU_FUZZ_SEED") or random.SystemRandom().randrange(1 << 32))
    print(f"fuzz seed={seed} (replay: TSUNAGU_FUZZ_SEED={seed})")
    report = await run_fuzz(tmp_path, UPDATES, seed)
    print(report.summary())
    print("kinds:", dict(report.kinds))
    print("commands sent in states:", sorted(report.command_states))
    assert report.problems == [], f"TSUNAGU_FUZZ_SEED={seed}: {report.summary()}\n" + "\n".join(
        report.problems
    )
    assert report.updates >= UPDATES and report.callbacks > UPDATES // 10
    assert report.redelivered > 0 and report.bot_texts > UPDATES // 2
    if UPDATES >= 2000:  # deep enough: commands reached most states, typed text was quoted
        assert len(report.command_states) >= 8 and report.escaped_echoes > 0
