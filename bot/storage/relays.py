"""The relay ledger: which messages were copied where, so that none is copied twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.database import Database
from bot.storage.tables import RelayRow

__all__ = ["RelayBook", "RelayKey"]


@dataclass(frozen=True, slots=True)
class RelayKey:
    """A message (chat, message id) copied to a chat."""

    from_chat_id: int
    message_id: int
    chat_id: int


class RelayBook:
    """Claims, confirms and releases copies; each call is one short transaction."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def claim(self, user: str, key: RelayKey, at: dt.datetime) -> bool:
        """Take the right to copy; False when it was taken before (copied, or cut off)."""
        dialect = postgresql if self.database.engine.dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(RelayRow)
            .values(
                from_chat_id=key.from_chat_id,
                message_id=key.message_id,
                chat_id=key.chat_id,
                user=user,
                at=at,
            )
            .on_conflict_do_nothing()
        )
        async with self.database.engine.begin() as conn:
            return (await conn.execute(statement)).rowcount == 1

    async def confirm(self, key: RelayKey, copy_id: int) -> None:
        """Telegram made the copy: record its id."""
        statement = update(RelayRow).where(*_where(key)).values(copy_id=copy_id)
        async with self.database.engine.begin() as conn:
            await conn.execute(statement)

    async def release(self, key: RelayKey) -> None:
        """Telegram surely did not make the copy: it may be tried again."""
        async with self.database.engine.begin() as conn:
            await conn.execute(delete(RelayRow).where(*_where(key)))


def _where(key: RelayKey) -> tuple[ColumnElement[bool], ...]:
    return (
        RelayRow.from_chat_id == key.from_chat_id,
        RelayRow.message_id == key.message_id,
        RelayRow.chat_id == key.chat_id,
    )
