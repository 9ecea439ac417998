"""Cases (one request for a person) and the staff group's queue of posts."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from bot.storage.database import Database
from bot.storage.payloads import DeleteTopic, PayloadError, StaffPayload, staff_from_json
from bot.storage.tables import CaseRow, StaffPostRow

__all__ = [
    "Case",
    "CaseBook",
    "CaseIntent",
    "CaseStatus",
    "FinishCase",
    "OpenCase",
    "StaffPost",
]


logger = logging.getLogger(__name__)


class CaseStatus(StrEnum):
    """Where a case is; only a waiting case can be taken."""

    WAITING = "waiting"
    TAKEN = "taken"
    HANDED_BACK = "handed_back"
    CLOSED = "closed"

    @property
    def open(self) -> bool:
        """Whether a person still owns the applicant's chat through this case."""
        return self in (CaseStatus.WAITING, CaseStatus.TAKEN)


@dataclass(frozen=True, slots=True)
class Case:
    """One request for a person, as staff see it (no names: a number)."""

    id: int
    user: str
    chat_id: int
    status: CaseStatus
    reason: str
    staff_id: int | None
    thread_id: int | None
    opened_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StaffPost:
    """A queued call to the staff group about one case."""

    id: int
    user: str
    case_id: int
    payload: StaffPayload


@dataclass(frozen=True, slots=True)
class OpenCase:
    """A case the applicant's turn opens, written in the same transaction as their session.

    ``posts`` go to the staff group for it (the case number exists only once it is written).
    """

    chat_id: int
    reason: str
    posts: tuple[StaffPayload, ...] = ()


@dataclass(frozen=True, slots=True)
class FinishCase:
    """An open case the applicant's turn closes (they went back to the bot)."""

    case_id: int
    status: CaseStatus


CaseIntent = OpenCase | FinishCase


