"""Composition root: the only module that wires settings, content, catalogs, engine and storage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.config import Settings
from bot.conversation import Clock, Conversations, utc_now
from bot.i18n import Catalogs
from bot.logs import quiet_payload_loggers
from bot.storage import Database, Store
from bot.storage.migrate import head_revision
from dialogs.content import Content, load_content
from dialogs.engine import Engine

__all__ = ["INBOX_KEPT", "App", "SchemaOutdatedError", "build_app", "place_names"]

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


def place_names(content: Content, catalogs: Catalogs) -> dict[str, list[str]]:
    """Every prefecture's name in every shipped language, so typed names match in any script."""
    translators = [catalogs.translator(code) for code in catalogs.available]
    return {
        pref.id: [tr.format(pref.label, "prefecture", {}) for tr in translators]
        for pref in content.prefectures
    }


class SchemaOutdatedError(RuntimeError):
    """The database is not at the schema this code needs (and may not migrate it itself)."""


async def _require_current_schema(database: Database) -> None:
    current, head = await database.revision(), head_revision()
    if current != head:
        await database.close()
        raise SchemaOutdatedError(
            f"the database schema is at {current or 'nothing'}, this version needs {head}: "
            "run `tsunagu db upgrade`"
        )


async def build_app(settings: Settings, clock: Clock = utc_now) -> App:
    """Load content and catalogs, open the database and create its tables."""
    quiet_payload_loggers()
    catalogs = Catalogs(settings.locales_dir, pseudo=settings.pseudo_locale)
    staffed = settings.staff_chat_id is not None
    content = load_content(settings.content_dir)
    names = place_names(content, catalogs)
    engine = Engine(
        content,
        catalogs.available,
        staffed=staffed,
        place_names=names,
        retention_days=settings.retention_days,
    )
    database = Database(settings.database_url)
    if settings.db_upgrade_at_start:
        await database.create_schema()
    else:
        await _require_current_schema(database)
    store = Store(database)
    await store.warm_up(clock() - INBOX_KEPT)
    return App(settings, catalogs, engine, store, Conversations(engine, store, clock))
