"""20 kill cycles of the real bot process on SQLite: nothing lost, nothing doubled."""

from __future__ import annotations

from pathlib import Path

from tests.soak.kill_cycles import SoakConfig, run_soak


async def test_twenty_kill_cycles_lose_and_double_nothing(tmp_path: Path) -> None:
    report = await run_soak(SoakConfig(cycles=20, people=3, seed=13, workdir=tmp_path))
    assert report.cycles == 20
    assert report.people_finished >= 1, report
    assert report.defects == 0, report
