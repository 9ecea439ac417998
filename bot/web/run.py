"""`tsunagu web`: serve the page until SIGINT or SIGTERM; `tsunagu web qr`: its QR code."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import signal
from pathlib import Path
from typing import TYPE_CHECKING

import segno
from aiohttp import web

from bot.app import App, build_core, connect
from bot.config import Settings
from bot.conversation import utc_now
from bot.jobs.retention import RetentionJob
from bot.web.server import RUNNER_OPTIONS, build_web_app

if TYPE_CHECKING:
    from bot.staff.desk import StaffDesk

__all__ = ["build_web_core", "qr_code", "run_web"]

logger = logging.getLogger(__name__)


def run_web(settings: Settings) -> None:
    """Serve the page on TSUNAGU_WEB_LISTEN:TSUNAGU_WEB_PORT until stopped."""
    asyncio.run(_serve(settings))


async def _serve(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    app, desk = await build_web_core(settings)
    keep = dt.timedelta(days=settings.retention_days)
    retention = RetentionJob(app.conversations, app.store, keep, utc_now)
    retention.start()
    secure = settings.web_url.startswith("https://")
    runner = web.AppRunner(
        build_web_app(app, secure=secure, trust_proxy=settings.web_trust_proxy),
        handle_signals=False,
        **RUNNER_OPTIONS,
    )
    await runner.setup()
    await web.TCPSite(runner, settings.web_listen, settings.web_port).start()
    logger.warning("web page on http://%s:%s/", settings.web_listen, settings.web_port)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await retention.stop()
        if desk is not None:
            await desk.stop()
        await app.close()


async def build_web_core(settings: Settings) -> tuple[App, StaffDesk | None]:
    """The App, with the staff desk when a staff group and a token are set.

    Without a token the web process cannot post to the staff group: its engine is then built
    as unstaffed, so "Talk to a person" gives the helplines instead of a wait nobody sees.
    """
    staffed = settings.staff_chat_id is not None and settings.telegram_bot_token is not None
    if not staffed:
        settings = settings.model_copy(update={"staff_chat_id": None})
    core = await build_core(settings, utc_now)
    desk: StaffDesk | None = None
    if staffed:
        from telegram import Bot  # noqa: PLC0415 (only with a staff group)

        from bot.staff.desk import StaffDesk  # noqa: PLC0415
        from bot.telegram.messenger import Messenger  # noqa: PLC0415

        assert settings.telegram_bot_token is not None
        bot = Bot(
            settings.telegram_bot_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
            base_file_url=settings.telegram_api_file_url,
        )
        desk = StaffDesk(
            settings,
            store=core.store,
            catalogs=core.catalogs,
            engine=core.engine,
            messenger=Messenger(bot),
            clock=utc_now,
        )
        desk.start()  # with PostgreSQL one process posts (a leader lock); the others wait
    return connect(core, utc_now, handoffs=desk), desk


def qr_code(url: str, out: Path | None) -> str:
    """The page's QR code: saved to ``out`` (PNG or SVG by its suffix), or as terminal text."""
    code = segno.make(url, error="m")
    if out is not None:
        code.save(str(out), scale=10, border=4)
        return f"wrote {out} ({url})"
    return _terminal(code)


def _terminal(code: segno.QRCode) -> str:
    """Two rows of modules per line of half blocks, dark on light, with a quiet zone."""
    rows = [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=4)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    glyphs = {(False, False): "█", (True, False): "▄", (False, True): "▀", (True, True): " "}
    return "\n".join(
        "".join(glyphs[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    )
