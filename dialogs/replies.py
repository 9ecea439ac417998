"""What the engine says: reply values with message ids and buttons carrying stable option ids."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dialogs.messages import Data, LanguageName, Msg, Term

__all__ = ["Button", "Label", "Reply", "ReplyKind"]

Label = Msg | Data | LanguageName | Term


class ReplyKind(StrEnum):
    """How a channel should present a reply."""

    QUESTION = "question"  # may replace the previous question in place
    NOTICE = "notice"  # a short message (errors, confirmations)
    RESULT = "result"  # its own message, to keep and show to someone


@dataclass(frozen=True, slots=True)
class Button:
    """A button: ``data`` is the action codec string, ``label`` is translated per recipient."""

    data: str
    label: Label
    selected: bool = False


@dataclass(frozen=True, slots=True)
class Reply:
    """One message: paragraphs of text and rows of buttons.

    ``locale``: render in this locale instead of the recipient's (the counter card is always
    Japanese, whatever language the person reads).
    """

    kind: ReplyKind
    texts: tuple[Msg, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()
    question: str | None = None
    locale: str | None = None

    @property
    def all_buttons(self) -> tuple[Button, ...]:
        """Every button, row by row."""
        return tuple(b for row in self.buttons for b in row)
