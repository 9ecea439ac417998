"""The async engine (SQLite gets WAL, a busy timeout, foreign keys), schema, per-person locks."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.storage.migrate import current_revision_sync, upgrade_sync

__all__ = ["SQLITE_BUSY_TIMEOUT_MS", "Database"]

# People whose events run at the same moment, per process, with PostgreSQL (one connection each).
_LOCKS = 20
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


def _lock_key(user: str) -> int:
    # A stable signed 64-bit number per person: the advisory lock's key.
    digest = hashlib.blake2b(user.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Database:
    """Owns the engine and the schema."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(url)
        self._lock_engine: AsyncEngine | None = None
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            # Lock connections come from their own pool: a person holding one must never wait
            # for a data connection held by another person waiting for a lock connection.
            self._lock_engine = create_async_engine(url, pool_size=_LOCKS, max_overflow=0)
            self._lock_slots = asyncio.Semaphore(_LOCKS)

    @property
    def is_sqlite(self) -> bool:
        """Whether this is SQLite (one process owns the file)."""
        return self.engine.dialect.name == "sqlite"

    async def create_schema(self) -> None:
        """Bring the schema to the newest Alembic revision (idempotent)."""
        async with self.engine.begin() as conn:
            await conn.run_sync(upgrade_sync)

    @asynccontextmanager
    async def person_lock(self, user: str) -> AsyncIterator[None]:
        """Across processes, one person's events one at a time (PostgreSQL advisory lock).

        SQLite has one process: the caller's in-process lock is enough.
        """
        if self._lock_engine is None:
            yield
            return
        key = _lock_key(user)
        async with self._lock_slots, self._lock_engine.connect() as conn:
            await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            try:
                yield
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                await conn.commit()

    @asynccontextmanager
    async def leader(self, name: str, retry_s: float = 10.0) -> AsyncIterator[None]:
        """Enter when this process is the only one doing ``name`` (waits for its turn).

        With PostgreSQL a session advisory lock held on its own connection: if the process
        dies, its connection closes and another process takes over. SQLite has one process.
        """
        if self.is_sqlite:
            yield
            return
        key = _lock_key(f"leader:{name}")
        async with self.engine.connect() as conn:
            query = text("SELECT pg_try_advisory_lock(:key)")
            while not (await conn.execute(query, {"key": key})).scalar_one():
                await conn.commit()
                await asyncio.sleep(retry_s)
            try:
                yield
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                await conn.commit()

    async def revision(self) -> str | None:
        """The schema revision the database is at."""
        async with self.engine.connect() as conn:
            return await conn.run_sync(current_revision_sync)

    async def close(self) -> None:
        """Release every pooled connection."""
        await self.engine.dispose()
        if self._lock_engine is not None:
            await self._lock_engine.dispose()
