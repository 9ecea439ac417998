"""Storage speed: loading and saving one session in a real SQLite file (WAL), per transaction."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bot.conversation import utc_now
from bot.storage import Database
from dialogs.session import Session
from dialogs.states import State

USERS = 1_000
ROUNDS = 3_000


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await db.create_schema()
        await _fill(db)
        load, save = await _measure(db)
        await db.close()
    print(f"sqlite: {USERS} stored sessions, {ROUNDS} transactions each")
    for name, samples in (("load", load), ("load+save (commit)", save)):
        q = statistics.quantiles(samples, n=100)
        print(
            f"sqlite {name}: mean {statistics.fmean(samples):.0f} µs, p50 {q[49]:.0f} µs, "
            f"p99 {q[98]:.0f} µs"
        )


async def _fill(db: Database) -> None:
    async with db.transaction() as repo:
        for i in range(USERS):
            session = Session(
                user=f"u{i}",
                state=State.FIELD,
                consented=True,
                answers={"status": "titp", "situation": "lost_job"},
                path=["language", "privacy", "role", "status", "situation"],
            )
            await repo.save(session, utc_now())


async def _measure(db: Database) -> tuple[list[float], list[float]]:
    load: list[float] = []
    save: list[float] = []
    for i in range(ROUNDS):
        user = f"u{i % USERS}"
        start = time.perf_counter()
        async with db.transaction() as repo:
            session = await repo.load(user)
        load.append((time.perf_counter() - start) * 1e6)
        start = time.perf_counter()
        async with db.transaction() as repo:
            session = await repo.load(user)
            assert session is not None
            session.strikes += 1
            await repo.save(session, utc_now())
        save.append((time.perf_counter() - start) * 1e6)
    return load, save


if __name__ == "__main__":
    asyncio.run(main())
