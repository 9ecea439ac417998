"""A staffed bot for tests: the staff group, a roster, and a staff member's view of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from bot.storage import Roster, StaffMember
from tests.auxil.fakes import STAFF_CHAT, BotApi, Sent, group_button_update, group_text_update
from tests.auxil.telegram_harness import Harness, Phone, start_harness, wait_for

SATO, NGUYEN, STRANGER = 501, 502, 999
ALWAYS_OPEN: dict[str, Any] = {
    "TSUNAGU_OFFICE_HOURS": "00:00-24:00",
    "TSUNAGU_OFFICE_DAYS": "mon-sun",
}


async def start_staffed(tmp_path: Path, api: BotApi | None = None, **extra: Any) -> Harness:
    settings = {"TSUNAGU_STAFF_CHAT_ID": STAFF_CHAT, **ALWAYS_OPEN, **extra}
    harness = await start_harness(tmp_path, api=api, **settings)
    roster = Roster(harness.channel.app.store.database)
    now = dt.datetime.now(dt.UTC)
    await roster.add(StaffMember(SATO, "Sato", ("ja",), "ja"), now)
    await roster.add(StaffMember(NGUYEN, "Nguyen", ("vi", "ja"), "ja"), now)
    return harness


def in_staff_language(harness: Harness, msgid: str) -> str:
    """What staff read for ``msgid``: the staff locale's translation (Japanese here)."""
    return harness.channel.app.catalogs.translator("ja").format(msgid, None, {})


class Staff:
    """A staff member's view of the staff group."""

    def __init__(self, harness: Harness, user_id: int) -> None:
        self.harness, self.user_id = harness, user_id

    def topic(self, case_id: int) -> int:
        name = f"#{case_id} ·"
        return next(t for t, n in self.harness.api.topics.items() if n.startswith(name))

    def posts(self, case_id: int) -> list[Sent]:
        return self.harness.api.chat(STAFF_CHAT, self.topic(case_id))

    def card(self, case_id: int) -> Sent:
        return self.posts(case_id)[0]

    async def press(self, action: str, case_id: int) -> None:
        card = self.card(case_id)
        data = f"s:{action}:{case_id}"
        assert data in [d for _, d in card.buttons]
        await self.harness.feed(
            group_button_update(self.user_id, data, card.message_id, card.thread_id)
        )

    async def write(self, case_id: int, text: str) -> None:
        update = group_text_update(self.user_id, text, self.topic(case_id))
        self.harness.api.wrote(STAFF_CHAT, update["message"]["message_id"], text)
        await self.harness.feed(update)

    def alerts(self) -> list[str]:
        return [p["text"] for p in self.harness.api.named("answerCallbackQuery") if "text" in p]


async def at_situation(phone: Phone) -> None:
    """Consent, then stop at the third question (situation)."""
    await phone.send("/start")
    await phone.answer_all(
        f"a:language:{phone.language}",
        f"a:privacy:agree:{phone.language}",
        "a:role:applicant",
        "a:status:titp",
    )
    assert "a:situation:lost_job" in [d for _, d in phone.last.buttons]


async def case_posted(harness: Harness, case_id: int) -> None:
    def posted() -> bool:
        topics = [t for t, n in harness.api.topics.items() if n.startswith(f"#{case_id} ·")]
        return bool(topics) and bool(harness.api.chat(STAFF_CHAT, topics[0]))

    await wait_for(posted)
