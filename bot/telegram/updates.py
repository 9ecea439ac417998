"""Reads a Telegram update into an Event: only private chats, ids and ids only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram import Message, Update
from telegram.constants import ChatType

from bot.i18n.burmese import to_unicode
from dialogs import actions
from dialogs.events import Command, CommandName, Event, Start, Text, Unsupported, command_word

__all__ = ["Incoming", "read_update", "user_key"]

Negotiate = Callable[[str | None], str | None]
# What a message can carry besides text, named in logs and answered with "I can only read text".
_MEDIA = (
    "sticker",
    "photo",
    "voice",
    "video",
    "video_note",
    "animation",
    "audio",
    "document",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
)
_COMMANDS = {c.value for c in CommandName}


@dataclass(frozen=True, slots=True)
class Incoming:
    """What the channel needs from one update."""

    user: str
    chat_id: int
    event: Event
    callback_id: str | None = None
    button_message_id: int | None = None  # the message whose button was pressed
    message_id: int | None = None  # the person's own message (relayed to staff when held)

    @property
    def origin(self) -> tuple[int, int] | None:
        """(chat id, message id) of the person's message, for relaying it."""
        return (self.chat_id, self.message_id) if self.message_id is not None else None


def user_key(telegram_user_id: int) -> str:
    """The storage key of a Telegram user."""
    return f"tg:{telegram_user_id}"


def read_update(update: Update, negotiate: Negotiate) -> Incoming | None:
    """The event in ``update``, or None when the bot must not answer (groups, channels, …)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        return None
    key, hint = user_key(user.id), negotiate(user.language_code)
    query = update.callback_query
    if query is not None:
        event: Event = actions.parse(query.data or "") or Unsupported("button")
        message_id = query.message.message_id if query.message else None
        return Incoming(key, chat.id, event, query.id, message_id)
    if update.edited_message is not None:
        return Incoming(key, chat.id, Unsupported("edited"))
    if update.message is not None:
        event = _message_event(update.message, hint)
        return Incoming(key, chat.id, event, message_id=update.message.message_id)
    return None


def _message_event(message: Message, hint: str | None) -> Event:
    text = message.text
    if text is None:
        kind = next((k for k in _MEDIA if getattr(message, k, None)), "other")
        return Unsupported(kind)
    name = command_word(text)
    if name is not None:
        if name == "start":
            return Start(hint)
        if name in _COMMANDS:
            return Command(CommandName(name))
    return Text(to_unicode(text))  # Zawgyi Burmese becomes Unicode before any matching
