"""Runs the bot: long polling or a webhook, both acknowledging an update only once handled.

python-telegram-bot's own loops confirm updates early: its poller asks for the next batch (which
confirms the previous one to Telegram) while that batch is still being handled, and its webhook
answers 200 before handling. A crash then loses the person's answer. Here the poller advances the
offset once every update of the batch is committed (its replies are in the outbox, which is
sent again after a crash) or fully handled, and the webhook answers after handling; a repeated
delivery is dropped by the inbox. Replies still waiting for their chat's budget, or a 429 there,
so hold up no one else's next batch (bot/telegram/limiter.py).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.config import Settings
from bot.conversation import utc_now
from bot.storage import CaseBook
from bot.telegram.application import ALLOWED_UPDATES, build_application, start_channel
from bot.telegram.replies import COMMITTED

__all__ = ["POLL_TIMEOUT", "PTBApp", "poll", "process_batch", "run_telegram", "tune_gc"]

logger = logging.getLogger(__name__)

PTBApp = Application[Any, Any, Any, Any, Any, Any]
POLL_TIMEOUT = 30  # seconds Telegram holds a getUpdates call open when there is nothing new
_RETRY_DELAYS = (1, 2, 5, 10, 30)  # after failed getUpdates calls (network, Telegram down)
_FINISH_S = 5.0  # at shutdown, how long replies still going out may take


async def process_batch(application: PTBApp, updates: Sequence[Update]) -> None:
    """Handle updates: different people concurrently, one person's in order (their lock)."""
    await asyncio.gather(*(application.process_update(update) for update in updates))


async def poll(application: PTBApp, stop: asyncio.Event, unstored: set[int] | None = None) -> None:
    """Long polling; the offset moves past a batch only once all of it is committed.

    ``unstored``: ids of updates whose change could not be committed (disk full, database
    down), filled by the channel. The offset stops before the first of them, so Telegram
    sends it again after a pause; those committed meanwhile are dropped by the inbox.
    """
    in_flight: set[asyncio.Task[None]] = set()
    try:
        await _poll(application, stop, in_flight, set() if unstored is None else unstored)
    finally:  # replies still going out get a moment; the outbox keeps the rest for the restart
        if in_flight:
            await asyncio.wait(in_flight, timeout=_FINISH_S)
        for task in in_flight:
            task.cancel()
        await asyncio.gather(*in_flight, return_exceptions=True)


async def _hand_over(
    application: PTBApp, updates: Sequence[Update], in_flight: set[asyncio.Task[None]]
) -> None:
    """Handle a batch; return once each update is committed or done (replies may still go)."""
    events = []
    for update in updates:
        committed = asyncio.Event()
        task = asyncio.create_task(_handle(application, update, committed))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
        events.append(committed)
    await asyncio.gather(*(event.wait() for event in events))


async def _handle(application: PTBApp, update: Update, committed: asyncio.Event) -> None:
    COMMITTED.set(committed)  # this task's own context: TelegramReplies.deliver fires it
    try:
        await application.process_update(update)
    finally:
        committed.set()


async def _poll(
    application: PTBApp,
    stop: asyncio.Event,
    in_flight: set[asyncio.Task[None]],
    unstored: set[int],
) -> None:
    bot, offset, failures = application.bot, None, 0
    await bot.delete_webhook(drop_pending_updates=False)
    while not stop.is_set():
        fetch = asyncio.ensure_future(
            bot.get_updates(offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)
        )
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not fetch.done():
            fetch.cancel()
            return
        try:
            updates = fetch.result()
        except TelegramError as exc:
            delay = _RETRY_DELAYS[min(failures, len(_RETRY_DELAYS) - 1)]
            failures += 1
            logger.warning("getUpdates failed error=%s retry_in=%ss", type(exc).__name__, delay)
            await asyncio.sleep(delay)
            continue
        if not updates:
            failures = 0
            continue
        await _hand_over(application, updates, in_flight)
        ids = [u.update_id for u in updates]
        held = [i for i in ids if i in unstored]
        unstored.difference_update(ids)
        if held:  # storage is failing: get them again after a pause, as after a failed fetch
            delay = _RETRY_DELAYS[min(failures, len(_RETRY_DELAYS) - 1)]
            failures += 1
            logger.warning("updates not stored update=%s retry_in=%ss", held[0], delay)
            offset = held[0]
            await asyncio.sleep(delay)
            continue
        failures = 0
        offset = ids[-1] + 1


def tune_gc() -> None:
    """Garbage-collector settings for a long-running bot (measured in bench/README.md).

    Content, catalogs and cached sessions live as long as the process: ``gc.freeze`` takes them
    out of full collections. Each update allocates thousands of short-lived objects (PTB's
    request and response objects): a higher first threshold cut collection time from 2.5 s to
    0.2 s per 10,000 updates. https://docs.python.org/3/library/gc.html
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 50)


def run_telegram(settings: Settings, webhook: bool) -> None:
    """Run until SIGINT or SIGTERM."""
    if webhook:
        settings.require("telegram_webhook_url", "telegram_webhook_secret")
    asyncio.run(_serve(settings, webhook))


async def _serve(settings: Settings, webhook: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    application = build_application(settings)
    async with application:
        channel = await start_channel(application, settings, utc_now)
        tune_gc()
        await application.start()
        try:
            if webhook:
                # The web server (tornado) only for --webhook: polling never loads it.
                from bot.telegram.webhook import serve_webhook  # noqa: PLC0415

                book = CaseBook(channel.app.store.database)
                await serve_webhook(application, settings, stop, book)
            else:
                await poll(application, stop, channel.unstored)
        finally:
            await application.stop()
            await channel.close()
    logger.info("stopped")
