"""A conversation's state: what the engine reads and returns, and what storage persists."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dialogs.states import State

__all__ = ["Owner", "Session"]


class Owner(StrEnum):
    """Who answers the person: the bot, or a person (waited for, or answering)."""

    BOT = "bot"
    WAITING = "waiting"  # asked for a person; nobody has taken the case yet
    STAFF = "staff"  # a staff member took the case: the bot stays silent
    HANDED_BACK = "handed_back"  # the bot answers again, after a staff member

    @property
    def held(self) -> bool:
        """Whether a person owns the chat (the bot relays instead of answering)."""
        return self in (Owner.WAITING, Owner.STAFF)


@dataclass(slots=True)
class Session:
    """One person's conversation; the engine returns a changed copy, never mutates its input.

    ``path`` is the stack of questions answered, in order: it is what ``back`` pops and what the
    review card lists. ``answers`` may hold answers off the current path (kept as defaults).
    """

    user: str
    state: State = State.LANGUAGE
    locale: str = "en"
    answers: dict[str, str] = field(default_factory=dict)
    path: list[str] = field(default_factory=list)
    consented: bool = False
    resume: State | None = None  # where /language or /delete returns to
    editing: bool = False  # an answer is being changed from the review card
    region: str | None = None  # the region page of the prefecture question
    strikes: int = 0  # free texts in a row that the bot could not place
    content_version: str | None = None
    outcome: str | None = None
    owner: Owner = Owner.BOT
    notify: bool = False  # asked to be told if updated content changes their outcome

    def copy(self) -> Session:
        """A deep enough copy for the engine to change freely."""
        return dataclasses.replace(self, answers=dict(self.answers), path=list(self.path))

    def effective_answers(self) -> dict[str, str]:
        """The answers on the current path, plus the one being asked (if already given)."""
        keep = [*self.path, self.state.value]
        return {q: self.answers[q] for q in keep if q in self.answers}

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict for storage."""
        # Written out: dataclasses.asdict deep-copies recursively and was a quarter of a
        # commit's time (bench/README.md).
        return {
            "user": self.user,
            "state": self.state.value,
            "locale": self.locale,
            "answers": dict(self.answers),
            "path": list(self.path),
            "consented": self.consented,
            "resume": self.resume.value if self.resume else None,
            "editing": self.editing,
            "region": self.region,
            "strikes": self.strikes,
            "content_version": self.content_version,
            "outcome": self.outcome,
            "owner": self.owner.value,
            "notify": self.notify,
        }

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Session:
        """Rebuild a session stored by :meth:`to_record`; unknown keys are ignored."""
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["state"] = State(values.get("state", State.LANGUAGE))
        values["resume"] = State(values["resume"]) if values.get("resume") else None
        values["owner"] = Owner(values.get("owner", Owner.BOT))
        return cls(**values)
