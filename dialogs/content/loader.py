"""Reads and validates the YAML content files into a :class:`Content` (fails naming the fault)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from dialogs.content.model import (
    AddressAlternative,
    Confidence,
    Content,
    Document,
    Fact,
    Field,
    Headquarters,
    Helpline,
    Office,
    Phone,
    Prefecture,
    Programme,
    Provenance,
    Region,
    SourceDate,
)

__all__ = ["DEFAULT_DIR", "NOT_RECORDED", "ContentError", "load_content"]

DEFAULT_DIR = Path(__file__).parent
_FILES = ("programme", "fields", "offices", "prefectures", "documents", "helplines")


class ContentError(ValueError):
    """A content file is missing a fact, its provenance, or refers to an unknown id."""


def load_content(directory: Path = DEFAULT_DIR) -> Content:
    """Load every content file from ``directory`` and check that they fit together."""
    raw = {name: _read(directory / f"{name}.yaml") for name in _FILES}
    facts = _Facts()
    offices = {o["id"]: _office(o, facts) for o in raw["offices"]["offices"]}
    offices_page = _offices_page(raw["offices"], facts)
    prefectures = raw["prefectures"]
    facts.add("prefectures", "prefectures", "office mapping", _provenance(prefectures))
    content = Content(
        programme=_programme(raw["programme"], facts),
        fields=tuple(_field(f, facts) for f in raw["fields"]["fields"]),
        offices=offices,
        regions=tuple(Region(r["id"], r["label"]) for r in prefectures["regions"]["list"]),
        prefectures=tuple(_prefecture(p) for p in prefectures["prefectures"]),
        documents=tuple(_document(d, facts) for d in raw["documents"]["documents"]),
        helplines=tuple(_helpline(h, facts) for h in raw["helplines"]["helplines"]),
        offices_page=offices_page,
        facts=tuple(facts.items),
    )
    _check_references(content)
    return content


class _Facts:
    """Collects every provenance read, with where it stands, for `tsunagu content check`."""

    def __init__(self) -> None:
        self.items: list[Fact] = []

    def add(self, file: str, fact_id: str, field: str, provenance: Provenance) -> Provenance:
        """Record a fact of ``file`` (a content file's stem) and return its provenance."""
        self.items.append(Fact(f"{file}.yaml", fact_id, field, provenance))
        return provenance


def _read(path: Path) -> Mapping[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc
    if not isinstance(data, Mapping):
        raise ContentError(f"{path.name}: expected a mapping at the top")
    return data


def _provenance(item: Mapping[str, Any], where: object = None) -> Provenance:
    where = where or item.get("id", item.get("label", "?"))
    for key in ("source", "confidence", "verified_on"):
        if item.get(key) in (None, ""):
            raise ContentError(f"{where}: missing {key!r}")
    verified = item["verified_on"]
    if not isinstance(verified, dt.date):
        raise ContentError(f"{where}: verified_on must be a date (YYYY-MM-DD)")
    # source_date is recorded where a review dated the source; without it the fact is listed
    # by `tsunagu content check` as undated.
    raw_date = item.get("source_date")
    source_date = NOT_RECORDED if raw_date is None else _source_date(raw_date, where)
    return Provenance(str(item["source"]), Confidence(item["confidence"]), verified, source_date)


NOT_RECORDED = SourceDate("not recorded", None, None)
_PERIOD = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def _source_date(value: object, where: object) -> SourceDate:
    """Parse ``2021-07-01`` | ``2021-07`` | ``2014`` | ``before X`` | ``after X`` | ``unknown``."""
    if isinstance(value, dt.date):  # YAML reads an unquoted YYYY-MM-DD as a date
        return SourceDate(value.isoformat(), value, value)
    text = str(value).strip()
    if text == "unknown":
        return SourceDate(text, None, None)
    bound, _, period = text.rpartition(" ")
    span = _period(period)
    if span is None or bound not in ("", "before", "after"):
        raise ContentError(
            f"{where}: source_date must be YYYY-MM-DD, YYYY-MM, YYYY, 'before …', 'after …' "
            f"or 'unknown', not {text!r}"
        )
    first, last = span
    if bound == "before":
        return SourceDate(text, None, first - dt.timedelta(days=1))
    if bound == "after":  # from the start of the period on: the cautious reading
        return SourceDate(text, first, None)
    return SourceDate(text, first, last)


def _period(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    match = _PERIOD.fullmatch(text)
    if match is None:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None  # the pattern requires it
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        exact = dt.date(year, month, day)
    except ValueError:
        return None
    return exact, exact


def _field(f: Mapping[str, Any], facts: _Facts) -> Field:
    provenance = facts.add("fields", f["id"], "field", _provenance(f))
    return Field(f["id"], f["label"], f["name_ja"], bool(f["manufacturing"]), provenance)


def _office(o: Mapping[str, Any], facts: _Facts) -> Office:
    oid = o["id"]
    raw_phone = o.get("phone")
    # A plain number shares the address's source; a mapping carries its own.
    shared = raw_phone is not None and not isinstance(raw_phone, Mapping)
    provenance = facts.add(
        "offices", oid, "address, phone" if shared else "address", _provenance(o)
    )
    phone: Phone | None = None
    if shared:
        phone = Phone(str(raw_phone), provenance)
    elif raw_phone is not None:
        phone = _phone(raw_phone, oid, "phone", facts)
    alternatives = tuple(
        _phone(alt, oid, f"phone_alternatives[{i}]", facts)
        for i, alt in enumerate(o.get("phone_alternatives") or ())
    )
    if alternatives and phone is None:
        raise ContentError(f"{oid}: phone_alternatives without a phone")
    addresses = tuple(
        AddressAlternative(
            a["address_ja"],
            a["address_en"],
            facts.add(
                "offices",
                oid,
                f"address_alternatives[{i}]",
                _provenance(a, f"{oid} address_alternatives[{i}]"),
            ),
        )
        for i, a in enumerate(o.get("address_alternatives") or ())
    )
    return Office(
        oid,
        o["label"],
        o["name_ja"],
        str(o["postal_code"]),
        o["address_ja"],
        o["address_en"],
        phone,
        provenance,
        o.get("parent"),
        alternatives,
        addresses,
    )


def _phone(p: Mapping[str, Any], office_id: str, field: str, facts: _Facts) -> Phone:
    if not isinstance(p, Mapping) or not p.get("number"):
        raise ContentError(f"{office_id} {field}: expected a mapping with a number and a source")
    provenance = facts.add("offices", office_id, field, _provenance(p, f"{office_id} {field}"))
    ip_number = p.get("ip_number")
    return Phone(str(p["number"]), provenance, str(ip_number) if ip_number else None)


def _offices_page(o: Mapping[str, Any], facts: _Facts) -> str:
    page = o.get("offices_page")
    if not isinstance(page, Mapping) or not page.get("url"):
        raise ContentError("offices: offices_page must give the url of ISA's list of offices")
    facts.add("offices", "offices_page", "url", _provenance(page, "offices_page"))
    return str(page["url"])


def _prefecture(p: Mapping[str, Any]) -> Prefecture:
    return Prefecture(
        int(p["code"]),
        p["id"],
        p["label"],
        p["name_ja"],
        p["kana"],
        p["zh"],
        p["region"],
        p["office"],
    )


def _document(d: Mapping[str, Any], facts: _Facts) -> Document:
    provenance = facts.add("documents", d["id"], "document", _provenance(d))
    return Document(d["id"], d["label"], d["name_ja"], d.get("note"), d["applies_to"], provenance)


def _helpline(h: Mapping[str, Any], facts: _Facts) -> Helpline:
    operating = {"yes": True, "no": False}.get(str(h["still_operating"]))
    provenance = facts.add("helplines", h["id"], "phone, hours, languages", _provenance(h))
    return Helpline(
        h["id"],
        h["label"],
        h["name_ja"],
        str(h["phone"]),
        h.get("phone_alt"),
        str(h["hours"]),
        tuple(h["languages"]),
        operating,
        provenance,
    )


# Programme entries that are facts of their own, with what each one states.
_PROGRAMME_FACTS = {
    "official_page": "url",
    "extension": "max_months",
    "headquarters": "address",
    "granted_status": "name",
    "consent_form": "name",
    "difficulty_report": "name",
    "field_list": "fields",
}


def _programme(p: Mapping[str, Any], facts: _Facts) -> Programme:
    dates = p["dates"]
    for key, entry in dates.items():
        _programme_date(key, entry, facts)
    for key, entry in p["applications"].items():
        where = f"applications.{key}"
        facts.add("programme", where, "name", _provenance(entry, where))
    recorded = {
        key: facts.add("programme", key, field, _provenance(p[key], key))
        for key, field in _PROGRAMME_FACTS.items()
    }
    hq = p["headquarters"]
    if p.get("presented_as") not in ("open", "closed"):
        raise ContentError("programme: presented_as must be 'open' or 'closed'")
    return Programme(
        version=str(p["version"]),
        verified_on=p["verified_on"],
        presented_as_closed=p["presented_as"] == "closed",
        official_url=p["official_page"]["url"],
        started=dates["started"]["date"],
        cannot_return_from=dates["cannot_return_from"]["date"],
        cannot_return_closed_after=dates["cannot_return_closed_after"]["date"],
        extension_max_months=int(p["extension"]["max_months"]),
        change_of_status_ja=p["applications"]["change_of_status"]["name_ja"],
        extension_ja=p["applications"]["extension"]["name_ja"],
        granted_status_label=p["granted_status"]["label"],
        granted_status_ja=p["granted_status"]["name_ja"],
        consent_form_label=p["consent_form"]["label"],
        consent_form_ja=p["consent_form"]["name_ja"],
        difficulty_report_label=p["difficulty_report"]["label"],
        difficulty_report_ja=p["difficulty_report"]["name_ja"],
        headquarters=Headquarters(
            hq["label"],
            hq["name_ja"],
            str(hq["postal_code"]),
            hq["address_ja"],
            hq["address_en"],
            recorded["headquarters"],
        ),
    )


def _programme_date(key: str, entry: Mapping[str, Any], facts: _Facts) -> None:
    """Check one ``dates`` entry: a day (null if none is known), or ``month`` if only it is."""
    where = f"dates.{key}"
    provenance = _provenance(entry, where)
    if "announced" in entry and not isinstance(entry["announced"], dt.date):
        raise ContentError(f"{where}: announced must be a date (YYYY-MM-DD)")
    if "month" in entry:
        if "date" in entry or not re.fullmatch(r"\d{4}-\d{2}", str(entry["month"])):
            raise ContentError(f"{where}: month must be YYYY-MM, and no date beside it")
        facts.add("programme", where, "month", provenance)
        return
    if entry.get("date") is not None and not isinstance(entry["date"], dt.date):
        raise ContentError(f"{where}: date must be YYYY-MM-DD, or null when none is known")
    facts.add("programme", where, "date", provenance)


def _check_references(content: Content) -> None:
    region_ids = {r.id for r in content.regions}
    for pref in content.prefectures:
        if pref.office not in content.offices:
            raise ContentError(f"prefecture {pref.id}: unknown office {pref.office!r}")
        if pref.region not in region_ids:
            raise ContentError(f"prefecture {pref.id}: unknown region {pref.region!r}")
    for office in content.offices.values():
        if office.parent is not None and office.parent not in content.offices:
            raise ContentError(f"office {office.id}: unknown parent {office.parent!r}")
    codes = sorted(p.code for p in content.prefectures)
    if codes != list(range(1, 48)):
        raise ContentError("prefectures: the 47 JIS codes 1..47 must each appear once")
    for doc in content.documents:
        if doc.applies_to not in ("all", "cannot_return"):
            raise ContentError(f"document {doc.id}: applies_to must be 'all' or 'cannot_return'")
