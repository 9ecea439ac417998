"""The async engine and transactions; SQLite gets WAL, a busy timeout and foreign keys."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.storage.repository import SessionRepository
from bot.storage.tables import Base

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
    """Owns the engine; hands out repositories inside one transaction each."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    async def create_schema(self) -> None:
        """Create missing tables (idempotent)."""
        async with self.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SessionRepository]:
        """A repository whose changes commit together when the block ends without error."""
        session: AsyncSession
        async with self._sessions() as session, session.begin():
            yield SessionRepository(session)

    async def close(self) -> None:
        """Release every pooled connection."""
        await self.engine.dispose()
