"""The store: reads sessions, and commits every handler's change durably, in groups.

Each update's change (session, history step, replies owed, update id) must be committed before
its replies are sent. Committing one transaction per update costs ~3.5 ms on SQLite (bench/),
so a single writer task drains whatever changes are waiting and commits them together: a
handler still waits for *its* commit, but many handlers share one. With SQLite the bot process
is the only writer, so sessions and recent update ids are also cached in memory (write-through).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.cases import CaseIntent, CaseStatus, FinishCase, OpenCase
from bot.storage.database import Database
from bot.storage.payloads import (
    Message,
    PayloadError,
    StaffPayload,
    message_from_json,
    message_to_json,
    staff_to_json,
)
from bot.storage.tables import (
    BlockedRow,
    BotMessageRow,
    CaseRow,
    FeedbackRow,
    HistoryRow,
    InboxRow,
    OutboxRow,
    SessionRow,
    StaffPostRow,
)
from dialogs.session import Session

__all__ = ["Change", "HistoryEntry", "Outgoing", "Store"]

logger = logging.getLogger(__name__)

_COLUMNS = ("user", "state", "locale", "content_version", "outcome")
_MAX_BATCH = 500  # changes in one transaction: bounds its size and the wait of the last one
_CACHE_SIZE = 50_000  # sessions kept in memory (SQLite only)
_RECENT_UPDATES = 100_000  # update ids remembered in memory (SQLite only)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One step, as ids."""

    event: str
    from_state: str
    to_state: str
    question: str | None = None
    option: str | None = None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message owed to a person (stored in the outbox as ``message_to_json``)."""

    message: Message


@dataclass(slots=True)
class Change:
    """Everything one event changes, committed together."""

    user: str
    at: dt.datetime
    session: Session | None = None  # upsert (a consented conversation)
    erase: bool = False  # delete every row about the user first
    history: HistoryEntry | None = None
    outbox: Sequence[Outgoing] = ()
    update_id: int | None = None
    sent: Sequence[str] = ()  # outbox ids delivered since
    blocked: bool = False  # Telegram said 403: stop sending
    unblock: bool = False  # they wrote again
    staff_posts: Sequence[tuple[int, StaffPayload]] = ()  # (case id, post) for the group
    cases: Sequence[CaseIntent] = ()  # cases the turn opens or closes, with the session
    feedback: Sequence[tuple[str, str, tuple[str, ...]]] = ()  # (locale, screen, msgids)
    bot_messages: Sequence[tuple[str, int, int]] = ()  # (user, chat id, message id) sent
    ids: list[str] = field(default_factory=list)  # outbox ids assigned on commit


class Store:
    """Sessions, history, inbox and outbox behind one group-committing writer."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.cached = database.is_sqlite
        self._sessions: OrderedDict[str, Session | None] = OrderedDict()
        self._updates: OrderedDict[int, None] = OrderedDict()
        self._queue: asyncio.Queue[tuple[Change, asyncio.Future[list[str]]] | None] = (
            asyncio.Queue()
        )
        self._writer: asyncio.Task[None] | None = None
        self._sent: list[str] = []  # outbox ids delivered, written with the next flush
        self._sent_messages: list[tuple[str, int, int]] = []  # (user, chat, message) likewise
        self._flushing: list[tuple[str, int, int]] = []  # taken by the flush now committing
        self.blocked: set[str] = set()  # small: loaded at start, kept current on commit

    # -- reading ------------------------------------------------------------------------------

    async def load(self, user: str) -> Session | None:
        """The stored session of ``user``, if any."""
        if self.cached and user in self._sessions:
            self._sessions.move_to_end(user)
            session = self._sessions[user]
            return session.copy() if session else None
        async with self.database.engine.connect() as conn:
            row = (await conn.execute(select(SessionRow).where(SessionRow.user == user))).first()
        session = _session(row._mapping) if row else None
        self._cache(user, session)
        return session.copy() if session else None

    async def seen(self, update_id: int) -> bool:
        """Whether this update was already handled."""
        if update_id in self._updates:
            return True
        if self.cached:
            return False  # every id this process committed is in memory (loaded at start)
        query = select(InboxRow.update_id).where(InboxRow.update_id == update_id)
        async with self.database.engine.connect() as conn:
            return (await conn.execute(query)).first() is not None

    async def history(self, user: str) -> list[HistoryEntry]:
        """The steps of ``user``, oldest first."""
        query = select(HistoryRow).where(HistoryRow.user == user).order_by(HistoryRow.id)
        async with self.database.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            HistoryEntry(r.event, r.from_state, r.to_state, r.question, r.option) for r in rows
        ]

    async def unsent(self) -> list[tuple[str, str, Outgoing]]:
        """Replies committed but not delivered (after a crash), oldest first."""
        query = select(OutboxRow.id, OutboxRow.user, OutboxRow.payload).order_by(
            OutboxRow.created_at, OutboxRow.position
        )
        async with self.database.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        owed = []
        for r in rows:
            try:
                owed.append((r.id, r.user, Outgoing(message_from_json(r.payload))))
            except (PayloadError, KeyError, TypeError, ValueError):  # kept, not dropped
                logger.warning("unreadable outbox row id=%s user=%s", r.id, r.user)
        return owed

    async def is_blocked(self, user: str) -> bool:
        """Whether ``user`` blocked the bot."""
        query = select(BlockedRow.user).where(BlockedRow.user == user)
        async with self.database.engine.connect() as conn:
            return (await conn.execute(query)).first() is not None

    async def warm_up(self, since: dt.datetime) -> None:
        """Load who blocked the bot; with SQLite also recent update ids and active sessions.

        One query each instead of one per person after a restart.
        """
        async with self.database.engine.connect() as conn:
            self.blocked = set((await conn.execute(select(BlockedRow.user))).scalars())
            if not self.cached:
                return
            query = select(InboxRow.update_id).where(InboxRow.at >= since).order_by(InboxRow.at)
            for (update_id,) in (await conn.execute(query)).all():
                self._remember_update(update_id)
            recent = (
                select(SessionRow)
                .where(SessionRow.updated_at >= since)
                .order_by(SessionRow.updated_at.desc())
                .limit(_CACHE_SIZE)
            )
            for row in reversed((await conn.execute(recent)).all()):
                self._cache(row.user, _session(row._mapping))

    # -- writing ------------------------------------------------------------------------------

    async def commit(self, change: Change) -> list[str]:
        """Queue ``change`` and wait until it is durable; returns the new outbox ids."""
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_loop(), name="tsunagu-store-writer")
        future: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()
        await self._queue.put((change, future))
        return await future

    def commit_later(self, change: Change) -> None:
        """Queue a change nobody waits for (a person blocked the bot)."""
        task = asyncio.ensure_future(self.commit(change))
        task.add_done_callback(_log_failure)

    def mark_sent(
        self,
        outbox_ids: Sequence[str],
        at: dt.datetime,
        messages: Sequence[tuple[str, int, int]] = (),
    ) -> None:
        """Record deliveries; they ride along with the next flush instead of costing their own.

        ``messages`` are the (user, chat id, message id) Telegram gave them, kept so /delete
        can remove them from the chat. Should the process die first, those replies are sent
        again at start-up: at least once.
        """
        self._sent.extend(outbox_ids)
        self._sent_messages.extend(messages)
        if self._queue.empty():  # nothing else is coming soon: flush them on their own
            self.commit_later(Change(user="", at=at))

    async def close(self) -> None:
        """Commit what is queued, stop the writer, release the database."""
        if self._sent:
            self.commit_later(Change(user="", at=dt.datetime.now(dt.UTC)))
            await asyncio.sleep(0)
        if self._writer is not None and not self._writer.done():
            await self._queue.put(None)
            await self._writer
        await self.database.close()

    async def finished_before(self, version: str) -> list[Session]:
        """Finished screenings decided under another content version than ``version``."""
        query = select(SessionRow).where(
            SessionRow.outcome.is_not(None),
            SessionRow.content_version.is_distinct_from(version),
        )
        async with self.database.engine.connect() as conn:
            return [_session(row._mapping) for row in (await conn.execute(query)).all()]

    async def idle_since(self, cutoff: dt.datetime, user: str | None = None) -> list[str]:
        """People whose last message is older than ``cutoff`` (or just ``user``, if so)."""
        query = select(SessionRow.user).where(SessionRow.updated_at < cutoff)
        if user is not None:
            query = query.where(SessionRow.user == user)
        async with self.database.engine.connect() as conn:
            return list((await conn.execute(query)).scalars())

    async def bot_messages(self, user: str, since: dt.datetime) -> list[tuple[int, int]]:
        """(chat id, message id) of the bot's messages to ``user`` sent after ``since``."""
        # Those delivered but not committed yet (waiting for, or in, the current flush), taken
        # BEFORE the query: a flush that commits while the query runs clears `_flushing`, and
        # the query may still see the database as it was before that commit.
        pending = [(c, m) for u, c, m in (*self._flushing, *self._sent_messages) if u == user]
        query = select(BotMessageRow.chat_id, BotMessageRow.message_id).where(
            BotMessageRow.user == user, BotMessageRow.sent_at >= since
        )
        async with self.database.engine.connect() as conn:
            stored = [(r.chat_id, r.message_id) for r in (await conn.execute(query)).all()]
        return list(dict.fromkeys([*stored, *pending]))  # a message found both ways counts once

    async def purge_bot_messages(self, before: dt.datetime) -> None:
        """Forget message ids Telegram no longer lets the bot delete (over 48 hours old)."""
        async with self.database.engine.begin() as conn:
            await conn.execute(delete(BotMessageRow).where(BotMessageRow.sent_at < before))

    async def purge_blocked(self, cutoff: dt.datetime) -> None:
        """Forget old "blocked the bot" marks of people with no conversation stored."""
        stored = select(SessionRow.user)
        query = delete(BlockedRow).where(BlockedRow.at < cutoff, BlockedRow.user.not_in(stored))
        async with self.database.engine.begin() as conn:
            await conn.execute(query)

    async def purge_inbox(self, before: dt.datetime) -> None:
        """Forget update ids older than ``before`` (Telegram redelivers within hours)."""
        async with self.database.engine.begin() as conn:
            await conn.execute(delete(InboxRow).where(InboxRow.at < before))

    async def _write_loop(self) -> None:
        # One connection for every flush: a checkout and its reset per transaction cost more
        # than the statements themselves on SQLite.
        async with self.database.engine.connect() as conn:
            while True:
                item = await self._queue.get()
                if item is None:
                    return
                batch = [item]
                while len(batch) < _MAX_BATCH and not self._queue.empty():
                    more = self._queue.get_nowait()
                    if more is None:
                        await self._flush(conn, batch)
                        return
                    batch.append(more)
                await self._flush(conn, batch)

    async def _flush(
        self, conn: AsyncConnection, batch: list[tuple[Change, asyncio.Future[list[str]]]]
    ) -> None:
        sent, self._sent = self._sent, []
        if sent:
            batch[-1][0].sent = [*batch[-1][0].sent, *sent]
        messages, self._sent_messages = self._sent_messages, []
        self._flushing = messages
        if messages:
            batch[-1][0].bot_messages = [*batch[-1][0].bot_messages, *messages]
        try:
            async with conn.begin():
                await _apply(conn, [change for change, _ in batch])
        except Exception:  # one bad change must not sink the others: commit them one by one
            if len(batch) > 1:
                for item in batch:
                    await self._flush(conn, [item])
                return
            logger.exception("commit failed user=%s", batch[0][0].user)
            batch[0][1].set_exception(RuntimeError("commit failed"))
            return
        self._flushing = []
        for change, future in batch:
            self._after_commit(change)
            if not future.done():
                future.set_result(change.ids)

    def _after_commit(self, change: Change) -> None:
        if change.update_id is not None:
            self._remember_update(change.update_id)
        if change.blocked:
            self.blocked.add(change.user)
        if change.unblock or change.erase:
            self.blocked.discard(change.user)
        if change.erase or change.session is not None:
            self._cache(change.user, change.session.copy() if change.session else None)
        if change.erase:  # sent before the erase, not flushed yet: never written now
            self._sent_messages = [m for m in self._sent_messages if m[0] != change.user]

    def _cache(self, user: str, session: Session | None) -> None:
        if not self.cached:
            return
        self._sessions[user] = session
        self._sessions.move_to_end(user)
        while len(self._sessions) > _CACHE_SIZE:
            self._sessions.popitem(last=False)

    def _remember_update(self, update_id: int) -> None:
        self._updates[update_id] = None
        while len(self._updates) > _RECENT_UPDATES:
            self._updates.popitem(last=False)


