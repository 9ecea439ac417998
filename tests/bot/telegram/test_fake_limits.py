"""The fake Bot API's flood limits (tests/auxil/flood.py): what Telegram refuses, how long."""

from __future__ import annotations

from typing import Any

import pytest

from tests.auxil.fakes import STAFF_CHAT, BotApi, button_update, text_update
from tests.auxil.flood import TelegramLimits


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def api(clock: Clock) -> BotApi:
    return BotApi(limits=TelegramLimits(), clock=clock)


def send(api: BotApi, chat: int, method: str = "sendMessage") -> tuple[int, dict[str, Any]]:
    if method == "editMessageText":
        status, body = api.call("sendMessage", {"chat_id": chat, "text": "q"})
        assert status == 200
        return api.call(
            method, {"chat_id": chat, "message_id": body["result"]["message_id"], "text": "e"}
        )
    return api.call(method, {"chat_id": chat, "text": "hello"})


def test_a_private_chat_allows_a_short_burst_then_one_a_second(api: BotApi, clock: Clock) -> None:
    api.heard(text_update(7, "/start"))
    statuses = [send(api, 7)[0] for _ in range(4)]
    status, body = send(api, 7)
    assert statuses == [200] * 4
    assert (status, body["parameters"]["retry_after"]) == (429, 1)
    assert body["error_code"] == 429 and "Too Many Requests" in body["description"]
    assert send(api, 7)[0] == 429, "retried early: refused again"
    clock.now += 1.0
    assert send(api, 7)[0] == 200
    assert send(api, 8)[0] == 200, "another chat has its own budget"
    assert api.too_many_requests == 2


def test_edits_spend_the_same_budget(api: BotApi) -> None:
    api.heard(text_update(7, "/start"))
    send(api, 7, "editMessageText")  # one send, one edit
    send(api, 7, "editMessageText")
    assert send(api, 7)[0] == 429


def test_button_answers_are_free(api: BotApi) -> None:
    press = button_update(7, "a:role:applicant", 1)
    api.heard(press)
    assert api.unanswered_callbacks == 1
    for _ in range(100):
        status, _ = api.call("answerCallbackQuery", {"callback_query_id": "x"})
        assert status == 200
    api.call("answerCallbackQuery", {"callback_query_id": press["callback_query"]["id"]})
    assert api.unanswered_callbacks == 0 and api.too_many_requests == 0


def test_a_group_gets_twenty_in_any_minute(api: BotApi, clock: Clock) -> None:
    for _ in range(20):
        assert send(api, STAFF_CHAT)[0] == 200
        clock.now += 1.0
    status, body = send(api, STAFF_CHAT)
    assert status == 429 and body["parameters"]["retry_after"] == 40
    clock.now += 40.0
    assert send(api, STAFF_CHAT)[0] == 200


def test_new_messages_nobody_asked_for_are_held_to_thirty_a_second(api: BotApi) -> None:
    for chat in range(100, 130):
        assert send(api, chat)[0] == 200
    assert send(api, 130)[0] == 429, "the 31st in a second"
    for chat in range(200, 260):  # people who just wrote: replies, not bulk
        api.heard(text_update(chat, "/start"))
        assert send(api, chat)[0] == 200


def test_limits_can_be_switched_off() -> None:
    api = BotApi()
    assert all(send(api, 7)[0] == 200 for _ in range(50))
