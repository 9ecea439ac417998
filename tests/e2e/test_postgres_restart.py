"""PostgreSQL restarted under load: the bot reconnects by itself and loses no answer.

Runs its own throw-away PostgreSQL server (initdb and pg_ctl as the ``postgres`` user, on a
free port) so that restarting it disturbs nobody; skipped where that cannot be done.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import Settings
from bot.conversation import utc_now
from bot.storage.tables import HistoryRow
from bot.telegram.application import build_application, start_channel
from bot.telegram.runner import poll
from tests.auxil.emulator import Emulator
from tests.auxil.fakes import TOKEN
from tests.auxil.screening import ANSWERED, SCREENING
from tests.auxil.telegram_harness import wait_for
from tests.e2e.test_e2e import Person, emulator

__all__ = ["emulator"]  # the fixture, shared with test_e2e

BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A PostgreSQL cluster in a temporary folder, run as the postgres user."""

    def __init__(self) -> None:
        assert BIN is not None
        self.dir = Path(tempfile.mkdtemp(prefix="tsunagu-pg-"))
        shutil.chown(self.dir, "postgres")
        self.port = _free_port()

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(
            ["su", "postgres", "-c", " ".join(command)],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def init(self) -> None:
        self._as_postgres(
            f"{BIN}/initdb", "-D", f"{self.dir}/data", "-U", "postgres", "-A", "trust"
        )
        self.start()

    def start(self) -> None:
        options = f"'-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1'"
        log = f"{self.dir}/server.log"
        self._as_postgres(
            f"{BIN}/pg_ctl", "-D", f"{self.dir}/data", "-o", options, "-l", log, "-w", "start"
        )

    def restart(self) -> None:
        self._as_postgres(f"{BIN}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")
        self.start()

    def stop(self) -> None:
        self._as_postgres(f"{BIN}/pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"


def _can_run_postgres() -> bool:
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return BIN is not None and os.geteuid() == 0 and shutil.which("su") is not None


@pytest.fixture
def server() -> Iterator[Server]:
    if not _can_run_postgres():
        pytest.skip("needs PostgreSQL's binaries and root, to run a server of its own")
    pytest.importorskip("asyncpg")
    server = Server()
    server.init()
    yield server
    server.stop()


async def _answers(url: str, user: str) -> list[str | None]:
    engine = create_async_engine(url)
    query = (
        select(HistoryRow.question)
        .where(HistoryRow.user == user, HistoryRow.question.is_not(None))
        .order_by(HistoryRow.id)
    )
    async with engine.connect() as conn:
        rows = [q for (q,) in (await conn.execute(query)).all()]
    await engine.dispose()
    return rows


async def test_postgres_restarted_under_load_loses_no_answer(
    server: Server, emulator: Emulator
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL=server.url,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=emulator.base_url,
        TELEGRAM_API_FILE_URL=f"http://127.0.0.1:{emulator.port}/file/bot",
    )
    application = build_application(settings)
    people = [Person(emulator, user_id) for user_id in range(961, 967)]

    async def screen(person: Person) -> None:
        # Not Person.step's 30 s: an update met by the restart is fetched again after a pause
        # that grows (1, 2, 5, 10, 30 s) while the server is still coming back under load.
        for action, then in SCREENING:
            person.act(action)
            await wait_for(partial(person.shows, then), timeout=90)

    async with application:
        channel = await start_channel(application, settings, utc_now)
        await application.start()
        stop = asyncio.Event()
        poller = asyncio.create_task(poll(application, stop, channel.unstored))
        try:
            screening = asyncio.gather(*(screen(p) for p in people))
            await asyncio.sleep(1.0)  # in the middle of everyone's screening
            await asyncio.to_thread(server.restart)
            await asyncio.wait_for(screening, 300)
        finally:
            stop.set()
            await poller
            await application.stop()
            await channel.close()
    for person in people:
        answered = await _answers(server.url, f"tg:{person.user_id}")
        assert answered == [*ANSWERED[1:], "review"], "each answer exactly once, in order"
