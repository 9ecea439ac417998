"""A fake Bot API: the state behind both the recording request layer and the HTTP emulator.

It answers the methods Tsunagu uses with the shapes and error codes of the real Bot API
(https://core.telegram.org/bots/api), records every call, and can be told to fail.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from tests.auxil.flood import FloodControl, TelegramLimits

BOT_ID = 4242
TOKEN = "4242:TEST-token-that-must-never-be-logged"


@dataclass
class Sent:
    """A message as the person's phone shows it."""

    message_id: int
    chat_id: int
    text: str
    keyboard: list[list[tuple[str, str]]]
    thread_id: int | None = None  # the forum topic, in the staff group

    @property
    def buttons(self) -> list[tuple[str, str]]:
        return [b for row in self.keyboard for b in row]


@dataclass
class BotApi:
    """Bot API state: chats' messages, recorded calls, queued failures."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    messages: dict[int, Sent] = field(default_factory=dict)
    failures: dict[str, list[tuple[int, dict[str, Any]] | Exception]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    written: dict[tuple[int, int], str] = field(default_factory=dict)  # people's own messages
    topics: dict[int, str] = field(default_factory=dict)  # forum topics: thread id -> name
    stamps: list[float] = field(default_factory=list)  # when each call was made (clock below)
    clock: Callable[[], float] = time.monotonic
    # answerCallbackQuery answered only after this many seconds, per callback query id
    slow_callbacks: dict[str, float] = field(default_factory=dict)
    # Telegram's flood limits (None: no limits); too_many_requests counts every 429 answered
    limits: TelegramLimits | None = None
    too_many_requests: int = 0
    callback_queries: set[str] = field(default_factory=set)  # pushed to the bot
    answered_callbacks: set[str] = field(default_factory=set)
    flood: FloodControl | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.limits is not None:
            self.flood = FloodControl(self.limits, self.clock)

    @property
    def unanswered_callbacks(self) -> int:
        """Button presses the bot never answered (the person's button keeps spinning)."""
        return len(self.callback_queries - self.answered_callbacks)

    def heard(self, update: dict[str, Any]) -> None:
        """An update goes to the bot: its chat just wrote; a button press awaits its answer."""
        query = update.get("callback_query")
        message = (query or {}).get("message") or update.get("message") or {}
        if query is not None:
            self.callback_queries.add(str(query["id"]))
        chat = message.get("chat", {}).get("id")
        if self.flood is not None and chat is not None:
            self.flood.heard_from(int(chat))

    def fail(self, method: str, *outcomes: tuple[int, dict[str, Any]] | Exception) -> None:
        """Make the next calls of ``method`` fail, one outcome per call."""
        self.failures.setdefault(method, []).extend(outcomes)

    def call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one request as the Bot API would."""
        self.calls.append((method, params))
        self.stamps.append(self.clock())
        status, body = self._answer(method, params)
        if status == 429:
            self.too_many_requests += 1
        return status, body

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.failures.get(method):
            outcome = self.failures[method].pop(0)
            if isinstance(outcome, Exception):
                raise outcome
            return outcome
        retry_after = self.flood.refuse(method, params) if self.flood is not None else None
        if retry_after is not None:
            return too_many(retry_after)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        return 200, {"ok": True, "result": handler(params)}

    # -- what a test reads ---------------------------------------------------------------------

    def chat(self, chat_id: int, thread_id: int | None = None) -> list[Sent]:
        """The messages in a chat (or one of its topics), oldest first, as last edited."""
        return sorted(
            (
                m
                for m in self.messages.values()
                if m.chat_id == chat_id and (thread_id is None or m.thread_id == thread_id)
            ),
            key=lambda m: m.message_id,
        )

    def wrote(self, chat_id: int, message_id: int, text: str) -> None:
        """Remember what a person wrote, so copyMessage can show it elsewhere."""
        self.written[(chat_id, message_id)] = text

    def named(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    # -- methods -------------------------------------------------------------------------------

    def _getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Tsunagu",
            "username": "tsunagu_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        thread = params.get("message_thread_id")
        sent = Sent(
            next(self._ids),
            int(params["chat_id"]),
            params["text"],
            _keyboard(params.get("reply_markup")),
            int(thread) if thread is not None else None,
        )
        self.messages[sent.message_id] = sent
        return self._message(sent)

    def _editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = self.messages[int(params["message_id"])]
        sent.text, sent.keyboard = params["text"], _keyboard(params.get("reply_markup"))
        return self._message(sent)

    def _message(self, sent: Sent) -> dict[str, Any]:
        return {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "text": sent.text,
            "chat": {"id": sent.chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Tsunagu"},
        }

    def _copyMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        source = (int(params["from_chat_id"]), int(params["message_id"]))
        text = self.written.get(source) or next(
            (m.text for m in self.messages.values() if (m.chat_id, m.message_id) == source),
            f"<copy of message {source[1]}>",
        )
        thread = params.get("message_thread_id")
        sent = Sent(
            next(self._ids), int(params["chat_id"]), text, [], int(thread) if thread else None
        )
        self.messages[sent.message_id] = sent
        return {"message_id": sent.message_id}

    def _createForumTopic(self, params: dict[str, Any]) -> dict[str, Any]:
        thread = next(self._ids)
        self.topics[thread] = params["name"]
        return {"message_thread_id": thread, "name": params["name"], "icon_color": 7322096}

    def _deleteMessages(self, params: dict[str, Any]) -> bool:
        ids = params["message_ids"]
        chat = int(params["chat_id"])
        for message_id in json.loads(ids) if isinstance(ids, str) else ids:
            held = self.messages.get(int(message_id))
            if held is not None and held.chat_id == chat:
                del self.messages[int(message_id)]
        return True

    def _deleteForumTopic(self, params: dict[str, Any]) -> bool:
        thread = int(params["message_thread_id"])
        if self.topics.pop(thread, None) is None:
            return False
        for message_id in [m.message_id for m in self.messages.values() if m.thread_id == thread]:
            del self.messages[message_id]
        return True

    def _answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        self.answered_callbacks.add(str(params["callback_query_id"]))
        return True

    def _setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    def _deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True


def _keyboard(markup: Any) -> list[list[tuple[str, str]]]:
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = (markup or {}).get("inline_keyboard", [])
    return [[(b["text"], b["callback_data"]) for b in row] for row in rows]


def forbidden() -> tuple[int, dict[str, Any]]:
    return 403, {
        "ok": False,
        "error_code": 403,
        "description": "Forbidden: bot was blocked by the user",
    }


def too_many(retry_after: int = 1) -> tuple[int, dict[str, Any]]:
    return 429, {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {retry_after}",
        "parameters": {"retry_after": retry_after},
    }


def network_down() -> NetworkError:
    return NetworkError("connection reset")


class RecordingRequest(BaseRequest):
    """PTB's request layer without a network: every call goes to a :class:`BotApi`."""

    def __init__(self, api: BotApi) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        params = dict(request_data.parameters) if request_data else {}
        method_name = url.rsplit("/", 1)[-1]
        if method_name == "answerCallbackQuery":
            await asyncio.sleep(
                self.api.slow_callbacks.get(str(params.get("callback_query_id")), 0)
            )
        status, body = self.api.call(method_name, params)
        return status, json.dumps(body).encode()


# -- updates as Telegram sends them --------------------------------------------------------------

_update_ids = itertools.count(1)


def _user(user_id: int, language: str | None) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Intern", "language_code": language}


def text_update(
    user_id: int,
    text: str,
    language: str | None = "en",
    update_id: int | None = None,
    chat_type: str = "private",
) -> dict[str, Any]:
    chat_id = user_id if chat_type == "private" else -100_000 - user_id
    message: dict[str, Any] = {
        "message_id": next(_update_ids),
        "date": int(time.time()),
        "text": text,
        "chat": {"id": chat_id, "type": chat_type},
        "from": _user(user_id, language),
    }
    if text.startswith("/"):
        message["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(text.split(maxsplit=1)[0])}
        ]
    return {"update_id": update_id or next(_update_ids), "message": message}


def media_update(user_id: int, kind: str) -> dict[str, Any]:
    content: Any = {
        "sticker": {
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        },
        "photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}],
        "voice": {"file_id": "v", "file_unique_id": "v", "duration": 2},
    }[kind]
    update = text_update(user_id, "x")
    del update["message"]["text"]
    update["message"][kind] = content
    return update


def edited_update(user_id: int, text: str) -> dict[str, Any]:
    update = text_update(user_id, text)
    update["message"]["edit_date"] = int(time.time())
    return {"update_id": update["update_id"], "edited_message": update["message"]}


def button_update(
    user_id: int,
    data: str,
    message_id: int,
    language: str | None = "en",
    update_id: int | None = None,
) -> dict[str, Any]:
    return {
        "update_id": update_id or next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": _user(user_id, language),
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "text": "…",
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Tsunagu"},
            },
        },
    }


