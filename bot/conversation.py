"""Loads a person's session, steps the engine, commits, then delivers: shared by every channel.

One person's events are handled one at a time, in arrival order (an asyncio lock per person;
asyncio locks wake waiters first-in first-out); different people are served concurrently. The
replies owed are committed in the same transaction as the new state (an outbox), and delivered
only after that commit, so a crash loses neither.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol

from bot.storage import CaseBook, CaseIntent, Change, HistoryEntry, Outgoing, Store
from bot.storage.payloads import StaffPayload
from dialogs.engine import Engine, Step
from dialogs.events import Answer, Command, CommandName, Event
from dialogs.feedback import Feedback
from dialogs.handoff import ASKS_QUEUE, QueueFacts
from dialogs.mydata import StoredFacts
from dialogs.session import Session

__all__ = [
    "DELETABLE_FOR",
    "INBOX_KEPT",
    "Clock",
    "Conversations",
    "Delivery",
    "Handled",
    "Handoffs",
    "Origin",
    "StaffPosts",
    "utc_now",
]

logger = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
Origin = tuple[int, int]  # (chat id, message id) of the message an event came from
StaffPosts = list[tuple[int, StaffPayload]]  # (case id, post) for the staff group
# Conversations before consent are kept in memory only; bound it so strangers cannot fill it.
_MAX_PENDING = 10_000


def utc_now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


# Telegram lets a bot delete its own messages in a private chat for this long.
DELETABLE_FOR = dt.timedelta(hours=48)
# Telegram redelivers an unconfirmed update within hours; two days of update ids is ample.
INBOX_KEPT = dt.timedelta(days=2)


class Delivery(Protocol):
    """How a channel turns replies into messages and sends them."""

    def prepare(self, user: str, step: Step) -> list[Outgoing]:
        """The messages owed for ``step`` (committed before they are sent)."""

    async def deliver(self, user: str, messages: Sequence[tuple[str | None, Outgoing]]) -> None:
        """Send them; outbox ids (None when nothing is stored) are marked sent by the channel."""

    async def forget(self, shown: Sequence[tuple[int, int]], now: Sequence[Outgoing]) -> None:
        """Remove earlier messages (chat id, message id) from the chat, where still possible.

        Not any that ``now``, the replies just sent, was written into.
        """


@dataclass(frozen=True, slots=True)
class Handled:
    """What the staff desk makes of a step: committed with it, in the same transaction."""

    posts: StaffPosts = field(default_factory=list)  # for cases that exist already
    cases: Sequence[CaseIntent] = ()  # cases to open (with their posts) or close


class Handoffs(Protocol):
    """The staff desk: opens cases and relays messages when a person owns the chat."""

    async def queue(self, user: str) -> QueueFacts:
        """The person's case, place in the queue and the office hours (read under their lock)."""

    async def on_step(
        self, user: str, step: Step, origin: Origin | None, queue: QueueFacts | None
    ) -> Handled:
        """Act on ``step.handoff`` (or an erase) before the step is committed; writes nothing.

        ``queue``: what :meth:`queue` read for this step, if the engine asked for it.
        """

    def committed(self) -> None:
        """Staff posts were committed: time to send them."""

    def feedback_post(self, locale: str, feedback: Feedback) -> tuple[int, StaffPayload] | None:
        """The staff group's notice of an "Unclear translation?" press (None: not worth one)."""


