"""Telegram's limits around the test emulator, for the black-box benchmark: a stand-in.

LIMITS HOOK: the shared emulator is getting Telegram's limits of its own (429 with retry_after,
counters of 429s and of unanswered callback queries). Until then this minimal version enforces
them here; when it lands, ``limited_emulator`` should build that one and read its counters.

What it enforces (Bot FAQ "My bot is hitting limits"): sends and edits share a per-chat budget
of about one a second with a short burst (20 a minute in a group); new messages about 30 a
second overall; answerCallbackQuery and getUpdates are free.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.auxil.emulator import Emulator
from tests.auxil.fakes import BotApi

__all__ = ["Bucket", "LimitedApi", "Shown", "limited_emulator"]

# What a person sees change: (chat id, message id, the buttons' callback data).
Shown = Callable[[int, int, list[str]], None]

_NEW_MESSAGES = {"sendMessage", "copyMessage", "sendPhoto", "sendDocument"}
_CHAT_SENDS = _NEW_MESSAGES | {"editMessageText", "editMessageReplyMarkup"}
_PRIVATE_RATE, _PRIVATE_BURST = 1.0, 3.0  # per private chat: one a second, bursts of three
_GROUP_RATE, _GROUP_BURST = 20 / 60, 3.0  # a group: twenty a minute
_GLOBAL_RATE, _GLOBAL_BURST = 30.0, 30.0  # new messages to everyone


@dataclass
class Bucket:
    """A token bucket: ``rate`` tokens a second, at most ``capacity`` saved up."""

    rate: float
    capacity: float
    tokens: float = -1.0  # full at first use
    at: float = 0.0

    def wait(self, now: float) -> float:
        """Seconds until a token is free (0: one is free now); takes nothing."""
        if self.tokens < 0:
            self.tokens, self.at = self.capacity, now
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


@dataclass
class LimitedApi(BotApi):
    """The fake Bot API answering 429 with retry_after when a call is over a limit."""

    on_shown: Shown | None = None
    limits: bool = True
    too_many: int = 0  # 429s returned
    answered: set[str] = field(default_factory=set)  # callback query ids answered
    _chats: dict[int, Bucket] = field(default_factory=dict)
    _everyone: Bucket = field(default_factory=lambda: Bucket(_GLOBAL_RATE, _GLOBAL_BURST))

    def call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.limits and method in _CHAT_SENDS:
            wait = self._admit(method, int(params["chat_id"]), time.monotonic())
            if wait:
                self.too_many += 1
                retry_after = max(1, math.ceil(wait))
                return 429, {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after},
                }
        status, body = super().call(method, params)
        if status == 200:
            self._observe(method, params, body)
        return status, body

    def _admit(self, method: str, chat_id: int, now: float) -> float:
        private = chat_id > 0
        chat = self._chats.get(chat_id)
        if chat is None:
            rate, burst = (
                (_PRIVATE_RATE, _PRIVATE_BURST) if private else (_GROUP_RATE, _GROUP_BURST)
            )
            chat = self._chats[chat_id] = Bucket(rate, burst)
        buckets = [chat, self._everyone] if method in _NEW_MESSAGES else [chat]
        wait = max(bucket.wait(now) for bucket in buckets)
        if not wait:
            for bucket in buckets:
                bucket.take()
        return wait

    def _observe(self, method: str, params: dict[str, Any], body: dict[str, Any]) -> None:
        if method == "answerCallbackQuery":
            self.answered.add(str(params["callback_query_id"]))
        elif method in ("sendMessage", "editMessageText") and self.on_shown is not None:
            message_id = int(body["result"]["message_id"])
            sent = self.messages[message_id]
            self.on_shown(sent.chat_id, message_id, [data for _, data in sent.buttons])


class BenchEmulator(Emulator):
    """The test emulator with a limited API and the moment of the first getUpdates."""

    def __init__(self, api: LimitedApi) -> None:
        super().__init__()
        self.api = self.limited = api
        self.first_poll: float | None = None  # time.monotonic() of the first getUpdates

    async def _get_updates(self, params: dict[str, Any]) -> Any:
        if self.first_poll is None:
            self.first_poll = time.monotonic()
        return await super()._get_updates(params)


def limited_emulator(on_shown: Shown, limits: bool = True) -> BenchEmulator:
    """LIMITS HOOK: the emulator the benchmark runs against (switch to the shared one here)."""
    return BenchEmulator(LimitedApi(on_shown=on_shown, limits=limits))
