"""A person instead of the bot: /staff, free text the bot cannot place, and the held chat.

While a person waits for staff or talks to them, what they write is relayed and nothing else is
answered; the signals for the staff desk (dialogs/handoff.py) say what to do.
"""

from __future__ import annotations

from dialogs.commands import Commands
from dialogs.events import Command, CommandName, Event, StaffMove, Text, Unsupported
from dialogs.handoff import (
    STRIKES_BEFORE_PERSON,
    CaseReason,
    Handoff,
    QueueFacts,
    Signal,
    held_notice,
    show_result_button,
    waiting_reply,
)
from dialogs.messages import N_
from dialogs.moves import EXPIRED, Moves
from dialogs.mydata import StoredFacts
from dialogs.screens import notice
from dialogs.session import Owner, Session
from dialogs.states import State
from dialogs.step import Step

__all__ = ["UNSUPPORTED", "Held"]

# Unsupported kinds with their own explanation: a button that cannot be decoded (forged or from
# an old version of the bot) and an edited message (answers are read once, when sent).
UNSUPPORTED = {
    "button": EXPIRED,
    "edited": N_("I do not read edited messages. Please send your answer as a new message."),
}


class Held:
    """Opening a case, and the chat while a person owns it."""

    def __init__(self, moves: Moves, commands: Commands, staffed: bool) -> None:
        self.moves = moves
        self.commands = commands
        self.staffed = staffed  # a staff desk is connected: /staff opens a case

    def staff(self, s: Session, queue: QueueFacts | None) -> Step:
        """/staff while the bot owns the chat."""
        if not (self.staffed and s.consented):
            # Staff need the answers, which are stored only after consent.
            screens = self.moves.screens
            return Step(s, (screens.staff_unavailable(), screens.current(s)))
        return self.open_case(s, CaseReason.ASKED, queue)

    def needs_person(self, s: Session) -> bool:
        """Too many messages in a row the bot could not place."""
        return self.staffed and s.consented and s.strikes >= STRIKES_BEFORE_PERSON

    def open_case(self, s: Session, reason: CaseReason, queue: QueueFacts | None) -> Step:
        """The person now waits for staff."""
        s.owner, s.strikes = Owner.WAITING, 0
        return self._queued(s, Handoff(Signal.OPEN, reason), queue)

    def step(
        self, s: Session, event: Event, stored: StoredFacts | None, queue: QueueFacts | None
    ) -> Step:
        """A person owns the chat: relay what the person writes, answer nothing else."""
        match event:
            case Text() | Unsupported() if not _is_notice_kind(event):
                return self._relay(s, queue)
            case Command(name=CommandName.STAFF):
                return self._remind(s, queue)
            case Command(name=CommandName.MYDATA):
                return Step(s, (self.commands.mydata(s, stored),))
            case Command(name=CommandName.BOT):
                s.owner = Owner.BOT
                step = self.moves.ask(s, N_("You are back with the bot."))
                return Step(step.session, step.replies, handoff=Handoff(Signal.WITHDRAW))
            case Command(name=CommandName.DELETE):
                s.owner = Owner.BOT  # erasing needs the bot's confirmation question
                step = self.commands.delete(s)
                return Step(step.session, step.replies, handoff=Handoff(Signal.WITHDRAW))
        return Step(s, (held_notice(),))

    def staff_moved(self, s: Session, move: StaffMove) -> Step:
        """A staff member took, handed back or closed the case."""
        if not s.owner.held:
            return Step(s, ())  # the person went back to the bot first: nothing to say
        if move is StaffMove.TAKEN:
            s.owner = Owner.STAFF
            text = N_("A staff member is now answering you. Write your messages here.")
            return Step(s, (notice(text),))
        s.owner = Owner.HANDED_BACK if move is StaffMove.HANDED_BACK else Owner.BOT
        text = (
            N_("The staff member handed your conversation back to the bot.")
            if move is StaffMove.HANDED_BACK
            else N_("The staff member closed your conversation. The bot answers you again.")
        )
        if s.state is State.RESULT:  # offer the result rather than repeat a long message
            return Step(s, (notice(text, ((show_result_button(),),)),))
        return self.moves.ask(s, text)

    def _queued(self, s: Session, handoff: Handoff, queue: QueueFacts | None) -> Step:
        """The person waits for staff: their place in the queue and the office hours."""
        replies = (waiting_reply(queue, self.moves.content),) if queue is not None else ()
        return Step(s, replies, handoff=handoff)

    def _relay(self, s: Session, queue: QueueFacts | None) -> Step:
        """Pass the message on to staff; a new case if theirs was closed meanwhile."""
        if queue is not None and queue.case is None:
            return self._queued(s, Handoff(Signal.OPEN, CaseReason.ASKED), queue)
        return Step(s, (), handoff=Handoff(Signal.RELAY))

    def _remind(self, s: Session, queue: QueueFacts | None) -> Step:
        """/staff again: their place in the queue (or who has their case)."""
        if queue is not None and queue.case is None:
            return self._queued(s, Handoff(Signal.OPEN, CaseReason.ASKED), queue)
        if queue is not None and queue.taken:
            return Step(s, (held_notice(),), handoff=Handoff(Signal.REMIND))
        return self._queued(s, Handoff(Signal.REMIND), queue)


def _is_notice_kind(event: Text | Unsupported) -> bool:
    # A forged or stale button, or an edited message, is not a message for staff.
    return isinstance(event, Unsupported) and event.kind in UNSUPPORTED
