"""Who can act on a case (issue 13 §5): only roster members, only inside the staff group.

Updates that look like the staff group's (a card's button, a message in a case's topic, /reply,
/note) but come from another chat, from someone not on the roster, or from a roster member
writing to the bot privately change no case and reach no applicant. Driven through the real
Application; the logs are scanned for the token and every text sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.storage import CaseBook, CaseStatus
from tests.auxil.fakes import STAFF_CHAT, TOKEN
from tests.auxil.fuzz_input import NAME, OTHER_FORUM, Updates, private, staff_chat
from tests.auxil.staff_harness import (
    NGUYEN,
    SATO,
    STRANGER,
    Staff,
    at_situation,
    case_posted,
    start_staffed,
)
from tests.auxil.telegram_harness import Harness, Phone, stop_harness

APPLICANT = 41
# (who, the chat their update claims) for each way of not being the staff desk
INTRUDERS = {
    "roster member in another forum group": (SATO, staff_chat(OTHER_FORUM)),
    "stranger inside the staff group": (STRANGER, staff_chat()),
    "roster member in a private chat": (SATO, private(SATO)),
}
SAID = ["intruder-hello <b>&", "/reply consent", "/reply", "/note intruder-note", "/reply office"]


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await start_staffed(tmp_path)
    yield harness
    await stop_harness(harness)


async def _asked_for_staff(desk: Harness) -> Phone:
    phone = desk.phone(APPLICANT, "vi")
    await at_situation(phone)
    await phone.send("/staff")
    await case_posted(desk, 1)
    return phone


async def _intrude(desk: Harness, who: int, chat: dict[str, Any], make: Updates) -> None:
    """Every staff action, as ``who`` in ``chat``, aimed at case 1's card and topic."""
    card = Staff(desk, NGUYEN).card(1)
    thread = card.thread_id
    for action in ("take", "back", "close"):
        await desk.feed(make.press(who, f"s:{action}:1", chat, card.message_id, thread))
    for text in SAID:
        await desk.feed(make.message(who, chat, text=text, thread_id=thread))


async def _staff_posts_settled(desk: Harness) -> list[str]:
    """The staff group's posts once its queue is empty."""
    book = CaseBook(desk.channel.app.store.database)
    for _ in range(2000):
        if (await book.counts())[1] == 0:
            break
        await asyncio.sleep(0.01)
    return [m.text for m in desk.api.chat(STAFF_CHAT)]


@pytest.mark.parametrize("intruder", list(INTRUDERS))
async def test_staff_actions_from_outside_the_desk_change_nothing(
    desk: Harness, intruder: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    who, chat = INTRUDERS[intruder]
    make = Updates()
    book = CaseBook(desk.channel.app.store.database)
    phone = await _asked_for_staff(desk)

    # while the case waits: nobody takes it by pressing Take or by writing in its topic
    seen = len(phone.messages)
    posts = await _staff_posts_settled(desk)
    await _intrude(desk, who, chat, make)
    case = await book.get(1)
    assert case is not None and (case.status, case.staff_id) == (CaseStatus.WAITING, None)
    assert len(phone.messages) == seen, "nothing reached the applicant"
    assert await _staff_posts_settled(desk) == posts, "nothing was posted for them"

    # once Nguyen holds it: nobody else hands it back, closes it or writes to the applicant
    await Staff(desk, NGUYEN).press("take", 1)
    seen = len(phone.messages)
    posts = await _staff_posts_settled(desk)
    await _intrude(desk, who, chat, make)
    case = await book.get(1)
    assert case is not None and (case.status, case.staff_id) == (CaseStatus.TAKEN, NGUYEN)
    assert len(phone.messages) == seen
    assert await _staff_posts_settled(desk) == posts

    # and the desk still works for the person who holds the case
    await Staff(desk, NGUYEN).write(1, "Nguyen here")
    assert "Nguyen here" in phone.last.text

    logged = caplog.text
    for secret in (TOKEN, NAME, *SAID, "Nguyen here", "intruder-hello", "intruder-note"):
        assert secret not in logged, f"{secret!r} in the logs"
    assert f"refused non-staff button user={who}" in logged or who == SATO


async def test_tapping_unclear_translation_cannot_flood_the_staff_group(desk: Harness) -> None:
    """Each press of "Unclear translation?" (or a forged ``f:`` button) was a post to the staff
    group, and those go before new cases' cards: one person tapping, or a script, could hold
    back every new case. One post per language and screen an hour; unknown screens none."""
    make = Updates()
    phone = desk.phone(APPLICANT, "vi")
    await phone.send("/start")
    await phone.answer_all("a:language:vi", "a:privacy:agree:vi")
    assert "f:role" in [d for _, d in phone.last.buttons]
    presses = ["f:role"] * 25 + [f"f:forged{n}" for n in range(25)]
    for data in presses:
        await desk.feed(make.press(APPLICANT, data, private(APPLICANT), phone.last.message_id))
    queued = (await CaseBook(desk.channel.app.store.database).counts())[1]
    posted = [m for m in desk.api.chat(STAFF_CHAT) if m.thread_id is None]
    assert queued + len(posted) == 1, "one report of the role screen in Vietnamese"
    assert phone.last.buttons, "the person is still thanked and shown the question"
