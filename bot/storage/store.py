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
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.change import Change, HistoryEntry, Outgoing
from bot.storage.database import Database
from bot.storage.payloads import (
    PayloadError,
    message_from_json,
)
from bot.storage.tables import (
    BlockedRow,
    BotMessageRow,
    HistoryRow,
    InboxRow,
    OutboxRow,
    SessionRow,
)
from bot.storage.writer import SESSION_COLUMNS, apply
from dialogs.session import Session

__all__ = ["Change", "HistoryEntry", "Outgoing", "Store"]  # the values are in change.py

logger = logging.getLogger(__name__)

_MAX_BATCH = 500  # changes in one transaction: bounds its size and the wait of the last one
_CACHE_SIZE = 50_000  # sessions kept in memory (SQLite only)
_RECENT_UPDATES = 100_000  # update ids remembered in memory (SQLite only)


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

    async def unsent(self, user: str | None = None) -> list[tuple[str, str, Outgoing]]:
        """Replies committed but not delivered (after a crash), oldest first; or one person's."""
        query = select(OutboxRow.id, OutboxRow.user, OutboxRow.payload).order_by(
            OutboxRow.created_at, OutboxRow.position
        )
        if user is not None:  # the web page collects what another process committed for it
            query = query.where(OutboxRow.user == user)
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
                await apply(conn, [change for change, _ in batch])
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
    return Session.from_record({**row["data"], **{c: row[c] for c in SESSION_COLUMNS}})
