"""End to end over real HTTP: the `tsunagu run` process against a local Bot API emulator."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.auxil import ROOT
from tests.auxil.emulator import Emulator
from tests.auxil.fakes import TOKEN, button_update, text_update
from tests.auxil.screening import ANSWERED, SCREENING
from tests.auxil.telegram_harness import wait_for

SECRET = "s3cret-Token_for-tests"


class Person:
    """Someone chatting with the bot through the emulator."""

    def __init__(self, emulator: Emulator, user_id: int) -> None:
        self.emulator, self.user_id = emulator, user_id

    def act(self, action: str) -> None:
        if not action.startswith(("a:", "c:")):
            update = text_update(self.user_id, action)
            self.emulator.api.wrote(self.user_id, update["message"]["message_id"], action)
            self.emulator.push(update)
            return
        chat = self.emulator.api.chat(self.user_id)
        # A fast thumb presses before the bot redrew the message: same message, edited in place.
        holder = next((m for m in reversed(chat) if action in [d for _, d in m.buttons]), chat[-1])
        self.emulator.push(button_update(self.user_id, action, holder.message_id))

    def shows(self, prefix: str) -> bool:
        chat = self.emulator.api.chat(self.user_id)
        return bool(chat) and any(d.startswith(prefix) for _, d in chat[-1].buttons)

    async def step(self, action: str, then: str) -> None:
        self.act(action)
        await wait_for(lambda: self.shows(then), timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Bot:
    """The bot as a separate process, started and killed like in production."""

    def __init__(self, tmp_path: Path, emulator: Emulator, webhook_port: int | None = None):
        self.db = tmp_path / "bot.db"
        self.log = tmp_path / "bot.log"
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "TELEGRAM_API_FILE_URL": f"http://127.0.0.1:{emulator.port}/file/bot",
            "DATABASE_URL": f"sqlite+aiosqlite:///{self.db}",
            "TSUNAGU_LOG_LEVEL": "INFO",
        }
        self.args = ["run"]
        if webhook_port is not None:
            self.args.append("--webhook")
            self.env |= {
                "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{webhook_port}/telegram",
                "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
                "TELEGRAM_WEBHOOK_PORT": str(webhook_port),
                "TELEGRAM_WEBHOOK_PATH": "telegram",
                "TELEGRAM_WEBHOOK_SECRET": SECRET,
            }
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log.open("a") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli",
                *self.args,
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=log,
            )

    async def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no shutdown code runs
        await self.process.wait()

    async def stop(self) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.terminate()
        return await asyncio.wait_for(self.process.wait(), 30)

    def rows(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute(query, params).fetchall()


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emu = Emulator()  # Telegram's flood limits on: in normal use the bot never meets a 429
    await emu.start()
    yield emu
    await emu.stop()
    assert emu.too_many_requests == 0, "the bot went over Telegram's limits"
    assert emu.unanswered_callbacks == 0, "a pressed button was left spinning"


async def _until_polling(emulator: Emulator, since: int = 0) -> None:
    await wait_for(lambda: len(emulator.api.named("getUpdates")) > since, timeout=30)


async def test_a_screening_over_http_with_long_polling(tmp_path: Path, emulator: Emulator) -> None:
    bot = Bot(tmp_path, emulator)
    await bot.start()
    try:
        await _until_polling(emulator)
        person = Person(emulator, 501)
        for action, then in SCREENING:
            await person.step(action, then)
        assert "Tokyo Regional Immigration Services Bureau" in emulator.api.chat(501)[-1].text
    finally:
        assert await bot.stop() == 0, bot.log.read_text()
    log = bot.log.read_text()
    assert TOKEN not in log and "Tokyo" not in log
    assert "update=" in log and "user=tg:501" in log


async def test_a_screening_over_http_with_a_webhook(tmp_path: Path, emulator: Emulator) -> None:
    port = _free_port()
    bot = Bot(tmp_path, emulator, webhook_port=port)
    await bot.start()
    try:
        await wait_for(lambda: emulator.webhook is not None, timeout=30)
        assert emulator.webhook == (f"http://127.0.0.1:{port}/telegram", SECRET)
        update = text_update(502, "/start")
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                url = f"http://127.0.0.1:{port}/telegram"
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 403
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 200
        assert emulator.api.chat(502) == [], "a refused update is not handled"
        person = Person(emulator, 502)
        for action, then in SCREENING:
            await person.step(action, then)
        assert "Documents to prepare" in emulator.api.chat(502)[-1].text
        scrape = f"http://127.0.0.1:{port}/metrics"
        async with aiohttp.ClientSession() as http, http.get(scrape) as response:
            assert response.status == 200
            metrics = await response.text()
        assert f"tsunagu_updates_total {float(len(SCREENING))}" in metrics
        assert 'tsunagu_outcomes_total{outcome="apply_change_of_status"} 1.0' in metrics
        assert "tsunagu_handoffs_waiting 0.0" in metrics
        # As a label or value of its own, not inside a timestamp such as 1.7962285502e+09.
        assert not re.search(r"(?<![\d.])502(?![\d.])", metrics), "no person's id in the metrics"
    finally:
        assert await bot.stop() == 0, bot.log.read_text()


async def test_killed_mid_conversation_every_conversation_resumes(
    tmp_path: Path, emulator: Emulator
) -> None:
    bot = Bot(tmp_path, emulator)
    people = [Person(emulator, user_id) for user_id in (601, 602, 603, 604)]
    await bot.start()
    await _until_polling(emulator)
    for person in people:
        for action, then in SCREENING[:4]:
            await person.step(action, then)
    # Three answers each, all at once, on a slow network; SIGKILL while they are being handled:
    # some are committed and answered, some committed but not answered, some not even read.
    emulator.reply_delay = 0.3
    batch_size = len(emulator.delivered)
    for person in people:
        for action, _ in SCREENING[4:7]:
            person.act(action)
    await wait_for(lambda: len(emulator.delivered) > batch_size, timeout=30)
    await asyncio.sleep(0.45)
    await bot.kill()
    emulator.reply_delay = 0.0

    await bot.start()
    try:
        try:
            await wait_for(lambda: all(p.shows("a:wish_ssw:") for p in people), timeout=60)
        except TimeoutError:  # say where each person is, and what the bot logged
            where = {p.user_id: p.shows("a:wish_ssw:") for p in people}
            raise AssertionError(f"{where}\n{bot.log.read_text()[-4000:]}") from None
        for person in people:
            for action, then in SCREENING[7:]:
                await person.step(action, then)
    finally:
        assert await bot.stop() == 0, bot.log.read_text()
    for person in people:
        user = f"tg:{person.user_id}"
        ((state, outcome),) = bot.rows("SELECT state, outcome FROM sessions WHERE user = ?", user)
        assert (state, outcome) == ("result", "apply_change_of_status")
        answered = [
            q
            for (q,) in bot.rows(
                "SELECT question FROM history WHERE user = ? AND question IS NOT NULL ORDER BY id",
                user,
            )
        ]
        assert answered == [*ANSWERED[1:], "review"], "each answer exactly once, in order"
    assert bot.rows("SELECT count(*) FROM outbox") == [(0,)], "every reply delivered"
    log = bot.log.read_text()
    assert "duplicate update=" in log, "the batch was redelivered and the handled part dropped"
    assert len(emulator.delivered) > len(set(emulator.delivered))
