"""Copies a message to another chat at most once, keyed by the message it copies.

Telegram has no idempotency key: a copy whose answer was lost (a crash, a cut connection)
cannot be checked. So the right to copy is claimed and committed before the call, and given
back only when Telegram surely did not make the copy (it answered with an error, or no
connection was made). A claim left over is never tried again: a staff message or an
applicant's message may then be missing (logged with ids), but never shown twice.
"""

from __future__ import annotations

import logging

import httpx
from telegram.error import NetworkError, TelegramError, TimedOut

from bot.conversation import Clock
from bot.storage.relays import RelayBook, RelayKey
from bot.telegram.messenger import Messenger

__all__ = ["Relayer", "surely_not_sent"]

logger = logging.getLogger(__name__)

# httpx errors raised before a request was written: the server never saw it.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def surely_not_sent(error: TelegramError) -> bool:
    """Whether Telegram surely did not act on the call that raised ``error``.

    PTB raises NetworkError without a cause for an HTTP error status (Telegram answered), and
    with the httpx error as its cause when no answer came.
    """
    cause = error.__cause__
    if isinstance(error, TimedOut | NetworkError) and cause is not None:
        return isinstance(cause, _NOT_SENT)
    return True


class Relayer:
    """``copyMessage``, once per (source message, destination chat)."""

    def __init__(self, messenger: Messenger, relays: RelayBook, clock: Clock) -> None:
        self.messenger, self.relays, self.clock = messenger, relays, clock

    async def copy(self, user: str, key: RelayKey, thread_id: int | None = None) -> int | None:
        """The copy's message id; None when it was copied (or attempted) before."""
        if not await self.relays.claim(user, key, self.clock()):
            logger.warning(
                "relay not repeated user=%s from=%s message=%s to=%s",
                user,
                key.from_chat_id,
                key.message_id,
                key.chat_id,
            )
            return None
        try:
            copied = await self.messenger.copy(
                key.chat_id, key.from_chat_id, key.message_id, thread_id=thread_id
            )
        except TelegramError as exc:
            if surely_not_sent(exc):
                await self.relays.release(key)
            else:
                logger.warning(
                    "relay outcome unknown user=%s message=%s error=%s",
                    user,
                    key.message_id,
                    type(exc).__name__,
                )
            raise
        await self.relays.confirm(key, copied)
        return copied
