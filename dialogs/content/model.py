"""Typed, frozen views of the content files: every fact keeps its source and verification date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "AddressAlternative",
    "Confidence",
    "Content",
    "Document",
    "Fact",
    "Field",
    "Headquarters",
    "Helpline",
    "Office",
    "Phone",
    "Prefecture",
    "Programme",
    "Provenance",
    "Region",
    "SourceDate",
]


class Confidence(StrEnum):
    """How sure the project is of a fact (shared/reference's scale)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SourceDate:
    """When a fact's best source was written, as precisely as it is known.

    ``text`` is as written in the file (``2021-07-01``, ``2021-07``, ``2014``, ``before 2012``,
    ``after 2015-04``, ``unknown``); ``earliest`` and ``latest`` bound the day (None: no bound).
    """

    text: str
    earliest: dt.date | None
    latest: dt.date | None

    def is_before(self, day: dt.date) -> bool | None:
        """True if the source surely predates ``day``, False if surely not, None if unknown."""
        if self.latest is not None and self.latest < day:
            return True
        if self.earliest is not None and self.earliest >= day:
            return False
        return None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact comes from, when its source was written and when it was last compared.

    ``verified_on`` records a comparison with the project's notes or reviews, not a re-opening
    of the source (facts review §6); ``source_date`` is the date of the best source itself.
    """

    source: str
    confidence: Confidence
    verified_on: dt.date
    source_date: SourceDate


@dataclass(frozen=True, slots=True)
class Fact:
    """One sourced statement of a content file: where it is, what it covers, its provenance."""

    file: str
    id: str
    field: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Field:
    """A Specified Skilled Worker field; ``manufacturing`` marks Note 1's three fields."""

    id: str
    label: str
    name_ja: str
    manufacturing: bool
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Phone:
    """A telephone number as one source gives it (an office's may come from another source)."""

    number: str
    provenance: Provenance
    # Navi-dial (0570) numbers cannot be called from IP phones or from abroad.
    ip_number: str | None = None


@dataclass(frozen=True, slots=True)
class AddressAlternative:
    """An address another source gives where the sources disagree."""

    address_ja: str
    address_en: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Office:
    """A bureau or district office that takes applications.

    ``provenance`` is that of the address; ``phone_alternatives`` and ``address_alternatives``
    hold the other values when sources disagree and none is more credible.
    """

    id: str
    label: str
    name_ja: str
    postal_code: str
    address_ja: str
    address_en: str
    phone: Phone | None
    provenance: Provenance
    parent: str | None = None
    phone_alternatives: tuple[Phone, ...] = ()
    address_alternatives: tuple[AddressAlternative, ...] = ()


@dataclass(frozen=True, slots=True)
class Region:
    """A group of prefectures used to pick one with few buttons."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Prefecture:
    """One of the 47 prefectures, with the spellings a person may type."""

    code: int
    id: str
    label: str
    name_ja: str
    kana: str
    zh: str
    region: str
    office: str


@dataclass(frozen=True, slots=True)
class Document:
    """An item of the change-of-status checklist; ``applies_to`` is ``all`` or a ground."""

    id: str
    label: str
    name_ja: str
    note: str | None
    applies_to: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Helpline:
    """A telephone service for foreign residents."""

    id: str
    label: str
    name_ja: str
    phone: str
    phone_alt: str | None
    hours: str
    languages: tuple[str, ...]
    still_operating: bool | None
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Headquarters:
    """The agency's desk that receives consent forms."""

    label: str
    name_ja: str
    postal_code: str
    address_ja: str
    address_en: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Programme:
    """The measure's dates and presentation settings."""

    version: str
    verified_on: dt.date
    presented_as_closed: bool
    official_url: str
    started: dt.date
    cannot_return_from: dt.date
    cannot_return_closed_after: dt.date
    extension_max_months: int
    granted_status_label: str
    granted_status_ja: str
    change_of_status_ja: str
    extension_ja: str
    consent_form_label: str
    consent_form_ja: str
    difficulty_report_label: str
    difficulty_report_ja: str
    headquarters: Headquarters


@dataclass(frozen=True, slots=True)
class Content:
    """Everything the dialog shows as fact, indexed by id."""

    programme: Programme
    fields: tuple[Field, ...]
    offices: dict[str, Office]
    regions: tuple[Region, ...]
    prefectures: tuple[Prefecture, ...]
    documents: tuple[Document, ...]
    helplines: tuple[Helpline, ...]
    # ISA's list of regional offices: where a person confirms an office's address.
    offices_page: str
    facts: tuple[Fact, ...]

    def field(self, field_id: str) -> Field | None:
        """The field with this id, if it is one of the list."""
        return next((f for f in self.fields if f.id == field_id), None)

    def prefecture(self, prefecture_id: str) -> Prefecture | None:
        """The prefecture with this id."""
        return next((p for p in self.prefectures if p.id == prefecture_id), None)

    def office_for(self, prefecture_id: str) -> Office | None:
        """The office that serves a prefecture."""
        pref = self.prefecture(prefecture_id)
        return self.offices.get(pref.office) if pref else None

    def bureau_for(self, prefecture_id: str) -> Office | None:
        """The regional bureau for a prefecture (the parent of a district office)."""
        office = self.office_for(prefecture_id)
        if office is None or office.parent is None:
            return office
        return self.offices.get(office.parent)

    def prefectures_served(self, office_id: str) -> tuple[Prefecture, ...]:
        """The prefectures an office serves (a bureau: with its district offices), in JIS order."""
        return tuple(
            p
            for p in self.prefectures
            if office_id in (p.office, getattr(self.offices.get(p.office), "parent", None))
        )

    @property
    def manufacturing_fields(self) -> frozenset[str]:
        """Ids of the fields under Note 1's limit."""
        return frozenset(f.id for f in self.fields if f.manufacturing)