class CaseBook:
    """Reads and changes cases; every method is one short transaction.

    An applicant's own turn does not use the changing methods: it returns intents (OpenCase,
    FinishCase) that the store commits with the session. Staff actions use them.
    """

    def __init__(self, database: Database) -> None:
        self.database = database

    async def open(self, user: str, chat_id: int, reason: str, at: dt.datetime) -> Case:
        """A new waiting case (or the person's case that is already open)."""
        current = await self.open_case_of(user)
        if current is not None:
            return current
        values = {
            "user": user,
            "chat_id": chat_id,
            "status": CaseStatus.WAITING.value,
            "reason": reason,
            "opened_at": at,
            "updated_at": at,
        }
        async with self.database.engine.begin() as conn:
            result = await conn.execute(insert(CaseRow).values(values))
            case_id = result.inserted_primary_key[0]  # type: ignore[index]
        return Case(case_id, user, chat_id, CaseStatus.WAITING, reason, None, None, at)

    async def get(self, case_id: int) -> Case | None:
        """The case with this number."""
        return await self._one(select(CaseRow).where(CaseRow.id == case_id))

    async def by_thread(self, thread_id: int) -> Case | None:
        """The case whose forum topic this is."""
        return await self._one(select(CaseRow).where(CaseRow.thread_id == thread_id))

    async def open_case_of(self, user: str) -> Case | None:
        """The person's case that is waiting or taken, if any."""
        statuses = [CaseStatus.WAITING.value, CaseStatus.TAKEN.value]
        query = select(CaseRow).where(CaseRow.user == user, CaseRow.status.in_(statuses))
        return await self._one(query.order_by(CaseRow.id.desc()).limit(1))

    async def threads_of(self, user: str) -> list[int]:
        """Every forum topic opened for the person (to delete when they erase their data)."""
        query = select(CaseRow.thread_id).where(
            CaseRow.user == user, CaseRow.thread_id.is_not(None)
        )
        async with self.database.engine.connect() as conn:
            return [t for (t,) in (await conn.execute(query)).all() if t is not None]

    async def topic_deletions(self, user: str) -> list[tuple[int, StaffPayload]]:
        """Staff posts that delete the person's case topics (they hold copies of messages)."""
        return [(0, DeleteTopic(t)) for t in await self.threads_of(user)]

    async def take(self, case_id: int, staff_id: int, at: dt.datetime) -> bool:
        """Take a waiting case; exactly one of several simultaneous takers gets True."""
        query = (
            update(CaseRow)
            .where(CaseRow.id == case_id, CaseRow.status == CaseStatus.WAITING.value)
            .values(status=CaseStatus.TAKEN.value, staff_id=staff_id, updated_at=at, taken_at=at)
        )
        async with self.database.engine.begin() as conn:
            return (await conn.execute(query)).rowcount == 1

    async def finish(self, case_id: int, status: CaseStatus, at: dt.datetime) -> bool:
        """Hand back or close an open case; False when it was not open."""
        open_statuses = [CaseStatus.WAITING.value, CaseStatus.TAKEN.value]
        query = (
            update(CaseRow)
            .where(CaseRow.id == case_id, CaseRow.status.in_(open_statuses))
            .values(status=status.value, updated_at=at)
        )
        async with self.database.engine.begin() as conn:
            return (await conn.execute(query)).rowcount == 1

    async def set_thread(self, case_id: int, thread_id: int) -> None:
        """Record the forum topic opened for the case."""
        query = update(CaseRow).where(CaseRow.id == case_id).values(thread_id=thread_id)
        async with self.database.engine.begin() as conn:
            await conn.execute(query)

    async def place_in_queue(self, case: Case | None) -> int:
        """1 for the oldest waiting case; ``None``: the place a case opened now will have."""
        query = select(func.count()).where(CaseRow.status == CaseStatus.WAITING.value)
        if case is not None:
            query = query.where(CaseRow.id <= case.id)
        async with self.database.engine.connect() as conn:
            waiting = int((await conn.execute(query)).scalar_one())
        return waiting if case is not None else waiting + 1

    async def count_of(self, user: str) -> int:
        """How many cases the person has opened (for /mydata)."""
        query = select(func.count()).where(CaseRow.user == user)
        async with self.database.engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def counts(self) -> tuple[int, int]:
        """Cases waiting for staff, and posts waiting for the group (for metrics)."""
        waiting = select(func.count()).where(CaseRow.status == CaseStatus.WAITING.value)
        queued = select(func.count()).select_from(StaffPostRow)
        async with self.database.engine.connect() as conn:
            return (
                int((await conn.execute(waiting)).scalar_one()),
                int((await conn.execute(queued)).scalar_one()),
            )

    async def oldest(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """When the longest-waiting case opened, and when the oldest queued post was queued."""
        waiting = select(func.min(CaseRow.opened_at)).where(
            CaseRow.status == CaseStatus.WAITING.value
        )
        queued = select(func.min(StaffPostRow.created_at))
        async with self.database.engine.connect() as conn:
            since = [(await conn.execute(q)).scalar_one() for q in (waiting, queued)]
        return _maybe_aware(since[0]), _maybe_aware(since[1])

    async def posts(self, limit: int = 200) -> list[StaffPost]:
        """Queued staff-group posts, oldest first."""
        query = select(StaffPostRow).order_by(StaffPostRow.id).limit(limit)
        async with self.database.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        posts = []
        for r in rows:
            try:
                posts.append(StaffPost(r.id, r.user, r.case_id, staff_from_json(r.payload)))
            except (PayloadError, KeyError, TypeError, ValueError):  # kept, not dropped
                logger.warning("unreadable staff post id=%s case=%s", r.id, r.case_id)
        return posts

    async def drop_post(self, post_id: int) -> None:
        """Forget a post once Telegram accepted it (or it can never be sent)."""
        async with self.database.engine.begin() as conn:
            await conn.execute(delete(StaffPostRow).where(StaffPostRow.id == post_id))

    async def _one(self, query: Any) -> Case | None:
        async with self.database.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return _case(row) if row else None


def _case(row: Any) -> Case:
    return Case(
        row.id,
        row.user,
        row.chat_id,
        CaseStatus(row.status),
        row.reason,
        row.staff_id,
        row.thread_id,
        _aware(row.opened_at),
    )


def _maybe_aware(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else _aware(moment)


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite keeps no time zone: what was written in UTC comes back naive.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
