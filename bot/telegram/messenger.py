"""The one way out to Telegram: every message, keyboard and topic goes through :class:`Messenger`.

Applicants' replies (the outbox, through ``Sender``) and the staff group's posts (the desk's
pacer) share one keyboard builder, one 4096-character splitter and one retry policy: network
errors are retried here; a bad request or a 403 is raised to the caller, which knows what it
means (a person blocked the bot; the bot left the staff group).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.warnings import PTBUserWarning

from bot.i18n.render import split_text
from bot.storage.payloads import Copy, Edit, Keyboard, Message

__all__ = ["Messenger", "parts", "quiet_raw_call_warnings"]

logger = logging.getLogger(__name__)

# Waits between attempts after a network error (429s are retried by bot/telegram/limiter.py).
_BACKOFF = (0.5, 1.0, 2.0)
# Mobile data is precious: a link in an applicant's message needs no preview card.
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True).to_dict()
# Silences PTB's "use Bot.send_message" warning for the two raw calls of Messenger._post, and
# only those (pyproject.toml repeats it for pytest, which puts its own filters first).
_RAW_CALLS = r"Please use 'Bot\.(sendMessage|editMessageText)'"
_HTML = ParseMode.HTML.value
_T = TypeVar("_T")


def quiet_raw_call_warnings() -> None:
    """Silence the raw calls' warning (called when the Application is built, not on import)."""
    warnings.filterwarnings("ignore", message=_RAW_CALLS, category=PTBUserWarning)


def parts(text: str, keyboard: Keyboard = ()) -> list[tuple[str, Keyboard]]:
    """A text as Telegram takes it: parts of at most 4096 characters, buttons under the last."""
    chunks = split_text(text)
    return [(chunk, keyboard if n == len(chunks) else ()) for n, chunk in enumerate(chunks, 1)]


class Messenger:
    """Calls the Bot API for every message Tsunagu sends, edits, copies or deletes."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    # -- messages ---------------------------------------------------------------------------------

    async def deliver(self, owed: Message) -> int | None:
        """An outbox message; the id of the message it became (None if Telegram gave none)."""
        if isinstance(owed, Copy):  # a staff member's message, shown as the desk's
            return await self.copy(owed.chat_id, owed.from_chat_id, owed.message_id)
        if isinstance(owed, Edit):
            return await self.edit(owed.chat_id, owed.message_id, owed.text, owed.keyboard)
        return await self.send(owed.chat_id, owed.text, owed.keyboard)

    async def send(
        self,
        chat_id: int,
        text: str,
        keyboard: Keyboard = (),
        *,
        thread_id: int | None = None,
        previews: bool = False,
    ) -> int | None:
        """One HTML message of at most 4096 characters (see :func:`parts`); its id.

        ``previews``: let Telegram show link preview cards (the staff group's posts always did).
        """
        message = _html(chat_id, text, keyboard, previews)
        if thread_id is not None:
            message["message_thread_id"] = thread_id
        sent = await _retrying(lambda: self._post("sendMessage", message))
        return int(sent["message_id"]) if isinstance(sent, dict) and "message_id" in sent else None

    async def post(
        self, chat_id: int, text: str, keyboard: Keyboard = (), *, thread_id: int | None = None
    ) -> None:
        """A text of any length to the staff group, in parts (the keyboard under the last)."""
        for chunk, buttons in parts(text, keyboard):
            await self.send(chat_id, chunk, buttons, thread_id=thread_id, previews=True)

    async def edit(
        self, chat_id: int, message_id: int, text: str, keyboard: Keyboard
    ) -> int | None:
        """Replace a message's text and buttons; sent anew when it can no longer be edited."""
        message = {**_html(chat_id, text, keyboard), "message_id": message_id}
        try:
            await _retrying(lambda: self._post("editMessageText", message))
            return message_id
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return message_id  # a double tap: nothing to change
            # too old to edit or deleted by the person: send it as a new message instead
        return await self.send(chat_id, text, keyboard)

    async def copy(
        self, chat_id: int, from_chat_id: int, message_id: int, *, thread_id: int | None = None
    ) -> int:
        """Copy a message (a staff member's to a person, a person's to their case's topic)."""
        copied = await _retrying(
            lambda: self.bot.copy_message(
                chat_id, from_chat_id, message_id, message_thread_id=thread_id
            )
        )
        return copied.message_id

    async def forget(self, chat_id: int, message_ids: Sequence[int]) -> None:
        """Delete the bot's messages from a chat (Telegram allows it for 48 hours)."""
        ids = sorted(set(message_ids))
        for start in range(0, len(ids), 100):  # deleteMessages takes at most 100
            try:
                await self.bot.delete_messages(chat_id, ids[start : start + 100])
            except TelegramError as exc:  # too old or already gone: erasing goes on regardless
                logger.info("messages not deleted chat=%s error=%s", chat_id, type(exc).__name__)

    # -- the staff group's topics and button answers ----------------------------------------------

    async def open_topic(self, chat_id: int, name: str) -> int:
        """A new forum topic; its thread id."""
        topic = await _retrying(lambda: self.bot.create_forum_topic(chat_id, name))
        return topic.message_thread_id

    async def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """Delete a forum topic with everything in it."""
        await _retrying(lambda: self.bot.delete_forum_topic(chat_id, thread_id))

    async def answer(self, callback_id: str, text: str | None = None) -> None:
        """Stop a button's spinner; with ``text``, shown as an alert (at most 200 characters)."""
        try:
            if text is None:
                await self.bot.answer_callback_query(callback_id)
            else:
                await self.bot.answer_callback_query(callback_id, text[:200], show_alert=True)
        except TelegramError as exc:  # too old (over 15 min) or already answered: harmless
            logger.info("callback not answered: %s", type(exc).__name__)

    async def _post(self, method: str, api_kwargs: dict[str, Any]) -> Any:
        # The raw call goes through the same request layer, rate limiter and error mapping as
        # Bot.send_message, but skips parsing the Message Telegram sends back, which nothing
        # here reads: that parse and serializing the keyboard again were a third of an update's
        # time (bench/). PTB warns that typed methods exist: see _RAW_CALLS.
        return await self.bot.do_api_request(method, api_kwargs=api_kwargs)


async def _retrying(call: Callable[[], Awaitable[_T]]) -> _T:
    """``call``, again after a network error (up to three times); other errors are raised."""
    for delay in _BACKOFF:
        try:
            return await call()
        except BadRequest:
            raise  # a subclass of NetworkError in PTB, but never worth repeating
        except NetworkError:
            await asyncio.sleep(delay)
    return await call()


def _html(chat_id: int, text: str, keyboard: Keyboard, previews: bool = False) -> dict[str, Any]:
    message: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": _HTML}
    if not previews:
        message["link_preview_options"] = _NO_PREVIEW
    markup = _keyboard(keyboard)
    if markup is not None:
        message["reply_markup"] = markup
    return message


@functools.lru_cache(maxsize=2048)
def _keyboard(rows: Keyboard) -> dict[str, Any] | None:
    # The same few hundred keyboards (a question in a language) repeat for everyone: they are
    # built and serialized once, through PTB's own classes so the JSON is what PTB would send.
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    ).to_dict()