def _log_failure(task: asyncio.Future[list[str]]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("background commit failed: %s", type(task.exception()).__name__)


def _session(row: Any) -> Session:
    return Session.from_record({**row["data"], **{c: row[c] for c in _COLUMNS}})


async def _apply(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    """Write a whole batch with one statement per table.

    One person's next change waits for this commit, so a batch holds at most one session
    change per person.
    """
    erased = [c.user for c in changes if c.erase]
    erasable = (HistoryRow, OutboxRow, StaffPostRow, CaseRow, BotMessageRow, SessionRow)
    for table in erasable if erased else ():
        await conn.execute(delete(table).where(table.user.in_(erased)))
    unblocked = [c.user for c in changes if c.erase or c.unblock]
    if unblocked:
        await conn.execute(delete(BlockedRow).where(BlockedRow.user.in_(unblocked)))
    inbox = [{"update_id": c.update_id, "at": c.at} for c in changes if c.update_id is not None]
    if inbox:
        await conn.execute(insert(InboxRow), inbox)
    sessions = [_session_values(c.session, c.at) for c in changes if c.session is not None]
    if sessions:
        await _upsert(conn, SessionRow, sessions, keep=("created_at",))
    history = [_history_values(c) for c in changes if c.history is not None]
    if history:
        await conn.execute(insert(HistoryRow), history)
    await _insert_outbox(conn, changes)
    posts = [
        {"user": c.user, "case_id": case, "payload": staff_to_json(post), "created_at": c.at}
        for c in changes
        for case, post in c.staff_posts
    ]
    posts += await _apply_cases(conn, changes)
    if posts:
        await conn.execute(insert(StaffPostRow), posts)
    gone = set(erased)
    shown = {
        (chat, message): {"user": user, "chat_id": chat, "message_id": message, "sent_at": c.at}
        for c in reversed(changes)  # the first sending in the batch wins
        for user, chat, message in reversed(c.bot_messages)
        if user not in gone
    }
    bot_messages = list(shown.values())
    if bot_messages:  # an edited question is already there: the first sending time stands
        await conn.execute(
            _dialect(conn).insert(BotMessageRow).on_conflict_do_nothing(), bot_messages
        )
    feedback = [
        {"locale": locale, "screen": screen, "msgids": list(ids), "created_at": c.at}
        for c in changes
        for locale, screen, ids in c.feedback
    ]
    if feedback:
        await conn.execute(insert(FeedbackRow), feedback)
    sent = [i for c in changes for i in c.sent]
    if sent:  # delivered: the text need not be kept (it is personal data)
        # executemany of one prepared statement; an IN list is re-rendered for every length
        by_id = delete(OutboxRow).where(OutboxRow.id == bindparam("outbox_id"))
        await conn.execute(by_id, [{"outbox_id": i} for i in sent])
    blocked = [{"user": c.user, "at": c.at} for c in changes if c.blocked]
    if blocked:
        await _upsert(conn, BlockedRow, blocked)


async def _apply_cases(conn: AsyncConnection, changes: Sequence[Change]) -> list[dict[str, Any]]:
    """Open and close the turns' cases; the staff posts of the cases just opened."""
    posts: list[dict[str, Any]] = []
    for change in changes:
        for intent in change.cases:
            if isinstance(intent, FinishCase):
                await conn.execute(_finish(intent, change.at))
                continue
            # One row at a time: the case number is needed for its posts (cases are rare).
            result = await conn.execute(insert(CaseRow).values(_case_values(change, intent)))
            case_id = result.inserted_primary_key[0]  # type: ignore[index]
            logger.info(
                "case opened case=%s user=%s reason=%s", case_id, change.user, intent.reason
            )
            posts += [
                {
                    "user": change.user,
                    "case_id": case_id,
                    "payload": staff_to_json(p),
                    "created_at": change.at,
                }
                for p in intent.posts
            ]
    return posts


def _case_values(change: Change, intent: OpenCase) -> dict[str, Any]:
    return {
        "user": change.user,
        "chat_id": intent.chat_id,
        "status": CaseStatus.WAITING.value,
        "reason": intent.reason,
        "opened_at": change.at,
        "updated_at": change.at,
    }


def _finish(intent: FinishCase, at: dt.datetime) -> Any:
    still_open = [CaseStatus.WAITING.value, CaseStatus.TAKEN.value]
    return (
        update(CaseRow)
        .where(CaseRow.id == intent.case_id, CaseRow.status.in_(still_open))
        .values(status=intent.status.value, updated_at=at)
    )


async def _insert_outbox(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    # Ids are made here, not by the database: SQLite cannot return generated ids for a batch
    # in order, and SQLAlchemy then inserts row by row (a third of a commit's time).
    rows = []
    for change in changes:
        change.ids = [uuid.uuid4().hex for _ in change.outbox]
        rows += [
            {
                "id": outbox_id,
                "user": change.user,
                "position": position,
                "payload": message_to_json(message.message),
                "created_at": change.at,
            }
            for position, (outbox_id, message) in enumerate(
                zip(change.ids, change.outbox, strict=True)
            )
        ]
    if rows:
        await conn.execute(insert(OutboxRow), rows)


def _history_values(change: Change) -> dict[str, Any]:
    entry = change.history
    assert entry is not None
    return {
        "user": change.user,
        "at": change.at,
        "event": entry.event,
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "question": entry.question,
        "option": entry.option,
    }


def _session_values(session: Session, at: dt.datetime) -> dict[str, Any]:
    record = session.to_record()
    values = {c: record[c] for c in _COLUMNS}
    values["data"] = {k: v for k, v in record.items() if k not in _COLUMNS}
    return {**values, "updated_at": at, "created_at": at}


def _dialect(conn: AsyncConnection) -> Any:
    # Their INSERT … ON CONFLICT constructs (the generic insert has none).
    return postgresql if conn.dialect.name == "postgresql" else sqlite


async def _upsert(
    conn: AsyncConnection,
    table: type[SessionRow] | type[BlockedRow],
    rows: list[dict[str, Any]],
    keep: Sequence[str] = (),
) -> None:
    """INSERT … ON CONFLICT (user) DO UPDATE, for many rows at once, on SQLite or PostgreSQL."""
    statement = _dialect(conn).insert(table)
    columns = [c for c in rows[0] if c not in ("user", *keep)]
    statement = statement.on_conflict_do_update(
        index_elements=["user"], set_={c: statement.excluded[c] for c in columns}
    )
    await conn.execute(statement, rows)
