"""Telegram's limits through the real Application: a surge, a fast thumb, a 429."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.storage import Change
from bot.telegram.limiter import TelegramRateLimiter
from tests.auxil.fakes import BotApi, button_update, network_down, text_update, too_many
from tests.auxil.flood import TelegramLimits
from tests.auxil.telegram_harness import Harness, start_harness, stop_harness


class Waits:
    """The limiter's sleeps, recorded (and slept for real)."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def sleep(self, delay: float) -> None:
        self.asked.append(delay)
        await asyncio.sleep(delay)


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
async def tg(tmp_path: Path, waits: Waits) -> AsyncIterator[Harness]:
    limiter = TelegramRateLimiter(sleep=waits.sleep)
    harness = await start_harness(
        tmp_path, rate_limiter=limiter, api=BotApi(limits=TelegramLimits())
    )
    yield harness
    await stop_harness(harness)


PEOPLE = range(3001, 3061)


async def _everyone(tg: Harness, data: str | None) -> None:
    """Everyone acts at once, in one batch: ``/start``, or a press on their last message."""
    if data is None:
        await tg.burst([text_update(p, "/start") for p in PEOPLE])
        return
    await tg.burst([button_update(p, data, tg.phone(p).last.message_id) for p in PEOPLE])


async def test_a_surge_of_people_is_answered_without_waiting(tg: Harness, waits: Waits) -> None:
    for data in (None, "a:language:en", "a:privacy:agree:en", "a:role:applicant"):
        await _everyone(tg, data)
        await asyncio.sleep(1.0)  # reading the question before pressing
    for person in PEOPLE:
        assert "status of residence" in tg.phone(person).last.text
    assert waits.asked == [], "no reply waited: no limit over all chats, buttons answered free"
    assert tg.api.too_many_requests == 0
    assert tg.api.unanswered_callbacks == 0


async def test_a_fast_thumb_waits_in_their_own_chat_only(tg: Harness, waits: Waits) -> None:
    fast, calm = 3101, 3102
    for person in (fast, calm):
        phone = tg.phone(person)
        await phone.send("/start")
        await phone.answer_all("a:language:en", "a:privacy:agree:en")
    held = tg.phone(fast).last.message_id
    presses = ["a:role:applicant", "a:status:titp", "a:situation:lost_job", "a:cause:downsizing"]
    burst = [button_update(fast, data, held) for data in presses]
    burst.insert(2, button_update(calm, "a:role:applicant", tg.phone(calm).last.message_id))
    await tg.burst(burst)
    assert "Do you want to stay in Japan" in tg.phone(fast).last.text, "in order"
    assert waits.asked, "the fast thumb's chat ran out of its burst"
    assert tg.api.too_many_requests == 0, "and was paced, not refused"
    calls = zip(tg.api.calls, tg.api.stamps, strict=True)
    edits = [(p["chat_id"], t) for (m, p), t in calls if m == "editMessageText"]
    calm_at = next(t for chat, t in edits if chat == calm)
    assert calm_at < max(t for chat, t in edits if chat == fast), "calm was not held up"


async def test_a_429_holds_only_that_persons_chat(tg: Harness) -> None:
    first, second = 3201, 3202
    for person in (first, second):
        phone = tg.phone(person)
        await phone.send("/start")
        await phone.answer_all("a:language:en", "a:privacy:agree:en")
    tg.api.fail("editMessageText", too_many(2))
    pressed = asyncio.create_task(tg.phone(first).press("a:role:applicant"))
    await asyncio.wait_for(_until(lambda: tg.api.too_many_requests == 1), 20)
    refused_at = tg.api.stamps[-1]
    await tg.phone(second).press("a:role:applicant")
    assert "status of residence" in tg.phone(second).last.text
    assert not pressed.done(), "the other person was answered while the first one waits"
    await asyncio.wait_for(pressed, 20)
    assert "status of residence" in tg.phone(first).last.text
    retried_at = [
        t
        for (method, params), t in zip(tg.api.calls, tg.api.stamps, strict=True)
        if method == "editMessageText" and params["chat_id"] == first
    ][-1]
    assert retried_at - refused_at >= 2.0, "not retried before retry_after"


async def _until(done: Callable[[], bool]) -> None:
    while not done():
        await asyncio.sleep(0.01)


async def test_after_a_crash_only_the_latest_screen_of_a_message_is_sent(tg: Harness) -> None:
    phone = tg.phone(3301)
    await phone.send("/start")
    await phone.answer_all("a:language:en", "a:privacy:agree:en")
    tg.api.fail("editMessageText", *[network_down()] * 8)  # two replies cannot go out
    await phone.press("a:role:applicant")
    await phone.press("a:status:titp", phone.last)  # pressed on, the screen still old
    assert "Which of these describes you?" in phone.last.text
    before = len(tg.api.named("editMessageText"))
    assert await tg.channel.resend_unsent() == 2, "what a restart does"
    resent = tg.api.named("editMessageText")[before:]
    assert len(resent) == 1, "the overwritten screen spends none of the chat's budget"
    assert any(d.startswith("a:situation:") for _, d in phone.last.buttons), "the latest"
    await tg.channel.app.store.commit(Change("tg:3301", dt.datetime.now(dt.UTC)))  # flushes
    assert await tg.channel.resend_unsent() == 0, "both marked sent"