# -- the staff group -----------------------------------------------------------------------------

STAFF_CHAT = -1_001_234_567_890


def _staff_chat() -> dict[str, Any]:
    return {"id": STAFF_CHAT, "type": "supergroup", "title": "Tsunagu staff", "is_forum": True}


def group_text_update(
    user_id: int, text: str, thread_id: int | None, language: str | None = "ja"
) -> dict[str, Any]:
    """A staff member writes in the staff group (in a topic when ``thread_id`` is given)."""
    message: dict[str, Any] = {
        "message_id": next(_update_ids),
        "date": int(time.time()),
        "text": text,
        "chat": _staff_chat(),
        "from": _user(user_id, language),
    }
    if thread_id is not None:
        message |= {"message_thread_id": thread_id, "is_topic_message": True}
    if text.startswith("/"):
        message["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(text.split(maxsplit=1)[0])}
        ]
    return {"update_id": next(_update_ids), "message": message}


def group_button_update(
    user_id: int, data: str, message_id: int, thread_id: int | None
) -> dict[str, Any]:
    """A staff member presses a button on a message in the staff group."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "text": "…",
        "chat": _staff_chat(),
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Tsunagu"},
    }
    if thread_id is not None:
        message |= {"message_thread_id": thread_id, "is_topic_message": True}
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": _user(user_id, "ja"),
            "chat_instance": "staff",
            "data": data,
            "message": message,
        },
    }
