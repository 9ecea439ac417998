"""Prometheus metrics (served at /metrics in webhook mode): counts and ids, never contents."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

__all__ = [
    "ERRORS",
    "HANDOFFS_WAITING",
    "HANDOFF_OLDEST_WAIT",
    "OUTCOMES",
    "REGISTRY",
    "STAFF_POSTS_QUEUED",
    "STAFF_POST_OLDEST_AGE",
    "TOO_MANY_REQUESTS",
    "UPDATES",
    "QueueBook",
    "refresh_queue_gauges",
]

# Our own registry: only Tsunagu's figures, and tests can build many apps in one process.
REGISTRY = CollectorRegistry()

UPDATES = Counter("tsunagu_updates", "Telegram updates handled", registry=REGISTRY)
ERRORS = Counter("tsunagu_errors", "Updates whose handling failed", registry=REGISTRY)
OUTCOMES = Counter(
    "tsunagu_outcomes", "Screenings finished, by outcome", ["outcome"], registry=REGISTRY
)
HANDOFFS_WAITING = Gauge(
    "tsunagu_handoffs_waiting", "Applicants waiting for a staff member", registry=REGISTRY
)
STAFF_POSTS_QUEUED = Gauge(
    "tsunagu_staff_posts_queued",
    "Posts waiting for the staff group's rate limit",
    registry=REGISTRY,
)

# Ages, for alerts: a queue that is short but stuck is as bad as a long one.
HANDOFF_OLDEST_WAIT = Gauge(
    "tsunagu_handoff_oldest_wait_seconds",
    "How long the longest-waiting applicant has waited for a staff member (0: nobody waits)",
    registry=REGISTRY,
)
STAFF_POST_OLDEST_AGE = Gauge(
    "tsunagu_staff_post_oldest_age_seconds",
    "Age of the oldest post waiting for the staff group (0: none queued)",
    registry=REGISTRY,
)


class QueueBook(Protocol):
    """What the gauges read from the case book (bot.storage.CaseBook)."""

    async def counts(self) -> tuple[int, int]: ...

    async def oldest(self) -> tuple[dt.datetime | None, dt.datetime | None]: ...


async def refresh_queue_gauges(book: QueueBook, now: dt.datetime) -> None:
    """Read the handoff queue from the database now: several processes share it."""
    waiting, queued = await book.counts()
    oldest_case, oldest_post = await book.oldest()
    HANDOFFS_WAITING.set(waiting)
    STAFF_POSTS_QUEUED.set(queued)
    HANDOFF_OLDEST_WAIT.set((now - oldest_case).total_seconds() if oldest_case else 0)
    STAFF_POST_OLDEST_AGE.set((now - oldest_post).total_seconds() if oldest_post else 0)


TOO_MANY_REQUESTS = Counter(
    "tsunagu_telegram_too_many_requests",
    "HTTP 429 answers from Telegram, by what they blocked (chat, broadcast or global)",
    ["scope"],
    registry=REGISTRY,
)


def exposition() -> bytes:
    """The text format Prometheus scrapes."""
    return generate_latest(REGISTRY)
