"""The group commit: one writer task commits whatever changes are waiting, in one transaction.

Each update's change (session, history step, replies owed, update id) must be committed before
its replies are sent. Committing one transaction per update costs ~3.5 ms on SQLite (bench/),
so a single writer task drains whatever changes are waiting and commits them together: a
handler still waits for *its* commit, but many handlers share one. Delivery receipts (outbox
ids sent, the messages they became) ride along with the next flush instead of costing their own.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.change import Change
from bot.storage.database import Database
from bot.storage.writer import apply

__all__ = ["CommitError", "GroupCommit"]

logger = logging.getLogger(__name__)

_MAX_BATCH = 500  # changes in one transaction: bounds its size and the wait of the last one


class CommitError(RuntimeError):
    """A change could not be committed (disk full, database down): the event is not handled."""


class GroupCommit:
    """Queues changes and commits them in groups; calls ``after_commit`` for each committed."""

    def __init__(self, database: Database, after_commit: Callable[[Change], None]) -> None:
        self.database = database
        self.after_commit = after_commit
        self._queue: asyncio.Queue[tuple[Change, asyncio.Future[list[str]]] | None] = (
            asyncio.Queue()
        )
        self._writer: asyncio.Task[None] | None = None
        self._sent: list[str] = []  # outbox ids delivered, written with the next flush
        self._sent_messages: list[tuple[str, int, int]] = []  # (user, chat, message) likewise
        self._flushing: list[tuple[str, int, int]] = []  # taken by the flush now committing

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
        """Record deliveries, committed with the next flush (see Store.mark_sent)."""
        self._sent.extend(outbox_ids)
        self._sent_messages.extend(messages)
        if self._queue.empty():  # nothing else is coming soon: flush them on their own
            self.commit_later(Change(user="", at=at))

    def pending_messages(self, user: str) -> list[tuple[int, int]]:
        """(chat id, message id) of ``user``'s delivered messages not committed yet."""
        return [(c, m) for u, c, m in (*self._flushing, *self._sent_messages) if u == user]

    async def close(self) -> None:
        """Commit what is queued and stop the writer."""
        if self._sent:
            self.commit_later(Change(user="", at=dt.datetime.now(dt.UTC)))
            await asyncio.sleep(0)
        if self._writer is not None and not self._writer.done():
            await self._queue.put(None)
            await self._writer

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
            batch[0][1].set_exception(CommitError("commit failed"))
            return
        self._flushing = []
        for change, future in batch:
            if change.erase:  # sent before the erase, not flushed yet: never written now
                self._sent_messages = [m for m in self._sent_messages if m[0] != change.user]
            self.after_commit(change)
            if not future.done():
                future.set_result(change.ids)


def _log_failure(task: asyncio.Future[list[str]]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("background commit failed: %s", type(task.exception()).__name__)
