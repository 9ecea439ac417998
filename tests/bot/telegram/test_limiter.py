"""The Telegram-aware rate limiter on a virtual clock: who waits, how long, and after a 429."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.metrics import REGISTRY
from bot.telegram.limiter import BROADCAST, Limits, TelegramRateLimiter, broadcasting


class VirtualTime:
    """A clock that jumps to the next sleeper's wake-up once every task is waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + delay, next(self._order), future))
        await future

    async def run(self, *calls: Awaitable[Any]) -> list[Any]:
        tasks = [asyncio.ensure_future(c) for c in calls]
        while not all(t.done() for t in tasks):
            for _ in range(50):  # let every task run until it waits
                await asyncio.sleep(0)
            if self._sleepers and not all(t.done() for t in tasks):
                wake, _, future = heapq.heappop(self._sleepers)
                self.now = max(self.now, wake)
                future.set_result(None)
        return [t.result() for t in tasks]


class Telegram:
    """Records when each call reached it; fails the calls it is told to."""

    def __init__(self, time: VirtualTime) -> None:
        self.time = time
        self.made: list[tuple[float, str, Any]] = []
        self.refuse: list[tuple[str, Any, int]] = []  # (endpoint, chat, retry_after) once each

    def callback(self, endpoint: str, chat: Any) -> Callable[[], Coroutine[Any, Any, Any]]:
        async def call() -> dict[str, Any]:
            self.made.append((self.time.now, endpoint, chat))
            for refusal in self.refuse:
                if refusal[:2] == (endpoint, chat):
                    self.refuse.remove(refusal)
                    raise RetryAfter(refusal[2])
            return {"ok": True}

        return call

    def times(self, endpoint: str, chat: Any = None) -> list[float]:
        return [t for t, e, c in self.made if e == endpoint and (chat is None or c == chat)]


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # as build_application sets it


@pytest.fixture
def time() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
def telegram(time: VirtualTime) -> Telegram:
    return Telegram(time)


@pytest.fixture
def limiter(time: VirtualTime) -> TelegramRateLimiter:
    # A limiter that has been running: the chats' budgets start full.
    return TelegramRateLimiter(Limits(), clock=time.clock, sleep=time.sleep, just_started=False)


def call(
    limiter: TelegramRateLimiter,
    telegram: Telegram,
    endpoint: str,
    chat: Any = None,
    rate_limit_args: str | None = None,
) -> Awaitable[Any]:
    data = {"chat_id": chat} if chat is not None else {"callback_query_id": "1"}
    return limiter.process_request(
        telegram.callback(endpoint, chat), (), {}, endpoint, data, rate_limit_args
    )


def too_many(scope: str) -> float:
    value = REGISTRY.get_sample_value("tsunagu_telegram_too_many_requests_total", {"scope": scope})
    return value or 0.0


async def test_a_private_chat_gets_a_short_burst_then_one_a_second(
    limiter: TelegramRateLimiter, telegram: Telegram, time: VirtualTime
) -> None:
    methods = ["sendMessage", "editMessageText", "copyMessage"] * 2
    await time.run(*(call(limiter, telegram, m, 7) for m in methods))
    made = sorted(t for t, _, _ in telegram.made)
    assert made == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0], "sends and edits share the chat's budget"


async def test_a_new_process_sends_one_at_once_to_a_chat_its_predecessor_may_have_used(
    telegram: Telegram, time: VirtualTime
) -> None:
    # Telegram kept counting while the bot restarted: no fresh burst in the first seconds.
    fresh = TelegramRateLimiter(Limits(), clock=time.clock, sleep=time.sleep)
    await time.run(*(call(fresh, telegram, "sendMessage", 7) for _ in range(4)))
    assert sorted(t for t, _, _ in telegram.made) == [0.0, 1.0, 2.0, 3.0]


async def test_chats_do_not_wait_for_each_other(
    limiter: TelegramRateLimiter, telegram: Telegram, time: VirtualTime
) -> None:
    calls = [call(limiter, telegram, "editMessageText", chat) for chat in range(1, 201)]
    await time.run(*calls)
    assert telegram.times("editMessageText") == [0.0] * 200, "no limit over all chats"


async def test_button_answers_and_calls_that_post_nothing_never_wait(
    limiter: TelegramRateLimiter, telegram: Telegram, time: VirtualTime
) -> None:
    busy = [call(limiter, telegram, "sendMessage", 7) for _ in range(10)]  # chat 7 is saturated
    free = [call(limiter, telegram, "answerCallbackQuery") for _ in range(100)]
    free += [call(limiter, telegram, m) for m in ("getMe", "setMyCommands", "deleteWebhook")]
    free.append(call(limiter, telegram, "deleteMessages", 7))
    await time.run(*busy, *free)
    assert telegram.times("answerCallbackQuery") == [0.0] * 100
    assert telegram.times("deleteMessages") == [0.0], "erasing queues behind no message"
    assert max(telegram.times("sendMessage")) == 7.0


