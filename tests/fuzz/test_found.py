"""Defects the fuzzer found, each kept as the fuzz case that failed before its fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.auxil.fakes import STAFF_CHAT, button_update
from tests.auxil.fuzz import Fuzzer, replay
from tests.auxil.fuzz_input import OTHER_FORUM, PLAIN_GROUP, TOM, Updates, private, staff_chat
from tests.auxil.staff_harness import (
    SATO,
    STRANGER,
    Staff,
    at_situation,
    case_posted,
    start_staffed,
)
from tests.auxil.telegram_harness import stop_harness


async def test_buttons_outside_private_chats_and_the_staff_group_are_answered(
    tmp_path: Path,
) -> None:
    """Found with seed 1: the spinner of a press in another group or an inline message span on
    (an old card pressed after the staff group moved, a button under an inline message)."""
    make = Updates()
    group = {"id": PLAIN_GROUP, "type": "group", "title": "<b>friends"}
    report = await replay(
        tmp_path,
        make.press(7005, "c:nope", group, 4827),
        make.press(502, "s:take:1", staff_chat(OTHER_FORUM), 7239, thread_id=1001),
        make.press(7020, "s:back:1.5", None, 342194982468),  # inline: no chat, no message
        make.press(7021, "a:status:titp", private(7021), 5),  # the private chat, for contrast
    )
    assert report.callbacks == 4
    assert report.unanswered == 0, report.problems
    assert report.problems == []


async def test_forged_case_numbers_on_staff_buttons_are_refused_not_raised(
    tmp_path: Path,
) -> None:
    """Found with seed 2: "s:back:99999999999999999999" overflowed SQLite's integer in the
    handler (an exception, the spinner left spinning); "²" passes str.isdigit but not int()."""
    make = Updates()
    report = await replay(
        tmp_path,
        make.press(502, "s:back:99999999999999999999", staff_chat(), 1620),
        make.press(501, "s:take:²", staff_chat(), 1621),
        make.press(STRANGER, "s:close:١", staff_chat(), 1622),
    )
    assert report.callbacks == 3
    assert (report.exceptions, report.unanswered) == (0, 0), report.problems


async def test_a_case_opened_by_a_button_reaches_the_applicant(tmp_path: Path) -> None:
    """Found with seed 2 (a /delete erasing messages in chat 0): a case opened by the "Talk to
    a person" button, which carries no message of the person's, was filed under chat 0, so
    the staff's replies, "taken" and "handed back" went nowhere."""
    harness = await start_staffed(tmp_path)
    try:
        phone = harness.phone(31, "en")
        await at_situation(phone)
        await harness.feed(button_update(31, "c:staff", phone.last.message_id))
        await case_posted(harness, 1)
        sato = Staff(harness, SATO)
        await sato.press("take", 1)
        await sato.write(1, "Hello from Sato")
        assert "Hello from Sato" in phone.text()
        await sato.press("back", 1)
        assert "a:situation:lost_job" in [d for _, d in phone.last.buttons]
        chats = {int(p["chat_id"]) for _, p in harness.api.calls if "chat_id" in p}
        assert chats <= {31, STAFF_CHAT}
    finally:
        await stop_harness(harness)


async def test_staff_alerts_show_names_as_written_not_as_html(tmp_path: Path) -> None:
    """Found with seed 6: a callback alert is plain text, but it was rendered as HTML, so
    "Tom & <Jerry> already took this case" read "Tom &amp; &lt;Jerry&gt;"."""
    make = Updates()

    async def tom_takes_a_case(fuzzer: Fuzzer) -> None:
        phone = fuzzer.harness.phone(7031, "en")
        await at_situation(phone)
        await phone.send("/staff")
        await case_posted(fuzzer.harness, 1)
        await Staff(fuzzer.harness, TOM).press("take", 1)

    def sato_presses_take(fuzzer: Fuzzer) -> dict[str, Any]:
        card = Staff(fuzzer.harness, SATO).card(1)
        return make.press(SATO, "s:take:1", staff_chat(), card.message_id, card.thread_id)

    report = await replay(tmp_path, sato_presses_take, before=[tom_takes_a_case])
    assert report.callbacks == 1
    assert report.invalid == 0, report.problems


async def test_canned_replies_after_going_back_from_a_result(tmp_path: Path) -> None:
    """Found with seed 32: an employer's result, then /back to the start and half a screening
    as an applicant: the stored outcome made /reply derive an assessment from answers that had
    no field yet, and the lookup of the field's label raised (RuntimeError in the handler)."""

    async def back_from_a_result_to_half_a_screening(fuzzer: Fuzzer) -> None:
        phone = fuzzer.harness.phone(7041, "en")
        await phone.send("/start")
        await phone.answer_all("a:language:en", "a:privacy:agree:en", "a:role:employer")
        for _ in range(4):
            if "a:role:applicant" in [d for _, d in phone.last.buttons]:
                break
            await phone.send("/back")
        await phone.answer_all(
            "a:role:applicant",
            "a:status:ssw",
            "a:situation:lost_job",
            "a:cause:contract_ended",
            "a:wish_ssw:yes",
        )
        await phone.send("/staff")
        await case_posted(fuzzer.harness, 1)

    make = Updates()

    def sato_writes(text: str) -> Callable[[Fuzzer], dict[str, Any]]:
        def build(fuzzer: Fuzzer) -> dict[str, Any]:
            topic = Staff(fuzzer.harness, SATO).topic(1)
            return make.message(SATO, staff_chat(), text=text, thread_id=topic)

        return build

    report = await replay(
        tmp_path,
        sato_writes("/reply x"),
        sato_writes("/reply consent_form"),
        before=[back_from_a_result_to_half_a_screening],
    )
    assert (report.updates, report.redelivered) == (2, 0)
    assert report.exceptions == 0, report.problems
    assert report.problems == []
