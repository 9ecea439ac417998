"""The webhook refuses whoever lacks Telegram's secret (issue 13 §5), and logs no secret.

The real webhook server (bot/telegram/webhook.py) in front of the real Application: without the
secret header, or with any other value (empty, a prefix, longer, another case), 403 and the
update is not handled; with it, 200 after the update is handled. The end-to-end version over a
separate process is in tests/e2e/test_e2e.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.storage import CaseBook
from bot.telegram.webhook import serve_webhook
from tests.auxil.fakes import TOKEN, text_update
from tests.auxil.strict_api import StrictBotApi
from tests.auxil.telegram_harness import settings_for, start_harness, stop_harness, wait_for

SECRET = "Webhook_secret-42"
REFUSED = {
    "no header": None,
    "empty": "",
    "wrong": "guess",
    "a prefix": SECRET[:-1],
    "longer": SECRET + "x",
    "another case": SECRET.upper(),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_only_the_secret_gets_an_update_handled(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    port = _free_port()
    extra: dict[str, Any] = {
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "TELEGRAM_WEBHOOK_PORT": port,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    harness = await start_harness(tmp_path, api=StrictBotApi(), **extra)
    stop = asyncio.Event()
    book = CaseBook(harness.channel.app.store.database)
    server = asyncio.create_task(
        serve_webhook(harness.application, settings_for(tmp_path, **extra), stop, book)
    )
    url = f"http://127.0.0.1:{port}/telegram"
    try:
        await wait_for(lambda: bool(harness.api.named("setWebhook")))
        assert harness.api.named("setWebhook")[0]["secret_token"] == SECRET
        async with aiohttp.ClientSession() as http:
            for number, (case, given) in enumerate(REFUSED.items()):
                headers = {} if given is None else {"X-Telegram-Bot-Api-Secret-Token": given}
                update = text_update(600 + number, f"/start refused-{case}")
                for attempt in range(30):  # the server may still be binding its port
                    with contextlib.suppress(aiohttp.ClientConnectionError):
                        async with http.post(url, json=update, headers=headers) as response:
                            assert response.status == 403, case
                            break
                    await asyncio.sleep(0.1 * attempt)
                assert harness.api.chat(600 + number) == [], f"{case}: the update was handled"
            headers = {"x-telegram-bot-api-secret-token": SECRET}  # header names: any case
            async with http.post(url, json=text_update(700, "/start"), headers=headers) as ok:
                assert ok.status == 200
            assert harness.api.chat(700), "with the secret the update is handled before 200"
    finally:
        stop.set()
        await server
        await stop_harness(harness)
    logged = caplog.text
    assert "webhook refused" in logged
    for secret in (TOKEN, SECRET, "refused-"):
        assert secret not in logged
