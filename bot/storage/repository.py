"""Loading, saving and erasing a person's rows; the caller owns the transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import HistoryRow, SessionRow
from dialogs.session import Session

__all__ = ["SessionRepository"]

_COLUMNS = ("user", "state", "locale", "content_version", "outcome")


class SessionRepository:
    """Sessions and history of one transaction. Never commits: the caller does."""

    def __init__(self, db: AsyncSession) -> None:
        self._db = db

    async def load(self, user: str) -> Session | None:
        """The stored session of ``user``, if any."""
        row = await self._db.get(SessionRow, user)
        if row is None:
            return None
        return Session.from_record({**row.data, **{c: getattr(row, c) for c in _COLUMNS}})

    async def save(self, session: Session, now: dt.datetime) -> None:
        """Insert or update the session row."""
        record = session.to_record()
        data = {k: v for k, v in record.items() if k not in _COLUMNS}
        row = await self._db.get(SessionRow, session.user)
        if row is None:
            row = SessionRow(user=session.user, created_at=now)
            self._db.add(row)
        for column in _COLUMNS[1:]:
            setattr(row, column, record[column])
        row.data, row.updated_at = data, now
        await self._db.flush()

    async def record(self, row: HistoryRow) -> None:
        """Append one history row (ids only)."""
        self._db.add(row)
        await self._db.flush()

    async def history(self, user: str) -> list[HistoryRow]:
        """The steps of ``user``, oldest first."""
        query = select(HistoryRow).where(HistoryRow.user == user).order_by(HistoryRow.id)
        return list((await self._db.scalars(query)).all())

    async def erase(self, user: str) -> None:
        """Delete every row about ``user``."""
        await self._db.execute(delete(HistoryRow).where(HistoryRow.user == user))
        await self._db.execute(delete(SessionRow).where(SessionRow.user == user))
