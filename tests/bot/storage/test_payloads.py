"""The outbox and staff-post formats: typed, and readable as the previous release wrote them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.storage.payloads import (
    Copy,
    CopyToTopic,
    DeleteTopic,
    Edit,
    GeneralText,
    Message,
    OpenTopic,
    PayloadError,
    Send,
    StaffPayload,
    TopicText,
    message_from_json,
    message_to_json,
    staff_from_json,
    staff_to_json,
)

KEYS = ((("1. Yes", "a:wish_ssw:yes"), ("2. No", "a:wish_ssw:no")),)


@pytest.mark.parametrize(
    "message", [Send(5, "<b>Hi</b>", KEYS), Edit(5, 77, "again", KEYS), Copy(5, -100, 12)]
)
def test_messages_round_trip(message: Message) -> None:
    assert message_from_json(message_to_json(message)) == message


# Exactly what the previous release stored (bot/telegram/replies.py and bot/staff/group.py).
PREVIOUS_OUTBOX: list[tuple[dict[str, Any], Message]] = [
    (
        {
            "method": "send",
            "chat_id": 5,
            "message_id": None,
            "text": "t",
            "keyboard": [[["1. Yes", "a:wish_ssw:yes"], ["2. No", "a:wish_ssw:no"]]],
        },
        Send(5, "t", KEYS),
    ),
    (
        {"method": "edit", "chat_id": 5, "message_id": 9, "text": "t", "keyboard": []},
        Edit(5, 9, "t"),
    ),
    ({"method": "copy", "chat_id": 5, "from_chat_id": -100, "message_id": 3}, Copy(5, -100, 3)),
]


@pytest.mark.parametrize(("stored", "message"), PREVIOUS_OUTBOX)
def test_the_previous_releases_outbox_rows_are_read_and_written_the_same(
    stored: dict[str, Any], message: Message
) -> None:
    assert message_from_json(stored) == message
    assert message_to_json(message) == stored


PREVIOUS_POSTS: list[tuple[dict[str, Any], StaffPayload]] = [
    ({"kind": "open"}, OpenTopic()),
    ({"kind": "copy", "from_chat_id": 5, "message_id": 8}, CopyToTopic(5, 8)),
    ({"kind": "text", "text": "<b>x</b>"}, TopicText("<b>x</b>")),
    ({"kind": "general", "text": "y"}, GeneralText("y")),
    ({"kind": "delete_topic", "thread_id": 41}, DeleteTopic(41)),
]


@pytest.mark.parametrize(("stored", "post"), PREVIOUS_POSTS)
def test_the_previous_releases_staff_posts_are_read_and_written_the_same(
    stored: dict[str, Any], post: StaffPayload
) -> None:
    assert staff_from_json(stored) == post
    assert staff_to_json(post) == stored


def test_costs_and_which_posts_need_a_case() -> None:
    assert OpenTopic.cost == 2  # a topic and its card
    assert [p.needs_case for _, p in PREVIOUS_POSTS] == [True, True, True, False, False]


def test_unknown_kinds_are_an_error_not_a_silent_drop() -> None:
    with pytest.raises(PayloadError, match="unknown outbox method"):
        message_from_json({"method": "sticker", "chat_id": 1})
    with pytest.raises(PayloadError, match="unknown staff post kind"):
        staff_from_json({"kind": "txt", "text": "typo"})
