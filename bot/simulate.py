"""Scripted runs: walk the real engine with given answers and report the outcome as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import Catalogs
from bot.i18n.render import render, to_plain
from dialogs.engine import Engine, Step
from dialogs.questions import REVIEW_LABELS, all_option_ids
from dialogs.scenarios import DEFAULTS, SimulationError, walk
from dialogs.states import State

__all__ = [
    "DECLINED",
    "DEFAULTS",
    "Simulation",
    "SimulationError",
    "parse_answers",
    "simulate",
]

# The outcome id of a run that declined the privacy notice (general information only).
DECLINED = "declined"


@dataclass
class Simulation:
    """What a scripted run produced."""

    locale: str
    outcome: str | None = None
    reasons: list[str] = field(default_factory=list)
    destination: str | None = None
    documents: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    pending: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON object printed by ``tsunagu simulate --json``."""
        data = dict(self.__dict__)
        if self.pending is None:
            data.pop("pending")
        return data


def parse_answers(pairs: list[str], engine: Engine) -> dict[str, str]:
    """``QUESTION=OPTION`` strings to a dict, rejecting ids the flow does not know."""
    answers: dict[str, str] = {}
    for pair in pairs:
        question, sep, option = pair.partition("=")
        if not sep:
            raise SimulationError(f"expected QUESTION=OPTION, got {pair!r}")
        if question not in _QUESTIONS:
            raise SimulationError(f"unknown question {question!r}")
        if option not in _known_options(question, engine):
            raise SimulationError(f"unknown option {option!r} for question {question!r}")
        answers[question] = option
    return answers


_QUESTIONS = {"language", "privacy", "review", *REVIEW_LABELS}


def _known_options(question: str, engine: Engine) -> frozenset[str]:
    if question == "language":
        return frozenset(engine.locales)
    if question == "review":
        return frozenset({"confirm"})
    return all_option_ids(State(question), engine.content)


def simulate(
    engine: Engine, catalogs: Catalogs, locale: str, given: Mapping[str, str]
) -> Simulation:
    """Answer each question the flow asks from ``given`` (plus DEFAULTS) until a result."""
    result = Simulation(locale=locale)
    step = None
    for step in walk(engine, locale, given):
        _collect(step, catalogs, result)
        state = step.session.state
        if state not in (State.RESULT, State.DECLINED):
            if state.value in {**DEFAULTS, "language": locale, **given}:
                result.asked.append(state.value)
            else:
                result.pending = state.value
    if step is not None and step.session.state is State.DECLINED:
        # Not an outcome of the rules: the person saw general information and nothing was
        # stored. It has its own id so that a scripted run reaching it succeeds.
        result.outcome = DECLINED
    elif step is not None and step.assessment is not None:
        a = step.assessment
        result.outcome, result.reasons = a.outcome.value, [r.value for r in a.reasons]
        result.destination, result.documents = a.destination, list(a.documents)
    return result


def _collect(step: Step, catalogs: Catalogs, result: Simulation) -> None:
    for reply in step.replies:  # in the reply's own locale when it names one (the counter card)
        tr = catalogs.translator(reply.locale or step.session.locale)
        result.messages.append(to_plain(render(reply, tr).text))
