"""A real PTB Application with the recording request layer, and a scripted person's phone."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.conversation import Clock, utc_now
from bot.telegram.application import build_application, start_channel
from bot.telegram.channel import TelegramChannel
from bot.telegram.limiter import TelegramRateLimiter
from bot.telegram.runner import process_batch
from tests.auxil.fakes import TOKEN, BotApi, RecordingRequest, Sent, button_update, text_update


def settings_for(tmp_path: Path, **extra: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'tg.db'}", TELEGRAM_BOT_TOKEN=TOKEN, **extra
    )


# Button presses from the role question to the field, for a trainee who lost their job.
TITP_TO_CARE = (
    "a:role:applicant",
    "a:status:titp",
    "a:situation:lost_job",
    "a:cause:bankruptcy",
    "a:wish_ssw:yes",
    "a:contract:yes",
    "a:field:care",
)


@dataclass
class Harness:
    api: BotApi
    application: Application[Any, Any, Any, Any, Any, Any]
    channel: TelegramChannel

    async def feed(self, update: dict[str, Any]) -> None:
        """Process one update to the end (sequentially), its button's spinner answered too."""
        self.api.heard(update)
        await self.application.process_update(Update.de_json(update, self.application.bot))
        await self.channel.spinners_answered()

    async def burst(self, updates: list[dict[str, Any]]) -> None:
        """Handle updates as one batch from getUpdates, the way the poller does."""
        bot = self.application.bot
        for update in updates:
            self.api.heard(update)
        await process_batch(self.application, [Update.de_json(u, bot) for u in updates])
        await self.channel.spinners_answered()

    def phone(self, user_id: int, language: str = "en") -> Phone:
        return Phone(self, user_id, language)


async def wait_for(done: Callable[[], bool], timeout: float = 20.0) -> None:
    async def poll() -> None:
        while not done():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


async def start_harness(
    tmp_path: Path,
    rate_limiter: bool | TelegramRateLimiter = False,
    api: BotApi | None = None,
    clock: Clock = utc_now,
    **settings_extra: Any,
) -> Harness:
    api = api or BotApi()
    settings = settings_for(tmp_path, **settings_extra)
    application = build_application(
        settings, request=RecordingRequest(api), rate_limiter=rate_limiter
    )
    await application.initialize()
    channel = await start_channel(application, settings, clock)
    if channel.telling is not None:  # tests read the chats once the change notices are out
        await channel.telling
    await application.start()
    return Harness(api, application, channel)


async def stop_harness(harness: Harness) -> None:
    await harness.application.stop()
    await harness.channel.close()
    await harness.application.shutdown()


@dataclass
class Phone:
    """What one person sees and does in their private chat."""

    harness: Harness
    user_id: int
    language: str

    @property
    def messages(self) -> list[Sent]:
        return self.harness.api.chat(self.user_id)

    @property
    def last(self) -> Sent:
        return self.messages[-1]

    def text(self) -> str:
        return "\n".join(m.text for m in self.messages)

    async def send(self, text: str) -> None:
        update = text_update(self.user_id, text, self.language)
        self.harness.api.wrote(self.user_id, update["message"]["message_id"], text)
        await self.harness.feed(update)

    async def press(self, data: str, message: Sent | None = None) -> None:
        """Press the button with this callback data on the newest message that has it."""
        holder = message or next(
            (m for m in reversed(self.messages) if data in [d for _, d in m.buttons]), None
        )
        assert holder is not None, f"no button {data!r} on screen"
        await self.harness.feed(
            button_update(self.user_id, data, holder.message_id, self.language)
        )

    async def answer_all(self, *pairs: str) -> None:
        for data in pairs:
            await self.press(data)


Script = Callable[[Phone], Awaitable[None]]
