"""Staff handoff through the real PTB Application: cases, topics, relaying, limits, permissions."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import Catalogs
from bot.i18n.render import TEXT_LIMIT, render
from bot.staff.pacer import WINDOW_S
from bot.storage import CaseBook, CaseStatus
from bot.storage import writer as writer_module
from bot.storage.tables import SessionRow
from dialogs.canned import canned_reply
from dialogs.content import Content
from dialogs.events import Command, CommandName
from dialogs.replies import Reply, ReplyKind
from dialogs.session import Owner
from tests.auxil.fakes import STAFF_CHAT, BotApi, group_button_update
from tests.auxil.staff_harness import (
    NGUYEN,
    SATO,
    STRANGER,
    Staff,
    at_situation,
    case_posted,
    in_staff_language,
    start_staffed,
)
from tests.auxil.telegram_harness import (
    TITP_TO_CARE,
    Harness,
    Phone,
    start_harness,
    stop_harness,
    wait_for,
)
from tests.conftest import SHIPPED


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await start_staffed(tmp_path)
    yield harness
    await stop_harness(harness)


async def test_ask_take_relay_canned_and_hand_back(desk: Harness) -> None:
    phone, sato = desk.phone(1, "vi"), Staff(desk, SATO)
    await at_situation(phone)
    await phone.send("/staff")
    waiting = phone.last
    assert "c:bot" in [d for _, d in waiting.buttons], "a way back to the bot"
    first_in_queue = _place_in_queue(desk, 1)
    assert first_in_queue in waiting.text

    await case_posted(desk, 1)
    assert desk.api.topics[sato.topic(1)] == "#1 · vi", "a case number, never a name"
    card = sato.card(1)
    assert {"s:take:1", "s:back:1", "s:close:1"} <= {d for _, d in card.buttons}
    assert "Nguyen" in card.text and "Sato" not in card.text, "on-duty staff who speak vi"
    assert "Intern" not in card.text, "the applicant's name is not on the card"

    before = len(phone.messages)
    await phone.send("Tôi bị mất việc, tôi cần giúp đỡ")
    assert len(phone.messages) == before, "the bot stays silent while a person owns the chat"
    await wait_for(lambda: any("Tôi bị mất việc" in p.text for p in sato.posts(1)))

    await sato.press("take", 1)
    assert len(phone.messages) == before + 1  # "a staff member is now answering you"
    case = await CaseBook(desk.channel.app.store.database).get(1)
    assert case is not None and case.status is CaseStatus.TAKEN and case.staff_id == SATO

    await sato.write(1, "こんにちは、サトウです。どうしましたか？")
    assert phone.last.text == "こんにちは、サトウです。どうしましたか？"
    await sato.write(1, "/note 在留カードの期限を確認すること")
    assert "在留カード" not in phone.text(), "notes stay in the staff group"

    await sato.write(1, "/reply helplines")
    session = await desk.channel.app.store.load("tg:1")
    assert session is not None
    texts = canned_reply(
        "helplines", session.effective_answers(), desk.channel.app.engine.content, False
    ).texts
    catalogs = desk.channel.app.catalogs
    expected = render(Reply(ReplyKind.NOTICE, texts), catalogs.translator("vi")).text
    assert phone.last.text == expected, "the canned reply in the applicant's language"
    in_staff_language = render(Reply(ReplyKind.NOTICE, texts), catalogs.translator("ja")).text
    await wait_for(lambda: any(in_staff_language in p.text for p in sato.posts(1)))

    await sato.press("back", 1)
    assert "a:situation:lost_job" in [d for _, d in phone.last.buttons], "the same question"
    await phone.press("a:situation:lost_job")
    assert "a:cause:bankruptcy" in [d for _, d in phone.last.buttons], "the bot answers again"


async def test_restart_while_a_person_owns_the_chat(tmp_path: Path) -> None:
    api = BotApi()
    first = await start_staffed(tmp_path, api)
    phone = first.phone(2, "vi")
    await at_situation(phone)
    await phone.send("/staff")
    await case_posted(first, 1)
    await Staff(first, SATO).press("take", 1)
    await stop_harness(first)

    second = await start_staffed(tmp_path, api)
    try:
        phone = second.phone(2, "vi")
        before = len(phone.messages)
        await phone.send("Anh còn đó không?")
        assert len(phone.messages) == before, "still with the staff member after a restart"
        await wait_for(lambda: any("Anh còn đó" in p.text for p in Staff(second, SATO).posts(1)))
        await Staff(second, SATO).press("back", 1)
        assert "a:situation:lost_job" in [d for _, d in phone.last.buttons]
    finally:
        await stop_harness(second)


async def test_people_not_on_the_roster_are_refused(
    desk: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    phone = desk.phone(3, "en")
    await at_situation(phone)
    await phone.send("/staff")
    await case_posted(desk, 1)
    stranger = Staff(desk, STRANGER)
    await stranger.press("take", 1)
    refusal = in_staff_language(desk, "Only staff on the roster can do this.")
    assert refusal != "Only staff on the roster can do this.", "the refusal is in Japanese"
    assert any(refusal in a for a in stranger.alerts())
    before = len(phone.messages)
    await stranger.write(1, "I am not staff")
    assert len(phone.messages) == before
    case = await CaseBook(desk.channel.app.store.database).get(1)
    assert case is not None and case.status is CaseStatus.WAITING
    refused = [r.getMessage() for r in caplog.records if "refused non-staff" in r.getMessage()]
    assert refused == [
        f"refused non-staff button user={STRANGER}",
        f"refused non-staff message user={STRANGER}",
    ]


async def test_simultaneous_take_one_wins_the_other_is_told(desk: Harness) -> None:
    phone = desk.phone(4, "vi")
    await at_situation(phone)
    await phone.send("/staff")
    await case_posted(desk, 1)
    card = Staff(desk, SATO).card(1)
    before = len(phone.messages)
    await desk.burst(
        [
            group_button_update(SATO, "s:take:1", card.message_id, card.thread_id),
            group_button_update(NGUYEN, "s:take:1", card.message_id, card.thread_id),
        ]
    )
    assert len(phone.messages) == before + 1, "the applicant is told once"
    case = await CaseBook(desk.channel.app.store.database).get(1)
    assert case is not None and case.staff_id in (SATO, NGUYEN)
    winner = "Sato" if case.staff_id == SATO else "Nguyen"
    alerts = Staff(desk, SATO).alerts()
    assert len(alerts) == 2 and any(winner in a for a in alerts)


async def test_hundred_requests_in_a_minute_respect_the_group_limit(tmp_path: Path) -> None:
    virtual = [0.0]

    async def sleep(seconds: float) -> None:
        virtual[0] += max(seconds, 0.0)
        await asyncio.sleep(0)

    api = BotApi(clock=lambda: virtual[0])
    harness = await start_staffed(tmp_path, api)
    pacer = harness.channel.staff.desk.pacer  # type: ignore[union-attr]
    pacer.monotonic, pacer.sleep = (lambda: virtual[0]), sleep
    try:
        phones = [harness.phone(100 + i, "vi") for i in range(100)]
        for phone in phones:
            await phone.send("/start")
            await phone.answer_all("a:language:vi", "a:privacy:agree:vi")
        await asyncio.gather(*(p.send("/staff") for p in phones))
        await wait_for(lambda: len(api.topics) == 100, timeout=60)
        # Every case's card (one may come after a second digest): wait for the cards themselves.
        await wait_for(lambda: len(_cards(api)) == 100, timeout=60)
    finally:
        await stop_harness(harness)
    stamps = [at for at, _ in _staff_calls(api)]
    busiest = max(sum(1 for t in stamps if s <= t < s + WINDOW_S) for s in stamps)
    assert busiest <= 20, f"{busiest} posts in one minute"
    digests = [
        p
        for at, (m, p) in _staff_calls(api)
        if m == "sendMessage" and "message_thread_id" not in p
    ]
    assert digests, "a digest announced the queued cases"
    assert len(_cards(api)) == 100


def _cards(api: BotApi) -> list[dict[str, Any]]:
    calls = _staff_calls(api)
    return [p for _, (m, p) in calls if m == "sendMessage" and p.get("message_thread_id")]


def _staff_calls(api: BotApi) -> list[tuple[float, tuple[str, dict[str, Any]]]]:
    return [
        (at, call)
        for at, call in zip(api.stamps, api.calls, strict=True)
        if str(call[1].get("chat_id")) == str(STAFF_CHAT)
    ]


async def test_outside_office_hours_the_applicant_gets_helplines(tmp_path: Path) -> None:
    saturday = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)  # 12:00 in Tokyo
    harness = await start_harness(
        tmp_path,
        clock=lambda: saturday,
        TSUNAGU_STAFF_CHAT_ID=STAFF_CHAT,
        TSUNAGU_OFFICE_HOURS="09:00-17:00",
        TSUNAGU_OFFICE_DAYS="mon-fri",
    )
    try:
        phone = harness.phone(5, "en")
        await at_situation(phone)
        await phone.send("/staff")
        text = phone.last.text
        assert "not at work now" in text
        assert "November 30, 2026, 9:00" in text, "Monday morning, Japan time"
        assert "Monday to Friday" in text
    finally:
        await stop_harness(harness)


async def test_free_text_the_bot_cannot_place_goes_to_a_person(desk: Harness) -> None:
    phone = desk.phone(6, "en")
    await at_situation(phone)
    for text in ("help", "my company closed", "what do I do"):
        await phone.send(text)
    session = await desk.channel.app.store.load("tg:6")
    assert session is not None and session.owner == "waiting"
    await case_posted(desk, 1)
    await wait_for(lambda: any(p.text == "what do I do" for p in Staff(desk, SATO).posts(1)))
    reason = in_staff_language(desk, "The bot could not understand the applicant's messages.")
    assert reason in Staff(desk, SATO).card(1).text


async def test_back_to_the_bot_closes_the_case(desk: Harness) -> None:
    phone = desk.phone(7, "en")
    await at_situation(phone)
    await phone.send("/staff")
    await phone.press("c:bot")
    assert "a:situation:lost_job" in [d for _, d in phone.last.buttons]
    case = await CaseBook(desk.channel.app.store.database).get(1)
    assert case is not None and case.status is CaseStatus.CLOSED
    await case_posted(desk, 1)
    closed = in_staff_language(desk, "The applicant went back to the bot. The case is closed.")
    await wait_for(lambda: any(closed in p.text for p in Staff(desk, SATO).posts(1)))


async def test_erasing_deletes_the_case_topic(desk: Harness) -> None:
    phone = desk.phone(8, "en")
    await at_situation(phone)
    await phone.send("/staff")
    await case_posted(desk, 1)
    await phone.send("/delete")
    await phone.press("a:delete:yes")
    await wait_for(lambda: not desk.api.topics)
    assert await CaseBook(desk.channel.app.store.database).get(1) is None


# What the applicant reads of the consent form's general version, and what staff are told.
BUREAU_LINE = (
    "Specified Skilled Worker (特定技能): the Regional Immigration Services Bureau for the area "
    "where you live."
)
GENERAL_SENT = "This was the general version: the applicant's answers do not fix it yet."
REFUSAL = "This canned reply does not apply to this applicant's answers."


async def _at_status(phone: Phone) -> None:
    await phone.send("/start")
    await phone.answer_all(
        f"a:language:{phone.language}", f"a:privacy:agree:{phone.language}", "a:role:applicant"
    )
    assert "a:status:ssw" in [d for _, d in phone.last.buttons]


async def test_consent_form_before_a_result_sends_the_general_version(
    desk: Harness, content: Content
) -> None:
    phone, sato = desk.phone(20, "vi"), Staff(desk, SATO)
    await _at_status(phone)
    await phone.send("/staff")
    await case_posted(desk, 1)
    before = len(phone.messages)
    await sato.write(1, "/reply consent_form")
    assert len(phone.messages) == before + 1, "sent, not refused"
    text = [p for p in desk.api.named("sendMessage") if p["chat_id"] == 20][-1]["text"]
    assert text == phone.last.text
    catalogs = desk.channel.app.catalogs
    assert content.programme.headquarters.address_ja in text, "the desk for most statuses"
    assert catalogs.translator("vi").format(BUREAU_LINE, None, {}) in text, "the bureau for SSW"
    expected = canned_reply("consent_form", {}, content, finished=False)
    assert not expected.specific
    assert text == render(Reply(ReplyKind.NOTICE, expected.texts), catalogs.translator("vi")).text
    told = in_staff_language(desk, GENERAL_SENT)
    await wait_for(lambda: any(told in p.text for p in sato.posts(1)))


async def test_office_without_a_prefecture_sends_every_office(
    desk: Harness, content: Content
) -> None:
    phone, sato = desk.phone(21, "en"), Staff(desk, SATO)
    await at_situation(phone)
    await phone.send("/staff")
    await case_posted(desk, 1)
    before = len(phone.messages)
    await sato.write(1, "/reply office")
    assert len(phone.messages) == before + 1, "one message, not a refusal"
    text = phone.last.text
    assert REFUSAL not in text and "Tell us your prefecture" in text
    assert all(office.name_ja in text for office in content.offices.values())
    assert content.programme.headquarters.address_ja in text, "a trainee's consent form: HQ"


async def test_the_reply_list_says_which_version_fits_the_case(desk: Harness) -> None:
    phone, sato = desk.phone(22, "en"), Staff(desk, SATO)
    await at_situation(phone)
    await phone.send("/staff")
    await case_posted(desk, 1)
    await sato.write(1, "/reply")
    await wait_for(lambda: any("/reply office" in p.text for p in sato.posts(1)))
    lines = _reply_lines(desk, sato)
    general = _canned_marker(desk, "general version: their answers do not fix it yet")
    for key in ("consent_form", "documents", "office"):
        assert general in lines[key], key
    mine = _canned_marker(desk, "for this applicant")
    for key in ("helplines", "hours"):  # the same for everyone: no version to tell
        assert general not in lines[key] and mine not in lines[key], key


async def test_after_a_result_the_list_and_replies_are_for_this_applicant(
    desk: Harness, content: Content
) -> None:
    phone, sato = desk.phone(23, "en"), Staff(desk, SATO)
    await phone.send("/start")
    await phone.answer_all("a:language:en", "a:privacy:agree:en", *TITP_TO_CARE)
    await phone.answer_all("a:prefecture:region:kanto", "a:prefecture:kanagawa")
    await phone.press("a:review:confirm")
    await phone.send("/staff")
    await case_posted(desk, 1)
    await sato.write(1, "/reply")
    await wait_for(lambda: any("/reply office" in p.text for p in sato.posts(1)))
    lines = _reply_lines(desk, sato)
    mine = _canned_marker(desk, "for this applicant")
    assert mine in lines["office"] and mine in lines["documents"]
    assert mine not in lines["consent_form"], "a change of status: no consent form"
    await sato.write(1, "/reply office")
    yokohama = content.offices["yokohama"]
    assert yokohama.address_ja in phone.last.text
    assert content.offices["sapporo"].name_ja not in phone.last.text, "their office only"


def test_general_office_reply_fits_one_telegram_message_in_every_language(
    catalogs: Catalogs, content: Content
) -> None:
    for locale in SHIPPED:
        for answers in ({}, {"status": "ssw"}, {"status": "titp", "prefecture": "okinawa"}):
            canned = canned_reply("office", answers, content, finished=False)
            text = render(Reply(ReplyKind.NOTICE, canned.texts), catalogs.translator(locale)).text
            assert len(text) <= TEXT_LIMIT, (locale, answers, len(text))


def _canned_marker(desk: Harness, msgid: str) -> str:
    return desk.channel.app.catalogs.translator("ja").format(msgid, "canned", {})


def _reply_lines(desk: Harness, sato: Staff) -> dict[str, str]:
    """The newest /reply list's line for each key."""
    post = next(p for p in reversed(sato.posts(1)) if "/reply office" in p.text)
    return {
        line.split("</code>")[0].removeprefix("<code>/reply "): line
        for line in post.text.splitlines()
        if line.startswith("<code>/reply ")
    }


