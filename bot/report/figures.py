"""The figures of a staff report, counted from stored rows: no ids, names or answers leave it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.storage import Database
from bot.storage.reports import report_rows
from dialogs.states import State

__all__ = ["FUNNEL", "Figures", "gather"]

# The questions in the order an applicant meets them (where people stop).
FUNNEL = tuple(
    s.value
    for s in (
        State.ROLE,
        State.STATUS,
        State.SITUATION,
        State.CAUSE,
        State.WISH_SSW,
        State.CONTRACT,
        State.FIELD,
        State.MANUFACTURING_BASIS,
        State.PREFECTURE,
        State.REVIEW,
    )
)


@dataclass
class Figures:
    """Counts for one period, from the conversations still stored (the retention window)."""

    since: dt.date
    until: dt.date
    started: Counter[dt.date] = field(default_factory=Counter)
    finished: Counter[dt.date] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    # question -> people who were asked it / who answered it; and the same per language
    reached: Counter[str] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)
    reached_by_language: dict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    answered_by_language: dict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    waits_min: list[float] = field(default_factory=list)  # minutes until a staff member took it
    still_waiting: int = 0

    def answer_rate(self, question: str, language: str | None = None) -> float | None:
        """Share of the people asked ``question`` who answered it (None: nobody was asked)."""
        reached = self.reached_by_language[language] if language else self.reached
        answered = self.answered_by_language[language] if language else self.answered
        return answered[question] / reached[question] if reached[question] else None


def _day(moment: dt.datetime) -> dt.date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).date()


async def gather(database: Database, since: dt.date, until: dt.date) -> Figures:
    """Count everything from ``since`` to ``until`` (both included, UTC days)."""
    figures = Figures(since, until)
    start = dt.datetime.combine(since, dt.time(), dt.UTC)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
    rows = await report_rows(database, start, end)
    sessions, steps, cases = rows.sessions, rows.steps, rows.cases
    language = {row.user: row.locale for row in sessions}
    for row in sessions:
        if since <= _day(row.created_at) <= until:
            figures.started[_day(row.created_at)] += 1
            figures.languages[row.locale] += 1
            if row.outcome:
                figures.outcomes[row.outcome] += 1
    _count_steps(figures, steps, language)
    for case in cases:
        if case.taken_at is not None:
            figures.waits_min.append((case.taken_at - case.opened_at).total_seconds() / 60)
        elif case.status == "waiting":
            figures.still_waiting += 1
    return figures


def _answered(step: Any) -> bool:
    # An answer that moved them on (not /back, not a region page; the review only by confirming).
    if step.from_state == State.REVIEW.value:
        return bool(step.to_state == State.RESULT.value)
    return bool(step.question == step.from_state and step.to_state != step.from_state)


def _count_steps(figures: Figures, steps: Sequence[Any], language: dict[str, str]) -> None:
    reached: set[tuple[str, str]] = set()
    answered: set[tuple[str, str]] = set()
    for step in steps:
        if step.to_state in FUNNEL:
            reached.add((step.user, step.to_state))
        if step.from_state in FUNNEL and _answered(step):
            answered.add((step.user, step.from_state))
        if step.to_state == State.RESULT.value and step.from_state == State.REVIEW.value:
            figures.finished[_day(step.at)] += 1
    for user, question in reached:
        figures.reached[question] += 1
        figures.reached_by_language[language.get(user, "?")][question] += 1
    for user, question in answered:
        figures.answered[question] += 1
        figures.answered_by_language[language.get(user, "?")][question] += 1