class Conversations:
    """The thin layer between channels and the engine."""

    def __init__(
        self,
        engine: Engine,
        store: Store,
        clock: Clock = utc_now,
        handoffs: Handoffs | None = None,
    ) -> None:
        self.engine = engine
        self.store = store
        self.clock = clock
        self.handoffs = handoffs  # the staff desk, when a staff group is configured
        self._pending: OrderedDict[str, Session] = OrderedDict()
        self._locks: dict[str, _Turn] = {}

    @asynccontextmanager
    async def turn(self, user: str) -> AsyncIterator[None]:
        """Hold ``user``'s lock: their events run one at a time, in order."""
        turn = self._locks.setdefault(user, _Turn())
        turn.holders += 1
        try:
            async with turn.lock, self.store.database.person_lock(user):
                yield
        finally:
            # Drop the lock when nobody holds or waits for it (not when merely unlocked: a
            # released lock reads unlocked while it is being handed to the next waiter).
            turn.holders -= 1
            if turn.holders == 0:
                del self._locks[user]

    async def handle(
        self,
        user: str,
        event: Event,
        *,
        update_id: int | None = None,
        delivery: Delivery | None = None,
        origin: Origin | None = None,
    ) -> Step | None:
        """Apply ``event``; returns None for an update already handled."""
        async with self.turn(user):
            if update_id is not None and await self.store.seen(update_id):
                logger.info("duplicate update=%s user=%s", update_id, user)
                return None
            stored = await self.store.load(user)
            session = stored or self._pending.get(user) or self.engine.new_session(user)
            stored_facts = await self._stored_facts(user, session, event)
            step = self.engine.step(session, event, stored_facts)
            handled, queue = Handled(), None
            if self.handoffs is not None and step.handoff and step.handoff.signal in ASKS_QUEUE:
                # Its reply needs the queue: read it, and take the (pure) step again with it.
                # Cheaper than reading the queue for every update that might hand off.
                queue = await self.handoffs.queue(user)
                step = self.engine.step(session, event, stored_facts, queue)
            if self.handoffs is not None and (step.handoff is not None or step.erase):
                handled = await self.handoffs.on_step(user, step, origin, queue)
            posts = handled.posts
            if self.handoffs is not None and step.feedback is not None:
                report = self.handoffs.feedback_post(step.session.locale, step.feedback)
                posts = [*posts, report] if report is not None else posts
            outgoing = delivery.prepare(user, step) if delivery else []
            # Read before the erase removes them: the bot's messages it may still delete.
            shown = await self._deletable(user) if step.erase and delivery else []
            ids = await self._commit(
                user=user,
                stored=stored,
                before=session,
                step=step,
                event=event,
                outgoing=outgoing,
                update_id=update_id,
                posts=posts,
                cases=handled.cases,
            )
            if (posts or handled.cases) and self.handoffs is not None:
                self.handoffs.committed()
            if delivery and outgoing:
                keyed = (
                    list(zip(ids, outgoing, strict=True)) if ids else [(None, o) for o in outgoing]
                )
                await delivery.deliver(user, keyed)
            if delivery and shown:
                await delivery.forget(shown, outgoing)
            if ids is None and update_id is not None:
                # Before consent its replies are not stored, so the update id is recorded only
                # once they went out: killed before, Telegram's redelivery is answered again;
                # after, a repeat (or the same update at another process) changes nothing.
                await self.store.commit(Change(user, self.clock(), update_id=update_id))
            return step

    async def _stored_facts(self, user: str, session: Session, event: Event) -> StoredFacts | None:
        """/mydata: what only storage knows, read before the step so its reply is complete."""
        if event != Command(CommandName.MYDATA) or not session.consented:
            return None
        cases = await CaseBook(self.store.database).count_of(user)
        return StoredFacts(cases, len(await self._deletable(user)))

    async def _deletable(self, user: str) -> list[tuple[int, int]]:
        return await self.store.bot_messages(user, self.clock() - DELETABLE_FOR)

    async def _commit(
        self,
        *,
        user: str,
        stored: Session | None,
        before: Session,
        step: Step,
        event: Event,
        outgoing: list[Outgoing],
        update_id: int | None,
        posts: StaffPosts,
        cases: Sequence[CaseIntent] = (),
    ) -> list[str] | None:
        keep = step.session.consented
        change = Change(
            user=user,
            at=self.clock(),
            session=step.session if keep else None,
            erase=step.erase or (stored is not None and not keep),
            history=_history(before, step.session, event) if keep else None,
            outbox=outgoing if keep else (),
            update_id=update_id,
            unblock=user in self.store.blocked,
            staff_posts=posts if keep or step.erase or step.feedback else [],
            cases=cases,
            feedback=_feedback(step),
        )
        if keep:
            self._pending.pop(user, None)
        else:
            self._remember(step.session)
        if not (keep or change.erase or change.feedback or change.cases):
            # Nothing to store before consent; the update id is recorded after delivery (handle).
            return None
        if change.erase:
            logger.info("erasing user=%s", user)
        return await self.store.commit(change)

    async def purge(self, cutoff: dt.datetime) -> int:
        """Erase everyone whose last message is older than ``cutoff``; returns how many."""
        erased = 0
        for user in await self.store.idle_since(cutoff):
            async with self.turn(user):
                if not await self.store.idle_since(cutoff, user):
                    continue  # they wrote while we were purging others
                # Their case topics go too; the staff desk deletes them when it runs.
                posts = await CaseBook(self.store.database).topic_deletions(user)
                await self.store.commit(Change(user, self.clock(), erase=True, staff_posts=posts))
                if posts and self.handoffs is not None:
                    self.handoffs.committed()
                logger.info("purged user=%s", user)
                erased += 1
        await self.store.purge_blocked(cutoff)
        return erased

    def _remember(self, session: Session) -> None:
        self._pending[session.user] = session
        self._pending.move_to_end(session.user)
        while len(self._pending) > _MAX_PENDING:
            self._pending.popitem(last=False)

    async def send(
        self,
        user: str,
        outgoing: list[Outgoing],
        *,
        delivery: Delivery,
        update_id: int | None = None,
        posts: StaffPosts | None = None,
    ) -> bool:
        """Commit and deliver messages that are not the engine's (a staff member's).

        They keep their order among the person's other messages. False for a repeated update.
        """
        async with self.turn(user):
            if update_id is not None and await self.store.seen(update_id):
                logger.info("duplicate update=%s user=%s", update_id, user)
                return False
            change = Change(
                user, self.clock(), outbox=outgoing, update_id=update_id, staff_posts=posts or []
            )
            ids = await self.store.commit(change)
            if posts and self.handoffs is not None:
                self.handoffs.committed()
            await delivery.deliver(user, list(zip(ids, outgoing, strict=True)))
            return True

    async def session_of(self, user: str) -> Session | None:
        """The stored session of ``user`` (for tests and staff tools)."""
        return await self.store.load(user)


@dataclass
class _Turn:
    """One person's lock and how many of their events hold or wait for it."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    holders: int = 0


def _history(before: Session, after: Session, event: Event) -> HistoryEntry:
    question = option = None
    if isinstance(event, Answer):
        question, option = event.question, event.option
        if question == "privacy":  # "agree:vi": the language it was shown in is not the answer
            option = option.partition(":")[0]
    elif before.state != after.state and before.state.value in after.answers:
        # a typed answer (a prefecture): store the id it matched, never the words
        question, option = before.state.value, after.answers[before.state.value]
    name = event.name.value if isinstance(event, Command) else type(event).__name__.lower()
    return HistoryEntry(name, before.state.value, after.state.value, question, option)


def _feedback(step: Step) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    # Stored before consent too: it names a screen and a language, nothing about the person.
    f = step.feedback
    return ((step.session.locale, f.screen, f.msgids),) if f is not None else ()
