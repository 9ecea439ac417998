"""Posts to the staff group from its durable queue, never more than the group's limit a minute.

Telegram lets a bot post about 20 messages a minute in one group. When many applicants ask at
once, their cases wait here (committed with the applicant's state, so nothing is lost); when three
or more new cases are waiting, one digest post lists them before their topics open one by one.
Posts about cases that already have a topic (an applicant's message, a staff notice) go first.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress

from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.storage import CaseBook, StaffPost
from bot.storage.payloads import OpenTopic

__all__ = ["DIGEST_AFTER", "GroupPacer"]

logger = logging.getLogger(__name__)

WINDOW_S = 60.0
DIGEST_AFTER = 3  # new cases waiting at once before a digest is worth a post
# The calls each post makes to the group are its `cost` (bot/storage/payloads.py).
_RETRY_S = 5.0
_POLL_S = 2.0  # PostgreSQL: how often to look for posts other processes queued

Execute = Callable[[StaffPost], Awaitable[None]]
Ready = Callable[[StaffPost], Awaitable[bool]]
Digest = Callable[[Sequence[StaffPost]], Awaitable[None]]


class GroupPacer:
    """Drains the staff-post queue within a sliding window of ``per_minute`` calls."""

    def __init__(
        self,
        book: CaseBook,
        *,
        execute: Execute,
        ready: Ready,
        digest: Digest,
        per_minute: int,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.book = book
        self.execute, self.ready, self.digest = execute, ready, digest
        self.per_minute = per_minute
        self.monotonic, self.sleep = monotonic, sleep
        self.sent_at: deque[float] = deque()  # when each recent call was made
        self._wake = asyncio.Event()
        self._digested: set[int] = set()  # post ids already listed in a digest

    def wake(self) -> None:
        """New posts were committed."""
        self._wake.set()

    async def run(self) -> None:
        """Post forever (cancelled at shutdown; unsent posts stay queued).

        With several bot processes on PostgreSQL only one posts (the others wait their turn):
        two pacers would each spend the group's whole budget.
        """
        async with self.book.database.leader("staff-pacer"):
            await self._run()

    async def _run(self) -> None:
        while True:
            # Cleared before looking at the queue: a post committed meanwhile sets it again.
            self._wake.clear()
            try:
                busy = await self.drain_one()
            except Exception:  # a bug or the database: log it, keep the desk alive
                logger.exception("staff pacer failed")
                await self.sleep(_RETRY_S)
                continue
            if not busy:
                await self._idle()

    async def _idle(self) -> None:
        if self.book.database.is_sqlite:
            await self._wake.wait()  # every post is committed by this process: it wakes us
            return
        # Other processes commit posts too, without waking this one: look now and then.
        with suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), _POLL_S)

    async def drain_one(self) -> bool:
        """Send the next post, waiting for the budget; False when the queue is empty."""
        posts = await self.book.posts()
        if not posts:
            return False
        await self._maybe_digest(posts)
        post = await self._next(posts)
        await self._spend(post.payload.cost)
        try:
            await self.execute(post)
        except RetryAfter as exc:  # the limiter's retries ran out: wait as Telegram asks
            await self.sleep(_seconds(exc.retry_after))
            return True
        except (BadRequest, Forbidden) as exc:  # cannot ever succeed (topic deleted, bot removed)
            logger.warning("staff post dropped case=%s error=%s", post.case_id, type(exc).__name__)
        except TelegramError as exc:  # the network: try again shortly
            logger.warning("staff post failed case=%s error=%s", post.case_id, type(exc).__name__)
            await self.sleep(_RETRY_S)
            return True
        await self.book.drop_post(post.id)
        return True

    async def _next(self, posts: Sequence[StaffPost]) -> StaffPost:
        for post in posts:
            if not isinstance(post.payload, OpenTopic) and await self.ready(post):
                return post
        return next((p for p in posts if isinstance(p.payload, OpenTopic)), posts[0])

    async def _maybe_digest(self, posts: Sequence[StaffPost]) -> None:
        fresh = [
            p for p in posts if isinstance(p.payload, OpenTopic) and p.id not in self._digested
        ]
        if len(fresh) < DIGEST_AFTER:
            return
        await self._spend(1)
        try:
            await self.digest(fresh)
        except TelegramError as exc:
            logger.warning("digest failed error=%s", type(exc).__name__)
            return
        self._digested.update(p.id for p in fresh)

    async def _spend(self, calls: int) -> None:
        """Wait until ``calls`` more fit in the last minute, then count them."""
        while True:
            now = self.monotonic()
            while self.sent_at and now - self.sent_at[0] >= WINDOW_S:
                self.sent_at.popleft()
            if len(self.sent_at) + calls <= self.per_minute:
                self.sent_at.extend([now] * calls)
                return
            await self.sleep(self.sent_at[0] + WINDOW_S - now)


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