async def test_a_turn_that_fails_to_commit_leaves_no_phantom_case(
    desk: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The case is written in the same transaction as the person's session (review W1): if that
    # transaction fails, no waiting case is left to inflate everyone's place in the queue.
    phone, other = desk.phone(31, "vi"), desk.phone(32, "vi")
    await at_situation(phone)
    real_upsert = writer_module._upsert

    async def failing_upsert(conn: Any, table: Any, rows: Any, keep: Any = ()) -> None:
        if table is SessionRow:
            raise RuntimeError("disk full")
        await real_upsert(conn, table, rows, keep=keep)

    monkeypatch.setattr(writer_module, "_upsert", failing_upsert)
    with pytest.raises(RuntimeError, match="commit failed"):
        await desk.channel.app.conversations.handle("tg:31", Command(CommandName.STAFF))
    monkeypatch.setattr(writer_module, "_upsert", real_upsert)
    book = CaseBook(desk.channel.app.store.database)
    assert await book.open_case_of("tg:31") is None, "no phantom waiting case"
    await at_situation(other)
    await other.send("/staff")
    first_in_queue = _place_in_queue(desk, 1)
    assert first_in_queue in other.last.text, "nobody is ahead of the next person"


def _place_in_queue(desk: Harness, position: int) -> str:
    """The waiting message's sentence with this place, as the Vietnamese applicant reads it."""
    return desk.channel.app.catalogs.translator("vi").format(
        "A staff member will answer you here, in this chat. You are number {position} "
        "in the queue. You can write your question now.",
        None,
        {"position": str(position)},
    )


async def test_a_case_opened_by_the_button_reaches_the_applicants_chat(desk: Harness) -> None:
    # A button press carries no message of the person's own: the chat is still theirs.
    phone, sato = desk.phone(7, "en"), Staff(desk, SATO)
    await phone.send("/start")
    await phone.answer_all("a:language:en", "a:privacy:agree:en", *TITP_TO_CARE)
    await phone.send("Tokyo")
    await phone.press("a:review:confirm")
    await phone.press("c:staff")
    await case_posted(desk, 1)
    before = len(phone.messages)
    await sato.press("take", 1)
    assert len(phone.messages) == before + 1, "told that a staff member is answering"
    await sato.write(1, "Hello, I am Sato.")
    assert phone.last.text == "Hello, I am Sato."
    assert desk.api.chat(0) == [], "nothing went to a chat that does not exist"


@pytest.mark.parametrize("action", ["take", "back"])
async def test_a_press_delivered_again_after_a_crash_tells_the_applicant(
    desk: Harness, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    # The case changes in one transaction and the applicant's chat in the next: a crash between
    # them left a taken case whose applicant still waited (found by the kill-cycle soak).
    phone, sato = desk.phone(41, "vi"), Staff(desk, SATO)
    await at_situation(phone)
    await phone.send("/staff")
    await case_posted(desk, 1)
    if action == "back":
        await sato.press("take", 1)
    before = len(phone.messages)
    real_upsert = writer_module._upsert

    async def crashing_upsert(conn: Any, table: Any, rows: Any, keep: Any = ()) -> None:
        if table is SessionRow:
            raise RuntimeError("killed")
        await real_upsert(conn, table, rows, keep=keep)

    monkeypatch.setattr(writer_module, "_upsert", crashing_upsert)
    await sato.press(action, 1)  # the case moves; telling the applicant fails
    monkeypatch.setattr(writer_module, "_upsert", real_upsert)
    assert len(phone.messages) == before
    await sato.press(action, 1)  # Telegram delivers the unconfirmed press again
    session = await desk.channel.app.store.load("tg:41")
    assert session is not None
    if action == "take":
        assert session.owner is Owner.STAFF
        assert len(phone.messages) == before + 1, "told that a staff member is answering"
    else:
        assert session.owner is Owner.HANDED_BACK
        assert "a:situation:lost_job" in [d for _, d in phone.last.buttons], "the bot again"
