"""The content files: complete, consistent, and every fact with its provenance."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.i18n import Catalogs
from bot.i18n.render import _msg as _render_msg
from bot.i18n.render import render, to_plain
from dialogs.blocks import office_block
from dialogs.content import DEFAULT_DIR, Confidence, Content, ContentError, load_content
from dialogs.content.model import Document, Field, Helpline, Office
from dialogs.content.report import source_ages
from dialogs.questions import all_option_ids
from dialogs.rules import HQ, Outcome, assess
from dialogs.screens import Screens
from dialogs.states import State
from tests.auxil import ROOT
from tests.dialogs.test_rules import APPLY_DOCS


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
    # Kobe's address was confirmed by the facts review; Yokohama's street number was not.
    for prefecture, warned in (("kanagawa", True), ("hyogo", False), ("osaka", False)):
        full = {**answers, "prefecture": prefecture}
        result = screens.result(assess(full, content), full)
        text = to_plain(render(result, tr).text)
        assert ("We could not fully verify this address" in text) is warned, prefecture
        assert assess(full, content).outcome is Outcome.EXTENSION


def _copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _edited_content(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the shipped content with ``old`` replaced by ``new`` in one file."""
    directory = _copy_content(tmp_path)
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {file}: the test no longer edits anything"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return directory


def test_a_fact_without_source_is_refused(tmp_path: Path) -> None:
    directory = _copy_content(tmp_path)
    path = directory / "offices.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["offices"][0]["source"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="sapporo: missing 'source'"):
        load_content(directory)


def test_a_prefecture_with_unknown_office_is_refused(tmp_path: Path) -> None:
    directory = _edited_content(tmp_path, "prefectures.yaml", "office: naha", "office: atlantis")
    with pytest.raises(ContentError, match="okinawa: unknown office 'atlantis'"):
        load_content(directory)


def test_presenting_the_measure_as_open_is_a_content_setting(
    tmp_path: Path, catalogs: Catalogs
) -> None:
    directory = _edited_content(
        tmp_path, "programme.yaml", "presented_as: closed", "presented_as: open"
    )
    opened = load_content(directory)
    assert not opened.programme.presented_as_closed
    screens = Screens(opened, ("en",))
    result = screens.result(assess({"role": "applicant", "status": "other"}, opened), {})
    text = render(result, catalogs.translator("en")).text
    assert "very likely no longer accepted" not in text
    assert "no official end date" in text


# --- The facts review (shared/reviews/facts.md): conflicts, confidences, source dates ---------


def _office_text(content: Content, catalogs: Catalogs, office_id: str) -> str:
    """The office block as an English reader sees it."""
    tr = catalogs.translator("en")
    office = content.offices[office_id]
    return "\n".join(to_plain(_render_msg(m, tr)) for m in office_block(content, office, True))


def test_naha_is_romanized_higawa_as_japan_post_writes_it(content: Content) -> None:
    naha = content.offices["naha"]
    assert "1-15-15 Higawa, Naha" in naha.address_en
    assert "Hikawa" not in naha.address_en
    assert "api/v1/900/0022.json" in naha.provenance.source


def test_fukuoka_shows_both_phone_numbers_and_the_information_center(
    content: Content, catalogs: Catalogs
) -> None:
    fukuoka = content.offices["fukuoka"]
    assert fukuoka.phone is not None
    assert [fukuoka.phone.number, *(p.number for p in fukuoka.phone_alternatives)] == [
        "092-717-5422",
        "092-717-5420",
    ]
    assert "supportcenter/en/" in fukuoka.phone_alternatives[0].provenance.source
    assert "supportcenter/en/" not in fukuoka.phone.provenance.source
    text = _office_text(content, catalogs, "fukuoka")
    assert "Phone: 092-717-5422 / 092-717-5420 (sources differ)" in text
    assert "Immigration Information Center: 0570-013904" in text


