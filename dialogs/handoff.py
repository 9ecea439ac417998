"""Handing a conversation to a person and back: the signals the engine gives the staff desk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from dialogs.actions import answer_data, command_data
from dialogs.blocks import helplines_block
from dialogs.content import Content
from dialogs.events import CommandName
from dialogs.messages import N_, NP_, Date, Msg, TimeOfDay, Weekday
from dialogs.replies import Button, Reply, ReplyKind

__all__ = [
    "ASKS_QUEUE",
    "STRIKES_BEFORE_PERSON",
    "CaseReason",
    "DeskHours",
    "Handoff",
    "QueueFacts",
    "Signal",
    "back_to_bot_button",
    "held_notice",
    "hours_msg",
    "show_result_button",
    "staff_button",
    "waiting_reply",
]

# Free texts in a row the bot could not place before a person is asked to help.
STRIKES_BEFORE_PERSON = 3


class Signal(StrEnum):
    """What the staff desk must do after a step."""

    OPEN = "open"  # open a case: the person now waits for staff
    RELAY = "relay"  # pass the person's message to the staff member
    REMIND = "remind"  # the person asked again: tell them their place in the queue
    WITHDRAW = "withdraw"  # the person went back to the bot: the case is closed


# The signals whose reply depends on the queue: the channel reads it (QueueFacts) for them.
ASKS_QUEUE = frozenset({Signal.OPEN, Signal.RELAY, Signal.REMIND})


class CaseReason(StrEnum):
    """Why a case was opened (shown to staff on the case card)."""

    ASKED = "asked"
    FREE_TEXT = "free_text"


@dataclass(frozen=True, slots=True)
class Handoff:
    """A signal for the staff desk, with the reason when a case opens."""

    signal: Signal
    reason: CaseReason | None = None


@dataclass(frozen=True, slots=True)
class DeskHours:
    """When staff answer: a range of weekdays (0 = Monday) and the times, in Japan time."""

    first_day: int
    last_day: int
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True, slots=True)
class QueueFacts:
    """What the staff desk knows before a step hands the chat to a person (read by the channel)."""

    case: int | None  # the person's open case, if they have one
    taken: bool  # a staff member holds that case
    position: int  # their place in the queue: the open case's, or the one a new case would take
    hours: DeskHours
    opens_next: dt.datetime | None  # when staff are at work again; None while they are


def staff_button() -> Button:
    """Ask for a person (under the questions and the result)."""
    return Button(
        command_data(CommandName.STAFF), Msg(NP_("button", "Talk to a person"), context="button")
    )


def back_to_bot_button() -> Button:
    """Leave the queue (or the staff member) and continue with the bot."""
    return Button(
        command_data(CommandName.BOT), Msg(NP_("button", "Back to the bot"), context="button")
    )


def show_result_button() -> Button:
    """Show the result again after a staff member handed the conversation back."""
    return Button(
        answer_data("result", "show"), Msg(NP_("button", "Show my result again"), context="button")
    )


def held_notice() -> Reply:
    """What a button or command gets while a person owns the chat."""
    text = Msg(
        N_(
            "A staff member is looking after your conversation. Write your message here and "
            "they will read it. To continue with the bot instead, press the button."
        )
    )
    return Reply(ReplyKind.NOTICE, (text,), ((back_to_bot_button(),),))


def hours_msg(hours: DeskHours) -> Msg:
    """The desk's hours, in the reader's language."""
    return Msg.of(
        N_("Our staff answer from {first_day} to {last_day}, {opens}–{closes} (Japan time)."),
        first_day=Weekday(hours.first_day),
        last_day=Weekday(hours.last_day),
        opens=TimeOfDay(hours.opens),
        closes=TimeOfDay(hours.closes),
    )


def waiting_reply(queue: QueueFacts, content: Content) -> Reply:
    """Told to the applicant when their case opens, or when they ask again."""
    texts = [
        Msg.of(
            N_(
                "A staff member will answer you here, in this chat. You are number {position} "
                "in the queue. You can write your question now."
            ),
            position=queue.position,
        ),
        hours_msg(queue.hours),
    ]
    if queue.opens_next is not None:
        texts.append(
            Msg.of(
                N_(
                    "Our staff are not at work now. Expect an answer from {day}, {time} (Japan "
                    "time). If it is urgent, call one of these services now:"
                ),
                day=Date(queue.opens_next.date()),
                time=TimeOfDay(queue.opens_next.time()),
            )
        )
        texts.append(helplines_block(content))
    return Reply(ReplyKind.NOTICE, tuple(texts), ((back_to_bot_button(),),))
