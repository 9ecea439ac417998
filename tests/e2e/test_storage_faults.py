"""Storage failing under the bot: an update whose change cannot be committed is not confirmed.

Telegram sends it again, and once the disk (or the database) is back it is applied, once,
without a restart. Over real HTTP: the runner's poller against the Bot API emulator.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.conversation import utc_now
from bot.storage import writer as writer_module
from bot.storage.tables import SessionRow
from bot.telegram.application import build_application, start_channel
from bot.telegram.runner import poll
from tests.auxil.emulator import Emulator
from tests.auxil.fakes import TOKEN
from tests.auxil.screening import ANSWERED, SCREENING
from tests.auxil.telegram_harness import wait_for
from tests.e2e.test_e2e import Person, emulator

__all__ = ["emulator"]  # the fixture, shared with test_e2e


@pytest.mark.parametrize(
    "failure", ["database or disk is full", "attempt to write a readonly database"]
)
async def test_an_answer_met_by_a_full_disk_is_applied_once_the_disk_is_back(
    tmp_path: Path, emulator: Emulator, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=emulator.base_url,
        TELEGRAM_API_FILE_URL=f"http://127.0.0.1:{emulator.port}/file/bot",
    )
    application = build_application(settings)
    real_upsert = writer_module._upsert
    full = asyncio.Event()

    async def upsert(conn: Any, table: Any, rows: Any, keep: Any = ()) -> None:
        if table is SessionRow and full.is_set():
            raise sqlite3.OperationalError(failure)  # SQLite's own words for each
        await real_upsert(conn, table, rows, keep=keep)

    monkeypatch.setattr(writer_module, "_upsert", upsert)
    async with application:
        channel = await start_channel(application, settings, utc_now)
        await application.start()
        stop = asyncio.Event()
        poller = asyncio.create_task(poll(application, stop, channel.unstored))
        try:
            person = Person(emulator, 951)
            for action, then in SCREENING[:4]:
                await person.step(action, then)
            full.set()
            polled = len(emulator.api.named("getUpdates"))
            person.act(SCREENING[4][0])
            # The failed batch is fetched again (not confirmed) while the disk is still full.
            await wait_for(lambda: len(emulator.api.named("getUpdates")) > polled + 1, 30)
            assert not person.shows("a:situation:")
            full.clear()
            await wait_for(lambda: person.shows("a:situation:"), timeout=30)
            for action, then in SCREENING[5:]:
                await person.step(action, then)
        finally:
            stop.set()
            await poller
            await application.stop()
            await channel.close()
    store_rows = sqlite3.connect(tmp_path / "bot.db").execute(
        "SELECT question FROM history WHERE user = 'tg:951' AND question IS NOT NULL ORDER BY id"
    )
    assert [q for (q,) in store_rows] == [*ANSWERED[1:], "review"], "each answer once"
