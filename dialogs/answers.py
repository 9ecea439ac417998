"""Answers: button presses and typed text, checked against the current question and recorded."""

from __future__ import annotations

from dialogs.changes import NOTIFY_OPTION, notify_confirmed
from dialogs.counter import COUNTER_OPTION, counter_card
from dialogs.events import Answer
from dialogs.handoff import CaseReason, QueueFacts
from dialogs.held import Held
from dialogs.messages import N_, Data, Msg
from dialogs.moves import EXPIRED, Moves
from dialogs.places import PlaceIndex
from dialogs.rules import assess
from dialogs.session import Session
from dialogs.states import QUESTION_STATES, State
from dialogs.step import Step

__all__ = ["Answers"]

_NOT_CHANGEABLE = ("language", "privacy")
# Buttons under a result that do not answer a question: show it again, notify me, the card.
_RESULT_ACTIONS = ("show", NOTIFY_OPTION, COUNTER_OPTION)


class Answers:
    """Takes a pressed option or a typed answer; too many it cannot place bring a person."""

    def __init__(self, moves: Moves, held: Held, places: PlaceIndex, retention_days: int) -> None:
        self.moves = moves
        self.held = held
        self.places = places
        self.retention_days = retention_days  # told when someone asks to hear of changes

    def pressed(self, s: Session, answer: Answer) -> Step:
        """A button under a question, the review card or the result."""
        if answer.question == "privacy" and ":" in answer.option:
            s, answer = self._privacy_with_language(s, answer)
        question, option = answer.question, answer.option
        if s.state is State.RESULT and question == "result" and option in _RESULT_ACTIONS:
            return self._result_action(s, option)
        if option.startswith("change:") and question in ("review", "result"):
            if question == s.state.value:
                return self._change(s, option.removeprefix("change:"))
        elif question == s.state.value:
            if s.state is State.REVIEW and option == "confirm":
                return self.moves.finish(s)
            if s.state is State.PREFECTURE and self._is_page(option):
                s.region = option.removeprefix("region:") if option != "regions" else None
                return self.moves.ask(s)
            if option in self.moves.valid_options(s):
                return self.moves.record(s, question, option)
        return self.moves.ask(s, EXPIRED)

    def typed(self, s: Session, text: str, queue: QueueFacts | None) -> Step:
        """Text: an option typed out, a prefecture's name, or words the bot cannot place."""
        typed = text.strip()
        if s.state is State.PREFECTURE:
            return self._typed_prefecture(s, typed, queue)
        if s.state in QUESTION_STATES and typed in self.moves.valid_options(s):
            return self.moves.record(s, s.state.value, typed)
        s.strikes += 1
        if self.held.needs_person(s):
            return self.held.open_case(s, CaseReason.FREE_TEXT, queue)
        return self.moves.ask(s, N_("Please choose one of the answers below."))

    def _result_action(self, s: Session, option: str) -> Step:
        if option == NOTIFY_OPTION:  # opt in to hear of a changed outcome
            s.notify = True
            return Step(s, (notify_confirmed(self.retention_days),))
        if option == COUNTER_OPTION:  # the card in Japanese; not an answer: the session stays
            answers = s.effective_answers()
            content = self.moves.content
            return Step(s, (counter_card(assess(answers, content), answers, content),))
        return self.moves.finish(s)  # show the result again (after a staff member handed back)

    def _privacy_with_language(self, s: Session, answer: Answer) -> tuple[Session, Answer]:
        """``a:privacy:agree:vi``: the answer, and the language the notice was shown in."""
        option, _, locale = answer.option.partition(":")
        if s.state is State.LANGUAGE and not s.path and locale in self.moves.locales:
            # This process never saw their language choice (another one did): it is here.
            s = self.moves.record(s, "language", locale).session
        return s, Answer("privacy", option)

    def _is_page(self, option: str) -> bool:
        # Only "region:<id>" pages: the prefecture Hokkaido and its region share the id.
        regions = {r.id for r in self.moves.content.regions}
        region = option.removeprefix("region:")
        return option == "regions" or (region != option and region in regions)

    def _change(self, s: Session, question: str) -> Step:
        if question not in s.path or question in _NOT_CHANGEABLE:
            return self.moves.ask(s, EXPIRED)
        s.path = s.path[: s.path.index(question)]
        s.state, s.editing, s.region = State(question), True, None
        return self.moves.ask(s)

    def _typed_prefecture(self, s: Session, typed: str, queue: QueueFacts | None) -> Step:
        match = self.places.find(typed)
        if match.exact:
            return self.moves.record(s, "prefecture", match.exact)
        s.strikes += 1
        if self.held.needs_person(s):
            return self.held.open_case(s, CaseReason.FREE_TEXT, queue)
        screens = self.moves.screens
        if match.candidates:
            return Step(s, (screens.prefecture_candidates(match.candidates), screens.current(s)))
        notice = Msg.of(
            N_("I could not find a prefecture called “{text}”. Please choose your region."),
            text=Data(typed[:100]),
        )
        return self.moves.ask(s, notice)
