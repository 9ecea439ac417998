"""Telegram's flood limits per chat: button answers and replies never wait for anyone else's.

What Telegram limits (Bot FAQ "My bot is hitting limits"; the Bot API's maintainer in
tdlib/telegram-bot-api#648, tdlib/td#3034 and tdlib/td#2592):

- ``answerCallbackQuery`` has no limit; neither do calls that post nothing (getMe,
  setMyCommands, setWebhook, deleteWebhook, deleteMessages …): they never wait here.
- Sending and editing share one budget per chat: about one a second in a private chat (short
  bursts pass), 20 a minute in a group (creating a forum topic posts a message, so it counts).
- There is no overall limit on replies; bulk notifications to many people are held to about 30
  a second. Messages nobody just asked for (the change notices of ``bot.jobs``) are marked as
  broadcasts (:func:`broadcasting`, or ``rate_limit_args=BROADCAST``) and paced on a lane of
  their own, so a person's reply never queues behind them.

A 429 blocks only its scope until ``retry_after`` has passed (never retried earlier): that chat
(and the broadcast lane, for a broadcast), or every call when it came for a call about no chat.
Each is counted in ``/metrics`` (``tsunagu_telegram_too_many_requests_total{scope}``).

PTB's own ``AIORateLimiter`` holds every message to 30 a second overall and stops every call
after any 429, which made a surge of people wait seconds for a button's answer (issue 12).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.metrics import TOO_MANY_REQUESTS

__all__ = ["BROADCAST", "SENDING", "Limits", "TelegramRateLimiter", "broadcasting"]

logger = logging.getLogger(__name__)

BROADCAST = "broadcast"  # rate_limit_args of a message nobody just asked for

# Calls that post or change a message: they spend the chat's budget. Everything else is free.
SENDING = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageReplyMarkup",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
        "sendPhoto",
        "sendDocument",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendAnimation",
        "sendSticker",
        "sendMediaGroup",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendVideoNote",
        "createForumTopic",  # posts the topic's first (service) message: tdlib/td#2592
    }
)
# Telegram's clock and ours differ a little: wait this much past retry_after.
_RETRY_MARGIN_S = 0.1
# A group's minute, plus a second: a call admitted here reaches Telegram a little later, and
# not always as late as the call it must be a minute after.
_GROUP_WINDOW_S = 61.0
_PRUNE_ABOVE = 1024  # chats remembered before idle ones are forgotten
_PRUNE_EVERY_S = 10.0

_broadcasting: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "tsunagu_broadcasting", default=False
)

Callback = Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]]
Result = bool | dict[str, Any] | list[dict[str, Any]]


@contextlib.contextmanager
def broadcasting() -> Iterator[None]:
    """Every message sent inside (in this task) is paced as a broadcast."""
    token = _broadcasting.set(True)
    try:
        yield
    finally:
        _broadcasting.reset(token)


@dataclass(frozen=True, slots=True)
class Limits:
    """The budgets; a little under Telegram's so network jitter never tips a burst over."""

    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: int = 20
    broadcast_per_second: float = 25.0
    broadcast_burst: int = 5
    max_retries: int = 3  # after a 429, tries again (after retry_after) this many times


class Budget(Protocol):
    """How many calls a lane may make: when the next one may go, and spending it."""

    def wait(self, now: float) -> float:
        """Seconds until the next call may go (0 when it may go now)."""

    def spend(self, now: float) -> None:
        """Count one call made at ``now``."""

    def idle(self, now: float) -> bool:
        """Back to full: forgetting this budget changes nothing."""


