"""Staff commands in a case's topic are read the way the applicant's commands are."""

from __future__ import annotations

from pathlib import Path

from tests.auxil.staff_harness import SATO, Staff, at_situation, case_posted, start_staffed
from tests.auxil.telegram_harness import stop_harness


async def test_a_note_on_several_lines_stays_in_the_group(tmp_path: Path) -> None:
    harness = await start_staffed(tmp_path)
    try:
        phone, sato = harness.phone(1, "vi"), Staff(harness, SATO)
        await at_situation(phone)
        await phone.send("/staff")
        await case_posted(harness, 1)
        await sato.press("take", 1)
        # Before one command parser, "/note" followed by a new line was relayed to the applicant.
        await sato.write(1, "/note\n在留カードの期限を確認すること")
        await sato.write(1, "/note@tsunagu_bot 電話番号を聞く")
        await sato.write(1, "こんにちは")
    finally:
        await stop_harness(harness)
    assert phone.last.text == "こんにちは", "a message reaches the applicant"
    assert "在留カード" not in phone.text() and "電話番号" not in phone.text()
