"""After a content update: screenings that would now end differently; telling who asked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.conversation import Conversations, Delivery
from bot.storage import Store
from dialogs.content import Content
from dialogs.events import ContentUpdated
from dialogs.rules import assess

__all__ = ["OutcomeChange", "find_changes", "tell_changes"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OutcomeChange:
    """One person whose outcome differs under the current content."""

    user: str
    locale: str
    old: str
    new: str
    notify: bool


async def find_changes(store: Store, content: Content) -> list[OutcomeChange]:
    """Every stored screening decided under older content whose outcome would now differ."""
    changes = []
    for session in await store.finished_before(content.programme.version):
        new = assess(session.effective_answers(), content).outcome.value
        if session.outcome is not None and new != session.outcome:
            changes.append(
                OutcomeChange(session.user, session.locale, session.outcome, new, session.notify)
            )
    return changes


async def tell_changes(
    conversations: Conversations, delivery_for: Callable[[str], Delivery | None]
) -> int:
    """Send the new result to everyone who opted in; returns how many were told."""
    told = 0
    for change in await find_changes(conversations.store, conversations.engine.content):
        delivery = delivery_for(change.user) if change.notify else None
        if delivery is None:
            continue
        await conversations.handle(change.user, ContentUpdated(), delivery=delivery)
        told += 1
    if told:
        logger.info("content changed outcomes told=%d", told)
    return told
