"""Languages on Telegram: tags, menus per language, Zawgyi input, translation feedback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import icu
import pytest
from sqlalchemy import select

from bot.storage.tables import FeedbackRow
from tests.auxil.fakes import STAFF_CHAT
from tests.auxil.staff_harness import ALWAYS_OPEN
from tests.auxil.telegram_harness import (
    TITP_TO_CARE,
    Harness,
    Phone,
    start_harness,
    stop_harness,
    wait_for,
)


@pytest.fixture
async def tg(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await start_harness(tmp_path)
    yield harness
    await stop_harness(harness)


async def _at_prefecture(phone: Phone, locale: str) -> None:
    await phone.send("/start")
    await phone.answer_all(f"a:language:{locale}", f"a:privacy:agree:{locale}", *TITP_TO_CARE)
    assert "a:prefecture:region:kanto" in [d for _, d in phone.last.buttons]


async def _feedback_rows(harness: Harness) -> list[Any]:
    async with harness.channel.app.store.database.engine.connect() as conn:
        return list((await conn.execute(select(FeedbackRow))).all())


@pytest.mark.parametrize(
    ("language_code", "locale", "word"),
    [
        ("zh-hans", "zh_Hans", "语言"),
        ("pt-br", "pt_BR", "idioma"),
        ("tl", "fil", "wika"),
        ("in", "id", "bahasa"),
        ("my", "my", "ဘာသာ"),
    ],
)
async def test_telegram_language_codes_pick_the_right_catalog(
    tg: Harness, language_code: str, locale: str, word: str
) -> None:
    phone = tg.phone(10, language_code)
    await phone.send("/start")
    selected = [label for label, data in phone.last.buttons if data == f"a:language:{locale}"]
    assert selected and selected[0].startswith("✓"), "the phone's language is suggested"
    assert word in phone.last.text.lower()


async def test_menus_are_registered_with_telegram_language_codes(tg: Harness) -> None:
    menus = {p.get("language_code") for p in tg.api.named("setMyCommands")}
    assert menus >= {None, "ja", "vi", "zh", "pt", "tl", "my", "km", "th", "ne", "mn", "es", "id"}
    assert all(code is None or len(code) == 2 for code in menus), "ISO 639-1 codes only"


async def test_a_prefecture_typed_in_zawgyi_burmese_is_understood(tg: Harness) -> None:
    phone = tg.phone(11, "my")
    await _at_prefecture(phone, "my")
    tokyo = tg.channel.app.catalogs.translator("my").format("Tokyo", "prefecture", {})
    zawgyi = icu.Transliterator.createInstance("my-Zawgyi").transliterate(tokyo)
    assert zawgyi != tokyo
    await phone.send(zawgyi)
    assert "a:review:confirm" in [d for _, d in phone.last.buttons], "the review card"
    assert "東京都" in phone.last.text


async def test_a_prefecture_typed_in_thai_is_understood(tg: Harness) -> None:
    phone = tg.phone(12, "th")
    await _at_prefecture(phone, "th")
    await phone.send(tg.channel.app.catalogs.translator("th").format("Osaka", "prefecture", {}))
    assert "大阪府" in phone.last.text


async def test_unclear_translation_is_stored_without_a_staff_group(tg: Harness) -> None:
    phone = tg.phone(13, "vi")
    await phone.send("/start")
    await phone.answer_all("a:language:vi", "a:privacy:agree:vi", "a:role:applicant")
    assert "f:status" in [d for _, d in phone.last.buttons], "offered under every question"
    await phone.press("f:status")
    thanks = tg.channel.app.catalogs.translator("vi").format(
        "Thank you. We told our team that this screen is hard to understand in your "
        "language, so a translator can fix it. You can continue below.",
        None,
        {},
    )
    assert thanks in phone.text()
    assert "a:status:titp" in [d for _, d in phone.last.buttons], "the same question again"
    rows = await _feedback_rows(tg)
    assert [(r.locale, r.screen) for r in rows] == [("vi", "status")]
    assert "What is your status of residence (在留資格)?" in " ".join(rows[0].msgids)


async def test_english_screens_have_no_translation_button(tg: Harness) -> None:
    phone = tg.phone(14, "en")
    await phone.send("/start")
    await phone.answer_all("a:language:en", "a:privacy:agree:en")
    assert not [d for _, d in phone.last.buttons if d.startswith("f:")]


async def test_unclear_translation_reaches_the_staff_group_in_japanese(tmp_path: Path) -> None:
    harness = await start_harness(tmp_path, TSUNAGU_STAFF_CHAT_ID=STAFF_CHAT, **ALWAYS_OPEN)
    try:
        phone = harness.phone(15, "vi")
        await phone.send("/start")
        await phone.answer_all("a:language:vi", "a:privacy:agree:vi", "a:role:applicant")
        await phone.press("f:status")

        def general_posts() -> list[str]:
            return [m.text for m in harness.api.chat(STAFF_CHAT)]

        await wait_for(lambda: bool(general_posts()))
        post = general_posts()[0]
        assert "ベトナム語" in post and "status" in post, "language named in the staff's language"
        assert "What is your status of residence" in post, "the msgids, for the translators"
        assert len(await _feedback_rows(harness)) == 1
    finally:
        await stop_harness(harness)


async def test_forged_feedback_data_is_refused_politely(tg: Harness) -> None:
    phone = tg.phone(16, "vi")
    await phone.send("/start")
    await phone.answer_all("a:language:vi", "a:privacy:agree:vi", "a:role:applicant")
    await phone.press("f:<script>", phone.last)
    assert await _feedback_rows(tg) == []
    assert "a:status:titp" in [d for _, d in phone.last.buttons]