def test_yokohama_shows_both_street_numbers_and_both_ways_to_confirm(
    content: Content, catalogs: Catalogs
) -> None:
    yokohama = content.offices["yokohama"]
    assert yokohama.provenance.confidence is Confidence.LOW
    (other,) = yokohama.address_alternatives
    assert "鳥浜町10-7" in yokohama.address_ja and "鳥浜町10-6" in other.address_ja
    assert "visaemon.jp/archives/20090317.html" in other.provenance.source
    assert other.provenance.source_date.text == "2009-03-17"
    assert "machine-generated" in yokohama.provenance.source
    text = _office_text(content, catalogs, "yokohama")
    assert "鳥浜町10-7" in text and "鳥浜町10-6" in text
    assert "Sources differ on this address" in text
    assert "Immigration Information Center (0570-013904)" in text
    assert "https://www.moj.go.jp/isa/about/region/index.html" in text


def test_no_content_file_cites_the_unreliable_github_files() -> None:
    for path in DEFAULT_DIR.glob("*.yaml"):
        data = path.read_text(encoding="utf-8")
        for file_id in ("27834906088", "53194266229"):
            # Only the warning comment of offices.yaml may name them.
            cited = [
                line
                for line in data.splitlines()
                if file_id in line and not line.lstrip().startswith("#")
            ]
            assert cited == [], (path.name, file_id)


def test_fresc_help_desk_has_the_18_languages_of_july_2021(content: Content) -> None:
    desk = next(h for h in content.helplines if h.id == "fresc_help_desk")
    assert len(desk.languages) == len(set(desk.languages)) == 18
    assert {"fr", "si", "ur", "bn"} <= set(desk.languages)
    assert desk.still_operating is None
    assert "nepemconepal.blogspot.com/2021/07/817.html" in desk.provenance.source
    assert desk.provenance.source_date.text == "2021-07"


def test_the_confirmed_addresses_are_no_longer_low(content: Content) -> None:
    for office_id in ("kobe", "takamatsu", "naha", "hiroshima"):
        office = content.offices[office_id]
        assert office.provenance.confidence is Confidence.MEDIUM, office_id
        assert "recollection" not in office.provenance.source, office_id
        assert "low" not in office.provenance.source, office_id
    assert "hyogo-ip.or.jp/jp/kurashi/juminhyo.html" in content.offices["kobe"].provenance.source
    assert "api/v1/730/0012.json" in content.offices["hiroshima"].provenance.source


def test_the_verified_phones_are_shipped_with_their_own_source(
    content: Content, catalogs: Catalogs
) -> None:
    tokyo, kobe, takamatsu = (content.offices[o] for o in ("tokyo", "kobe", "takamatsu"))
    assert tokyo.phone is not None and kobe.phone is not None and takamatsu.phone is not None
    assert (tokyo.phone.number, tokyo.phone.ip_number) == ("0570-034259", "03-5796-7234")
    assert tokyo.phone.provenance.source_date.text == "2022-05-19"
    assert kobe.phone.number == "078-391-6377"
    assert (takamatsu.phone.number, takamatsu.phone.provenance.confidence) == (
        "087-822-5852",
        Confidence.LOW,
    )
    assert content.offices["naha"].phone is None  # the only number found is too old
    assert "(from IP phones or abroad: 03-5796-7234)" in _office_text(content, catalogs, "tokyo")
    assert "087-822-5852 (may be out of date)" in _office_text(content, catalogs, "takamatsu")
    assert "Phone: 078-391-6377\n" in _office_text(content, catalogs, "kobe")


def test_the_confirmation_form_start_is_only_a_month() -> None:
    programme = yaml.safe_load((DEFAULT_DIR / "programme.yaml").read_text(encoding="utf-8"))
    entry = programme["dates"]["confirmation_form_from"]
    assert "date" not in entry  # no source states a day
    assert (entry["month"], entry["announced"]) == ("2022-06", dt.date(2022, 5, 31))
    assert entry["confidence"] == "medium"
    documents = yaml.safe_load((DEFAULT_DIR / "documents.yaml").read_text(encoding="utf-8"))
    note = next(d["note"] for d in documents["documents"] if d["id"] == "confirmation_form")
    assert "from June 2022" in note


