"""Prometheus metrics (served at /metrics in webhook mode): counts and ids, never contents."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

__all__ = ["ERRORS", "HANDOFFS_WAITING", "OUTCOMES", "REGISTRY", "STAFF_POSTS_QUEUED", "UPDATES"]

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


def exposition() -> bytes:
    """The text format Prometheus scrapes."""
    return generate_latest(REGISTRY)
