"""Sessions in real SQLite and PostgreSQL: resume after restart, nothing before consent, erase."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from sqlalchemy import text

from bot.conversation import Conversations
from bot.storage import CaseBook, CaseStatus, Change, Database, FinishCase, OpenCase, Store
from bot.storage.payloads import OpenTopic
from dialogs.engine import Engine
from dialogs.events import Answer, Command, CommandName, Start, Text
from dialogs.states import State
from tests.conftest import fresh_database


async def _count(store: Store, table: str, user: str) -> int:
    async with store.database.engine.connect() as conn:
        result = await conn.execute(
            text(
                f'SELECT count(*) FROM {table} WHERE "user" = :u'
            ),  # a reserved word in PostgreSQL
            {"u": user},
        )
        return int(result.scalar_one())


async def test_nothing_is_stored_before_agree(conversations: Conversations, store: Store) -> None:
    await conversations.handle("p", Start("vi"))
    await conversations.handle("p", Answer("language", "vi"))
    assert await _count(store, "sessions", "p") == 0
    await conversations.handle("p", Answer("privacy", "decline"))
    assert await _count(store, "sessions", "p") == 0
    step = await conversations.handle("p", Command(CommandName.RESTART))
    assert step is not None
    assert step.session.state is State.PRIVACY
    await conversations.handle("p", Answer("privacy", "agree"))
    assert await _count(store, "sessions", "p") == 1


async def test_resume_after_restart_against_a_sqlite_file(engine: Engine, tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'resume.db'}"
    first = Database(url)
    await first.create_schema()
    conv = Conversations(engine, Store(first))
    for event in (
        Start("ja"),
        Answer("language", "ja"),
        Answer("privacy", "agree"),
        Answer("role", "applicant"),
        Answer("status", "titp"),
    ):
        await conv.handle("r", event)
    await conv.store.close()

    second = Store(Database(url))  # a new process builds everything again, memory empty
    conv = Conversations(engine, second)
    step = await conv.handle("r", Start())
    assert step is not None
    assert step.session.state is State.SITUATION
    assert step.session.locale == "ja" and step.session.answers["status"] == "titp"
    await second.close()


async def test_history_keeps_ids_never_typed_words(conversations: Conversations) -> None:
    for event in (
        Start("en"),
        Answer("language", "en"),
        Answer("privacy", "agree"),
        Answer("role", "applicant"),
        Answer("status", "retention"),
        Answer("situation", "one_year_cannot_return"),
        Text("my home is in 大阪"),
        Text("大阪府"),
    ):
        await conversations.handle("h", event)
    rows = await conversations.store.history("h")
    assert [(r.question, r.option) for r in rows][-2:] == [(None, None), ("prefecture", "osaka")]
    assert all("大阪" not in str((r.question, r.option)) for r in rows)


async def test_delete_erases_every_row(conversations: Conversations, store: Store) -> None:
    for event in (
        Start("en"),
        Answer("language", "en"),
        Answer("privacy", "agree"),
        Answer("role", "applicant"),
        Command(CommandName.DELETE),
    ):
        await conversations.handle("d", event)
    assert await _count(store, "history", "d") > 0
    step = await conversations.handle("d", Answer("delete", "yes"))
    assert step is not None and step.erase
    assert await _count(store, "sessions", "d") == 0
    assert await _count(store, "history", "d") == 0
    assert await conversations.session_of("d") is None


async def test_withdrawing_consent_erases(conversations: Conversations, store: Store) -> None:
    for event in (
        Start("en"),
        Answer("language", "en"),
        Answer("privacy", "agree"),
        Command(CommandName.BACK),
        Answer("privacy", "decline"),
    ):
        await conversations.handle("w", event)
    assert await _count(store, "sessions", "w") == 0


async def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    database = await fresh_database("sqlite", tmp_path)
    try:
        async with database.engine.connect() as conn:
            mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar_one()
            timeout = (await conn.execute(text("PRAGMA busy_timeout"))).scalar_one()
    finally:
        await database.close()
    assert mode == "wal" and timeout == 5000


async def test_one_persons_events_never_overlap(conversations: Conversations) -> None:
    inside: list[str] = []
    overlaps = 0

    async def event(name: str, pause: float) -> None:
        nonlocal overlaps
        async with conversations.turn("same"):
            overlaps += bool(inside)
            inside.append(name)
            await asyncio.sleep(pause)
            inside.remove(name)

    first = asyncio.create_task(event("first", 0.02))
    await asyncio.sleep(0)
    waiting = asyncio.create_task(event("waiting", 0.02))
    await first  # released while "waiting" is queued: a newcomer must still queue behind it
    await asyncio.gather(waiting, event("newcomer", 0))
    assert overlaps == 0
    assert conversations._locks == {}


async def test_cases_are_written_with_the_turn_and_their_posts_take_the_number(
    store: Store,
) -> None:
    # On every backend: the case row, its posts (numbered in the same transaction) and closing.
    at = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    await store.commit(Change("tg:5", at, cases=[OpenCase(5, "asked", (OpenTopic(),))]))
    book = CaseBook(store.database)
    case = await book.open_case_of("tg:5")
    assert case is not None and case.status is CaseStatus.WAITING
    posts = await book.posts()
    assert [(p.case_id, p.payload) for p in posts] == [(case.id, OpenTopic())]
    await store.commit(Change("tg:5", at, cases=[FinishCase(case.id, CaseStatus.CLOSED)]))
    assert await book.open_case_of("tg:5") is None
