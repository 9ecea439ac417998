"""Scripted ways through the screening: answer sets reaching every outcome, and the walk itself.

Used by `tsunagu simulate`, the translators' preview and the tests; pure (no IO, no rendering).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from dialogs.engine import Engine, Step
from dialogs.events import Answer, Start
from dialogs.states import State

__all__ = ["DEFAULTS", "SCENARIOS", "Scenario", "SimulationError", "walk"]

# Answers assumed unless given: the person agrees, is an applicant and confirms the review.
DEFAULTS = {"privacy": "agree", "role": "applicant", "review": "confirm"}
_MAX_STEPS = 50  # the longest screening has 13 questions; more means no progress


class SimulationError(ValueError):
    """An unknown question or option id (the CLI exits 2)."""


def walk(engine: Engine, locale: str, given: Mapping[str, str]) -> Iterator[Step]:
    """Each step of a screening answered from ``given`` (plus DEFAULTS), up to the result."""
    answers = {**DEFAULTS, "language": locale, **given}
    step = engine.step(engine.new_session("simulate"), Start(locale))
    for _ in range(_MAX_STEPS):
        yield step
        state = step.session.state
        if state in (State.RESULT, State.DECLINED) or state.value not in answers:
            return
        step = engine.step(step.session, Answer(state.value, answers[state.value]))
        if step.session.state is state and state is not State.PREFECTURE:
            raise SimulationError(
                f"option {answers[state.value]!r} is not valid for {state.value!r} here"
            )


@dataclass(frozen=True, slots=True)
class Scenario:
    """A named way through the screening and the outcome it must reach."""

    name: str
    outcome: str
    answers: Mapping[str, str]


_TITP = {"status": "titp", "situation": "lost_job", "cause": "bankruptcy", "wish_ssw": "yes"}

SCENARIOS = (
    Scenario(
        "change of status, care, Kanagawa",
        "apply_change_of_status",
        {**_TITP, "contract": "yes", "field": "care", "prefecture": "kanagawa"},
    ),
    Scenario(
        "change of status, manufacturing after Technical Intern Training No. 2",
        "apply_change_of_status",
        {
            **_TITP,
            "contract": "yes",
            "field": "electronics",
            "manufacturing_basis": "titp2_related",
            "prefecture": "aichi",
        },
    ),
    Scenario(
        "matching support, trainee who cannot go home",
        "matching_support",
        {
            "status": "titp",
            "situation": "cannot_return",
            "wish_ssw": "yes",
            "contract": "no",
            "field": "agriculture",
            "prefecture": "tokyo",
        },
    ),
    Scenario(
        "matching support, Specified Skilled Worker",
        "matching_support",
        {
            "status": "ssw",
            "situation": "lost_job",
            "cause": "downsizing",
            "wish_ssw": "yes",
            "contract": "no",
            "field": "food_service",
            "prefecture": "osaka",
        },
    ),
    Scenario(
        "extension after a year",
        "extension",
        {"status": "retention", "situation": "one_year_cannot_return", "prefecture": "okinawa"},
    ),
    Scenario(
        "report on acceptance difficulties",
        "report_difficulty",
        {"status": "retention", "situation": "employer_cannot_keep", "prefecture": "hokkaido"},
    ),
    Scenario("not eligible: another status", "not_eligible", {"status": "other"}),
    Scenario(
        "not eligible: not because of COVID-19",
        "not_eligible",
        {**_TITP, "cause": "not_covid"},
    ),
    Scenario(
        "not eligible: field not covered",
        "not_eligible",
        {**_TITP, "contract": "yes", "field": "other_field"},
    ),
    Scenario(
        "not eligible: manufacturing without the required background",
        "not_eligible",
        {
            **_TITP,
            "contract": "yes",
            "field": "industrial_machinery",
            "manufacturing_basis": "neither",
        },
    ),
    Scenario(
        "not eligible: manufacturing is closed to an engineer",
        "not_eligible",
        {**_TITP, "status": "engineer", "contract": "yes", "field": "electronics"},
    ),
    Scenario(
        "change of status, manufacturing after working as a Specified Skilled Worker there",
        "apply_change_of_status",
        {
            **_TITP,
            "status": "ssw",
            "contract": "yes",
            "field": "materials_processing",
            "manufacturing_basis": "ssw_same_field",
            "prefecture": "osaka",
        },
    ),
    Scenario(
        "not sure whether manufacturing is open",
        "unsure",
        {**_TITP, "contract": "yes", "field": "electronics", "manufacturing_basis": "unsure"},
    ),
    Scenario("not sure of the status", "unsure", {"status": "unsure"}),
    Scenario("an employer", "employer_info", {"role": "employer"}),
)
