"""Shared fixtures: the real content, the real compiled catalogs, the real engine."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.config import LOCALES_DIR
from bot.conversation import Conversations
from bot.i18n import Catalogs
from bot.i18n.render import render, to_plain
from bot.storage import Database, Store
from bot.storage.tables import Base
from dialogs.content import Content, load_content
from dialogs.engine import Engine, Step
from dialogs.events import Answer, Event, Start
from dialogs.session import Session

# Every locale the project ships (issue "Every applicant's language").
SHIPPED = (
    "en", "ja", "ja_easy", "vi", "zh_Hans", "id", "fil",
    "my", "km", "th", "ne", "mn", "pt_BR", "es",
)  # fmt: skip


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    return Catalogs(LOCALES_DIR)


@pytest.fixture(scope="session")
def engine(content: Content, catalogs: Catalogs) -> Engine:
    return Engine(content, catalogs.available)


# A PostgreSQL server for the storage tests (`.ci/run` starts one on 127.0.0.1 and sets this).
POSTGRES_URL = os.environ.get("TSUNAGU_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


async def fresh_database(backend: str, tmp_path: Path) -> Database:
    """An empty database of that kind with Tsunagu's schema."""
    if backend == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    else:
        assert POSTGRES_URL is not None
        db = Database(POSTGRES_URL)
        async with db.engine.begin() as conn:
            await conn.run_sync(Base.metadata.drop_all)
            await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    await db.create_schema()
    return db


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    store = Store(await fresh_database(request.param, tmp_path))
    yield store
    await store.close()


@pytest.fixture
def conversations(engine: Engine, store: Store) -> Conversations:
    return Conversations(engine, store)


def consented(engine: Engine, locale: str = "en", user: str = "u1") -> Session:
    """A session that chose a language and agreed, now at the role question."""
    session = engine.new_session(user)
    for event in (Start(locale), Answer("language", locale), Answer("privacy", "agree")):
        session = engine.step(session, event).session
    return session


def run(engine: Engine, session: Session, events: Iterable[Event]) -> tuple[Session, Step]:
    """Apply events in order; returns the last session and step."""
    step = None
    for event in events:
        step = engine.step(session, event)
        session = step.session
    assert step is not None
    return session, step


def answers(**pairs: str) -> list[Answer]:
    """Answer events in the order given."""
    return [Answer(q, o) for q, o in pairs.items()]


def texts(step: Step, catalogs: Catalogs) -> str:
    """Everything the person reads after ``step``, as plain text in their language."""
    tr = catalogs.translator(step.session.locale)
    return "\n\n".join(to_plain(render(r, tr).text) for r in step.replies)


def button_data(step: Step) -> list[str]:
    """The data of every button of the last reply."""
    return [b.data for b in step.replies[-1].all_buttons]
