"""Sends committed replies through the Messenger, in order; records what was sent, or a 403."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram.error import Forbidden, TelegramError

from bot.conversation import Clock
from bot.staff.relay import Relayer
from bot.storage import Change, Outgoing, Store
from bot.storage.payloads import Copy
from bot.storage.relays import RelayBook, RelayKey
from bot.telegram.messenger import Messenger

__all__ = ["Sender"]

logger = logging.getLogger(__name__)


class Sender:
    """Delivers outbox payloads for one person at a time and reports back to the store."""

    def __init__(self, messenger: Messenger, store: Store, clock: Clock) -> None:
        self.messenger = messenger
        self.store = store
        self.clock = clock
        self.relayer = Relayer(messenger, RelayBook(store.database), clock)  # staff messages

    async def send_all(self, user: str, messages: Sequence[tuple[str | None, Outgoing]]) -> None:
        """Send in order; record what was sent, or that the person blocked the bot."""
        delivered: list[str] = []
        shown: list[tuple[str, int, int]] = []  # what /delete may remove from the chat later
        for index, (outbox_id, message) in enumerate(messages):
            try:
                message_id = await self._deliver(user, message)
            except Forbidden:
                rest = [i for i, _ in messages[index:] if i is not None]
                logger.info("blocked user=%s", user)
                self.store.commit_later(
                    Change(user, self.clock(), sent=[*delivered, *rest], blocked=True)
                )
                return
            except TelegramError as exc:
                # Not retryable (bad request) or retries exhausted: keep the rest for a restart.
                logger.warning("send failed user=%s error=%s", user, type(exc).__name__)
                break
            if outbox_id is not None:  # stored replies only: nothing is kept before consent
                delivered.append(outbox_id)
                if message_id is not None:
                    shown.append((user, message.message.chat_id, message_id))
        if delivered:
            self.store.mark_sent(delivered, self.clock(), shown)

    async def _deliver(self, user: str, message: Outgoing) -> int | None:
        owed = message.message
        if isinstance(owed, Copy):  # a staff member's message, shown as the desk's: once
            key = RelayKey(owed.from_chat_id, owed.message_id, owed.chat_id)
            return await self.relayer.copy(user, key)
        return await self.messenger.deliver(owed)

    async def forget(self, chat_id: int, message_ids: Sequence[int]) -> None:
        """Delete the bot's messages from a chat (Telegram allows it for 48 hours)."""
        await self.messenger.forget(chat_id, message_ids)
