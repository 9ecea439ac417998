"""Fill a database with stored conversations fast, through the project's own tables.

Each conversation is a real session the engine produced (a screening stopped after a random
number of steps, or finished), with its history rows and the id of the bot's message. Rows go
in with one multi-row statement per table and chunk, in one transaction: 100,000
conversations take well under a minute on SQLite.

    python bench/fill.py sqlite:///path/to.db 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, create_engine, insert

from bot.config import LOCALES_DIR
from bot.i18n import Catalogs
from bot.storage.migrate import upgrade_sync
from bot.storage.tables import BotMessageRow, HistoryRow, SessionRow
from bot.storage.writer import SESSION_COLUMNS
from dialogs.content import load_content
from dialogs.engine import Engine
from dialogs.events import Answer, Event, Start, Text
from dialogs.session import Session

__all__ = ["FIRST_FILLED_USER", "fill"]

# Stored people's Telegram ids start here, far from the benchmark's own people (1 … N).
FIRST_FILLED_USER = 10_000_000
# How long ago stored conversations were last touched: the whole retention period.
SPREAD = dt.timedelta(days=90)
_CHUNK = 2_000
_LOCALES = ("vi", "en", "id", "my", "ne", "zh-Hans", "ja", "tl", "th", "km")
_STEPS: list[Event] = [
    Answer("privacy", "agree"),
    Answer("role", "applicant"),
    Answer("status", "titp"),
    Answer("situation", "lost_job"),
    Answer("cause", "bankruptcy"),
    Answer("wish_ssw", "yes"),
    Answer("contract", "yes"),
    Answer("field", "care"),
    Text("Tokyo"),
    Answer("review", "confirm"),
]


def _templates(engine: Engine, locales: list[str]) -> list[tuple[Session, list[dict[str, Any]]]]:
    """Sessions stopped after 0 … all steps, in several languages, with their history."""
    templates = []
    for locale in locales:
        session = engine.step(engine.new_session("t"), Start(locale)).session
        session = engine.step(session, Answer("language", locale)).session
        history: list[dict[str, Any]] = []
        for event in _STEPS:
            step = engine.step(session, event)
            history.append(
                {
                    "event": type(event).__name__.lower(),
                    "from_state": session.state.value,
                    "to_state": step.session.state.value,
                    "question": getattr(event, "question", None),
                    "option": getattr(event, "option", None),
                }
            )
            session = step.session
            templates.append((session, list(history)))
    return templates


def _rows(
    count: int, templates: list[tuple[Session, list[dict[str, Any]]]], now: dt.datetime
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]]:
    rng = random.Random(42)
    for i in range(count):
        user_id = FIRST_FILLED_USER + i
        user = f"tg:{user_id}"
        session, history = templates[rng.randrange(len(templates))]
        at = now - SPREAD * rng.random()
        record = session.to_record() | {"user": user}
        row = {c: record.pop(c) for c in SESSION_COLUMNS}
        row |= {"data": record, "created_at": at, "updated_at": at}
        steps = [h | {"user": user, "at": at} for h in history]
        message = {"chat_id": user_id, "message_id": 1, "user": user, "sent_at": at}
        yield row, steps, message


def _insert_all(conn: Connection, count: int, engine: Engine, locales: list[str]) -> None:
    templates = _templates(engine, locales)
    sessions: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    for row, steps, message in _rows(count, templates, dt.datetime.now(dt.UTC)):
        sessions.append(row)
        history += steps
        messages.append(message)
        if len(sessions) >= _CHUNK:
            _flush(conn, sessions, history, messages)
    _flush(conn, sessions, history, messages)


def _flush(
    conn: Connection,
    sessions: list[dict[str, Any]],
    history: list[dict[str, Any]],
    messages: list[dict[str, Any]],
) -> None:
    for table, rows in ((SessionRow, sessions), (HistoryRow, history), (BotMessageRow, messages)):
        if rows:
            conn.execute(insert(table), rows)
        rows.clear()


def fill(url: str, count: int) -> float:
    """Create the schema at ``url`` (a sync SQLAlchemy URL) and store ``count`` conversations.

    Returns the seconds it took.
    """
    started = time.perf_counter()
    catalogs = Catalogs(LOCALES_DIR)
    engine = Engine(load_content(), catalogs.available)
    locales = [code for code in _LOCALES if code in catalogs.available]
    database = create_engine(url)
    try:
        with database.begin() as conn:
            upgrade_sync(conn)
            _insert_all(conn, count, engine, locales)
    finally:
        database.dispose()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="a sync SQLAlchemy URL, e.g. sqlite:///bench.db")
    parser.add_argument("count", type=int, help="conversations to store")
    args = parser.parse_args()
    print(f"stored {args.count} conversations in {fill(args.url, args.count):.1f} s")


if __name__ == "__main__":
    main()
