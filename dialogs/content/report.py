"""Lists the facts staff should verify first: weak confidence, conflicting or old sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dialogs.content.model import Confidence, Content, Fact

__all__ = [
    "SourceAges",
    "conflicting_facts",
    "low_confidence_facts",
    "source_ages",
    "years_before",
]

_WEAK = (Confidence.LOW, Confidence.UNKNOWN)


def _where(fact: Fact) -> str:
    return f"{fact.file} {fact.id} {fact.field}"


def low_confidence_facts(content: Content) -> list[str]:
    """One line per weak fact: where it is, its confidence and source."""
    return [
        f"{_where(f)}: {f.provenance.confidence.value} "
        f"(source: {f.provenance.source}; verified {f.provenance.verified_on})"
        for f in content.facts
        if f.provenance.confidence in _WEAK
    ]


def conflicting_facts(content: Content) -> list[str]:
    """One line per office whose sources disagree, with every value the bot shows."""
    lines = []
    for office in content.offices.values():
        if office.phone is not None and office.phone_alternatives:
            numbers = [office.phone.number, *(p.number for p in office.phone_alternatives)]
            lines.append(f"offices.yaml {office.id} phone: {' or '.join(numbers)}")
        if office.address_alternatives:
            addresses = [office.address_ja, *(a.address_ja for a in office.address_alternatives)]
            lines.append(f"offices.yaml {office.id} address: {' or '.join(addresses)}")
    return lines


@dataclass(frozen=True, slots=True)
class SourceAges:
    """The facts whose best source predates ``cutoff``, and those whose source has no date."""

    cutoff: dt.date
    old: list[str]
    undated: list[str]


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for a 29 February that no longer exists)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def source_ages(content: Content, max_age_years: int, today: dt.date) -> SourceAges:
    """Sort the facts by the age of their best source: older than the limit, or not known."""
    cutoff = years_before(today, max_age_years)
    old, undated = [], []
    for fact in content.facts:
        when = fact.provenance.source_date
        before = when.is_before(cutoff)
        if before is True:
            old.append(f"{_where(fact)}: source dated {when.text}")
        elif before is None:
            # An undated source, or one dated too loosely ("after 2015-04") to tell its age.
            undated.append(f"{_where(fact)}: source date {when.text}")
    return SourceAges(cutoff, old, undated)
