"""The content files: complete, consistent, and every fact with its provenance."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from bot.i18n import Catalogs
from bot.render import render, to_plain
from dialogs.content import DEFAULT_DIR, Confidence, Content, ContentError, load_content
from dialogs.content.model import Document, Field, Helpline, Office
from dialogs.questions import all_option_ids
from dialogs.rules import HQ, Outcome, assess
from dialogs.screens import Screens
from dialogs.states import State
from tests.test_rules import APPLY_DOCS


def test_every_prefecture_maps_to_an_office(content: Content) -> None:
    assert len(content.prefectures) == 47
    for pref in content.prefectures:
        assert content.office_for(pref.id) is not None, pref.id
    assert {content.office_for(p).id for p in ("kanagawa", "hyogo", "okinawa")} == {  # type: ignore[union-attr]
        "yokohama",
        "kobe",
        "naha",
    }


def test_the_offices_are_those_of_domain_md(content: Content) -> None:
    assert set(content.offices) == {
        "sapporo",
        "sendai",
        "tokyo",
        "yokohama",
        "nagoya",
        "osaka",
        "kobe",
        "hiroshima",
        "takamatsu",
        "fukuoka",
        "naha",
    }
    assert all(content.prefectures_served(o) for o in content.offices)


def test_ids_used_by_rules_exist_in_content(content: Content) -> None:
    field_ids = {
        "care",
        "building_cleaning",
        "materials_processing",
        "industrial_machinery",
        "electronics",
        "construction",
        "shipbuilding",
        "automobile_repair",
        "aviation",
        "accommodation",
        "agriculture",
        "fishery",
        "food_manufacturing",
        "food_service",
    }
    assert {f.id for f in content.fields} == field_ids
    assert content.manufacturing_fields == {
        "materials_processing",
        "industrial_machinery",
        "electronics",
    }
    assert {d.id for d in content.documents} == {*APPLY_DOCS, "confirmation_form"}
    assert all_option_ids(State.FIELD, content) == field_ids | {
        "other_field",
        "undecided",
        "unsure",
    }


def test_every_destination_an_assessment_can_name_exists(content: Content) -> None:
    for pref in content.prefectures:
        answers = {
            "role": "applicant",
            "status": "retention",
            "situation": "one_year_cannot_return",
            "prefecture": pref.id,
        }
        assert assess(answers, content).destination in content.offices
    assert HQ == "hq"


def test_every_fact_has_source_confidence_and_date(content: Content) -> None:
    facts: list[Office | Field | Document | Helpline] = [
        *content.offices.values(),
        *content.fields,
        *content.documents,
        *content.helplines,
    ]
    for fact in facts:
        assert fact.provenance.source, fact
        assert isinstance(fact.provenance.verified_on, dt.date)
        assert fact.provenance.confidence in Confidence


def test_branch_offices_are_mentioned_only_where_one_applies(
    content: Content, catalogs: Catalogs
) -> None:
    screens = Screens(content, ("en",))
    tr = catalogs.translator("en")
    base = {
        "role": "applicant",
        "situation": "lost_job",
        "cause": "bankruptcy",
        "wish_ssw": "yes",
        "field": "care",
        "prefecture": "osaka",
    }
    for status, contract, mentioned in (("titp", "yes", True), ("ssw", "no", False)):
        full = {**base, "status": status, "contract": contract}
        text = render(screens.result(assess(full, content), full), tr).text
        assert ("branch office (出張所)" in text) is mentioned, (status, contract)


def test_low_confidence_address_asks_to_confirm(content: Content, catalogs: Catalogs) -> None:
    screens = Screens(content, ("en",))
    tr = catalogs.translator("en")
    answers = {"role": "applicant", "status": "retention", "situation": "one_year_cannot_return"}
    for prefecture, warned in (("hyogo", True), ("osaka", False)):
        full = {**answers, "prefecture": prefecture}
        result = screens.result(assess(full, content), full)
        text = to_plain(render(result, tr).text)
        assert ("Please confirm it by phone" in text) is warned, prefecture
        assert assess(full, content).outcome is Outcome.EXTENSION


def _copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def test_a_fact_without_source_is_refused(tmp_path: Path) -> None:
    directory = _copy_content(tmp_path)
    path = directory / "offices.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["offices"][0]["source"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="sapporo: missing 'source'"):
        load_content(directory)


def test_a_prefecture_with_unknown_office_is_refused(tmp_path: Path) -> None:
    directory = _copy_content(tmp_path)
    path = directory / "prefectures.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("office: naha", "office: atlantis"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="okinawa: unknown office 'atlantis'"):
        load_content(directory)


def test_presenting_the_measure_as_open_is_a_content_setting(
    tmp_path: Path, catalogs: Catalogs
) -> None:
    directory = _copy_content(tmp_path)
    path = directory / "programme.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("presented_as: closed", "presented_as: open"),
        encoding="utf-8",
    )
    opened = load_content(directory)
    assert not opened.programme.presented_as_closed
    screens = Screens(opened, ("en",))
    result = screens.result(assess({"role": "applicant", "status": "other"}, opened), {})
    text = render(result, catalogs.translator("en")).text
    assert "very likely no longer accepted" not in text
    assert "no official end date" in text