@dataclass(slots=True)
class TokenBucket:
    """``rate`` calls a second on average, ``capacity`` at once after a quiet spell."""

    rate: float
    capacity: float
    initial: float | None = None  # tokens at first use (None: full)
    tokens: float = field(init=False)
    stamp: float = field(init=False, default=-1.0)  # never used yet

    def _refill(self, now: float) -> None:
        if self.stamp < 0:
            self.tokens = self.capacity if self.initial is None else self.initial
            self.stamp = now
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait(self, now: float) -> float:
        self._refill(now)
        # A hair under one counts as one: a float's rounding must not make a waiter spin.
        return 0.0 if self.tokens >= 1 - 1e-9 else (1 - self.tokens) / self.rate

    def spend(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1

    def idle(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.capacity


@dataclass(slots=True)
class SlidingWindow:
    """At most ``limit`` calls in any ``window`` seconds (a group's 20 a minute, exactly)."""

    limit: int
    window: float = 60.0
    stamps: deque[float] = field(default_factory=deque)

    def _forget(self, now: float) -> None:
        while self.stamps and now - self.stamps[0] >= self.window:
            self.stamps.popleft()

    def wait(self, now: float) -> float:
        self._forget(now)
        if len(self.stamps) < self.limit:
            return 0.0
        return self.stamps[0] + self.window - now

    def spend(self, now: float) -> None:
        self.stamps.append(now)

    def idle(self, now: float) -> bool:
        self._forget(now)
        return not self.stamps


class Lane:
    """One budget and its queue: first come, first served; blocked after a 429."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.blocked_until = 0.0
        self._queue = asyncio.Lock()  # asyncio locks wake waiters in arrival order

    async def admit(self, clock: Callable[[], float], sleep: Sleep, spend: bool) -> None:
        """Wait for this lane's turn (and budget, when ``spend``), then count the call."""
        if not spend:  # a free call queues behind no one: it only waits out a 429
            while (delay := self.blocked_until - clock()) > 0:
                await sleep(delay)
            return
        async with self._queue:
            while True:
                now = clock()
                delay = max(self.blocked_until - now, self.budget.wait(now))
                if delay <= 0:
                    self.budget.spend(now)
                    return
                await sleep(delay)

    def block(self, until: float) -> None:
        self.blocked_until = max(self.blocked_until, until)

    def idle(self, now: float) -> bool:
        return not self._queue.locked() and now >= self.blocked_until and self.budget.idle(now)


Sleep = Callable[[float], Awaitable[None]]


class TelegramRateLimiter(BaseRateLimiter[str]):
    """Per-chat budgets, a broadcast lane, free button answers, 429s kept to their scope."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        just_started: bool = True,
    ) -> None:
        self.limits = limits or Limits()
        self.clock, self.sleep = clock, sleep
        self.chats: dict[int | str, Lane] = {}
        limits = self.limits
        self.broadcast = Lane(TokenBucket(limits.broadcast_per_second, limits.broadcast_burst))
        self.everything = Lane(SlidingWindow(1))  # blocked by a 429 about no chat; never spent
        self._pruned_at = 0.0
        # A new process cannot know what its predecessor spent (see _left_after_restart).
        self.started = clock() if just_started else -math.inf

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(  # noqa: PLR0917 (PTB's signature)
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> Result:
        """Wait for the call's budgets, make it; after a 429 wait its scope out, then retry."""
        chat = _chat_of(data)
        broadcast = rate_limit_args == BROADCAST or _broadcasting.get()
        sending = endpoint in SENDING and chat is not None
        for attempt in range(self.limits.max_retries + 1):
            await self._admit(chat, sending, broadcast)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                scope = self._blocked(chat, broadcast and sending, _seconds(exc))
                TOO_MANY_REQUESTS.labels(scope).inc()
                logger.info("429 endpoint=%s scope=%s attempt=%d", endpoint, scope, attempt + 1)
                if attempt == self.limits.max_retries:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover (the loop returns or raises)

    async def _admit(self, chat: int | str | None, sending: bool, broadcast: bool) -> None:
        await self.everything.admit(self.clock, self.sleep, spend=False)
        if broadcast and sending:  # first its place among broadcasts, then in the chat
            await self.broadcast.admit(self.clock, self.sleep, spend=True)
        if chat is not None:
            await self.lane(chat).admit(self.clock, self.sleep, spend=sending)

    def _blocked(self, chat: int | str | None, broadcast: bool, seconds: float) -> str:
        until = self.clock() + seconds + _RETRY_MARGIN_S
        if chat is None:
            self.everything.block(until)
            return "global"
        self.lane(chat).block(until)
        if broadcast:  # most likely the bulk limit itself: hold the other broadcasts too
            self.broadcast.block(until)
            return "broadcast"
        return "chat"

    def lane(self, chat: int | str) -> Lane:
        """The chat's lane, created on first use."""
        lane = self.chats.get(chat)
        if lane is None:
            self._prune()
            limits = self.limits
            group = isinstance(chat, str) or chat < 0  # "@name" is a channel or supergroup
            budget: Budget = (
                SlidingWindow(limits.group_per_minute, _GROUP_WINDOW_S)
                if group
                else TokenBucket(
                    limits.private_per_second,
                    limits.private_burst,
                    self._left_after_restart(limits.private_per_second, limits.private_burst),
                )
            )
            lane = self.chats[chat] = Lane(budget)
        return lane

    def _left_after_restart(self, rate: float, capacity: float) -> float | None:
        """A chat's budget in the first seconds of a process: what a predecessor may have left.

        Telegram keeps counting across a restart. A process killed right after a burst to a
        person left that chat's budget spent, and this one starts by resending what it owed
        them: one message at once, then the rate (the e2e kill test met a 429 with full buckets).
        """
        refilled = 1 + (self.clock() - self.started) * rate
        return None if refilled >= capacity else refilled

    def _prune(self) -> None:
        """Forget idle chats now and then, so a hundred thousand people cost no memory."""
        now = self.clock()
        if len(self.chats) < _PRUNE_ABOVE or now - self._pruned_at < _PRUNE_EVERY_S:
            return
        self._pruned_at = now
        for chat in [c for c, lane in self.chats.items() if lane.idle(now)]:
            del self.chats[chat]


def _chat_of(data: dict[str, Any]) -> int | str | None:
    chat = data.get("chat_id")
    if chat is None:
        return None
    with contextlib.suppress(TypeError, ValueError):
        return int(chat)
    return str(chat)


def _seconds(exc: RetryAfter) -> float:
    # Stored as a timedelta; the public attribute warns unless PTB_TIMEDELTA is set, so read
    # the stored value, as PTB's own AIORateLimiter does.
    return exc._retry_after.total_seconds()
