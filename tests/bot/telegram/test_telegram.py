"""The bot on Telegram, through the real PTB Application and a recording request layer."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import Catalogs
from bot.i18n.render import split_text
from bot.storage.payloads import Send
from bot.telegram.replies import TelegramReplies
from dialogs.content import Content
from dialogs.engine import Step
from dialogs.messages import Data, Msg
from dialogs.replies import Button, Reply, ReplyKind
from dialogs.session import Session
from dialogs.states import State
from tests.auxil.fakes import (
    TOKEN,
    BotApi,
    button_update,
    edited_update,
    forbidden,
    media_update,
    network_down,
    text_update,
    too_many,
)
from tests.auxil.telegram_harness import (
    TITP_TO_CARE,
    Harness,
    start_harness,
    stop_harness,
    wait_for,
)


@pytest.fixture
async def tg(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await start_harness(tmp_path)
    yield harness
    await stop_harness(harness)


async def _consent(tg: Harness, user_id: int, language: str) -> None:
    phone = tg.phone(user_id, language)
    await phone.send("/start")
    await phone.answer_all(f"a:language:{language}", f"a:privacy:agree:{language}")


async def test_whole_screening_by_buttons_in_vietnamese(tg: Harness) -> None:
    phone = tg.phone(1, "vi")
    await phone.send("/start")
    first = phone.last
    assert ("✓ Tiếng Việt", "a:language:vi") in first.buttons, "suggested from language_code"
    await phone.answer_all(
        "a:language:vi",
        "a:privacy:agree:vi",
        *TITP_TO_CARE,
        "a:prefecture:region:kanto",
        "a:prefecture:kanagawa",
        "a:review:confirm",
    )
    result = phone.last
    # The Vietnamese name of the office, not only the Japanese one always shown beside it.
    office = tg.channel.app.catalogs.translator("vi").format(
        "Yokohama District Immigration Services Office", "office", {}
    )
    assert office != "Yokohama District Immigration Services Office"
    assert f"{office} (東京出入国在留管理局 横浜支局)" in result.text
    assert "在留資格変更許可申請書" in result.text
    assert "<b>" in result.text  # HTML formatting reached Telegram
    assert "c:staff" in [d for _, d in result.buttons]
    # questions were edited in place; the result is its own message to keep
    assert len(phone.messages) == 2
    assert first.message_id == phone.messages[0].message_id
    sends = [p for p in tg.api.named("sendMessage") if p["chat_id"] == 1]
    assert len(sends) == 2
    assert len(tg.api.named("editMessageText")) >= 10
    assert len(tg.api.named("answerCallbackQuery")) == 12  # every press stops its spinner


async def test_whole_screening_by_buttons_in_japanese(tg: Harness) -> None:
    phone = tg.phone(2, "ja")
    await phone.send("/start")
    await phone.answer_all(
        "a:language:ja",
        "a:privacy:agree:ja",
        "a:role:applicant",
        "a:status:retention",
        "a:situation:employer_cannot_keep",
    )
    await phone.send("大阪府")
    await phone.press("a:review:confirm")
    assert "受入れ困難に係る報告" in phone.last.text
    assert "大阪出入国在留管理局" in phone.last.text
    assert "(" not in phone.last.text.split("\n")[0], "Japanese shows official terms once"


async def test_commands_are_registered_in_each_language(tg: Harness) -> None:
    menus = {p.get("language_code"): p["commands"] for p in tg.api.named("setMyCommands")}
    assert set(menus) >= {None, "ja", "vi"}
    names = [c["command"] for c in menus["ja"]]
    assert names == ["start", "back", "restart", "language", "staff", "mydata", "delete", "help"]
    assert menus[None][0]["description"] == "Start or continue"
    assert menus["ja"][0]["description"] != menus[None][0]["description"]


async def test_free_text_where_a_button_is_expected(tg: Harness) -> None:
    await _consent(tg, 3, "en")
    phone = tg.phone(3)
    await phone.send("I don't know what to press")
    texts = [m.text for m in phone.messages[-2:]]
    assert texts[0] == "Please choose one of the answers below."
    assert "Which of these describes you?" in texts[1] and phone.last.buttons


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice"])
async def test_media_is_answered_with_what_the_bot_reads(tg: Harness, kind: str) -> None:
    await _consent(tg, 4, "en")
    await tg.feed(media_update(4, kind))
    phone = tg.phone(4)
    assert "only read text and button presses" in phone.messages[-2].text
    assert "Which of these describes you?" in phone.last.text


async def test_edited_messages_and_very_long_text(tg: Harness) -> None:
    await _consent(tg, 5, "en")
    await tg.feed(edited_update(5, "changed my mind"))
    phone = tg.phone(5)
    assert "do not read edited messages" in phone.messages[-2].text
    await phone.send("x" * 4096)
    assert phone.messages[-2].text == "Please choose one of the answers below."


async def test_group_chats_get_no_answer(tg: Harness) -> None:
    await tg.feed(text_update(6, "/start", chat_type="group"))
    await tg.feed(text_update(6, "/start", chat_type="supergroup"))
    assert tg.api.named("sendMessage") == []


async def test_typed_html_is_escaped(tg: Harness) -> None:
    await _consent(tg, 7, "en")
    phone = tg.phone(7)
    await phone.answer_all(*TITP_TO_CARE)
    await phone.send("<b>Atlantis</b> & <script>")
    notice = phone.messages[-2].text
    assert "&lt;b&gt;Atlantis&lt;/b&gt; &amp; &lt;script&gt;" in notice


async def test_stale_and_forged_buttons(tg: Harness) -> None:
    await _consent(tg, 8, "en")
    phone = tg.phone(8)
    await phone.answer_all("a:role:applicant", "a:status:ssw")
    session = await tg.channel.app.conversations.session_of("tg:8")
    for data in (
        "a:role:employer",
        "a:status:astronaut",
        "zzz",
        "a:status:<b>",
        "c:explode",
        "a:" + "x" * 70,
    ):
        await tg.feed(button_update(8, data, phone.last.message_id))
        assert "This menu has expired" in phone.messages[-2].text, data
        assert "What happened to you?" in phone.last.text
    assert await tg.channel.app.conversations.session_of("tg:8") == session


async def test_a_repeated_update_changes_nothing_and_sends_nothing(tg: Harness) -> None:
    await _consent(tg, 9, "en")
    phone = tg.phone(9)
    update = button_update(9, "a:role:applicant", phone.last.message_id, update_id=777_001)
    await tg.feed(update)
    calls = len(tg.api.calls)
    await tg.feed(update)
    assert len(tg.api.calls) == calls + 1  # only the callback spinner is answered again
    session = await tg.channel.app.conversations.session_of("tg:9")
    assert session is not None and session.state is State.STATUS
    assert session.path.count("role") == 1


class Killed(BaseException):
    """The process dying: nothing catches it, nothing after it runs."""


class DiesAtTheFirstSend(BotApi):
    """The fake Bot API, where the process is killed while its first message goes out."""

    def __init__(self) -> None:
        super().__init__()
        self.dying = True

    def call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "sendMessage" and self.dying:
            self.dying = False
            raise Killed
        return super().call(method, params)


async def test_before_consent_an_update_sent_again_after_a_crash_is_answered(
    tmp_path: Path,
) -> None:
    # Replies before consent are not stored (no outbox): killed before the language question
    # went out, the bot must answer /start when Telegram sends it again (found by the soak).
    api = DiesAtTheFirstSend()
    update = text_update(12, "/start", update_id=777_101)
    dying = await start_harness(tmp_path, api=api)
    with pytest.raises(Killed):
        await dying.feed(update)
    await stop_harness(dying)  # its connections released; what it never did stays undone
    assert api.chat(12) == []
    restarted = await start_harness(tmp_path, api=api)  # a new process, same database
    try:
        await restarted.feed(update)
        assert "a:language:en" in [d for _, d in restarted.phone(12).last.buttons]
        await restarted.feed(update)  # answered once it went out: a repeat changes nothing
        assert len(api.chat(12)) == 1
    finally:
        await stop_harness(restarted)


async def test_before_consent_a_repeated_update_is_answered_once(tg: Harness) -> None:
    # Found by the fuzz test: Telegram's repeat of a /start before consent got a second reply.
    update = text_update(13, "/start", update_id=777_102)
    await tg.feed(update)
    await tg.feed(update)
    assert len(tg.phone(13).messages) == 1


async def test_one_persons_burst_is_handled_in_order(tg: Harness) -> None:
    await _consent(tg, 10, "en")
    phone = tg.phone(10)
    message_id = phone.last.message_id
    steps = (
        "a:role:applicant",
        "a:status:titp",
        "a:situation:lost_job",
        "a:cause:downsizing",
        "a:wish_ssw:yes",
        "a:contract:no",
        "a:field:construction",
    )
    updates = [button_update(10, data, message_id) for data in steps]
    await tg.burst(updates)
    assert "Please check your answers" in phone.last.text
    session = await tg.channel.app.conversations.session_of("tg:10")
    assert session is not None
    assert session.path[2:] == [
        "role",
        "status",
        "situation",
        "cause",
        "wish_ssw",
        "contract",
        "field",
    ]


async def test_many_people_at_once(tg: Harness) -> None:
    people = range(100, 160)
    for user_id in people:
        await _consent(tg, user_id, "vi" if user_id % 2 else "ja")
    updates = [button_update(u, "a:role:employer", tg.api.chat(u)[-1].message_id) for u in people]
    await tg.burst(updates)
    assert all(len(tg.api.chat(u)) == 2 for u in people)
    for user_id in people:
        session = await tg.channel.app.conversations.session_of(f"tg:{user_id}")
        assert session is not None and session.outcome == "employer_info"


async def test_blocked_bot_is_recorded_and_nothing_more_is_sent(tg: Harness) -> None:
    await _consent(tg, 11, "en")
    phone = tg.phone(11)
    tg.api.fail("editMessageText", forbidden())
    tg.api.fail("sendMessage", forbidden())
    await phone.press("a:role:applicant")
    await wait_for(lambda: "tg:11" in tg.channel.app.store.blocked)
    assert await tg.channel.app.store.is_blocked("tg:11")
    assert await tg.channel.resend_unsent() == 0


async def test_network_errors_are_retried(tg: Harness) -> None:
    await _consent(tg, 12, "en")
    phone = tg.phone(12)
    tg.api.fail("editMessageText", network_down(), network_down())
    await phone.press("a:role:applicant")
    assert "status of residence" in phone.last.text


async def test_state_is_committed_before_sending_and_resent_after_a_failure(
    tg: Harness,
) -> None:
    await _consent(tg, 13, "en")
    phone = tg.phone(13)
    tg.api.fail("editMessageText", *[network_down()] * 4)
    await phone.press("a:role:applicant")
    assert "Which of these describes you?" in phone.last.text, "the reply could not be delivered"
    session = await tg.channel.app.conversations.session_of("tg:13")
    assert session is not None and session.state is State.STATUS, "but the state is saved"
    assert await tg.channel.resend_unsent() == 1  # what a restart does
    assert "status of residence" in phone.last.text


async def test_too_many_requests_waits_retry_after(tmp_path: Path) -> None:
    harness = await start_harness(tmp_path, rate_limiter=True)
    try:
        await _consent(harness, 14, "en")
        harness.api.fail("editMessageText", too_many(1))
        started = asyncio.get_running_loop().time()
        await harness.phone(14).press("a:role:applicant")
        assert asyncio.get_running_loop().time() - started >= 1.0
        assert "status of residence" in harness.phone(14).last.text
    finally:
        await stop_harness(harness)


async def test_logs_carry_ids_not_token_names_or_answers(
    tg: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await _consent(tg, 15, "en")
        phone = tg.phone(15)
        await phone.answer_all(*TITP_TO_CARE)
        await phone.send("Saitama-secret-place")
    logged = caplog.text
    assert "user=tg:15" in logged
    for secret in (TOKEN, "Saitama-secret-place", "Intern", "bankruptcy"):
        assert secret not in logged


def test_long_text_is_split_between_paragraphs() -> None:
    paragraphs = [f"<b>{i}</b> " + "word " * 150 for i in range(12)]
    chunks = split_text("\n\n".join(paragraphs))
    assert len(chunks) > 1 and all(len(c) <= 4096 for c in chunks)
    assert "\n\n".join(chunks) == "\n\n".join(paragraphs)
    assert all(c.count("<b>") == c.count("</b>") for c in chunks)


def test_a_long_reply_becomes_several_messages_with_buttons_on_the_last(
    catalogs: Catalogs,
) -> None:
    huge = Reply(
        ReplyKind.RESULT,
        tuple(Msg.of("{x}", x=Data("y " * 1500)) for _ in range(3)),
        ((Button("c:restart", Data("again")),),),
    )
    step = Step(Session(user="u"), (huge,))
    payloads = TelegramReplies(None, catalogs, 1, 99).prepare("u", step)  # type: ignore[arg-type]
    assert len(payloads) == 3
    assert [bool(p.message.keyboard) for p in payloads] == [False, False, True]  # type: ignore[union-attr]
    assert all(isinstance(p.message, Send) for p in payloads)


class _TelegramHtml(HTMLParser):
    """Telegram's HTML subset: records tags and fails on anything unbalanced or unknown."""

    ALLOWED = frozenset({"b", "i", "u", "s", "code", "pre", "a"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in self.ALLOWED, f"<{tag}> is not Telegram HTML"
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        self.text += data


async def test_the_counter_card_is_sent_in_japanese(tg: Harness, content: Content) -> None:
    phone = tg.phone(16, "vi")
    await phone.send("/start")
    await phone.answer_all("a:language:vi", "a:privacy:agree:vi", *TITP_TO_CARE)
    await phone.send("<i>Kana</i> & <script>")  # typed, not a prefecture: never on the card
    await phone.answer_all("a:prefecture:region:kanto", "a:prefecture:kanagawa")
    await phone.press("a:review:confirm")
    result = phone.last
    assert "a:result:japanese" in [d for _, d in result.buttons]
    await phone.press("a:result:japanese")
    card = tg.api.named("sendMessage")[-1]
    assert card["chat_id"] == 16 and card["text"] == phone.last.text
    assert phone.last.message_id != result.message_id, "the card is its own message"
    text = card["text"]
    assert "出入国在留管理局" in text and "神奈川県" in text
    assert content.offices["yokohama"].address_ja in text
    in_vietnamese = tg.channel.app.catalogs.translator("vi").format(
        content.offices["yokohama"].label, "office", {}
    )
    assert in_vietnamese not in text, "the card is not in the person's language"
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    assert parser.open == [], "every tag closed"
    assert not re.search(r"&(?!(amp|lt|gt|quot|#\d+);)", text), "a bare & would be refused"
    assert "<" not in parser.text and "Kana" not in parser.text, "nothing typed by the person"


async def test_a_later_press_never_overtakes_an_earlier_one(tg: Harness) -> None:
    # Telegram may answer answerCallbackQuery for the first press after the second one's: the
    # presses must still be applied in the order they were made.
    await _consent(tg, 11, "en")
    phone = tg.phone(11)
    first = button_update(11, "a:role:applicant", phone.last.message_id)
    second = button_update(11, "a:status:titp", phone.last.message_id)
    tg.api.slow_callbacks[first["callback_query"]["id"]] = 0.2
    await tg.burst([first, second])
    session = await tg.channel.app.conversations.session_of("tg:11")
    assert session is not None
    assert session.path[-2:] == ["role", "status"], "both answers, in the order pressed"
    assert session.state is State.SITUATION
