"""Faults from Telegram on every method the bot uses: 5xx, dropped connections and 429s.

Each run injects one fault on the first call of one method and walks a whole staffed
conversation through the real Application (with the production rate limiter): every reply
arrives, every relay once, one topic per case, and no 429 is retried before its retry_after.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.auxil.fakes import STAFF_CHAT, BotApi, network_down, too_many
from tests.auxil.staff_harness import SATO, Staff, case_posted, start_staffed
from tests.auxil.telegram_harness import TITP_TO_CARE, stop_harness, wait_for

Fault = Callable[[], tuple[int, dict[str, Any]] | Exception]


def server_error() -> tuple[int, dict[str, Any]]:
    return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}


def bad_gateway() -> tuple[int, dict[str, Any]]:
    return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}


FAULTS: dict[str, Fault] = {
    "500": server_error,
    "502": bad_gateway,
    "dropped": network_down,
    "429": lambda: too_many(1),
}
METHODS = (
    "sendMessage",
    "editMessageText",
    "answerCallbackQuery",
    "createForumTopic",
    "copyMessage",
)


class CountingApi(BotApi):
    """The fake Bot API, also keeping each call's answer (to find the 429s)."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[tuple[int, dict[str, Any]] | None] = []

    def call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            answer = super().call(method, params)
        except Exception:
            self.answers.append(None)
            raise
        self.answers.append(answer)
        return answer


def retried_early(api: CountingApi) -> int:
    """429s whose method was called again (for the same chat) before retry_after passed."""
    early = 0
    for index, (method, params) in enumerate(api.calls):
        answer = api.answers[index] if index < len(api.answers) else None
        if answer is None or answer[0] != 429:
            continue
        wait = answer[1]["parameters"]["retry_after"]
        for later, (name, again) in enumerate(api.calls[index + 1 :], start=index + 1):
            if name == method and again.get("chat_id") == params.get("chat_id"):
                early += api.stamps[later] - api.stamps[index] < wait - 0.05
                break
    return early


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fault", FAULTS)
async def test_one_fault_on_any_method_loses_and_doubles_nothing(
    tmp_path: Path, method: str, fault: str
) -> None:
    api = CountingApi()
    harness = await start_staffed(tmp_path, api, rate_limiter=True)
    try:
        api.fail(method, FAULTS[fault]())
        phone, sato = harness.phone(31, "en"), Staff(harness, SATO)
        await phone.send("/start")
        await phone.answer_all("a:language:en", "a:privacy:agree:en", *TITP_TO_CARE)
        await phone.send("Tokyo")
        await phone.press("a:review:confirm")
        assert "Tokyo" in phone.last.text, "the result, with the office"
        await phone.press("c:staff")
        await phone.send("I lost my job last week")
        await case_posted(harness, 1)
        await wait_for(lambda: any("I lost my job" in p.text for p in sato.posts(1)), 30)
        await sato.press("take", 1)
        await sato.write(1, "Hello, I am Sato.")
        await wait_for(lambda: phone.last.text == "Hello, I am Sato.", 30)
        await sato.press("back", 1)
        await phone.press("a:result:show")
        assert "c:staff" in [d for _, d in phone.last.buttons], "the result again"
    finally:
        await stop_harness(harness)
    topic = [m.text for m in sato.posts(1)]
    assert topic.count("I lost my job last week") == 1
    assert [m.text for m in phone.messages].count("Hello, I am Sato.") == 1
    assert list(api.topics.values()) == ["#1 · en"], "one topic for the one case"
    assert not api.failures.get(method), "the fault was met"
    assert retried_early(api) == 0
    assert all(m.chat_id in (31, STAFF_CHAT) for m in api.messages.values())
