"""The store: reads sessions, the inbox and the outbox; commits every change through one writer.

Its parts: the group commit (committer.py), the transaction (writer.py), the in-memory cache of
sessions and update ids (recent.py, SQLite only: the bot process is then the only writer).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import DBAPIError

from bot.storage.change import Change, HistoryEntry, Outgoing
from bot.storage.committer import CommitError, GroupCommit
from bot.storage.database import Database
from bot.storage.payloads import (
    PayloadError,
    message_from_json,
)
from bot.storage.recent import Recent
from bot.storage.tables import (
    BlockedRow,
    BotMessageRow,
    HistoryRow,
    InboxRow,
    OutboxRow,
    SessionRow,
)
from bot.storage.writer import SESSION_COLUMNS
from dialogs.session import Session

__all__ = [
    "Change",
    "CommitError",
    "HistoryEntry",
    "Outgoing",
    "Store",
]  # the values are in change.py

logger = logging.getLogger(__name__)


# What a turn raises when storage, not the turn, failed (disk full, the server restarting):
# the update is then left for Telegram to send again.
UNAVAILABLE: tuple[type[Exception], ...] = (CommitError, DBAPIError)


class Store:
    """Sessions, history, inbox and outbox behind one group-committing writer."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.cached = database.is_sqlite
        self.recent = Recent()
        self.writer = GroupCommit(database, self._after_commit)
        self.blocked: set[str] = set()  # small: loaded at start, kept current on commit

    # -- reading ------------------------------------------------------------------------------

    async def load(self, user: str) -> Session | None:
        """The stored session of ``user``, if any."""
        if self.cached:
            known, session = self.recent.session(user)
            if known:
                return session
        async with self.database.engine.connect() as conn:
            row = (await conn.execute(select(SessionRow).where(SessionRow.user == user))).first()
        session = _session(row._mapping) if row else None
        self._cache(user, session)
        return session.copy() if session else None

    async def seen(self, update_id: int) -> bool:
        """Whether this update was already handled."""
        if update_id in self.recent.updates:
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
                self.recent.remember(update_id)
            recent = (
                select(SessionRow)
                .where(SessionRow.updated_at >= since)
                .order_by(SessionRow.updated_at.desc())
                .limit(Recent.size)
            )
            for row in reversed((await conn.execute(recent)).all()):
                self._cache(row.user, _session(row._mapping))

    # -- writing ------------------------------------------------------------------------------

    async def commit(self, change: Change) -> list[str]:
        """Queue ``change`` and wait until it is durable; returns the new outbox ids."""
        return await self.writer.commit(change)

    def commit_later(self, change: Change) -> None:
        """Queue a change nobody waits for (a person blocked the bot)."""
        self.writer.commit_later(change)

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
        self.writer.mark_sent(outbox_ids, at, messages)

    async def close(self) -> None:
        """Commit what is queued, stop the writer, release the database."""
        await self.writer.close()
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
        pending = self.writer.pending_messages(user)
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

    def _after_commit(self, change: Change) -> None:
        if change.update_id is not None:  # PostgreSQL too: no query for an id it committed
            self.recent.remember(change.update_id)
        if change.blocked:
            self.blocked.add(change.user)
        if change.unblock or change.erase:
            self.blocked.discard(change.user)
        if change.erase or change.session is not None:
            self._cache(change.user, change.session.copy() if change.session else None)

    def _cache(self, user: str, session: Session | None) -> None:
        if self.cached:
            self.recent.keep(user, session)


def _session(row: Any) -> Session:
    return Session.from_record({**row["data"], **{c: row[c] for c in SESSION_COLUMNS}})
