"""The emulator the black-box benchmark runs against: the tests' one, Telegram's limits on.

Telegram's limits are the tests' own (``tests.auxil.flood``: per-chat budgets shared by sends and
edits, groups 20 a minute, bulk new messages ~30 a second, answerCallbackQuery free, HTTP 429
with retry_after over a limit), and so are the counters of 429s and of unanswered callback
queries. Added here: the benchmark is told when a chat shows new buttons (to time each answer),
and when the bot first polls (to time its start).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.auxil.emulator import Emulator
from tests.auxil.fakes import BotApi
from tests.auxil.flood import TelegramLimits

__all__ = ["BenchEmulator", "Shown", "WatchedApi", "limited_emulator"]

# What a person sees change: (chat id, message id, the buttons' callback data).
Shown = Callable[[int, int, list[str]], None]


@dataclass
class WatchedApi(BotApi):
    """The fake Bot API, telling ``on_shown`` about every message sent or edited."""

    on_shown: Shown | None = None

    def call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        status, body = super().call(method, params)
        if status == 200 and method in ("sendMessage", "editMessageText") and self.on_shown:
            message_id = int(body["result"]["message_id"])
            sent = self.messages[message_id]
            self.on_shown(sent.chat_id, message_id, [data for _, data in sent.buttons])
        return status, body


class BenchEmulator(Emulator):
    """The test emulator with a watched API and the moment of the first getUpdates."""

    def __init__(self, on_shown: Shown, limits: TelegramLimits | None) -> None:
        super().__init__(limits=limits)
        self.api = WatchedApi(limits=limits, on_shown=on_shown)
        self.first_poll: float | None = None  # time.monotonic() of the first getUpdates

    async def _get_updates(self, params: dict[str, Any]) -> Any:
        if self.first_poll is None:
            self.first_poll = time.monotonic()
        return await super()._get_updates(params)


def limited_emulator(on_shown: Shown, limits: bool = True) -> BenchEmulator:
    """The emulator with Telegram's documented limits (or none)."""
    return BenchEmulator(on_shown, TelegramLimits() if limits else None)
