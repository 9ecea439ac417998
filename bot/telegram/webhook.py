"""The webhook server (tornado): the update path, /healthz and /metrics; only for --webhook."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging

import tornado.web
from prometheus_client import CONTENT_TYPE_LATEST
from telegram import Update

from bot.config import Settings
from bot.conversation import utc_now
from bot.metrics import exposition, refresh_queue_gauges
from bot.storage import CaseBook
from bot.telegram.application import ALLOWED_UPDATES
from bot.telegram.runner import PTBApp, process_batch

__all__ = ["serve_webhook"]

logger = logging.getLogger(__name__)

_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)


class _WebhookHandler(tornado.web.RequestHandler):
    """Receives one update; 403 without the secret; 200 only after it is handled."""

    def initialize(self, bot_app: PTBApp, secret: str) -> None:
        self.bot_app = bot_app
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(_SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            logger.warning("webhook refused: wrong or missing secret token")
            self.set_status(403)
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.bot_app.bot)
        except (ValueError, TypeError, KeyError):
            self.set_status(400)
            return
        await process_batch(self.bot_app, [update])
        self.set_status(200)


class _HealthHandler(tornado.web.RequestHandler):
    def get(self) -> None:
        self.write("ok")


class _MetricsHandler(tornado.web.RequestHandler):
    """Prometheus's scrape: counters, and the handoff queue read from the database now."""

    def initialize(self, book: CaseBook) -> None:
        self.book = book

    async def get(self) -> None:
        await refresh_queue_gauges(self.book, utc_now())
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.write(exposition())


async def serve_webhook(
    application: PTBApp, settings: Settings, stop: asyncio.Event, book: CaseBook
) -> None:
    """Serve the webhook path, /healthz and /metrics until ``stop``; registers the webhook."""
    assert settings.telegram_webhook_secret is not None
    secret = settings.telegram_webhook_secret.get_secret_value()
    path = "/" + settings.telegram_webhook_path.strip("/")
    web = tornado.web.Application(
        [
            (path, _WebhookHandler, {"bot_app": application, "secret": secret}),
            ("/healthz", _HealthHandler),
            ("/metrics", _MetricsHandler, {"book": book}),
        ]
    )
    server = web.listen(settings.telegram_webhook_port, address=settings.telegram_webhook_listen)
    try:
        await application.bot.set_webhook(
            settings.telegram_webhook_url or "",
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
        )
        logger.info(
            "webhook listening on %s:%s%s",
            settings.telegram_webhook_listen,
            settings.telegram_webhook_port,
            path,
        )
        await stop.wait()
    finally:
        server.stop()
        await server.close_all_connections()
