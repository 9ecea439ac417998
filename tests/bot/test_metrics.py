"""The queue's gauges as Prometheus scrapes them, read from a real database."""

from __future__ import annotations

import datetime as dt

from bot.metrics import exposition, refresh_queue_gauges
from bot.storage import CaseBook, Store

T0 = dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC)


def _gauge(name: str) -> float:
    line = next(x for x in exposition().decode().splitlines() if x.startswith(name + " "))
    return float(line.split()[1])


async def test_the_longest_wait_is_the_oldest_waiting_case(store: Store) -> None:
    book = CaseBook(store.database)
    await refresh_queue_gauges(book, T0)
    assert _gauge("tsunagu_handoff_oldest_wait_seconds") == 0
    first = await book.open("tg:1", 1, "asked", T0)
    await book.open("tg:2", 2, "asked", T0 + dt.timedelta(minutes=5))
    await refresh_queue_gauges(book, T0 + dt.timedelta(minutes=10))
    assert _gauge("tsunagu_handoffs_waiting") == 2
    assert _gauge("tsunagu_handoff_oldest_wait_seconds") == 600
    await book.take(first.id, 99, T0 + dt.timedelta(minutes=10))  # a taken case waits no more
    await refresh_queue_gauges(book, T0 + dt.timedelta(minutes=10))
    assert _gauge("tsunagu_handoff_oldest_wait_seconds") == 300
    assert _gauge("tsunagu_staff_post_oldest_age_seconds") == 0
