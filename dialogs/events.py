"""What can happen to a conversation, as frozen values built by the channels."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Answer",
    "Command",
    "CommandName",
    "ContentUpdated",
    "Event",
    "StaffMove",
    "StaffMoved",
    "Start",
    "Text",
    "Unclear",
    "Unsupported",
    "command_word",
]


def command_word(text: str) -> str | None:
    """``/Staff@tsunagu_bot now`` -> ``"staff"`` (``""`` for a bare ``/``); None if no command."""
    if not text.startswith("/"):
        return None
    words = text[1:].split(maxsplit=1)
    return words[0].split("@")[0].lower() if words else ""


class CommandName(StrEnum):
    """Commands accepted anywhere in the conversation."""

    BACK = "back"
    RESTART = "restart"
    LANGUAGE = "language"
    STAFF = "staff"
    HELP = "help"
    DELETE = "delete"
    MYDATA = "mydata"
    BOT = "bot"  # leave the queue or the staff member and go back to the bot


class StaffMove(StrEnum):
    """What a staff member did with the person's case."""

    TAKEN = "taken"
    HANDED_BACK = "handed_back"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Start:
    """First contact or /start; ``locale_hint`` is the locale the channel suggests."""

    locale_hint: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """A button press (or its typed equivalent): an option id for a question id."""

    question: str
    option: str


@dataclass(frozen=True, slots=True)
class Text:
    """Free text typed by the person."""

    text: str


@dataclass(frozen=True, slots=True)
class Command:
    """One of the commands available anywhere."""

    name: CommandName


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Something the bot cannot read (sticker, photo, voice, …); ``kind`` names it for logs."""

    kind: str


@dataclass(frozen=True, slots=True)
class Unclear:
    """The person pressed "Unclear translation?" under the screen named ``screen``."""

    screen: str


@dataclass(frozen=True, slots=True)
class ContentUpdated:
    """The content changed since this person's screening was decided (sent at start-up)."""


@dataclass(frozen=True, slots=True)
class StaffMoved:
    """A staff member took, handed back or closed the person's case."""

    move: StaffMove


Event = Start | Answer | Text | Command | Unsupported | Unclear | StaffMoved | ContentUpdated
