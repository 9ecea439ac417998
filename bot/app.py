"""Composition root: the only module that wires settings, content, catalogs, engine and storage."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.config import Settings
from bot.conversation import Clock, Conversations, utc_now
from bot.i18n import Catalogs
from bot.storage import Database
from dialogs.content import load_content
from dialogs.engine import Engine

__all__ = ["App", "build_app", "configure_logging"]


@dataclass(frozen=True, slots=True)
class App:
    """Everything a channel needs."""

    settings: Settings
    catalogs: Catalogs
    engine: Engine
    database: Database
    conversations: Conversations

    async def close(self) -> None:
        """Release the database."""
        await self.database.close()


async def build_app(settings: Settings, clock: Clock = utc_now) -> App:
    """Load content and catalogs, open the database and create its tables."""
    catalogs = Catalogs(settings.locales_dir)
    engine = Engine(load_content(settings.content_dir), catalogs.available)
    database = Database(settings.database_url)
    await database.create_schema()
    return App(settings, catalogs, engine, database, Conversations(engine, database, clock))


def configure_logging(level: str) -> None:
    """Plain structured lines; the httpx logger stays at WARNING (its lines carry the token)."""
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
