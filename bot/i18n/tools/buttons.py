"""Button labels that fit a phone: their width in columns, and the widest label of a catalog."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from babel.messages.catalog import Message

__all__ = [
    "BUTTON_COLUMNS",
    "BUTTON_CONTEXTS",
    "REVIEW_FRAME",
    "WidestLabel",
    "display_width",
    "label_width",
    "widest_label",
]

# What a one-column Telegram keyboard shows uncut on a small phone (the vi/my/ne/km review
# measured ~30 Latin letters as comfortable); an East Asian wide character takes two.
BUTTON_COLUMNS = 30
# Contexts whose text is a button label. `field` buttons also show the official Japanese name,
# after the translation, so only the translation is counted (its first words must tell fields
# apart); `review` labels are shown on "✏️ {label}" buttons.
BUTTON_CONTEXTS = frozenset({"option", "button", "field", "region", "review"})
# The frame of the review card's buttons (NP_("button", "✏️ {question}") in dialogs/screens.py),
# counted with every review label.
REVIEW_FRAME = "✏️ "
_ZERO_WIDTH = frozenset({"Mn", "Me", "Cf"})  # combining vowel and tone marks, ZWJ, selectors
_WIDE = frozenset({"W", "F"})
# A placeholder's value is a catalog entry of its own, measured there.
_PLACEHOLDER = re.compile(r"\{\w*\}")


def display_width(text: str) -> int:
    """Columns ``text`` takes: combining marks 0, East Asian wide or fullwidth 2, the rest 1."""
    width = 0
    for ch in text:
        if unicodedata.category(ch) in _ZERO_WIDTH:
            continue
        width += 2 if unicodedata.east_asian_width(ch) in _WIDE else 1
    return width


def label_width(context: str | None, text: str) -> int | None:
    """The width of a button label as shown, or None when the context is not a button."""
    if context not in BUTTON_CONTEXTS:
        return None
    shown = REVIEW_FRAME + text if context == "review" else text
    return display_width(_PLACEHOLDER.sub("", shown))


@dataclass(frozen=True, slots=True)
class WidestLabel:
    """The widest button label of one catalog."""

    width: int
    context: str
    text: str
    fuzzy: bool = False


def widest_label(messages: Iterable[Message]) -> WidestLabel | None:
    """The widest translated button label among ``messages``, fuzzy ones too (as checked)."""
    widest: WidestLabel | None = None
    for message in messages:
        text = message.string if isinstance(message.string, str) else ""
        width = label_width(message.context, text) if text else None
        if width is not None and (widest is None or width > widest.width):
            widest = WidestLabel(width, str(message.context), text, message.fuzzy)
    return widest
