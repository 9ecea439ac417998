"""Catalogs: complete for every shipped locale, negotiated like Telegram tags, safe to format."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.config import LOCALES_DIR
from bot.i18n import Catalogs
from bot.i18n.render import render, to_plain
from bot.i18n.tools.commands import check_catalog, check_pot_current, pot_path
from dialogs.messages import Date, LanguageName, Msg, Term
from dialogs.replies import Reply, ReplyKind
from tests.conftest import SHIPPED


def test_the_shipped_locales_are_available(catalogs: Catalogs) -> None:
    assert set(SHIPPED) <= set(catalogs.available)


@pytest.mark.parametrize("locale", SHIPPED)
def test_catalog_is_complete_with_identical_placeholders(locale: str) -> None:
    with pot_path(LOCALES_DIR).open("rb") as handle:
        template = read_po(handle)
    problems = check_catalog(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po", template)
    assert [str(p) for p in problems] == []


def test_committed_template_is_current() -> None:
    assert [str(p) for p in check_pot_current(LOCALES_DIR)] == []


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("vi", "vi"),
        ("ja", "ja"),
        ("en", "en"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("VI", "vi"),
        ("ja-JP", "ja"),
        ("ja-easy", "ja_easy"),
        ("ja_easy", "ja_easy"),
        ("zh-hans", "zh_Hans"),
        ("zh-CN", "zh_Hans"),
        ("zh", "zh_Hans"),
        ("zh-TW", "zh_Hans"),
        ("pt-br", "pt_BR"),
        ("pt", "pt_BR"),
        ("fil", "fil"),
        ("tl", "fil"),
        ("my", "my"),
        ("id", "id"),
        ("in", "id"),
        ("es-MX", "es"),
        ("mn", "mn"),
        ("km", "km"),
        ("th", "th"),
        ("ne", "ne"),
        ("xx", None),
        ("", None),
        (None, None),
    ],
)
def test_negotiation_of_telegram_language_codes(
    catalogs: Catalogs, tag: str | None, expected: str | None
) -> None:
    assert catalogs.negotiate(tag) == expected


def _one(msg: Msg | LanguageName | Date, catalogs: Catalogs, locale: str) -> str:
    params = {"x": msg} if not isinstance(msg, Msg) else {}
    reply = Reply(ReplyKind.NOTICE, (msg if isinstance(msg, Msg) else Msg("{x}", params),))
    return to_plain(render(reply, catalogs.translator(locale)).text)


@pytest.mark.parametrize(
    ("code", "name"), [("vi", "Tiếng Việt"), ("ja", "日本語"), ("en", "English")]
)
def test_language_names_in_their_own_script(catalogs: Catalogs, code: str, name: str) -> None:
    assert _one(LanguageName(code), catalogs, "en") == name


@pytest.mark.parametrize(
    ("locale", "text"),
    [("en", "September 7, 2020"), ("ja", "2020年9月7日"), ("vi", "7 tháng 9 năm 2020")],
)
def test_dates_in_the_locale(catalogs: Catalogs, locale: str, text: str) -> None:
    assert _one(Date(dt.date(2020, 9, 7)), catalogs, locale) == text


def test_broken_translation_falls_back_and_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales, ignore=shutil.ignore_patterns("*.mo"))
    po = locales / "vi" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('msgid "Phone: {phone}"')
    end = text.index("\n\n", start)
    po.write_text(
        text[:start] + 'msgid "Phone: {phone}"\nmsgstr "Điện thoại: {telefon}"' + text[end:],
        encoding="utf-8",
    )
    catalogs = Catalogs(locales)
    with caplog.at_level(logging.WARNING, logger="bot.i18n"):
        shown = _one(Msg.of("Phone: {phone}", phone=Msg("123")), catalogs, "vi")
    assert shown == "Phone: 123"
    assert "broken translation locale=vi" in caplog.text


def test_missing_mo_files_are_compiled_on_demand(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales, ignore=shutil.ignore_patterns("*.mo"))
    catalogs = Catalogs(locales)
    assert (locales / "ja" / "LC_MESSAGES" / "messages.mo").exists()
    assert catalogs.translator("ja").format("I'm not sure", "option", {}) != "I'm not sure"


@pytest.mark.parametrize(
    ("locale", "shown"),
    [
        ("vi", "Trung tâm Hỗ trợ Lưu trú (FRESCヘルプデスク)"),
        ("zh_Hans", "Trung tâm Hỗ trợ Lưu trú（FRESCヘルプデスク）"),  # no spaces: full-width
        ("ja", "FRESCヘルプデスク"),
    ],
)
def test_official_terms_beside_a_translation(catalogs: Catalogs, locale: str, shown: str) -> None:
    term = Term(Msg("Trung tâm Hỗ trợ Lưu trú", context="helpline"), "FRESCヘルプデスク")
    reply = Reply(ReplyKind.NOTICE, (Msg.of("{x}", x=term),))
    assert to_plain(render(reply, catalogs.translator(locale)).text) == shown


def test_a_label_that_already_names_the_official_term_is_not_given_it_twice(
    catalogs: Catalogs,
) -> None:
    term = Term(Msg("FRESC ヘルプデスク（しごと）", context="helpline"), "FRESCヘルプデスク")
    reply = Reply(ReplyKind.NOTICE, (Msg.of("{x}", x=term),))
    assert (
        to_plain(render(reply, catalogs.translator("ja_easy")).text)
        == "FRESC ヘルプデスク（しごと）"
    )
