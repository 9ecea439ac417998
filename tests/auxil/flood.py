"""Telegram's flood limits as the fake Bot API enforces them: over the limit answers HTTP 429.

Written from Telegram's own words, not from the bot's limiter (so a wrong limiter fails here):
the Bot FAQ ("My bot is hitting limits") and the Bot API's maintainer (tdlib/telegram-bot-api#648,
tdlib/td#3034, tdlib/td#2592):

- answerCallbackQuery, and calls that post nothing, have no limit;
- sends and edits share one budget per chat: about 1 a second in a private chat with short
  bursts allowed (a token bucket), at most 20 in any minute in a group (a sliding window);
  a forum topic's creation posts a message and counts;
- new messages to people who did not just write to the bot (bulk notifications) are held to
  about 30 a second overall. ``replied_within=None`` counts every new message instead.

A call over a limit is refused with ``retry_after`` = the whole seconds until it would pass, so a
client that retries early is refused again.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FloodControl", "TelegramLimits"]

# What spends a chat's budget (the methods the bot uses, and their close relatives).
_EDITS = {"editMessageText", "editMessageReplyMarkup", "editMessageCaption"}
_NEW = {"sendMessage", "copyMessage", "forwardMessage", "sendPhoto", "sendDocument"}
_TOPIC = {"createForumTopic"}


@dataclass(frozen=True, slots=True)
class TelegramLimits:
    """The numbers; the defaults are Telegram's documented ones."""

    private_per_second: float = 1.0
    private_burst: int = 4  # "short bursts": how many at once after a quiet spell
    group_per_minute: int = 20
    bulk_per_second: float = 30.0
    # A new message to a chat that sent an update this recently answers it (not bulk).
    replied_within: float | None = 60.0


@dataclass(slots=True)
class _Bucket:
    rate: float
    capacity: float
    tokens: float
    stamp: float

    def retry_after(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass
class FloodControl:
    """Per-chat budgets and the bulk budget of one bot."""

    limits: TelegramLimits
    clock: Callable[[], float]
    _chats: dict[int, _Bucket] = field(default_factory=dict)
    _groups: dict[int, deque[float]] = field(default_factory=dict)
    _bulk: _Bucket | None = None
    _heard: dict[int, float] = field(default_factory=dict)  # chat -> its last update

    def heard_from(self, chat_id: int) -> None:
        """The chat sent the bot an update now."""
        self._heard[chat_id] = self.clock()

    def refuse(self, method: str, params: dict[str, Any]) -> int | None:
        """``retry_after`` in whole seconds if this call is over a limit, else spend and None."""
        if method not in _EDITS | _NEW | _TOPIC or "chat_id" not in params:
            return None
        chat, now = int(params["chat_id"]), self.clock()
        if chat < 0:
            wait = self._group_wait(chat, now)
        else:
            wait = max(self._chat(chat, now).retry_after(now), self._bulk_wait(chat, method, now))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._spend(chat, method, now)
        return None

    def _chat(self, chat: int, now: float) -> _Bucket:
        limits = self.limits
        if chat not in self._chats:
            burst = limits.private_burst
            self._chats[chat] = _Bucket(limits.private_per_second, burst, burst, now)
        return self._chats[chat]

    def _is_bulk(self, chat: int, method: str, now: float) -> bool:
        if method not in _NEW:
            return False
        within = self.limits.replied_within
        heard = self._heard.get(chat)
        return within is None or heard is None or now - heard > within

    def _bulk_wait(self, chat: int, method: str, now: float) -> float:
        if not self._is_bulk(chat, method, now):
            return 0.0
        if self._bulk is None:
            rate = self.limits.bulk_per_second
            self._bulk = _Bucket(rate, rate, rate, now)
        return self._bulk.retry_after(now)

    def _group_wait(self, chat: int, now: float) -> float:
        sent = self._groups.setdefault(chat, deque())
        while sent and now - sent[0] >= 60.0:
            sent.popleft()
        return 0.0 if len(sent) < self.limits.group_per_minute else sent[0] + 60.0 - now

    def _spend(self, chat: int, method: str, now: float) -> None:
        if chat < 0:
            self._groups[chat].append(now)
            return
        if self._is_bulk(chat, method, now):
            assert self._bulk is not None
            self._bulk.tokens -= 1
        self._chats[chat].tokens -= 1
