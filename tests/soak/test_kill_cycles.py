"""20 kill cycles of the real bot process on SQLite: nothing lost, nothing doubled."""

from __future__ import annotations

from pathlib import Path

from tests.soak.kill_cycles import SoakConfig, run_soak


async def test_twenty_kill_cycles_lose_and_double_nothing(tmp_path: Path) -> None:
    # Half the kills land during start-up, and the others soon after: shorter cycles.
    config = SoakConfig(cycles=20, people=2, seed=13, early=0.5, up_max=1.0, workdir=tmp_path)
    report = await run_soak(config)
    print(vars(report))  # shown when the test fails
    assert report.cycles == 20
    assert report.people_finished >= 1, report
    assert report.defects == 0, vars(report)