async def test_a_group_gets_twenty_a_minute(
    limiter: TelegramRateLimiter, telegram: Telegram, time: VirtualTime
) -> None:
    staff = -1001234567890
    await time.run(*(call(limiter, telegram, "sendMessage", staff) for _ in range(22)))
    made = telegram.times("sendMessage")
    assert made[:20] == [0.0] * 20
    assert made[20] >= 60.0, "the 21st a minute after the first"
    assert made[20] <= 61.0, "and not much later"


async def test_broadcasts_are_paced_and_never_delay_a_reply(
    limiter: TelegramRateLimiter, telegram: Telegram, time: VirtualTime
) -> None:
    notices = [
        call(limiter, telegram, "sendMessage", chat, BROADCAST) for chat in range(1000, 1100)
    ]

    async def reply_later() -> None:
        await time.sleep(2.0)  # a person presses while the notices go out
        await call(limiter, telegram, "editMessageText", 5)

    await time.run(*notices, reply_later())
    sent = telegram.times("sendMessage")
    assert sent[-1] >= (100 - 5) / 25, "25 a second after a burst of 5"
    assert all(b - a <= 0.05 for a, b in itertools.pairwise(sent[5:])), "evenly"
    assert telegram.times("editMessageText") == [2.0], "the reply went at once"


async def test_the_broadcasting_block_marks_its_messages(
    limiter: TelegramRateLimiter, telegram: Telegram, time: VirtualTime
) -> None:
    async def notify_all() -> None:
        with broadcasting():
            for chat in range(2000, 2030):
                await call(limiter, telegram, "sendMessage", chat)

    await time.run(notify_all())
    assert telegram.times("sendMessage")[-1] == pytest.approx((30 - 5) / 25)


async def test_a_429_blocks_its_chat_only_and_is_never_retried_early(
    limiter: TelegramRateLimiter, telegram: Telegram, time: VirtualTime
) -> None:
    before = too_many("chat")
    telegram.refuse.append(("editMessageText", 7, 5))

    async def later(chat: int, at: float) -> None:
        await time.sleep(at)
        await call(limiter, telegram, "sendMessage", chat)

    await time.run(call(limiter, telegram, "editMessageText", 7), later(7, 1.0), later(8, 1.0))
    assert telegram.times("editMessageText", 7) == [0.0, pytest.approx(5.1)]
    assert telegram.times("sendMessage", 7) == [pytest.approx(5.1)], "the chat waited too"
    assert telegram.times("sendMessage", 8) == [1.0], "another chat did not"
    assert too_many("chat") == before + 1


async def test_a_429_about_no_chat_holds_everything(
    limiter: TelegramRateLimiter, telegram: Telegram, time: VirtualTime
) -> None:
    before = too_many("global")
    telegram.refuse.append(("answerCallbackQuery", None, 3))

    async def later() -> None:
        await time.sleep(0.5)
        await call(limiter, telegram, "sendMessage", 9)

    await time.run(call(limiter, telegram, "answerCallbackQuery"), later())
    assert telegram.times("sendMessage") == [pytest.approx(3.1)]
    assert too_many("global") == before + 1


async def test_a_429_on_a_broadcast_holds_the_other_broadcasts(
    limiter: TelegramRateLimiter, telegram: Telegram, time: VirtualTime
) -> None:
    telegram.refuse.append(("sendMessage", 3000, 4))
    notices = [call(limiter, telegram, "sendMessage", c, BROADCAST) for c in (3000, 3001)]
    await time.run(*notices, call(limiter, telegram, "sendMessage", 3002))
    assert telegram.times("sendMessage", 3001)[0] >= 4.0
    assert telegram.times("sendMessage", 3002) == [0.0], "a reply is not a broadcast"


async def test_retries_run_out(
    limiter: TelegramRateLimiter, telegram: Telegram, time: VirtualTime
) -> None:
    telegram.refuse.extend([("sendMessage", 4, 1)] * 4)
    with pytest.raises(RetryAfter):
        await time.run(call(limiter, telegram, "sendMessage", 4))
    assert len(telegram.times("sendMessage")) == 1 + Limits().max_retries


async def test_idle_chats_are_forgotten(
    limiter: TelegramRateLimiter, telegram: Telegram, time: VirtualTime
) -> None:
    await time.run(*(call(limiter, telegram, "sendMessage", c) for c in range(1, 3001)))
    time.now = 60.0  # a minute later every budget is full again
    await time.run(call(limiter, telegram, "sendMessage", 99_999))
    assert len(limiter.chats) < 100, "a hundred thousand people cost no memory"
