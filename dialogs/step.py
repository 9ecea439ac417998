"""What one event did: the value every part of the engine returns."""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.feedback import Feedback
from dialogs.handoff import Handoff
from dialogs.replies import Reply
from dialogs.rules import Assessment
from dialogs.session import Session

__all__ = ["Step"]


@dataclass(frozen=True, slots=True)
class Step:
    """What one event did: the new session, the replies owed, and whether to erase the person."""

    session: Session
    replies: tuple[Reply, ...]
    erase: bool = False
    assessment: Assessment | None = None
    handoff: Handoff | None = None
    feedback: Feedback | None = None
