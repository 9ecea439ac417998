"""The recording fake Bot API made stricter: the 400s real Telegram answers that it does not."""

from __future__ import annotations

from typing import Any

from tests.auxil.fakes import BotApi, _keyboard

__all__ = ["StrictBotApi"]


class StrictBotApi(BotApi):
    """The recording fake, answering 400 where Telegram does: edits of missing or unchanged
    messages, edits in another chat, a callback query answered twice; and setWebhook."""

    def __init__(self) -> None:
        super().__init__()
        self.answered: set[str] = set()

    def call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        refusal = self._refusal(method, params)
        if refusal is None:
            return super().call(method, params)
        self.calls.append((method, params))
        self.stamps.append(self.clock())
        return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {refusal}"}

    def _refusal(self, method: str, params: dict[str, Any]) -> str | None:
        if method == "editMessageText":
            held = self.messages.get(int(params["message_id"]))
            if held is None or held.chat_id != int(params["chat_id"]):
                return "message to edit not found"
            new = (params["text"], _keyboard(params.get("reply_markup")))
            if (held.text, held.keyboard) == new:
                return "message is not modified: specified new message content and reply markup"
        if method == "answerCallbackQuery":
            query = str(params["callback_query_id"])
            if query in self.answered:
                return "query is too old and response timeout expired or query ID is invalid"
            self.answered.add(query)
        return None

    def _setWebhook(self, params: dict[str, Any]) -> bool:
        return True

    def prune(self, keep: int = 12) -> None:
        """Forget all but each chat's newest messages (a long soak would fill memory)."""
        by_chat: dict[int, list[int]] = {}
        for message_id in sorted(self.messages):
            by_chat.setdefault(self.messages[message_id].chat_id, []).append(message_id)
        for ids in by_chat.values():
            for message_id in ids[:-keep]:
                del self.messages[message_id]
