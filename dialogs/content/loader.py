"""Reads and validates the YAML content files into a :class:`Content` (fails naming the fault)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from dialogs.content.model import (
    Confidence,
    Content,
    Document,
    Field,
    Headquarters,
    Helpline,
    Office,
    Prefecture,
    Programme,
    Provenance,
    Region,
)

__all__ = ["DEFAULT_DIR", "ContentError", "load_content"]

DEFAULT_DIR = Path(__file__).parent
_FILES = ("programme", "fields", "offices", "prefectures", "documents", "helplines")


class ContentError(ValueError):
    """A content file is missing a fact, its provenance, or refers to an unknown id."""


def load_content(directory: Path = DEFAULT_DIR) -> Content:
    """Load every content file from ``directory`` and check that they fit together."""
    raw = {name: _read(directory / f"{name}.yaml") for name in _FILES}
    offices = {o["id"]: _office(o) for o in raw["offices"]["offices"]}
    content = Content(
        programme=_programme(raw["programme"]),
        fields=tuple(_field(f) for f in raw["fields"]["fields"]),
        offices=offices,
        regions=tuple(Region(r["id"], r["label"]) for r in raw["prefectures"]["regions"]["list"]),
        prefectures=tuple(_prefecture(p) for p in raw["prefectures"]["prefectures"]),
        documents=tuple(_document(d) for d in raw["documents"]["documents"]),
        helplines=tuple(_helpline(h) for h in raw["helplines"]["helplines"]),
    )
    _check_references(content)
    return content


def _read(path: Path) -> Mapping[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc
    if not isinstance(data, Mapping):
        raise ContentError(f"{path.name}: expected a mapping at the top")
    return data


def _provenance(item: Mapping[str, Any]) -> Provenance:
    where = item.get("id", item.get("label", "?"))
    for key in ("source", "confidence", "verified_on"):
        if item.get(key) in (None, ""):
            raise ContentError(f"{where}: missing {key!r}")
    verified = item["verified_on"]
    if not isinstance(verified, dt.date):
        raise ContentError(f"{where}: verified_on must be a date (YYYY-MM-DD)")
    return Provenance(str(item["source"]), Confidence(item["confidence"]), verified)


def _field(f: Mapping[str, Any]) -> Field:
    return Field(f["id"], f["label"], f["name_ja"], bool(f["manufacturing"]), _provenance(f))


def _office(o: Mapping[str, Any]) -> Office:
    return Office(
        o["id"],
        o["label"],
        o["name_ja"],
        str(o["postal_code"]),
        o["address_ja"],
        o["address_en"],
        o.get("phone"),
        _provenance(o),
        o.get("parent"),
    )


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


def _document(d: Mapping[str, Any]) -> Document:
    return Document(
        d["id"], d["label"], d["name_ja"], d.get("note"), d["applies_to"], _provenance(d)
    )


def _helpline(h: Mapping[str, Any]) -> Helpline:
    operating = {"yes": True, "no": False}.get(str(h["still_operating"]))
    return Helpline(
        h["id"],
        h["label"],
        h["name_ja"],
        str(h["phone"]),
        h.get("phone_alt"),
        str(h["hours"]),
        tuple(h["languages"]),
        operating,
        _provenance(h),
    )


def _programme(p: Mapping[str, Any]) -> Programme:
    dates = p["dates"]
    for key in ("started", "cannot_return_from", "cannot_return_closed_after"):
        _provenance({"id": key, **dates[key]})
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
            _provenance(hq),
        ),
    )


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
