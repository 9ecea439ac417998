"""`/mydata` and the privacy notice: what is stored, and for how long, in the person's words."""

from __future__ import annotations

from pathlib import Path

from bot.i18n import Catalogs
from bot.i18n.render import render, to_plain
from dialogs.content import Content
from dialogs.engine import Engine
from dialogs.events import Answer, Command, CommandName, Start
from tests.auxil.telegram_harness import start_harness, stop_harness
from tests.conftest import answers, consented, run


def _shown(step_replies: tuple[object, ...], catalogs: Catalogs, locale: str) -> str:
    tr = catalogs.translator(locale)
    return "\n".join(to_plain(render(r, tr).text) for r in step_replies)  # type: ignore[arg-type]


def test_mydata_lists_the_answers_result_and_retention(engine: Engine, catalogs: Catalogs) -> None:
    session = consented(engine, "en", user="tg:4242")
    session, _ = run(
        engine, session, answers(role="applicant", status="other")
    )  # not eligible: a result at once
    session, _ = run(engine, session, [Answer("review", "confirm")])
    step = engine.step(session, Command(CommandName.MYDATA))
    text = _shown(step.replies, catalogs, "en")
    assert "Your user ID: 4242" in text
    assert "Status of residence: Another status" in text
    assert "Result:" in text and "90 days after your last message" in text
    assert step.session.state is session.state, "nothing changes; the current screen follows"


def test_mydata_before_consent_says_nothing_is_stored(engine: Engine, catalogs: Catalogs) -> None:
    session = engine.step(engine.new_session("tg:1"), Start("vi")).session
    step = engine.step(session, Command(CommandName.MYDATA))
    text = _shown(step.replies, catalogs, "en")
    assert "We have stored nothing about you" in text


def test_privacy_notice_says_how_long_answers_are_kept(
    content: Content, catalogs: Catalogs
) -> None:
    engine = Engine(content, catalogs.available, retention_days=30)
    session = engine.step(engine.new_session("tg:1"), Start("en")).session
    step = engine.step(session, Answer("language", "en"))
    text = _shown(step.replies, catalogs, "en")
    assert "30 days after your last message" in text and "/mydata" in text


async def test_mydata_on_telegram_in_vietnamese(tmp_path: Path) -> None:
    harness = await start_harness(tmp_path, TSUNAGU_RETENTION_DAYS=60)
    try:
        phone = harness.phone(77, "vi")
        await phone.send("/start")
        await phone.answer_all("a:language:vi", "a:privacy:agree:vi", "a:role:applicant")
        await phone.send("/mydata")
        tr = harness.channel.app.catalogs.translator("vi")
        heading = tr.format("<b>What we store about you</b>", None, {})
        assert heading != "<b>What we store about you</b>"
        assert any(heading in m.text and "77" in m.text for m in phone.messages)
        kept = tr.format(
            "We also keep: the steps you took (which question, which answer, when), replies we "
            "still have to send you, and, if you asked for a person, your messages to our staff. "
            "We erase all of it {days} days after your last message, or at once when you send "
            "/delete.",
            None,
            {"days": "60"},
        )
        assert kept in phone.text(), "the retention set for this bot (60 days)"
        facts = tr.format(
            "Your requests to talk to a person: {cases}. Number of our messages in this chat that "
            "/delete can still remove: {messages} (we keep only their message numbers).",
            None,
            {"cases": "0", "messages": "1"},
        )
        # No case; one message: every question so far was edited into the first one.
        assert facts in phone.text(), "counted from storage"
    finally:
        await stop_harness(harness)
