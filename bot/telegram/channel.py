"""The PTB handler: one thin callback that reads the update, hands it on, and logs ids."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from telegram import Update
from telegram.ext import ContextTypes

from bot.app import App
from bot.i18n import Catalogs
from bot.jobs.content_changes import tell_changes
from bot.jobs.retention import RetentionJob
from bot.metrics import ERRORS, OUTCOMES, UPDATES
from bot.staff.group import StaffGroup
from bot.storage import UNAVAILABLE, Outgoing
from bot.storage.payloads import NO_CHAT, Edit
from bot.telegram.limiter import broadcasting
from bot.telegram.replies import TelegramReplies
from bot.telegram.sender import Sender
from bot.telegram.updates import read_update

__all__ = ["TelegramChannel", "latest_screens", "replies_for"]


def replies_for(sender: Sender, catalogs: Catalogs) -> Callable[[int], TelegramReplies]:
    """The delivery for a person's private chat, by chat id (for the channel and the desk)."""
    return lambda chat_id: TelegramReplies(sender, catalogs, chat_id)


logger = logging.getLogger(__name__)

Owed = list[tuple[str | None, Outgoing]]


def latest_screens(messages: Owed) -> tuple[Owed, list[str]]:
    """Drop each edit that a later edit of the same message overwrites: the latest screen wins.

    Several owed edits of one message exist only after a crash (a person pressed on while the
    replies could not go out); sending each would spend the chat's budget (about one a second)
    on screens nobody will see. Returns what to send, and the outbox ids that need no sending.
    """
    last: dict[tuple[int, int], int] = {}
    for index, (_, outgoing) in enumerate(messages):
        if isinstance(outgoing.message, Edit):
            last[(outgoing.message.chat_id, outgoing.message.message_id)] = index
    latest: Owed = []
    overwritten: list[str] = []
    for index, (outbox_id, outgoing) in enumerate(messages):
        owed = outgoing.message
        if isinstance(owed, Edit) and last[(owed.chat_id, owed.message_id)] != index:
            if outbox_id is not None:
                overwritten.append(outbox_id)
            continue
        latest.append((outbox_id, outgoing))
    return latest, overwritten


class TelegramChannel:
    """Connects a PTB Application to the conversations of a Tsunagu App."""

    def __init__(
        self,
        app: App,
        sender: Sender,
        staff: StaffGroup | None = None,
        retention: RetentionJob | None = None,
    ) -> None:
        self.app = app
        self.sender = sender
        self.staff = staff  # when a staff group is configured
        self.retention = retention  # the hourly purge
        self._spinners: set[asyncio.Task[None]] = set()  # callback answers under way
        self.telling: asyncio.Task[int] | None = None  # change notices going out
        # Updates whose change could not be committed (storage down): the runner leaves them
        # unconfirmed, so Telegram sends them again (see bot/telegram/runner.py).
        self.unstored: set[int] = set()

    def replies_to(self, chat_id: int) -> TelegramReplies:
        """The delivery for a person's private chat."""
        return replies_for(self.sender, self.app.catalogs)(chat_id)

    def replies_to_user(self, user: str) -> TelegramReplies | None:
        """The delivery for a stored person (``tg:<id>``: their private chat has that id)."""
        prefix, _, number = user.partition(":")
        return self.replies_to(int(number)) if prefix == "tg" and number.isdigit() else None

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle one update: answer a button press at once, then step and reply."""
        del context
        started = time.perf_counter()
        chat = update.effective_chat
        if self.staff is not None and chat is not None and chat.id == self.staff.desk.chat_id:
            await self.staff.on_update(update)
            return
        incoming = read_update(update, self.app.catalogs.negotiate)
        if incoming is None:
            # Not a private chat: applicants are answered only there. A button pressed in
            # another group (an old card after the staff group moved) or under an inline
            # message still gets its spinner stopped.
            if update.callback_query is not None:
                self._spin_down(update.callback_query.id)
            return
        if incoming.callback_id is not None:
            # Not awaited before the person's turn: their place in line is taken by handle()
            # below, in arrival order. Waiting for this answer first let a later press overtake
            # an earlier one when Telegram answered the two out of order (seen in the kill test).
            self._spin_down(incoming.callback_id)
        replies = TelegramReplies(
            self.sender, self.app.catalogs, incoming.chat_id, incoming.button_message_id
        )
        try:
            step = await self.app.conversations.handle(
                incoming.user,
                incoming.event,
                update_id=update.update_id,
                delivery=replies,
                origin=incoming.origin,
            )
        except UNAVAILABLE:  # storage failed, not the turn: Telegram will send it again
            self.unstored.add(update.update_id)
            raise
        UPDATES.inc()
        if step is not None and step.assessment is not None and step.session.outcome:
            OUTCOMES.labels(step.session.outcome).inc()
        logger.info(
            "update=%s user=%s event=%s state=%s ms=%.1f",
            update.update_id,
            incoming.user,
            type(incoming.event).__name__,
            step.session.state.value if step else "duplicate",
            (time.perf_counter() - started) * 1000,
        )

    def _spin_down(self, callback_id: str) -> None:
        spinner = asyncio.create_task(self._stop_spinner(callback_id))
        self._spinners.add(spinner)
        spinner.add_done_callback(self._spinners.discard)

    async def spinners_answered(self) -> None:
        """Wait for the button-press answers still under way (at shutdown, and in tests)."""
        await asyncio.gather(*self._spinners, return_exceptions=True)

    async def _stop_spinner(self, callback_id: str) -> None:
        await self.sender.messenger.answer(callback_id)

    async def resend_unsent(self) -> int:
        """After a crash: deliver replies that were committed but never sent."""
        by_user: dict[str, Owed] = {}
        for outbox_id, user, payload in await self.app.store.unsent():
            # A web visitor's page collects theirs (bot/web); no Telegram chat to send to.
            if user not in self.app.store.blocked and payload.message.chat_id != NO_CHAT:
                by_user.setdefault(user, []).append((outbox_id, payload))
        for user, messages in by_user.items():
            latest, overwritten = latest_screens(messages)
            async with self.app.conversations.turn(user):
                if overwritten:
                    self.app.store.mark_sent(overwritten, self.sender.clock())
                await self.sender.send_all(user, latest)
        return sum(len(m) for m in by_user.values())

    def tell_changes(self) -> None:
        """Tell those who asked that their result changed: in the background, as broadcasts.

        Paced at the broadcast rate, a thousand notices take most of a minute; polling starts
        meanwhile, and replies never queue behind them (bot/telegram/limiter.py).
        """

        async def tell() -> int:
            with broadcasting():
                return await tell_changes(self.app.conversations, self.replies_to_user)

        self.telling = asyncio.create_task(tell(), name="tsunagu-change-notices")

    async def close(self) -> None:
        """Stop posting to the staff group, commit what is queued, release the database."""
        if self.telling is not None:  # those not told yet are told at the next start
            self.telling.cancel()
            await asyncio.gather(self.telling, return_exceptions=True)
        await self.spinners_answered()
        if self.retention is not None:
            await self.retention.stop()
        if self.staff is not None:
            await self.staff.desk.stop()
        await self.app.close()

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure with ids only (exception texts can carry message contents)."""
        update_id = update.update_id if isinstance(update, Update) else None
        error = context.error
        ERRORS.inc()
        logger.error(
            "handler failed update=%s error=%s",
            update_id,
            type(error).__name__,
            exc_info=(type(error), error, error.__traceback__) if error else None,
        )
