"""When the content changes: who would now get another outcome, and telling those who asked."""

from __future__ import annotations

from dialogs.actions import answer_data
from dialogs.messages import N_, NP_, Data, Msg
from dialogs.replies import Button, Reply, ReplyKind

__all__ = ["NOTIFY_OPTION", "changed_notice", "notify_button", "notify_confirmed"]

NOTIFY_OPTION = "notify"  # a:result:notify


def notify_button() -> Button:
    """Under a result: ask to be told if updated information changes it (opt-in)."""
    label = Msg(NP_("button", "🔔 Tell me if this changes"), context="button")
    return Button(answer_data("result", NOTIFY_OPTION), label)


def notify_confirmed(retention_days: int) -> Reply:
    """After the person opted in."""
    text = N_(
        "We will tell you here if updated information changes your result. Your answers are "
        "kept for this until {days} days after your last message; /delete erases them and "
        "stops it."
    )
    return Reply(ReplyKind.NOTICE, (Msg.of(text, days=Data(str(retention_days))),))


def changed_notice() -> Msg:
    """The first line of a result sent again because the information changed."""
    return Msg(
        N_(
            "<b>Your result has changed.</b> The information this bot uses was updated, and with "
            "your answers the result is now different. Here it is:"
        )
    )
