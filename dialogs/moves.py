"""Moving a session through the flow: show where it is, record an answer, finish, erase.

The engine's parts (answers, commands, the handoff) all move the session through these, so the
rules for what an answer changes live in one place.
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.content import Content
from dialogs.flow import Flow, Trigger
from dialogs.messages import N_, Msg
from dialogs.questions import options_for
from dialogs.rules import assess
from dialogs.screens import Screens, notice
from dialogs.session import Session
from dialogs.states import State
from dialogs.step import Step

__all__ = ["EXPIRED", "Moves"]

EXPIRED = N_("This menu has expired. Here is the current question.")


class Moves:
    """The session's moves that every kind of event shares."""

    def __init__(
        self, content: Content, locales: Sequence[str], flow: Flow, screens: Screens
    ) -> None:
        self.content = content
        self.locales = tuple(locales)
        self.default_locale = "en" if "en" in self.locales else self.locales[0]
        self.flow = flow
        self.screens = screens

    def new_session(self, user: str) -> Session:
        """A fresh conversation for ``user``, at the language question."""
        return Session(user=user, locale=self.default_locale)

    def ask(self, s: Session, told: str | Msg | None = None, erase: bool = False) -> Step:
        """The current question (or screen), after the notice ``told`` if there is one."""
        replies = [notice(told)] if told else []
        replies.append(self.screens.current(s))
        return Step(s, tuple(replies), erase=erase)

    def valid_options(self, s: Session) -> set[str]:
        """The option ids the current question accepts."""
        if s.state is State.LANGUAGE:
            return set(self.locales)
        return {o.id for o in options_for(s.state, s.effective_answers(), self.content)}

    def fire(self, trigger: Trigger, s: Session) -> State:
        """Where the table sends this command from the session's position."""
        return self.flow.fire(
            trigger,
            s.state,
            s.answers,
            path=s.path,
            resume=s.resume,
            consented=s.consented,
        )

    def record(self, s: Session, question: str, option: str) -> Step:
        """Take ``option`` as the answer to ``question`` and move on."""
        if s.state is State.LANGUAGE:
            s.locale = option
            if s.resume is not None:  # an aside: back to where /language was sent
                s.answers["language"] = option
                s.state, s.resume = self.flow.next_state(s.state, s.answers, s.resume), None
                return self.ask(s)
        if s.state is State.DELETE:
            return self._confirm_delete(s, option)
        withdrawn = question == "privacy" and option == "decline" and s.consented
        s.consented = s.consented or (question == "privacy" and option == "agree")
        if withdrawn:
            s.consented = False
        s.answers[question] = option
        s.path.append(question)
        s.strikes, s.region = 0, None
        step = self._advance(s)
        if withdrawn:
            return Step(step.session, step.replies, erase=True)
        return step

    def _advance(self, s: Session) -> Step:
        s.state = self.flow.next_state(s.state, s.effective_answers())
        # After a change on the review card, answers that are still valid are kept, so the
        # person is asked only what the change made necessary.
        while s.editing and s.state.value in s.answers and s.state is not State.REVIEW:
            if s.answers[s.state.value] not in self.valid_options(s):
                break
            s.path.append(s.state.value)
            s.state = self.flow.next_state(s.state, s.effective_answers())
        if s.state is State.REVIEW:
            s.editing = False
        if s.state is State.RESULT:
            return self.finish(s)
        return self.ask(s)

    def finish(self, s: Session) -> Step:
        """To the result."""
        s.state = State.RESULT
        return self.decide(s)

    def decide(self, s: Session) -> Step:
        """Assess the answers under the current content and record the outcome."""
        assessment = assess(s.effective_answers(), self.content)
        s.outcome = assessment.outcome.value
        s.content_version = self.content.programme.version
        reply = self.screens.result(assessment, s.effective_answers(), not s.notify)
        return Step(s, (reply,), assessment=assessment)

    def _confirm_delete(self, s: Session, option: str) -> Step:
        dest = self.flow.next_state(s.state, {"delete": option}, s.resume)
        if option == "no":
            s.state, s.resume = dest, None
            return self.ask(s, N_("Nothing was erased."))
        fresh = self.new_session(s.user)
        fresh.locale, fresh.state = s.locale, dest
        fresh.answers, fresh.path = {"language": s.locale}, ["language"]
        notice = N_("Everything we stored about you has been erased.")
        return self.ask(fresh, notice, erase=True)
