"""Handing a conversation to a person and back: the signals the engine gives the staff desk."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dialogs.actions import answer_data, command_data
from dialogs.events import CommandName
from dialogs.messages import N_, NP_, Msg
from dialogs.replies import Button, Reply, ReplyKind

__all__ = [
    "STRIKES_BEFORE_PERSON",
    "Handoff",
    "Reason",
    "Signal",
    "back_to_bot_button",
    "held_notice",
    "show_result_button",
]

# Free texts in a row the bot could not place before a person is asked to help.
STRIKES_BEFORE_PERSON = 3


class Signal(StrEnum):
    """What the staff desk must do after a step."""

    OPEN = "open"  # open a case: the person now waits for staff
    RELAY = "relay"  # pass the person's message to the staff member
    REMIND = "remind"  # the person asked again: tell them their place in the queue
    WITHDRAW = "withdraw"  # the person went back to the bot: the case is closed


class Reason(StrEnum):
    """Why a case was opened (shown to staff on the case card)."""

    ASKED = "asked"
    FREE_TEXT = "free_text"


@dataclass(frozen=True, slots=True)
class Handoff:
    """A signal for the staff desk, with the reason when a case opens."""

    signal: Signal
    reason: Reason | None = None


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
