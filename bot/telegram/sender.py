"""Sends committed replies: edits in place, retries network errors, stops at 403, marks sent."""

from __future__ import annotations

import asyncio
import functools
import logging
import warnings
from collections.abc import Sequence
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.warnings import PTBUserWarning

from bot.conversation import Clock
from bot.storage import Change, Outgoing, Store
from bot.storage.payloads import Copy, Edit, Message

__all__ = ["Sender", "quiet_raw_call_warnings"]

logger = logging.getLogger(__name__)

# Waits between attempts after a network error (429s are retried by bot/telegram/limiter.py).
_BACKOFF = (0.5, 1.0, 2.0)
# Mobile data is precious: the official page link needs no preview card.
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True).to_dict()
# Silences PTB's "use Bot.send_message" warning for the two raw calls of Sender._post, and only
# those (pyproject.toml repeats it for pytest, which puts its own filters first).
_RAW_CALLS = r"Please use 'Bot\.(sendMessage|editMessageText)'"


def quiet_raw_call_warnings() -> None:
    """Silence the raw calls' warning (called when the Application is built, not on import)."""
    warnings.filterwarnings("ignore", message=_RAW_CALLS, category=PTBUserWarning)


class Sender:
    """Delivers outbox payloads through the PTB bot, in order, for one person at a time."""

    def __init__(self, bot: Bot, store: Store, clock: Clock) -> None:
        self.bot = bot
        self.store = store
        self.clock = clock

    async def send_all(self, user: str, messages: Sequence[tuple[str | None, Outgoing]]) -> None:
        """Send in order; record what was sent, or that the person blocked the bot."""
        delivered: list[str] = []
        shown: list[tuple[str, int, int]] = []  # what /delete may remove from the chat later
        for index, (outbox_id, message) in enumerate(messages):
            try:
                message_id = await self._send(message.message)
            except Forbidden:
                rest = [i for i, _ in messages[index:] if i is not None]
                logger.info("blocked user=%s", user)
                self.store.commit_later(
                    Change(user, self.clock(), sent=[*delivered, *rest], blocked=True)
                )
                return
            except TelegramError as exc:
                # Not retryable (bad request) or retries exhausted: keep the rest for a restart.
                logger.warning("send failed user=%s error=%s", user, type(exc).__name__)
                break
            if outbox_id is not None:  # stored replies only: nothing is kept before consent
                delivered.append(outbox_id)
                if message_id is not None:
                    shown.append((user, message.message.chat_id, message_id))
        if delivered:
            self.store.mark_sent(delivered, self.clock(), shown)

    async def _send(self, message: Message) -> int | None:
        """Send with retries; the id of the message it became (None if Telegram gave none)."""
        for delay in (*_BACKOFF, None):
            try:
                return await self._call(message)
            except BadRequest:
                raise
            except NetworkError:
                if delay is None:
                    raise
                await asyncio.sleep(delay)
        return None  # pragma: no cover (the loop returns or raises)

    async def _call(self, owed: Message) -> int | None:
        if isinstance(owed, Copy):  # a staff member's message, shown as the desk's
            copied = await self.bot.copy_message(owed.chat_id, owed.from_chat_id, owed.message_id)
            return copied.message_id
        message: dict[str, Any] = {
            "chat_id": owed.chat_id,
            "text": owed.text,
            "parse_mode": ParseMode.HTML.value,
            "link_preview_options": _NO_PREVIEW,
        }
        keyboard = _keyboard(owed.keyboard)
        if keyboard is not None:
            message["reply_markup"] = keyboard
        if isinstance(owed, Edit):
            try:
                await self._post("editMessageText", {**message, "message_id": owed.message_id})
                return owed.message_id
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    return owed.message_id  # a double tap: nothing to change
                # too old to edit or deleted by the person: send it as a new message instead
        sent = await self._post("sendMessage", message)
        return int(sent["message_id"]) if isinstance(sent, dict) and "message_id" in sent else None

    async def forget(self, chat_id: int, message_ids: Sequence[int]) -> None:
        """Delete the bot's messages from a chat (Telegram allows it for 48 hours)."""
        ids = sorted(set(message_ids))
        for start in range(0, len(ids), 100):  # deleteMessages takes at most 100
            try:
                await self.bot.delete_messages(chat_id, ids[start : start + 100])
            except TelegramError as exc:  # too old or already gone: erasing goes on regardless
                logger.info("messages not deleted chat=%s error=%s", chat_id, type(exc).__name__)

    async def _post(self, method: str, api_kwargs: dict[str, Any]) -> Any:
        # The raw call goes through the same request layer, rate limiter and error mapping as
        # Bot.send_message, but skips parsing the Message Telegram sends back, which nothing
        # here reads: that parse and serializing the keyboard again were a third of an update's
        # time (bench/). PTB warns that typed methods exist: see _RAW_CALLS.
        return await self.bot.do_api_request(method, api_kwargs=api_kwargs)


@functools.lru_cache(maxsize=2048)
def _keyboard(rows: tuple[tuple[tuple[str, str], ...], ...]) -> dict[str, Any] | None:
    # The same few hundred keyboards (a question in a language) repeat for everyone: they are
    # built and serialized once, through PTB's own classes so the JSON is what PTB would send.
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    ).to_dict()
