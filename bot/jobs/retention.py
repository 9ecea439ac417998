"""Erasing conversations idle longer than the retention period: `tsunagu purge`, and hourly."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from contextlib import suppress

from bot.conversation import DELETABLE_FOR, INBOX_KEPT, Clock, Conversations
from bot.storage import Store

__all__ = ["RetentionJob", "purge_once"]

logger = logging.getLogger(__name__)

_EVERY = dt.timedelta(hours=1)


async def purge_once(
    conversations: Conversations, store: Store, keep: dt.timedelta, now: dt.datetime
) -> int:
    """Erase every conversation idle since before ``now - keep``; returns how many."""
    erased = await conversations.purge(now - keep)
    await store.purge_inbox(now - INBOX_KEPT)
    await store.purge_bot_messages(now - DELETABLE_FOR)
    logger.info("retention purge erased=%d keep_days=%d", erased, keep.days)
    return erased


class RetentionJob:
    """Runs the purge now and then every hour while the bot runs."""

    def __init__(
        self, conversations: Conversations, store: Store, keep: dt.timedelta, clock: Clock
    ) -> None:
        self.conversations, self.store = conversations, store
        self.keep, self.clock = keep, clock
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin the hourly purge (the first one at once)."""
        self._task = asyncio.create_task(self._loop(), name="tsunagu-retention")

    async def stop(self) -> None:
        """Stop between two purges."""
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            try:
                await purge_once(self.conversations, self.store, self.keep, self.clock())
            except Exception:  # a failed purge is retried next hour; the bot keeps serving
                logger.exception("retention purge failed")
            await asyncio.sleep(_EVERY.total_seconds())
