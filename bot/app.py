"""Composition root: the only module that wires settings, content, catalogs, engine and storage."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.conversation import INBOX_KEPT, Clock, Conversations, Handoffs, utc_now
from bot.i18n import Catalogs
from bot.logs import quiet_payload_loggers
from bot.storage import Database, Store
from bot.storage.migrate import head_revision
from dialogs.content import Content, load_content
from dialogs.engine import Engine

__all__ = [
    "App",
    "Core",
    "SchemaOutdatedError",
    "build_app",
    "build_core",
    "build_engine",
    "connect",
    "place_names",
]


@dataclass(frozen=True, slots=True)
class Core:
    """What everything else is built from: settings, catalogs, the engine and storage."""

    settings: Settings
    catalogs: Catalogs
    engine: Engine
    store: Store


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


def build_engine(settings: Settings, catalogs: Catalogs, *, staffed: bool) -> Engine:
    """The engine every command uses; ``staffed``: a staff desk is connected.

    With prefecture names in every shipped language (typed answers) and the retention period
    the privacy notice and /mydata tell.
    """
    content = load_content(settings.content_dir)
    return Engine(
        content,
        catalogs.available,
        staffed=staffed,
        place_names=place_names(content, catalogs),
        retention_days=settings.retention_days,
    )


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


async def build_app(
    settings: Settings, clock: Clock = utc_now, handoffs: Handoffs | None = None
) -> App:
    """Load content and catalogs, open the database and create its tables."""
    return connect(await build_core(settings, clock), clock, handoffs)


def connect(core: Core, clock: Clock = utc_now, handoffs: Handoffs | None = None) -> App:
    """The App around ``core``: conversations, with the staff desk when there is one."""
    conversations = Conversations(core.engine, core.store, clock, handoffs)
    return App(core.settings, core.catalogs, core.engine, core.store, conversations)


async def build_core(settings: Settings, clock: Clock = utc_now) -> Core:
    """Load content and catalogs, open the database and create its tables."""
    quiet_payload_loggers()
    catalogs = Catalogs(settings.locales_dir, pseudo=settings.pseudo_locale)
    engine = build_engine(settings, catalogs, staffed=settings.staff_chat_id is not None)
    database = Database(settings.database_url)
    if settings.db_upgrade_at_start:
        await database.create_schema()
    else:
        await _require_current_schema(database)
    store = Store(database)
    await store.warm_up(clock() - INBOX_KEPT)
    return Core(settings, catalogs, engine, store)
