"""Composition root: the only module that wires settings, content, catalogs, engine and storage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.config import Settings
from bot.conversation import Clock, Conversations, utc_now
from bot.i18n import Catalogs
from bot.logs import quiet_payload_loggers
from bot.storage import Database, Store
from dialogs.content import load_content
from dialogs.engine import Engine

__all__ = ["INBOX_KEPT", "App", "build_app"]

# Telegram redelivers an unconfirmed update within hours; two days of update ids is ample.
INBOX_KEPT = dt.timedelta(days=2)


@dataclass(frozen=True, slots=True)
class App:
    """Everything a channel needs."""

    settings: Settings
    catalogs: Catalogs
    engine: Engine
    store: Store
    conversations: Conversations

    async def close(self) -> None:
        """Commit what is queued and release the database."""
        await self.store.close()


async def build_app(settings: Settings, clock: Clock = utc_now) -> App:
    """Load content and catalogs, open the database and create its tables."""
    quiet_payload_loggers()
    catalogs = Catalogs(settings.locales_dir)
    staffed = settings.staff_chat_id is not None
    engine = Engine(load_content(settings.content_dir), catalogs.available, staffed=staffed)
    database = Database(settings.database_url)
    await database.create_schema()
    store = Store(database)
    await store.warm_up(clock() - INBOX_KEPT)
    return App(settings, catalogs, engine, store, Conversations(engine, store, clock))
