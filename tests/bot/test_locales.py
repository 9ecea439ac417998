"""Every shipped language: whole screenings without English, fallbacks, pseudo-locale, Zawgyi."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icu
import pytest
import yaml
from babel.dates import get_day_names, get_month_names
from babel.messages.pofile import read_po, write_po

from bot.config import LOCALES_DIR
from bot.i18n import FALLBACK, Catalogs
from bot.i18n.burmese import is_zawgyi, to_unicode
from bot.i18n.pseudo import CLOSE, OPEN, PSEUDO_LOCALE
from bot.i18n.render import render, render_label, to_plain
from bot.i18n.tools.check import read_catalog, text_of
from bot.i18n.tools.preview import sections
from dialogs.content import DEFAULT_DIR, Content
from dialogs.engine import Engine
from dialogs.messages import LanguageName
from dialogs.scenarios import SCENARIOS, walk
from tests.conftest import SHIPPED

TRANSLATED = tuple(code for code in SHIPPED if code != FALLBACK)
_PLACEHOLDER = re.compile(r"\{\w*\}|<[^<>]*>")
_WORDS = re.compile(r"[A-Za-z]{3,}")


def _english_fragments() -> set[str]:
    """Pieces of English source text long enough that no translation shares them by chance."""
    pieces: set[str] = set()
    for message in read_catalog(LOCALES_DIR / "en" / "LC_MESSAGES" / "messages.po"):
        for raw in _PLACEHOLDER.split(text_of(message.string)):
            piece = raw.strip(" \n.,:;()“”\"'")
            # Four words or more: a three-word official name ("Specified Skilled Worker") may
            # stand inside a translated sentence on purpose.
            if len(_WORDS.findall(piece)) >= 4 and "://" not in piece:
                pieces.add(piece)
    return pieces


def _verbatim(locale: str) -> set[str]:
    """Entries a translator marked as the same as the English on purpose (proper names)."""
    catalog = read_catalog(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po")
    return {text_of(m.id) for m in catalog if m.id and "verbatim" in m.flags}


def _screening_texts(engine: Engine, catalogs: Catalogs, locale: str) -> Iterator[str]:
    for part in sections(engine, catalogs, locale)[:-1]:  # the last lists the source texts
        for message in part.messages:
            yield to_plain(message.text)
            yield from (label for row in message.buttons for label, _ in row)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
@pytest.mark.parametrize("locale", SHIPPED)
def test_every_outcome_is_reached_in_every_language(
    engine: Engine, catalogs: Catalogs, locale: str, scenario: Any
) -> None:
    *_, last = walk(engine, locale, scenario.answers)
    assert last.assessment is not None and last.assessment.outcome.value == scenario.outcome
    tr = catalogs.translator(locale)
    assert all(render(reply, tr).text for reply in last.replies)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_no_english_source_text_leaks_into_a_translated_reply(
    engine: Engine, catalogs: Catalogs, locale: str
) -> None:
    fragments = _english_fragments() - _verbatim(locale)
    leaks = {
        fragment
        for text in _screening_texts(engine, catalogs, locale)
        for fragment in fragments
        if fragment in text
    }
    assert leaks == set()


def _data_words(content_dir: Path) -> set[str]:
    """Words that are data, not text to translate: addresses, URLs, phone notes, ids."""
    words: set[str] = set()

    def walk_yaml(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk_yaml(v, str(k))
        elif isinstance(node, list):
            for item in node:
                walk_yaml(item, key)
        elif isinstance(node, str) and key not in {"label", "note"}:
            words.update(_WORDS.findall(node))

    for path in content_dir.glob("*.yaml"):
        walk_yaml(yaml.safe_load(path.read_text(encoding="utf-8")))
    return words


def _unbracketed(text: str) -> str:
    # Innermost first: a translated text may hold other translated texts as parameters.
    inner = re.compile(re.escape(OPEN) + r"[^" + OPEN + CLOSE + r"]*" + re.escape(CLOSE))
    while True:
        stripped = inner.sub(" ", text)
        if stripped == text:
            return text
        text = stripped


def test_pseudo_locale_shows_no_text_that_skipped_the_catalogs(content: Content) -> None:
    catalogs = Catalogs(LOCALES_DIR, pseudo=True)
    engine = Engine(content, catalogs.available)
    allowed = _data_words(DEFAULT_DIR)
    allowed |= {w for n in get_month_names(locale="en").values() for w in _WORDS.findall(n)}
    allowed |= {w for n in get_day_names(locale="en").values() for w in _WORDS.findall(n)}
    allowed |= {"COVID", "Pšēüdø"}
    # The language menu names each language in its own script (CLDR data, not our text).
    for code in catalogs.available:
        allowed |= set(_WORDS.findall(render_label(LanguageName(code), catalogs.translator("en"))))
    unmarked = {
        word
        for text in _screening_texts(engine, catalogs, PSEUDO_LOCALE)
        for word in _WORDS.findall(_unbracketed(text))
        if word not in allowed
    }
    assert unmarked == set()


def test_pseudo_locale_brackets_every_text(content: Content) -> None:
    catalogs = Catalogs(LOCALES_DIR, pseudo=True)
    shown = catalogs.translator(PSEUDO_LOCALE).format("Yes, erase everything", "option", {})
    assert shown.startswith(OPEN) and shown.endswith(CLOSE) and "everything" not in shown
    assert PSEUDO_LOCALE not in Catalogs(LOCALES_DIR).available, "never offered to people"


def test_easy_japanese_falls_back_to_japanese_then_english(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales, ignore=shutil.ignore_patterns("*.mo"))
    path = locales / "ja_easy" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    catalog.delete("I'm not sure", context="option")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    catalogs = Catalogs(locales)
    assert catalogs.chain("ja_easy") == ["ja_easy", "ja", "en"]
    japanese = catalogs.translator("ja").format("I'm not sure", "option", {})
    easy = catalogs.translator("ja_easy").format("I'm not sure", "option", {})
    assert easy == japanese != "I'm not sure"


def test_easy_japanese_shows_the_easy_word_and_the_official_term(
    engine: Engine, catalogs: Catalogs
) -> None:
    *_, last = walk(engine, "ja_easy", SCENARIOS[0].answers)
    text = "\n".join(render(r, catalogs.translator("ja_easy")).text for r in last.replies)
    assert "（介護）" in text or "(介護)" in text, "the official field name beside the easy one"


def test_zawgyi_is_detected_and_converted() -> None:
    unicode_text = "မြန်မာစာ ကို ဖတ်နိုင်ပါသလား"
    zawgyi = icu.Transliterator.createInstance("my-Zawgyi").transliterate(unicode_text)
    assert zawgyi != unicode_text and is_zawgyi(zawgyi) and not is_zawgyi(unicode_text)
    assert to_unicode(zawgyi) == unicode_text
    assert to_unicode("Tokyo") == "Tokyo" and to_unicode("東京") == "東京"


def test_no_catalog_text_is_taken_for_zawgyi(catalogs: Catalogs) -> None:
    # Unicode Burmese must never be "converted": that would garble what people type.
    catalog = read_catalog(LOCALES_DIR / "my" / "LC_MESSAGES" / "messages.po")
    assert [m.id for m in catalog if m.id and is_zawgyi(text_of(m.string))] == []
