"""Loads a person's session, steps the engine, saves the result: shared by every channel."""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable

from bot.storage import Database
from bot.storage.tables import HistoryRow
from dialogs.engine import Engine, Step
from dialogs.events import Answer, Command, Event
from dialogs.session import Session

__all__ = ["Clock", "Conversations", "utc_now"]

logger = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
# Conversations before consent are kept in memory only; bound it so strangers cannot fill it.
_MAX_PENDING = 10_000


def utc_now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


class Conversations:
    """The thin layer between channels and the engine: one transaction per event."""

    def __init__(self, engine: Engine, database: Database, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.database = database
        self.clock = clock
        self._pending: OrderedDict[str, Session] = OrderedDict()

    async def handle(self, user: str, event: Event) -> Step:
        """Apply ``event`` to ``user``'s conversation; state is committed before returning."""
        async with self.database.transaction() as repo:
            stored = await repo.load(user)
            session = stored or self._pending.get(user) or self.engine.new_session(user)
            step = self.engine.step(session, event)
            if step.erase or (stored and not step.session.consented):
                await repo.erase(user)
                logger.info("erased user=%s", user)
            if step.session.consented:
                await repo.save(step.session, self.clock())
                await repo.record(self._history_row(session, step.session, event))
                self._pending.pop(user, None)
            else:
                self._remember(step.session)
        return step

    def _remember(self, session: Session) -> None:
        self._pending[session.user] = session
        self._pending.move_to_end(session.user)
        while len(self._pending) > _MAX_PENDING:
            self._pending.popitem(last=False)

    def _history_row(self, before: Session, after: Session, event: Event) -> HistoryRow:
        question = option = None
        if isinstance(event, Answer):
            question, option = event.question, event.option
        elif before.state != after.state and before.state.value in after.answers:
            # a typed answer (a prefecture): store the id it matched, never the words
            question, option = before.state.value, after.answers[before.state.value]
        name = event.name.value if isinstance(event, Command) else type(event).__name__.lower()
        return HistoryRow(
            user=after.user,
            at=self.clock(),
            event=name,
            from_state=before.state.value,
            to_state=after.state.value,
            question=question,
            option=option,
        )

    async def session_of(self, user: str) -> Session | None:
        """The stored session of ``user`` (for tests and staff tools)."""
        async with self.database.transaction() as repo:
            return await repo.load(user)
