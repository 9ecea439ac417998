"""What one event changes, as a value: the store commits each one (with others) in one go."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.storage.cases import CaseIntent
from bot.storage.payloads import Message, StaffPayload
from dialogs.session import Session

__all__ = ["Change", "HistoryEntry", "Outgoing"]


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One step, as ids."""

    event: str
    from_state: str
    to_state: str
    question: str | None = None
    option: str | None = None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message owed to a person (stored in the outbox as ``message_to_json``)."""

    message: Message


@dataclass(slots=True)
class Change:
    """Everything one event changes, committed together."""

    user: str
    at: dt.datetime
    session: Session | None = None  # upsert (a consented conversation)
    erase: bool = False  # delete every row about the user first
    history: HistoryEntry | None = None
    outbox: Sequence[Outgoing] = ()
    update_id: int | None = None
    sent: Sequence[str] = ()  # outbox ids delivered since
    blocked: bool = False  # Telegram said 403: stop sending
    unblock: bool = False  # they wrote again
    staff_posts: Sequence[tuple[int, StaffPayload]] = ()  # (case id, post) for the group
    cases: Sequence[CaseIntent] = ()  # cases the turn opens or closes, with the session
    feedback: Sequence[tuple[str, str, tuple[str, ...]]] = ()  # (locale, screen, msgids)
    bot_messages: Sequence[tuple[str, int, int]] = ()  # (user, chat id, message id) sent
    ids: list[str] = field(default_factory=list)  # outbox ids assigned on commit
