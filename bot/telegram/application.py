"""Builds the PTB Application (polling or webhook) around a Tsunagu App."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, Application, TypeHandler
from telegram.request import BaseRequest

from bot.app import INBOX_KEPT, build_app
from bot.config import Settings
from bot.conversation import Clock, utc_now
from bot.telegram.channel import TelegramChannel
from bot.telegram.commands import register_commands
from bot.telegram.sender import Sender

__all__ = ["ALLOWED_UPDATES", "CONCURRENCY", "build_application", "run_telegram", "start_channel"]

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
# Updates handled at once (different people; one person's are serialized by Conversations).
CONCURRENCY = 256
_CHANNEL = "tsunagu_channel"


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    rate_limiter: bool = True,
    clock: Clock = utc_now,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The Application; the Tsunagu side is started in ``post_init`` inside PTB's loop."""
    settings.require("telegram_bot_token")
    assert settings.telegram_bot_token is not None
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_file_url)
        .concurrent_updates(CONCURRENCY)
    )
    if rate_limiter:
        # ~30 messages/s overall and 20/min per group (Bot API FAQ); 429s are retried after
        # retry_after, up to three times.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)

    async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await start_channel(application, settings, clock)

    async def post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        channel = application.bot_data.get(_CHANNEL)
        if isinstance(channel, TelegramChannel):
            await channel.app.close()

    return builder.post_init(post_init).post_shutdown(post_shutdown).build()


async def start_channel(
    application: Application[Any, Any, Any, Any, Any, Any], settings: Settings, clock: Clock
) -> TelegramChannel:
    """Open storage, register the handler and commands, resend replies a crash left unsent."""
    app = await build_app(settings, clock)
    channel = TelegramChannel(app, Sender(application.bot, app.store, clock))
    application.bot_data[_CHANNEL] = channel
    application.add_handler(TypeHandler(Update, channel.on_update))
    application.add_error_handler(channel.on_error)
    await register_commands(application.bot, app.catalogs)
    await app.store.purge_inbox(clock() - INBOX_KEPT)
    resent = await channel.resend_unsent()
    logger.info(
        "telegram channel ready locales=%s resent=%d", ",".join(app.catalogs.available), resent
    )
    return channel


def run_telegram(settings: Settings, webhook: bool) -> None:
    """Run until SIGINT/SIGTERM: long polling, or a webhook server checking the secret."""
    if webhook:
        settings.require("telegram_webhook_url", "telegram_webhook_secret")
    application = build_application(settings)
    if not webhook:
        application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        return
    assert settings.telegram_webhook_secret is not None
    # PTB's webhook server answers 403 to a request without the right
    # X-Telegram-Bot-Api-Secret-Token header.
    application.run_webhook(
        listen=settings.telegram_webhook_listen,
        port=settings.telegram_webhook_port,
        url_path=settings.telegram_webhook_path,
        webhook_url=settings.telegram_webhook_url,
        secret_token=settings.telegram_webhook_secret.get_secret_value(),
        allowed_updates=ALLOWED_UPDATES,
        drop_pending_updates=False,
    )
