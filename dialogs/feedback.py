"""Translation feedback: the "unclear translation?" button and what it records about a screen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dialogs.messages import N_, NP_, Msg
from dialogs.replies import Button, Reply, ReplyKind

__all__ = [
    "FEEDBACK_PREFIX",
    "Feedback",
    "feedback_button",
    "feedback_thanks",
    "parse_feedback",
    "screen_msgids",
]

FEEDBACK_PREFIX = "f"
_MAX_SCREEN = 40  # the screen name inside the 64-byte callback data


@dataclass(frozen=True, slots=True)
class Feedback:
    """A person found a screen hard to understand in their language."""

    screen: str
    msgids: tuple[str, ...]


def feedback_button(screen: str) -> Button:
    """The small button under a screen in a translated language."""
    label = Msg(NP_("button", "Unclear translation?"), context="button")
    return Button(f"{FEEDBACK_PREFIX}:{screen[:_MAX_SCREEN]}", label)


def parse_feedback(data: str) -> str | None:
    """The screen named by feedback button data, or ``None``."""
    kind, sep, screen = data.partition(":")
    if kind != FEEDBACK_PREFIX or not sep or not 0 < len(screen) <= _MAX_SCREEN:
        return None
    if not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in screen):
        return None
    return screen


def feedback_thanks() -> Reply:
    """What the person is told after pressing the button."""
    text = Msg(
        N_(
            "Thank you. We told our team that this screen is hard to understand in your "
            "language, so a translator can fix it. You can continue below."
        )
    )
    return Reply(ReplyKind.NOTICE, (text,))


def screen_msgids(replies: Iterable[Reply]) -> tuple[str, ...]:
    """The catalog ids of every text on a screen, for the translators."""
    ids: list[str] = []
    for reply in replies:
        ids.extend(text.msgid for text in reply.texts)
        for row in reply.buttons:
            ids.extend(b.label.msgid for b in row if isinstance(b.label, Msg))
    return tuple(dict.fromkeys(ids))


# Shown to staff in the staff group.
STAFF_REPORT = N_("Translation feedback: {language}, screen “{screen}”. Texts on that screen:")
