"""Builds the PTB Application (polling or webhook) around a Tsunagu App."""

from __future__ import annotations

import datetime as dt
import logging
import os
from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler
from telegram.request import BaseRequest

from bot.app import build_core, connect
from bot.config import Settings
from bot.conversation import Clock
from bot.jobs.retention import RetentionJob
from bot.staff.desk import StaffDesk
from bot.staff.group import StaffGroup
from bot.telegram.channel import TelegramChannel, replies_for
from bot.telegram.commands import register_commands
from bot.telegram.limiter import Limits, TelegramRateLimiter
from bot.telegram.messenger import Messenger, quiet_raw_call_warnings
from bot.telegram.sender import Sender

__all__ = ["ALLOWED_UPDATES", "CONCURRENCY", "build_application", "start_channel"]

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
# Updates handled at once (different people; one person's are serialized by Conversations).
CONCURRENCY = 256


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    rate_limiter: bool | TelegramRateLimiter = True,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The Application; :func:`start_channel` connects it to Tsunagu inside the running loop.

    ``rate_limiter``: True for Telegram's limits (bot/telegram/limiter.py), False for none (the
    in-process tests), or a limiter of one's own (tests read its clock).
    """
    settings.require("telegram_bot_token")
    assert settings.telegram_bot_token is not None
    # Opt in to PTB's coming type for RetryAfter.retry_after (timedelta): the rate limiter reads
    # it, and the old type warns on every 429. PTB reads the variable when a 429 arrives.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    quiet_raw_call_warnings()
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_file_url)
        .concurrent_updates(CONCURRENCY)
    )
    if rate_limiter is True:
        # Per-chat budgets, button answers free, broadcasts on their own lane, 429s kept to
        # their chat (bot/telegram/limiter.py). The staff group's budget is the pacer's.
        rate_limiter = TelegramRateLimiter(
            Limits(group_per_minute=settings.staff_group_per_minute)
        )
    if rate_limiter:
        builder = builder.rate_limiter(rate_limiter)  # type: ignore[arg-type]
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    # No PTB Updater: bot.telegram.runner polls and serves the webhook itself (see there why).
    return builder.updater(None).build()


async def start_channel(
    application: Application[Any, Any, Any, Any, Any, Any], settings: Settings, clock: Clock
) -> TelegramChannel:
    """Open storage, register the handler and commands, resend replies a crash left unsent."""
    # Built in dependency order, each part given what it needs (no setters afterwards).
    core = await build_core(settings, clock)
    messenger = Messenger(application.bot)
    sender = Sender(messenger, core.store, clock)
    staffed = settings.staff_chat_id is not None
    desk = (
        StaffDesk(
            settings,
            store=core.store,
            catalogs=core.catalogs,
            engine=core.engine,
            messenger=messenger,
            clock=clock,
        )
        if staffed
        else None
    )
    app = connect(core, clock, handoffs=desk)
    group = (
        StaffGroup(desk, app.conversations, replies_for(sender, core.catalogs)) if desk else None
    )
    # Purges idle conversations and old update ids at once, then hourly.
    keep = dt.timedelta(days=settings.retention_days)
    retention = RetentionJob(app.conversations, app.store, keep, clock)
    channel = TelegramChannel(app, sender, staff=group, retention=retention)
    application.add_handler(TypeHandler(Update, channel.on_update))
    application.add_error_handler(channel.on_error)
    await register_commands(application.bot, app.catalogs)
    if desk is not None:
        desk.start()
    retention.start()
    resent = await channel.resend_unsent()
    channel.tell_changes()  # content is loaded at start: check now, in the background
    logger.info(
        "telegram channel ready locales=%s resent=%d", ",".join(app.catalogs.available), resent
    )
    return channel
