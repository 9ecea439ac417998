"""Storage speed: durable commits of one update's change, one at a time and from many people."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bot.conversation import utc_now
from bot.storage import Change, Database, HistoryEntry, Outgoing, Store
from bot.storage.payloads import Edit
from dialogs.session import Session
from dialogs.states import State

USERS = 1_000
SEQUENTIAL = 2_000
CONCURRENT = 10_000


def _change(i: int) -> Change:
    session = Session(
        user=f"u{i % USERS}",
        state=State.FIELD,
        consented=True,
        answers={"status": "titp", "situation": "lost_job"},
        path=["language", "privacy", "role", "status", "situation"],
    )
    return Change(
        user=session.user,
        at=utc_now(),
        session=session,
        update_id=i,
        history=HistoryEntry("answer", "situation", "field", "situation", "lost_job"),
        outbox=[Outgoing(Edit(i, 1, "x" * 300))],
    )


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        database = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await database.create_schema()
        store = Store(database)
        await asyncio.gather(*(store.commit(_change(i)) for i in range(USERS)))
        latencies = []
        for i in range(USERS, USERS + SEQUENTIAL):
            start = time.perf_counter()
            await store.commit(_change(i))
            latencies.append((time.perf_counter() - start) * 1e6)
        start = time.perf_counter()
        base = USERS + SEQUENTIAL
        await asyncio.gather(*(store.commit(_change(base + i)) for i in range(CONCURRENT)))
        elapsed = time.perf_counter() - start
        await store.close()
    q = statistics.quantiles(latencies, n=100)
    print(
        f"sqlite store, {USERS} stored sessions; a change = session upsert + history row + "
        "outbox row + inbox row"
    )
    print(
        f"one at a time: {SEQUENTIAL / (sum(latencies) / 1e6):,.0f} commits/s, "
        f"p50 {q[49]:.0f} µs, p99 {q[98]:.0f} µs"
    )
    print(f"{CONCURRENT} concurrent (group commit): {CONCURRENT / elapsed:,.0f} changes/s")


if __name__ == "__main__":
    asyncio.run(main())
