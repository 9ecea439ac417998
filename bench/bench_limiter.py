"""Press-to-answer under Telegram's limits, in process: the rate limiter against PTB's.

N people arrive at once and walk the screening's first questions through the real PTB
Application (SQLite, the real engine) over the fake request layer of the tests, which enforces
Telegram's flood limits (tests/auxil/flood.py) and answers 429 like Telegram. Each person presses
1–2 s after their last answer arrived. Each update is handled as the webhook does (on its own):
the time from handing it to the Application to its answer being recorded. Component figures:
no HTTP, no separate process (bench/ has the black-box benchmark).

    .venv/bin/python bench/bench_limiter.py [N ...]     (default 200)
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, BaseRateLimiter

sys.path.insert(0, str(Path(__file__).parents[1]))

from bot.telegram.limiter import TelegramRateLimiter
from tests.auxil.fakes import BotApi, button_update, text_update
from tests.auxil.flood import TelegramLimits
from tests.auxil.telegram_harness import Harness, start_harness, stop_harness

STEPS = (None, "a:language:en", "a:privacy:agree:en", "a:role:applicant", "a:status:titp")


async def person(harness: Harness, user_id: int, latencies: list[float]) -> None:
    """One person: /start, then a press 1–2 s after each answer (the arrival is not timed)."""
    bot = harness.application.bot
    for data in STEPS:
        if data is None:
            update = text_update(user_id, "/start")
        else:
            await asyncio.sleep(random.uniform(1.0, 2.0))  # reading
            held = harness.api.chat(user_id)[-1].message_id
            update = button_update(user_id, data, held)
        harness.api.heard(update)
        started = time.perf_counter()
        await harness.application.process_update(Update.de_json(update, bot))
        if data is not None:  # presses only: 200 people's /start in one instant is no press
            latencies.append(time.perf_counter() - started)


class Waits:
    """The limiter's sleeps, counted."""

    def __init__(self) -> None:
        self.count = 0

    async def sleep(self, delay: float) -> None:
        self.count += 1
        await asyncio.sleep(delay)


async def run(people: int, limiter: BaseRateLimiter[Any] | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        api = BotApi(limits=TelegramLimits())
        harness = await start_harness(
            Path(folder),
            rate_limiter=limiter or False,  # type: ignore[arg-type]
            api=api,
        )
        latencies: list[float] = []
        started = time.perf_counter()
        try:
            ids = range(10_000, 10_000 + people)
            await asyncio.gather(*(person(harness, i, latencies) for i in ids))
            await harness.channel.spinners_answered()
        finally:
            await stop_harness(harness)
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "updates/s": len(latencies) / elapsed,
        "p50 ms": cuts[49] * 1000,
        "p99 ms": cuts[98] * 1000,
        "max ms": max(latencies) * 1000,
        "429s": api.too_many_requests,
        "unanswered": api.unanswered_callbacks,
    }


async def main(sizes: list[int]) -> None:
    random.seed(12)
    for people in sizes:
        waits = Waits()
        for name, limiter in (
            ("TelegramRateLimiter", TelegramRateLimiter(sleep=waits.sleep)),
            ("AIORateLimiter(max_retries=3)", AIORateLimiter(max_retries=3)),
            ("no limiter", None),
        ):
            figures = await run(people, limiter)
            if name == "TelegramRateLimiter":
                figures["waits"] = waits.count
            shown = "  ".join(f"{k} {v:,.1f}" for k, v in figures.items())
            print(f"N={people:<5} {name:<30} {shown}", flush=True)


if __name__ == "__main__":
    asyncio.run(main([int(a) for a in sys.argv[1:]] or [200]))
