"""The async engine; SQLite gets WAL, a busy timeout and foreign keys."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.storage.migrate import current_revision_sync, upgrade_sync

__all__ = ["SQLITE_BUSY_TIMEOUT_MS", "Database"]

# Wait this long for another writer before failing with "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while one writer commits; synchronous=NORMAL is durable in WAL mode
    # except for the last commits on power loss (https://www.sqlite.org/wal.html).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Database:
    """Owns the engine and the schema."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(url)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)

    @property
    def is_sqlite(self) -> bool:
        """Whether this is SQLite (one process owns the file)."""
        return self.engine.dialect.name == "sqlite"

    async def create_schema(self) -> None:
        """Bring the schema to the newest Alembic revision (idempotent)."""
        async with self.engine.begin() as conn:
            await conn.run_sync(upgrade_sync)

    async def revision(self) -> str | None:
        """The schema revision the database is at."""
        async with self.engine.connect() as conn:
            return await conn.run_sync(current_revision_sync)

    async def close(self) -> None:
        """Release every pooled connection."""
        await self.engine.dispose()
