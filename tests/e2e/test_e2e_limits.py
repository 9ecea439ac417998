"""Telegram's limits end to end: a 429 in one chat holds up no one else's answers."""

from __future__ import annotations

from pathlib import Path

from tests.auxil.emulator import Emulator
from tests.auxil.fakes import too_many
from tests.auxil.screening import SCREENING
from tests.auxil.telegram_harness import wait_for
from tests.e2e.test_e2e import Bot, Person, _until_polling, emulator

__all__ = ["emulator"]  # the fixture, shared with test_e2e


async def test_a_429_in_one_chat_holds_up_no_one_else(tmp_path: Path, emulator: Emulator) -> None:
    bot = Bot(tmp_path, emulator)
    first, second = Person(emulator, 701), Person(emulator, 702)
    await bot.start()
    try:
        await _until_polling(emulator)
        for person in (first, second):
            for action, then in SCREENING[:3]:
                await person.step(action, then)
        press, then = SCREENING[3]
        emulator.api.fail("editMessageText", too_many(10))
        first.act(press)
        await wait_for(lambda: emulator.too_many_requests == 1, timeout=30)
        await second.step(press, then)  # the poller did not wait for the first chat's reply
        assert not first.shows(then), "answered while the first chat waits out its 429"
        await wait_for(lambda: first.shows(then), timeout=30)
    finally:
        assert await bot.stop() == 0, bot.log.read_text()
    assert "scope=chat" in bot.log.read_text()
    emulator.api.too_many_requests = 0  # the one injected above was no doing of the bot's
