"""The rules' seams through Telegram, in every shipped language (the real PTB Application)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.auxil.telegram_harness import Harness, Phone, start_harness, stop_harness
from tests.conftest import SHIPPED

LOST_JOB = ("a:situation:lost_job", "a:cause:bankruptcy", "a:wish_ssw:yes", "a:contract:yes")


@pytest.fixture
async def tg(tmp_path: Path) -> AsyncIterator[Harness]:
    harness = await start_harness(tmp_path)
    yield harness
    await stop_harness(harness)


async def _consented(tg: Harness, user: int, locale: str) -> Phone:
    phone = tg.phone(user, "en")
    await phone.send("/start")
    await phone.answer_all(f"a:language:{locale}", f"a:privacy:agree:{locale}", "a:role:applicant")
    return phone


def _data(phone: Phone) -> list[str]:
    return [d for _, d in phone.last.buttons]


@pytest.mark.parametrize("locale", SHIPPED)
async def test_note_1_follows_the_persons_own_status(tg: Harness, locale: str) -> None:
    trainee = await _consented(tg, 1, locale)
    await trainee.answer_all("a:status:titp", *LOST_JOB, "a:field:electronics")
    assert _data(trainee)[:3] == [
        "a:manufacturing_basis:titp2_related",
        "a:manufacturing_basis:neither",
        "a:manufacturing_basis:unsure",
    ]
    engineer = await _consented(tg, 2, locale)
    await engineer.answer_all("a:status:engineer", *LOST_JOB, "a:field:electronics")
    assert "a:review:confirm" in _data(engineer), "no basis question for an engineer"
    await engineer.press("a:review:confirm")
    assert "技術・人文知識・国際業務" in engineer.last.text, "the result names their status"
    assert "a:result:change:field" in _data(engineer)


@pytest.mark.parametrize("locale", SHIPPED)
async def test_results_name_the_status_granted_and_fields_show_japanese(
    tg: Harness, locale: str
) -> None:
    phone = await _consented(tg, 3, locale)
    await phone.answer_all("a:status:titp", *LOST_JOB)
    labels = [label for label, _ in phone.last.buttons]
    assert any("介護" in label for label in labels), labels
    assert any("ビルクリーニング" in label for label in labels), labels
    await phone.answer_all("a:field:care", "a:prefecture:region:kanto", "a:prefecture:tokyo")
    await phone.press("a:review:confirm")
    assert "特定活動（最大1年・就労可）" in phone.last.text


@pytest.mark.parametrize("locale", SHIPPED)
async def test_a_trainee_whose_job_loss_was_not_covid_can_change_to_cannot_return(
    tg: Harness, locale: str
) -> None:
    phone = await _consented(tg, 4, locale)
    await phone.answer_all("a:status:titp", "a:situation:lost_job", "a:cause:not_covid")
    await phone.press("a:review:confirm")
    await phone.press("a:result:change:situation")
    assert "a:situation:cannot_return" in _data(phone)
