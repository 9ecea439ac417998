"""A relay is never shown twice: the bot killed after Telegram copied, before noting it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.auxil.emulator import Emulator
from tests.auxil.fakes import STAFF_CHAT
from tests.auxil.telegram_harness import wait_for
from tests.e2e.test_e2e import Bot, Person, _until_polling, emulator
from tests.e2e.test_e2e_staff import SATO, TO_SITUATION, StaffMember, _add_staff

__all__ = ["emulator"]  # the fixture, shared with test_e2e

APPLICANT = 811


def _kill_after_copy_to(bot: Bot, emulator: Emulator, chat_id: int) -> None:
    """SIGKILL the bot once Telegram copied a message into ``chat_id``, before it answers."""

    def hook(method: str, params: dict[str, Any]) -> None:
        if method == "copyMessage" and int(params["chat_id"]) == chat_id:
            emulator.after_call = None
            assert bot.process is not None
            bot.process.kill()

    emulator.after_call = hook


async def _restart(bot: Bot, emulator: Emulator) -> None:
    assert bot.process is not None
    await bot.process.wait()
    polled = len(emulator.api.named("getUpdates"))
    await bot.start()
    await _until_polling(emulator, polled)


def _count(texts: list[str], text: str) -> int:
    return sum(t == text for t in texts)


async def test_killed_between_copying_and_noting_it_no_message_is_copied_twice(
    tmp_path: Path, emulator: Emulator
) -> None:
    bot = Bot(tmp_path, emulator)
    bot.env |= {
        "TSUNAGU_STAFF_CHAT_ID": str(STAFF_CHAT),
        "TSUNAGU_OFFICE_HOURS": "00:00-24:00",
        "TSUNAGU_OFFICE_DAYS": "mon-sun",
    }
    await _add_staff(bot)
    await bot.start()
    person, sato = Person(emulator, APPLICANT), StaffMember(emulator, SATO)

    def applicant_sees() -> list[str]:
        return [m.text for m in emulator.api.chat(APPLICANT)]

    try:
        await _until_polling(emulator)
        for action, then in TO_SITUATION:
            await person.step(action, then)
        await person.step("/staff", "c:bot")
        await wait_for(lambda: bool(emulator.api.topics) and bool(sato.topic()), timeout=30)

        # The applicant's message, copied into the case's topic by the staff-post queue.
        _kill_after_copy_to(bot, emulator, STAFF_CHAT)
        person.act("first from the applicant")
        await _restart(bot, emulator)
        person.act("second from the applicant")
        await wait_for(lambda: "second from the applicant" in sato.topic(), timeout=60)
        assert _count(sato.topic(), "first from the applicant") == 1

        # A staff member's message, copied into the applicant's chat from the outbox.
        shown = len(applicant_sees())
        sato.press("take")
        await wait_for(lambda: len(applicant_sees()) > shown, timeout=30)  # "staff answer you"
        _kill_after_copy_to(bot, emulator, APPLICANT)
        sato.write("first from staff")
        await _restart(bot, emulator)
        sato.write("second from staff")
        await wait_for(lambda: "second from staff" in applicant_sees(), timeout=60)
        assert _count(applicant_sees(), "first from staff") == 1
    finally:
        assert await bot.stop() in (0, -9), bot.log.read_text()
    log = bot.log.read_text()
    assert "relay not repeated" in log
    assert "first from" not in log, "logs carry ids, never texts"
