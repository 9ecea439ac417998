"""The durable formats of the outbox and the staff-post queue: typed, serialised in one place.

Rows written by an earlier release stay readable: the JSON keys are the ones it wrote
(``"method"`` for messages owed to a person, ``"kind"`` for staff posts). A row of a kind this
release does not know raises :class:`PayloadError`, which the readers log and skip, never
silently drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

__all__ = [
    "NO_CHAT",
    "Copy",
    "CopyToTopic",
    "DeleteTopic",
    "Edit",
    "GeneralText",
    "Keyboard",
    "Message",
    "OpenTopic",
    "PayloadError",
    "Send",
    "StaffPayload",
    "TopicText",
    "message_from_json",
    "message_to_json",
    "staff_from_json",
    "staff_to_json",
]

# The chat id of a person who has no Telegram chat (a web visitor): nothing is sent to it, their
# page collects what the outbox holds for them. Telegram never uses 0 for a chat.
NO_CHAT = 0

# Rows of (label, callback data) buttons.
Keyboard = tuple[tuple[tuple[str, str], ...], ...]


class PayloadError(ValueError):
    """A stored payload this release cannot read."""


# -- messages owed to a person (the outbox) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Send:
    """A new message in the person's chat."""

    method: ClassVar[str] = "send"
    chat_id: int
    text: str
    keyboard: Keyboard = ()


@dataclass(frozen=True, slots=True)
class Edit:
    """The text and buttons of a message already in the chat, replaced (the pressed question)."""

    method: ClassVar[str] = "edit"
    chat_id: int
    message_id: int
    text: str
    keyboard: Keyboard = ()


@dataclass(frozen=True, slots=True)
class Copy:
    """A staff member's message copied into the person's chat (shown as the desk's)."""

    method: ClassVar[str] = "copy"
    chat_id: int
    from_chat_id: int
    message_id: int


Message = Send | Edit | Copy


def message_to_json(message: Message) -> dict[str, Any]:
    """The outbox row's payload."""
    if isinstance(message, Copy):
        return {
            "method": message.method,
            "chat_id": message.chat_id,
            "from_chat_id": message.from_chat_id,
            "message_id": message.message_id,
        }
    return {
        "method": message.method,
        "chat_id": message.chat_id,
        "message_id": message.message_id if isinstance(message, Edit) else None,
        "text": message.text,
        "keyboard": [[list(button) for button in row] for row in message.keyboard],
    }


def message_from_json(data: dict[str, Any]) -> Message:
    """An outbox row's payload as written by this or the previous release."""
    method = data.get("method")
    if method == Copy.method:
        return Copy(int(data["chat_id"]), int(data["from_chat_id"]), int(data["message_id"]))
    keyboard = _keyboard(data.get("keyboard") or [])
    if method == Send.method:
        return Send(int(data["chat_id"]), str(data["text"]), keyboard)
    if method == Edit.method:
        chat_id, message_id = int(data["chat_id"]), int(data["message_id"])
        return Edit(chat_id, message_id, str(data["text"]), keyboard)
    raise PayloadError(f"unknown outbox method {method!r}")


def _keyboard(rows: list[list[list[str]]]) -> Keyboard:
    return tuple(tuple((str(label), str(data)) for label, data in row) for row in rows)


# -- posts to the staff group (the staff-post queue) ----------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenTopic:
    """Open the case's forum topic and post its card."""

    kind: ClassVar[str] = "open"
    cost: ClassVar[int] = 2  # createForumTopic + the card
    needs_case: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class CopyToTopic:
    """Copy the applicant's message into the case's topic."""

    kind: ClassVar[str] = "copy"
    cost: ClassVar[int] = 1
    needs_case: ClassVar[bool] = True
    from_chat_id: int
    message_id: int


@dataclass(frozen=True, slots=True)
class TopicText:
    """A text in the case's topic, rendered when it was queued."""

    kind: ClassVar[str] = "text"
    cost: ClassVar[int] = 1
    needs_case: ClassVar[bool] = True
    text: str


@dataclass(frozen=True, slots=True)
class GeneralText:
    """A text in the group's general chat (no case)."""

    kind: ClassVar[str] = "general"
    cost: ClassVar[int] = 1
    needs_case: ClassVar[bool] = False
    text: str


@dataclass(frozen=True, slots=True)
class DeleteTopic:
    """Delete a forum topic (the person erased their data)."""

    kind: ClassVar[str] = "delete_topic"
    cost: ClassVar[int] = 1
    needs_case: ClassVar[bool] = False
    thread_id: int


StaffPayload = OpenTopic | CopyToTopic | TopicText | GeneralText | DeleteTopic


def staff_to_json(post: StaffPayload) -> dict[str, Any]:
    """The staff-post row's payload."""
    if isinstance(post, CopyToTopic):
        return {
            "kind": post.kind,
            "from_chat_id": post.from_chat_id,
            "message_id": post.message_id,
        }
    if isinstance(post, TopicText | GeneralText):
        return {"kind": post.kind, "text": post.text}
    if isinstance(post, DeleteTopic):
        return {"kind": post.kind, "thread_id": post.thread_id}
    return {"kind": post.kind}


def staff_from_json(data: dict[str, Any]) -> StaffPayload:
    """A staff-post row's payload as written by this or the previous release."""
    kind = data.get("kind")
    if kind == OpenTopic.kind:
        return OpenTopic()
    if kind == CopyToTopic.kind:
        return CopyToTopic(int(data["from_chat_id"]), int(data["message_id"]))
    if kind == TopicText.kind:
        return TopicText(str(data["text"]))
    if kind == GeneralText.kind:
        return GeneralText(str(data["text"]))
    if kind == DeleteTopic.kind:
        return DeleteTopic(int(data["thread_id"]))
    raise PayloadError(f"unknown staff post kind {kind!r}")
