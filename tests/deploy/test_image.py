"""The image of deploy/Dockerfile run for real: .ci/run builds it and names it TSUNAGU_TEST_IMAGE.

The containers share the host's network (no bridge: only loopback is used), so the bot polls the
test emulator on 127.0.0.1 and reaches the PostgreSQL server that .ci/run starts there.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.auxil.emulator import Emulator
from tests.auxil.fakes import TOKEN, button_update, text_update
from tests.auxil.telegram_harness import wait_for

IMAGE = os.environ.get("TSUNAGU_TEST_IMAGE", "")
POSTGRES_URL = os.environ.get("TSUNAGU_TEST_POSTGRES_URL")

pytestmark = pytest.mark.skipif(
    not IMAGE, reason="needs a built image in TSUNAGU_TEST_IMAGE (.ci/run builds one)"
)


def _docker(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def _run_args(env: dict[str, str]) -> list[str]:
    """`docker run` as compose.yaml runs the bot: read-only, /tmp its only writable place."""
    pairs = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    return ["--network", "host", "--read-only", "--tmpfs", "/tmp", *pairs, IMAGE]


class Container:
    """`tsunagu run` in the image, detached; its logs read back on failure."""

    def __init__(self, emulator: Emulator, database_url: str) -> None:
        self.env = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "DATABASE_URL": database_url,
        }
        self.id = ""

    def start(self) -> None:
        started = _docker("run", "-d", *_run_args(self.env), "tsunagu", "run")
        assert started.returncode == 0, started.stderr
        self.id = started.stdout.strip()

    def logs(self) -> str:
        done = _docker("logs", self.id)
        return done.stdout + done.stderr

    def remove(self) -> None:
        if self.id:
            _docker("rm", "-f", self.id)


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emu = Emulator()
    await emu.start()
    yield emu
    await emu.stop()


def _shows(emulator: Emulator, user_id: int, prefix: str) -> bool:
    chat = emulator.api.chat(user_id)
    return bool(chat) and any(data.startswith(prefix) for _, data in chat[-1].buttons)


async def _answers_start(emulator: Emulator, container: Container, user_id: int) -> None:
    await wait_for(lambda: len(emulator.api.named("getUpdates")) > 0, timeout=60)
    emulator.push(text_update(user_id, "/start"))
    try:
        await wait_for(lambda: _shows(emulator, user_id, "a:language:"), timeout=30)
    except TimeoutError:
        raise AssertionError(container.logs()[-3000:]) from None


def test_runs_as_a_user_without_privileges() -> None:
    done = _docker("run", "--rm", *_run_args({}), "id", "-u")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() != "0"


def test_says_plainly_what_is_missing_without_a_token() -> None:
    done = _docker("run", "--rm", *_run_args({}), "tsunagu", "run")
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in done.stderr and "@BotFather" in done.stderr
    assert "Traceback" not in done.stderr


async def test_polls_answers_start_and_stops_on_sigterm_within_two_seconds(
    emulator: Emulator,
) -> None:
    container = Container(emulator, "sqlite+aiosqlite:////tmp/tsunagu.db")
    container.start()
    try:
        await _answers_start(emulator, container, 701)
        began = time.monotonic()
        assert _docker("kill", "--signal", "TERM", container.id).returncode == 0
        waited = await asyncio.to_thread(_docker, "wait", container.id)
        took = time.monotonic() - began
        assert waited.stdout.strip() == "0", container.logs()[-3000:]
        assert took <= 2.0, f"stopped {took:.2f} s after SIGTERM"
        assert TOKEN not in container.logs()
    finally:
        container.remove()


async def _table_rows(url: str, query: str) -> list[Any]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(text(query))).all())
    finally:
        await engine.dispose()


async def wait_for_rows(url: str, query: str, expected: list[Any]) -> None:
    """Poll the database until ``query`` returns ``expected`` (30 s at most)."""
    deadline = time.monotonic() + 30
    while [tuple(row) for row in await _table_rows(url, query)] != expected:
        if time.monotonic() > deadline:
            raise TimeoutError(query)
        await asyncio.sleep(0.2)


async def _empty(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


@pytest.mark.skipif(POSTGRES_URL is None, reason="needs TSUNAGU_TEST_POSTGRES_URL")
async def test_uses_postgresql_migrating_an_empty_database(emulator: Emulator) -> None:
    assert POSTGRES_URL is not None
    await _empty(POSTGRES_URL)
    container = Container(emulator, POSTGRES_URL)
    container.start()
    try:
        await _answers_start(emulator, container, 702)
        # Stored only after consent: the language, then the privacy notice agreed to.
        for data, then in (("a:language:en", "a:privacy:"), ("a:privacy:agree:en", "a:role:")):
            holder = emulator.api.chat(702)[-1]
            emulator.push(button_update(702, data, holder.message_id))
            await wait_for(partial(_shows, emulator, 702, then), timeout=30)
        query = "SELECT state FROM sessions WHERE \"user\" = 'tg:702'"
        try:
            await wait_for_rows(POSTGRES_URL, query, [("role",)])
        except TimeoutError:
            raise AssertionError(container.logs()[-3000:]) from None
        revision = await _table_rows(POSTGRES_URL, "SELECT version_num FROM alembic_version")
        assert revision, "the container applied the migrations to the server's database"
        tables = await _table_rows(
            POSTGRES_URL, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        assert {"sessions", "outbox", "cases"} <= {name for (name,) in tables}
    finally:
        container.remove()
        await _empty(POSTGRES_URL)
