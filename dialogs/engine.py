"""Engine.step(session, event) -> Step: the whole conversation logic, pure and synchronous.

This module dispatches; the parts live by concern: dialogs/moves.py (show, record, finish),
dialogs/answers.py (pressed and typed answers), dialogs/commands.py (the commands) and
dialogs/held.py (a person instead of the bot).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from dialogs.answers import Answers
from dialogs.changes import changed_notice
from dialogs.commands import Commands
from dialogs.content import Content
from dialogs.events import (
    Answer,
    Command,
    CommandName,
    ContentUpdated,
    Event,
    StaffMoved,
    Start,
    Text,
    Unclear,
    Unsupported,
)
from dialogs.feedback import Feedback, feedback_button, feedback_thanks, screen_msgids
from dialogs.flow import Flow
from dialogs.handoff import QueueFacts
from dialogs.held import UNSUPPORTED, Held
from dialogs.messages import N_
from dialogs.moves import Moves
from dialogs.mydata import StoredFacts
from dialogs.places import PlaceIndex
from dialogs.replies import ReplyKind
from dialogs.screens import Screens
from dialogs.session import Session
from dialogs.states import State
from dialogs.step import Step

__all__ = ["Engine", "Step"]

_WITH_FEEDBACK = (ReplyKind.QUESTION, ReplyKind.RESULT)
_CANNOT_READ = N_("Sorry, I can only read text and button presses.")


class Engine:
    """Turns (session, event) into a new session and replies; no IO, no clock, no Telegram."""

    def __init__(
        self,
        content: Content,
        locales: Sequence[str],
        staffed: bool = False,
        place_names: Mapping[str, Iterable[str]] | None = None,
        retention_days: int = 90,
    ) -> None:
        """``place_names``: prefecture names in the shipped languages, for typed answers."""
        self.content = content
        self.staffed = staffed  # a staff desk is connected: /staff opens a case
        self.locales = tuple(locales)
        self.flow = Flow(content)
        self.retention_days = retention_days  # told in the privacy notice and by /mydata
        self.screens = Screens(content, self.locales, retention_days)
        self.moves = Moves(content, self.locales, self.flow, self.screens)
        self.default_locale = self.moves.default_locale
        self.commands = Commands(self.moves, retention_days)
        self.held = Held(self.moves, self.commands, staffed)
        places = PlaceIndex(content.prefectures, place_names)
        self.answers = Answers(self.moves, self.held, places, retention_days)

    def new_session(self, user: str) -> Session:
        """A fresh conversation for ``user``, at the language question."""
        return self.moves.new_session(user)

    def step(
        self,
        session: Session,
        event: Event,
        stored: StoredFacts | None = None,
        queue: QueueFacts | None = None,
    ) -> Step:
        """Apply one event to a copy of ``session``.

        What only storage knows is read by the channel beforehand, so the replies come out
        complete: ``stored`` for /mydata, ``queue`` (the staff queue and office hours) for a
        step whose ``handoff`` signal is in ``ASKS_QUEUE``. Without ``queue`` such a step has
        no reply yet: the channel reads the queue and takes the step again (it is pure).
        """
        s = session.copy()
        if isinstance(event, StaffMoved):
            return self.held.staff_moved(s, event.move)
        if isinstance(event, ContentUpdated):  # whoever owns the chat: only a changed result
            return self.recheck(s) or Step(s, ())
        if s.owner.held:
            return self.held.step(s, event, stored, queue)
        return self._with_feedback_button(self._bot_step(s, event, stored, queue))

    def recheck(self, session: Session) -> Step | None:
        """After a content update: the new result, if this finished screening's outcome changed."""
        s = session.copy()
        if s.state is not State.RESULT or s.outcome is None:
            return None
        if s.content_version == self.content.programme.version:
            return None
        old = s.outcome
        step = self.moves.decide(s)
        if step.session.outcome == old:
            return None
        (reply,) = step.replies
        return replace(step, replies=(replace(reply, texts=(changed_notice(), *reply.texts)),))

    def _bot_step(  # noqa: PLR0911 (one branch per kind of event)
        self, s: Session, event: Event, stored: StoredFacts | None, queue: QueueFacts | None
    ) -> Step:
        match event:
            case Start():
                return self.commands.start(s, event.locale_hint)
            case Answer():
                return self.answers.pressed(s, event)
            case Text():
                return self.answers.typed(s, event.text, queue)
            case Command(name=CommandName.STAFF):
                return self.held.staff(s, queue)
            case Command():
                return self.commands.run(s, event.name, stored)
            case Unsupported():
                return self.moves.ask(s, UNSUPPORTED.get(event.kind, _CANNOT_READ))
            case Unclear():
                return self._unclear(s, event.screen)
        raise TypeError(f"unknown event {event!r}")  # pragma: no cover (exhaustive match)

    def _with_feedback_button(self, step: Step) -> Step:
        """Questions and results in a translated language get "Unclear translation?"."""
        s = step.session
        if s.locale == self.default_locale or s.state is State.LANGUAGE:
            return step
        button = (feedback_button(s.state.value),)
        replies = tuple(
            replace(r, buttons=(*r.buttons, button)) if r.kind in _WITH_FEEDBACK else r
            for r in step.replies
        )
        return replace(step, replies=replies)

    def _unclear(self, s: Session, screen: str) -> Step:
        current = self.screens.current(s)
        # Only the screen still shown can be listed; an older one is reported by name alone.
        msgids = screen_msgids((current,)) if screen == s.state.value else ()
        return Step(s, (feedback_thanks(), current), feedback=Feedback(screen, msgids))
