"""The staff roster: who may act in the staff group, the languages they speak, their screens'."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update

from bot.storage.database import Database
from bot.storage.tables import StaffRow

__all__ = ["Roster", "StaffMember"]


@dataclass(frozen=True, slots=True)
class StaffMember:
    """One staff member, by Telegram user id."""

    telegram_id: int
    name: str
    languages: tuple[str, ...]
    locale: str
    on_duty: bool = True


class Roster:
    """Reads and changes the ``staff`` table (each call its own short transaction)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def add(self, member: StaffMember, at: dt.datetime) -> None:
        """Add or update a staff member."""
        values = {
            "name": member.name,
            "languages": list(member.languages),
            "locale": member.locale,
            "on_duty": member.on_duty,
        }
        async with self.database.engine.begin() as conn:
            found = await conn.execute(
                update(StaffRow).where(StaffRow.telegram_id == member.telegram_id).values(values)
            )
            if found.rowcount == 0:
                await conn.execute(
                    insert(StaffRow).values(telegram_id=member.telegram_id, added_at=at, **values)
                )

    async def remove(self, telegram_id: int) -> bool:
        """Remove a staff member; False when they were not listed."""
        async with self.database.engine.begin() as conn:
            result = await conn.execute(
                delete(StaffRow).where(StaffRow.telegram_id == telegram_id)
            )
        return result.rowcount > 0

    async def set_on_duty(self, telegram_id: int, on_duty: bool) -> bool:
        """Mark a staff member on or off duty; False when they are not listed."""
        query = update(StaffRow).where(StaffRow.telegram_id == telegram_id)
        async with self.database.engine.begin() as conn:
            result = await conn.execute(query.values(on_duty=on_duty))
        return result.rowcount > 0

    async def get(self, telegram_id: int) -> StaffMember | None:
        """The staff member with this Telegram id, if listed."""
        query = select(StaffRow).where(StaffRow.telegram_id == telegram_id)
        async with self.database.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return _member(row) if row else None

    async def all(self) -> list[StaffMember]:
        """Everyone listed, by id."""
        async with self.database.engine.connect() as conn:
            rows = (await conn.execute(select(StaffRow).order_by(StaffRow.telegram_id))).all()
            return [_member(r) for r in rows]


def _member(row: Any) -> StaffMember:
    return StaffMember(row.telegram_id, row.name, tuple(row.languages), row.locale, row.on_duty)
