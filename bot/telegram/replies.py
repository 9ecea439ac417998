"""Turns one update's replies into outbox payloads: edit the pressed message or send anew."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass

from bot.i18n import Catalogs
from bot.i18n.render import render
from bot.storage import Outgoing
from bot.storage.payloads import NO_CHAT, Edit, Message, Send
from bot.telegram.messenger import parts
from bot.telegram.sender import Sender
from dialogs.engine import Step
from dialogs.replies import ReplyKind

__all__ = ["COMMITTED", "TelegramReplies"]

# Set by the poller for each update (bot/telegram/runner.py): fired once the update's replies
# are committed, so the update can be confirmed to Telegram while they wait for their chat.
COMMITTED: ContextVar[asyncio.Event | None] = ContextVar("tsunagu_committed", default=None)


@dataclass(frozen=True, slots=True)
class TelegramReplies:
    """The replies to one update in one private chat."""

    sender: Sender
    catalogs: Catalogs
    chat_id: int
    button_message_id: int | None = None

    def prepare(self, user: str, step: Step) -> list[Outgoing]:
        """One payload per message; a single next question replaces the pressed one in place."""
        rendered = [
            render(reply, self.catalogs.translator(reply.locale or step.session.locale))
            for reply in step.replies
        ]
        in_place = (
            self.button_message_id is not None
            and len(rendered) == 1
            and rendered[0].kind is ReplyKind.QUESTION
        )
        payloads: list[Outgoing] = []
        for message in rendered:
            chunks = parts(message.text, message.buttons)
            for chunk, keyboard in chunks:
                edit = in_place and len(chunks) == 1
                if edit and self.button_message_id is not None:
                    owed: Message = Edit(self.chat_id, self.button_message_id, chunk, keyboard)
                else:
                    owed = Send(self.chat_id, chunk, keyboard)
                payloads.append(Outgoing(owed))
        return payloads

    async def deliver(self, user: str, messages: Sequence[tuple[str | None, Outgoing]]) -> None:
        """Send through the shared sender (a web visitor's page collects its own instead)."""
        committed = COMMITTED.get()
        if committed is not None:  # called after the commit, before anything is sent
            committed.set()
        if self.chat_id != NO_CHAT:
            await self.sender.send_all(user, messages)

    async def forget(self, shown: Sequence[tuple[int, int]], now: Sequence[Outgoing]) -> None:
        """Delete earlier messages, except one a reply just sent was written into (edited)."""
        keep = {o.message.message_id for o in now if isinstance(o.message, Edit)}
        by_chat: dict[int, list[int]] = {}
        for chat_id, message_id in shown:
            if message_id not in keep:
                by_chat.setdefault(chat_id, []).append(message_id)
        for chat_id, message_ids in by_chat.items():
            await self.sender.forget(chat_id, message_ids)
