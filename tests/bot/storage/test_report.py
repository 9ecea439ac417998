"""Staff reports: started and finished per day, outcomes, funnel per language, handoff waits."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from bot.conversation import Conversations
from bot.report.charts import CHARTS, write_report
from bot.report.figures import gather
from bot.storage import CaseBook, Database, Store
from dialogs.engine import Engine
from dialogs.events import Answer, Event, Start
from tests.auxil import ROOT

DAY1 = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)
TO_CAUSE = (("role", "applicant"), ("status", "titp"), ("situation", "lost_job"))
AFTER_CAUSE = (
    ("cause", "bankruptcy"),
    ("wish_ssw", "yes"),
    ("contract", "yes"),
    ("field", "care"),
    ("prefecture", "tokyo"),
    ("review", "confirm"),
)
PNG = b"\x89PNG\r\n\x1a\n"


async def _screening(
    engine: Engine, store: Store, user: str, locale: str, at: dt.datetime, finish: bool
) -> None:
    conversations = Conversations(engine, store, clock=lambda: at)
    events: list[Event] = [Start(locale), Answer("language", locale), Answer("privacy", "agree")]
    steps = TO_CAUSE + (AFTER_CAUSE if finish else ())
    events += [Answer(q, o) for q, o in steps]
    for event in events:
        await conversations.handle(user, event)


async def _seed(engine: Engine, path: Path) -> Database:
    """Four English screenings that finish; three Vietnamese ones, two stopping at "cause"."""
    database = Database(f"sqlite+aiosqlite:///{path}")
    await database.create_schema()
    store = Store(database)
    for i in range(4):
        await _screening(engine, store, f"tg:{100 + i}", "en", DAY1, finish=True)
    for i in range(3):
        day = DAY1 + dt.timedelta(days=1)
        await _screening(engine, store, f"tg:{200 + i}", "vi", day, finish=i == 0)
    book = CaseBook(database)
    for i, minutes in enumerate((10, 30)):
        case = await book.open(f"tg:{100 + i}", 100 + i, "asked", DAY1)
        await book.take(case.id, 501, DAY1 + dt.timedelta(minutes=minutes))
    await book.open("tg:201", 201, "asked", DAY1)
    await store.close()
    return Database(f"sqlite+aiosqlite:///{path}")


async def test_figures_count_days_outcomes_funnel_and_waits(
    engine: Engine, tmp_path: Path
) -> None:
    database = await _seed(engine, tmp_path / "r.db")
    try:
        figures = await gather(database, DAY1.date(), DAY1.date() + dt.timedelta(days=6))
    finally:
        await database.close()
    assert figures.started[DAY1.date()] == 4
    assert figures.started[DAY1.date() + dt.timedelta(days=1)] == 3
    assert sum(figures.finished.values()) == 5
    assert figures.outcomes == {"apply_change_of_status": 5}
    assert figures.languages == {"en": 4, "vi": 3}
    assert figures.answer_rate("cause", "en") == 1.0
    assert figures.answer_rate("cause", "vi") == 1 / 3, "the drop shows in one language"
    assert sorted(figures.waits_min) == [10.0, 30.0] and figures.still_waiting == 1


async def test_report_files_hold_figures_and_charts_only(engine: Engine, tmp_path: Path) -> None:
    database = await _seed(engine, tmp_path / "r.db")
    try:
        figures = await gather(database, DAY1.date(), DAY1.date() + dt.timedelta(days=6))
    finally:
        await database.close()
    written = write_report(figures, tmp_path / "report")
    assert {p.name for p in written} == {"summary.md", *(name for name, _ in CHARTS)}
    for path in written[1:]:
        assert path.read_bytes().startswith(PNG) and path.stat().st_size > 5_000
    summary = (tmp_path / "report" / "summary.md").read_text(encoding="utf-8")
    assert "screenings started (privacy notice accepted): 7" in summary
    assert "| cause | 7 | 5 | 100% | 33% |" in summary
    assert "minutes until taken: median 20, longest 30" in summary
    assert "tg:" not in summary and "100" not in summary.replace("100%", "")


async def test_report_command_writes_the_folder(engine: Engine, tmp_path: Path) -> None:
    await (await _seed(engine, tmp_path / "r.db")).close()
    out = tmp_path / "out"
    url = f"sqlite+aiosqlite:///{tmp_path / 'r.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "report", "--since", "2026-11-19", "--until",
         "2026-11-25", "--out", str(out)],
        cwd=ROOT, env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url},
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (out / "summary.md").exists() and (out / "funnel_by_language.png").exists()
