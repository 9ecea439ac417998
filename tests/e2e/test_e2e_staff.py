"""End to end over real HTTP: a person takes a conversation over in the staff group, and back."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.config import LOCALES_DIR
from bot.i18n import Catalogs
from bot.i18n.render import render
from dialogs.canned import canned_reply
from dialogs.content import load_content
from dialogs.messages import N_, LanguageName, Msg
from dialogs.replies import Reply, ReplyKind
from tests.auxil import ROOT
from tests.auxil.emulator import Emulator
from tests.auxil.fakes import STAFF_CHAT, TOKEN, group_button_update, group_text_update
from tests.auxil.telegram_harness import wait_for
from tests.e2e.test_e2e import Bot, Person, _until_polling, emulator

__all__ = ["emulator"]  # the fixture, shared with test_e2e

SATO = 701
TO_SITUATION = [
    ("/start", "a:language:"),
    ("a:language:vi", "a:privacy:"),
    ("a:privacy:agree:vi", "a:role:"),
    ("a:role:applicant", "a:status:"),
    ("a:status:titp", "a:situation:"),
]


class StaffMember:
    """A staff member in the staff group, through the emulator."""

    def __init__(self, emulator: Emulator, user_id: int) -> None:
        self.emulator, self.user_id = emulator, user_id

    @property
    def thread(self) -> int:
        return next(iter(self.emulator.api.topics))

    def topic(self) -> list[str]:
        return [m.text for m in self.emulator.api.chat(STAFF_CHAT, self.thread)]

    def write(self, text: str) -> None:
        update = group_text_update(self.user_id, text, self.thread)
        self.emulator.api.wrote(STAFF_CHAT, update["message"]["message_id"], text)
        self.emulator.push(update)

    def press(self, action: str) -> None:
        card = self.emulator.api.chat(STAFF_CHAT, self.thread)[0]
        data = f"s:{action}:1"
        assert data in [d for _, d in card.buttons]
        self.emulator.push(group_button_update(self.user_id, data, card.message_id, self.thread))


async def _add_staff(bot: Bot) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *("staff", "add", str(SATO), "--name", "Sato", "--languages", "ja", "--locale", "ja"),
        env=bot.env,
        cwd=ROOT,
    )
    assert await process.wait() == 0


async def test_take_relay_canned_and_hand_back_over_http(
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
    person, sato = Person(emulator, 801), StaffMember(emulator, SATO)
    catalogs, content = Catalogs(LOCALES_DIR), load_content()
    try:
        await _until_polling(emulator)
        for action, then in TO_SITUATION:
            await person.step(action, then)
        await person.step("/staff", "c:bot")
        await wait_for(lambda: bool(emulator.api.topics) and bool(sato.topic()), timeout=30)
        assert emulator.api.topics[sato.thread] == "#1 · vi"

        person.act("Tôi bị mất việc")
        await wait_for(lambda: "Tôi bị mất việc" in sato.topic(), timeout=30)
        sato.press("take")
        chat = emulator.api.chat(801)
        await wait_for(lambda: len(emulator.api.chat(801)) > len(chat), timeout=30)

        sato.write("こんにちは。担当のサトウです。")
        await wait_for(lambda: emulator.api.chat(801)[-1].text.startswith("こんにちは"), 30)
        sato.write("/note 在留期限を確認")
        sato.write("/reply helplines")
        texts = canned_reply("helplines", {}, content, finished=False).texts
        in_vietnamese = render(Reply(ReplyKind.NOTICE, texts), catalogs.translator("vi")).text
        await wait_for(lambda: emulator.api.chat(801)[-1].text == in_vietnamese, timeout=30)
        head = Msg.of(
            N_("Sent to the applicant in {language}:"), language=LanguageName("vi", False)
        )
        in_japanese = render(Reply(ReplyKind.NOTICE, (head,)), catalogs.translator("ja")).text
        await wait_for(lambda: any(t.startswith(in_japanese) for t in sato.topic()), 30)

        sato.press("back")
        await wait_for(lambda: person.shows("a:situation:"), timeout=30)
        await person.step("a:situation:lost_job", "a:cause:")
    finally:
        assert await bot.stop() == 0, bot.log.read_text()
    applicant_sees = "\n".join(m.text for m in emulator.api.chat(801))
    assert "在留期限" not in applicant_sees, "notes stay in the staff group"
    log = bot.log.read_text()
    assert TOKEN not in log and "mất việc" not in log and "サトウ" not in log
    assert "case taken case=1 staff=701" in log
