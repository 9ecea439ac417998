"""The commands a person sends while the bot owns the chat (/staff is dialogs/held.py's).

Where each leads is a row of the flow table (dialogs/flow.py); this module does the bookkeeping
the table cannot: the path walked back, the answers kept, the place to resume.
"""

from __future__ import annotations

from collections.abc import Callable

from dialogs.events import CommandName
from dialogs.flow import ASIDES, Trigger
from dialogs.messages import N_
from dialogs.moves import Moves
from dialogs.mydata import StoredFacts, mydata_reply
from dialogs.replies import Reply
from dialogs.screens import HELP
from dialogs.session import Session
from dialogs.states import State
from dialogs.step import Step

__all__ = ["Commands"]


class Commands:
    """Runs one command on a session the bot owns."""

    def __init__(self, moves: Moves, retention_days: int) -> None:
        self.moves = moves
        self.retention_days = retention_days  # told by /mydata

    def start(self, s: Session, hint: str | None) -> Step:
        """/start: where they stopped, or a fresh conversation in the language Telegram gave."""
        if s.consented:
            return self.moves.ask(s, N_("Welcome back! Let's continue where you stopped."))
        fresh = self.moves.new_session(s.user)
        if hint in self.moves.locales:
            fresh.locale = hint
        return self.moves.ask(fresh)

    def run(self, s: Session, name: CommandName, stored: StoredFacts | None) -> Step:
        """Any command but /staff."""
        handlers: dict[CommandName, Callable[[Session], Step]] = {
            CommandName.BACK: self._back,
            CommandName.RESTART: self._restart,
            CommandName.LANGUAGE: self._language,
            CommandName.HELP: lambda s: self.moves.ask(s, HELP),
            CommandName.DELETE: self.delete,
            CommandName.MYDATA: lambda s: Step(s, (self.mydata(s, stored), self._current(s))),
            CommandName.BOT: self.moves.ask,  # nobody holds the chat: just show where they are
        }
        return handlers[name](s)

    def mydata(self, s: Session, stored: StoredFacts | None) -> Reply:
        """/mydata: everything stored about the person."""
        return mydata_reply(s, self.moves.screens, self.retention_days, stored)

    def delete(self, s: Session) -> Step:
        """/delete: the confirmation question (nothing to erase before consent)."""
        if not s.consented:
            return self.moves.ask(s, N_("We have not stored anything about you."))
        dest = self.moves.fire(Trigger.DELETE, s)
        if dest is not s.state:
            # From the language aside, the place it was opened from stays the one to return to.
            s.resume = s.state if s.state is not State.LANGUAGE else s.resume
            s.state = dest
        return self.moves.ask(s)

    def _current(self, s: Session) -> Reply:
        return self.moves.screens.current(s)

    def _back(self, s: Session) -> Step:
        dest = self.moves.fire(Trigger.BACK, s)
        if s.state in ASIDES and s.resume is not None:  # out of the aside
            s.state, s.resume = dest, None
            return self.moves.ask(s)
        if dest is s.state and s.path:
            # No row: a session stored by an older release whose path this table no longer
            # draws. Its path still says what was answered last.
            dest = State(s.path[-1])
        if dest is s.state:
            return self.moves.ask(s, N_("This is the first question."))
        if s.path and s.path[-1] == dest.value:  # undo the answer given last
            s.path.pop()
            s.editing, s.region = False, None
        s.state = dest
        return self.moves.ask(s)

    def _restart(self, s: Session) -> Step:
        keep = ["language", "privacy"] if s.consented else ["language"]
        s.answers = {q: s.answers[q] for q in keep if q in s.answers}
        s.path = [q for q in keep if q in s.answers]
        s.state = self.moves.fire(Trigger.RESTART, s)
        s.editing, s.region, s.outcome, s.strikes = False, None, None, 0
        return self.moves.ask(s, N_("Let's start again."))

    def _language(self, s: Session) -> Step:
        dest = self.moves.fire(Trigger.LANGUAGE, s)
        if dest is not s.state:  # not from an aside: remember where to return
            s.resume, s.state = s.state, dest
        return self.moves.ask(s)
