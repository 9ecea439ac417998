"""The translators' tools: check's rules, stats, preview, and the CLI that runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import icu
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.config import LOCALES_DIR
from bot.i18n import Catalogs
from bot.i18n.tools.check import BUTTON_COLUMNS, check_catalog, visible_length
from bot.i18n.tools.stats import locale_stats, reviewers
from tests.auxil import ROOT


def _catalog_file(tmp_path: Path, locale: str, entries: list[tuple[str | None, str, str]]) -> Path:
    catalog = Catalog(locale=locale.split("_", maxsplit=1)[0])
    for context, msgid, msgstr in entries:
        catalog.add(msgid, msgstr, context=context, flags=("draft",) if msgstr else ())
    path = tmp_path / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    return path


def _faults(
    tmp_path: Path, locale: str, context: str | None, msgid: str, msgstr: str
) -> list[str]:
    path = _catalog_file(tmp_path, locale, [(context, msgid, msgstr)])
    return [p.fault for p in check_catalog(path, Catalog())]


@pytest.mark.parametrize(
    ("context", "msgid", "msgstr", "fault"),
    [
        (None, "Hello {name}", "Xin chào {ten}", "placeholders differ"),
        (None, "Hello", "<i>Xin chào</i>", "HTML"),
        (None, "Hello", "<b>Xin chào", "HTML"),
        (None, "Hello", "Xin chào < bạn", "HTML"),
        (None, "Hello and bye", "Xin chào & tạm biệt", "bare &"),
        ("button", "Yes", "Có " * 30, "button label of"),
        (None, "Hello", "x" * 4097, "text over 4096"),
        (None, "Please send it today", "Please send it today", "unchanged copy"),
        (None, "Hello", "", "missing"),
    ],
)
def test_check_finds_each_kind_of_fault(
    tmp_path: Path, context: str | None, msgid: str, msgstr: str, fault: str
) -> None:
    faults = _faults(tmp_path, "vi", context, msgid, msgstr)
    assert any(f.startswith(fault) for f in faults), faults


def test_check_finds_zawgyi_burmese(tmp_path: Path) -> None:
    unicode_text = "မြန်မာစာ ကို ဖတ်နိုင်ပါသလား"
    zawgyi = icu.Transliterator.createInstance("my-Zawgyi").transliterate(unicode_text)
    assert "Burmese in the Zawgyi encoding (use Unicode)" in _faults(
        tmp_path, "my", None, "Can you read Burmese?", zawgyi
    )
    assert _faults(tmp_path / "ok", "my", None, "Can you read Burmese?", unicode_text) == []


def test_check_accepts_good_entries_and_proper_names(tmp_path: Path) -> None:
    assert (
        _faults(tmp_path, "vi", None, "Hello <b>{name}</b> &amp; co", "Chào <b>{name}</b>") == []
    )
    assert _faults(tmp_path / "a", "id", "prefecture", "Tokyo", "Tokyo") == [], "one word"


def test_visible_length_skips_combining_marks() -> None:
    thai = "ไม่ใช่ ยังไม่มี"  # vowel and tone marks sit on their consonants
    assert visible_length(thai) < len(thai)
    assert visible_length("a" * BUTTON_COLUMNS) == BUTTON_COLUMNS


def test_stats_count_drafts_and_reviewers(tmp_path: Path) -> None:
    path = _catalog_file(
        tmp_path, "vi", [(None, "One", "Một"), (None, "Two", ""), (None, "3", "3")]
    )
    text = path.read_text(encoding="utf-8").replace('#, draft\nmsgid "3"', 'msgid "3"')
    path.write_text("# Reviewed-By: Lan <lan@example.org>, 2026-12-01\n" + text, encoding="utf-8")
    stats = locale_stats(path)
    assert (stats.entries, stats.translated, stats.reviewed) == (3, 2, 1)
    assert stats.reviewers == ("Lan <lan@example.org>, 2026-12-01",)
    assert reviewers("# Review status: drafted\n# `Reviewed-By: Name` here") == ()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "i18n", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_stats_cli_lists_every_shipped_locale_then_sentence_lengths() -> None:
    done = _cli("stats")
    assert done.returncode == 0, done.stderr
    table, _, sentences = done.stdout.partition("\n\n")
    listed = {line.split()[0] for line in table.splitlines()[1:]}
    assert listed == set(Catalogs(LOCALES_DIR).available)
    header = next(line for line in sentences.splitlines() if "ja_easy" in line)
    assert header.split() == ["ja_easy", "ja"], "Easy Japanese beside plain Japanese"
    for row in ("sentences", "over 30 characters", "over 50 characters", "longest", "mean length"):
        assert any(line.startswith(row) for line in sentences.splitlines()), row
    assert "longest in ja_easy: " in sentences


def test_check_cli_prints_rules_and_the_widest_button_of_every_locale() -> None:
    done = _cli("check")
    lines = done.stdout.splitlines()
    start = lines.index(f"widest button label per locale (at most {BUTTON_COLUMNS} columns):")
    widest = {
        line.split()[0]: int(line.split()[1])
        for line in lines[start + 1 : -1]
        if not line.startswith("note:")
    }
    assert set(widest) == set(Catalogs(LOCALES_DIR).available)
    assert lines[-1].endswith(" problem(s)")
    assert done.returncode == (0 if lines[-1] == "0 problem(s)" else 1)


def test_preview_renders_every_outcome_in_the_language(tmp_path: Path) -> None:
    out = tmp_path / "km.html"
    done = _cli("preview", "--lang", "km", "--out", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and 'lang="km"' in page
    tr = Catalogs(LOCALES_DIR).translator("km")
    question = tr.format("Why did your job or training end?", None, {})
    assert question in page and question != "Why did your job or training end?"
    assert page.count("<h2>Result: ") >= 10, "every outcome, several ways"
    assert "Every other text" in page


def test_preview_in_markdown_and_unknown_language() -> None:
    done = _cli("preview", "--lang", "ja-easy", "--format", "md")
    assert done.returncode == 0 and done.stdout.startswith("# Tsunagu in ja_easy")
    assert "> [" in done.stdout, "buttons shown"
    unknown = _cli("preview", "--lang", "xx")
    assert unknown.returncode == 2 and "unknown language" in unknown.stderr
