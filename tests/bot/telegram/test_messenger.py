"""The one send path: staff posts get the applicants' splitter and network retries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.i18n.render import TEXT_LIMIT
from bot.storage.payloads import TopicText
from tests.auxil.fakes import STAFF_CHAT, BotApi, network_down
from tests.auxil.staff_harness import SATO, Staff, at_situation, case_posted, start_staffed
from tests.auxil.telegram_harness import stop_harness, wait_for


@dataclass
class _DropsOnePart(BotApi):
    """The network fails once, on the second part of a long post to the staff group."""

    parts_seen: int = 0

    def call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "sendMessage" and str(params["text"]).startswith("PART"):
            self.parts_seen += 1
            if self.parts_seen == 2:
                self.calls.append((method, params))
                raise network_down()
        return super().call(method, params)


async def test_a_long_staff_post_reaches_its_topic_once_through_a_network_error(
    tmp_path: Path,
) -> None:
    api = _DropsOnePart()
    harness = await start_staffed(tmp_path, api)
    try:
        phone = harness.phone(1, "vi")
        await at_situation(phone)
        await phone.send("/staff")
        await case_posted(harness, 1)
        paragraph = "x" * (TEXT_LIMIT // 2)
        long_text = "\n\n".join(f"PART {n} {paragraph}" for n in range(3))  # three parts
        delivery = harness.channel.replies_to(1)
        await harness.channel.app.conversations.send(
            "tg:1", [], delivery=delivery, posts=[(1, TopicText(long_text))]
        )
        topic = Staff(harness, SATO).topic(1)
        await wait_for(
            lambda: any(m.text.startswith("PART 2") for m in api.chat(STAFF_CHAT, topic))
        )
    finally:
        await stop_harness(harness)
    posted = [m.text[:6] for m in api.chat(STAFF_CHAT, topic) if m.text.startswith("PART")]
    # Before one send path, the pacer repeated the whole post: PART 0 appeared twice.
    assert posted == ["PART 0", "PART 1", "PART 2"]