def test_a_month_with_a_day_is_refused(tmp_path: Path) -> None:
    directory = _edited_content(tmp_path, "programme.yaml", "month: 2022-06", "month: 2022-06-01")
    with pytest.raises(ContentError, match="confirmation_form_from: month must be YYYY-MM"):
        load_content(directory)


def test_a_source_date_that_is_not_a_date_is_refused(tmp_path: Path) -> None:
    directory = _edited_content(
        tmp_path, "offices.yaml", "source_date: 2017-04-13", "source_date: soon"
    )
    with pytest.raises(ContentError, match="osaka: source_date must be"):
        load_content(directory)


@pytest.mark.parametrize(
    ("written", "earliest", "latest"),
    [
        ("2021-07", dt.date(2021, 7, 1), dt.date(2021, 7, 31)),
        ("2014", dt.date(2014, 1, 1), dt.date(2014, 12, 31)),
        ("before 2012", None, dt.date(2011, 12, 31)),
        ("after 2015-04", dt.date(2015, 4, 1), None),
        ("unknown", None, None),
    ],
)
def test_source_dates_keep_their_precision(
    tmp_path: Path, written: str, earliest: dt.date | None, latest: dt.date | None
) -> None:
    directory = _edited_content(
        tmp_path, "offices.yaml", "source_date: 2017-04-13", f'source_date: "{written}"'
    )
    when = load_content(directory).offices["osaka"].provenance.source_date
    assert (when.text, when.earliest, when.latest) == (written, earliest, latest)


def test_source_ages_sort_old_and_undated_facts(content: Content) -> None:
    ages = source_ages(content, 3, dt.date(2026, 12, 2))
    assert ages.cutoff == dt.date(2023, 12, 2)
    assert "offices.yaml osaka address, phone: source dated 2017-04-13" in ages.old
    assert "offices.yaml takamatsu phone: source dated 2014" in ages.old
    assert "offices.yaml sendai address, phone: source date unknown" in ages.undated
    assert not any("hiroshima" in line for line in ages.old)
    later = source_ages(content, 10, dt.date(2026, 12, 2))
    assert not any("osaka" in line for line in later.old)
    assert "offices.yaml naha address: source dated before 2012" in later.old


def test_a_fact_without_source_date_is_listed_as_not_recorded(tmp_path: Path) -> None:
    directory = _edited_content(tmp_path, "offices.yaml", "    source_date: 2017-04-13\n", "")
    ages = source_ages(load_content(directory), 3, dt.date(2026, 12, 2))
    assert "offices.yaml osaka address, phone: source date not recorded" in ages.undated


def _content_check(
    *args: str, content_dir: Path = DEFAULT_DIR
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "check", *args],
        cwd=ROOT,
        env={**os.environ, "TSUNAGU_CONTENT_DIR": str(content_dir)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_content_check_lists_old_sources_and_stays_a_report(tmp_path: Path) -> None:
    directory = _edited_content(
        tmp_path, "helplines.yaml", "source_date: after 2023-12", "source_date: 2019"
    )
    done = _content_check("--max-source-age-years", "5", content_dir=directory)
    assert done.returncode == 0, done.stderr
    old, _, undated = done.stdout.partition("facts whose source is undated")
    assert "facts whose best source is older than 5 years" in old
    assert (
        "helplines.yaml isa_information_center phone, hours, languages: source dated 2019" in old
    )
    assert "offices.yaml osaka address, phone: source dated 2017-04-13" in old
    assert "offices.yaml kobe address" not in old  # 2022: younger than five years
    assert "offices.yaml sendai address, phone: source date unknown" in undated
    assert "low-confidence facts to verify:" in done.stdout
    assert "offices.yaml fukuoka phone: 092-717-5422 or 092-717-5420" in done.stdout


def test_content_check_fails_only_on_invalid_content(tmp_path: Path) -> None:
    directory = _edited_content(
        tmp_path, "offices.yaml", "source_date: 2017-04-13", "source_date: soon"
    )
    assert _content_check(content_dir=directory).returncode == 2
    assert _content_check("--max-source-age-years", "-1").returncode == 2
