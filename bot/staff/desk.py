"""The staff desk, applicant side: opens cases, relays messages, and posts to the staff group.

Engine steps that hand the chat to a person (``Step.handoff``) come here before they are
committed: the desk reads (the person's open case, the queue: :meth:`StaffDesk.queue`, which the
engine's waiting reply is made from) and returns what the turn changes (a case to open or close,
staff-group posts); all of it is committed with the applicant's state in one transaction, then
posted by the pacer.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence

from bot.config import Settings
from bot.conversation import Clock, Handled, Origin
from bot.i18n import Catalogs
from bot.i18n.render import render
from bot.staff.hours import OfficeHours
from bot.staff.pacer import GroupPacer
from bot.staff.relay import Relayer
from bot.staff.texts import case_card, digest, topic_name
from bot.storage import CaseBook, CaseStatus, FinishCase, OpenCase, Roster, StaffPost, Store
from bot.storage.payloads import (
    NO_CHAT,
    CopyToTopic,
    DeleteTopic,
    GeneralText,
    Keyboard,
    OpenTopic,
    StaffPayload,
    TopicText,
)
from bot.storage.relays import RelayBook, RelayKey
from bot.telegram.messenger import Messenger
from dialogs.engine import Engine, Step
from dialogs.feedback import STAFF_REPORT, Feedback
from dialogs.handoff import CaseReason, QueueFacts, Signal
from dialogs.messages import N_, Data, LanguageName, Msg, Seq
from dialogs.replies import Reply, ReplyKind
from dialogs.states import State

__all__ = ["StaffDesk"]

logger = logging.getLogger(__name__)

# Translation feedback: a screen is a state (dialogs.feedback.feedback_button), reported to the
# group at most once an hour per language; every press is still stored for the statistics.
_SCREENS = frozenset(state.value for state in State)
_REPORT_EVERY = dt.timedelta(hours=1)


class StaffDesk:
    """Cases, the staff group's queue, and the words that go with them."""

    def __init__(
        self,
        settings: Settings,
        *,
        store: Store,
        catalogs: Catalogs,
        engine: Engine,
        messenger: Messenger,
        clock: Clock,
    ) -> None:
        assert settings.staff_chat_id is not None
        self.messenger, self.clock = messenger, clock
        self.store, self.catalogs, self.engine = store, catalogs, engine
        self.chat_id = settings.staff_chat_id
        self.locale = settings.staff_locale
        self.hours = OfficeHours.parse(
            settings.office_hours, settings.office_days, settings.office_timezone
        )
        self.book = CaseBook(store.database)
        self.roster = Roster(store.database)
        self.relayer = Relayer(messenger, RelayBook(store.database), clock)  # copies: once
        self.pacer = GroupPacer(
            self.book,
            execute=self._execute,
            ready=self._ready,
            digest=self._digest,
            per_minute=settings.staff_group_per_minute,
        )
        self._task: asyncio.Task[None] | None = None
        self._reported: dict[tuple[str, str], dt.datetime] = {}  # (locale, screen) -> last post

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start posting queued staff-group messages."""
        self._task = asyncio.create_task(self.pacer.run(), name="tsunagu-staff-pacer")

    async def stop(self) -> None:
        """Stop posting; what is unsent stays queued for the next start."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def committed(self) -> None:
        """New posts were committed."""
        self.pacer.wake()

    # -- the applicant's side -------------------------------------------------------------------

    async def queue(self, user: str) -> QueueFacts:
        """The person's open case, their place in the queue and the office hours, right now."""
        case = await self.book.open_case_of(user)
        taken = case is not None and case.status is CaseStatus.TAKEN
        # Without a case: the place a new one will have. The person's lock is held, so no other
        # case of theirs opens meanwhile (other people's may, which moves nobody ahead of them).
        position = await self.book.place_in_queue(case)
        now = self.clock()
        opens_next = None if self.hours.is_open(now) else self.hours.next_opening(now)
        return QueueFacts(
            case.id if case else None, taken, position, self.hours.shown(), opens_next
        )

    async def on_step(
        self, user: str, step: Step, origin: Origin | None, queue: QueueFacts | None
    ) -> Handled:
        """Open, relay or withdraw, as the engine signalled; reads, never writes.

        What changes (a case opened or closed, posts to the group) is returned and committed
        with the person's session in one transaction, under their lock. ``queue`` is what
        :meth:`queue` read for this step (the engine's reply was made from it).
        """
        if step.erase:
            # Erasing removes the case topics too: they hold copies of the person's messages.
            return Handled(await self.book.topic_deletions(user))
        assert step.handoff is not None
        signal = step.handoff.signal
        if signal is Signal.WITHDRAW:
            return await self._withdraw(user)
        queue = queue or await self.queue(user)
        if signal is Signal.OPEN:
            return self._open(user, queue.case, origin, step.handoff.reason or CaseReason.ASKED)
        if signal is Signal.RELAY and queue.case is not None and origin:
            return Handled([(queue.case, _copy(origin))])
        return Handled()  # a reminder: the engine's reply says it all

    def _open(
        self, user: str, case_id: int | None, origin: Origin | None, reason: CaseReason
    ) -> Handled:
        posts: list[StaffPayload] = [OpenTopic()]
        if reason is CaseReason.FREE_TEXT and origin:  # the message the bot could not place
            posts.append(_copy(origin))
        if case_id is not None:  # already open: post to it again, same place in the queue
            return Handled([(case_id, p) for p in posts])
        chat_id = origin[0] if origin else _private_chat(user)
        return Handled(cases=(OpenCase(chat_id, reason.value, tuple(posts)),))

    async def _withdraw(self, user: str) -> Handled:
        case = await self.book.open_case_of(user)
        if case is None:
            return Handled()
        text = N_("The applicant went back to the bot. The case is closed.")
        post = self.text_post(Reply(ReplyKind.NOTICE, (Msg(text),)), self.locale)
        return Handled([(case.id, post)], (FinishCase(case.id, CaseStatus.CLOSED),))

    # -- posts to the staff group ---------------------------------------------------------------

    def text_post(self, reply: Reply, locale: str) -> TopicText:
        """A queued message for a case's topic, rendered now in ``locale``."""
        return TopicText(render(reply, self.catalogs.translator(locale)).text)

    def feedback_post(self, locale: str, feedback: Feedback) -> tuple[int, StaffPayload] | None:
        """A notice in the group's general chat: which screen someone found unclear.

        None for a screen the bot has not (forged button data) and for one already reported
        in that language within the hour: these posts go before new cases' cards, so one
        person tapping, or a script, must not be able to hold the cards back.
        """
        key, now = (locale, feedback.screen), self.clock()
        last = self._reported.get(key)
        if feedback.screen not in _SCREENS or (last is not None and now - last < _REPORT_EVERY):
            return None
        self._reported[key] = now
        report = Msg.of(
            STAFF_REPORT,
            language=LanguageName(locale, native=False),
            screen=Data(feedback.screen),
        )
        lines = Msg.of("{lines}", lines=Seq(tuple(Data(m) for m in feedback.msgids)))
        reply = Reply(ReplyKind.NOTICE, (report, lines) if feedback.msgids else (report,))
        return 0, GeneralText(self.text_post(reply, self.locale).text)

    async def _ready(self, post: StaffPost) -> bool:
        if not post.payload.needs_case:
            return True
        case = await self.book.get(post.case_id)
        return case is not None and case.thread_id is not None

    async def _execute(self, post: StaffPost) -> None:
        payload = post.payload
        if isinstance(payload, DeleteTopic):
            await self.messenger.delete_topic(self.chat_id, payload.thread_id)
            return
        if isinstance(payload, GeneralText):
            await self.send_html(payload.text, None)
            return
        case = await self.book.get(post.case_id)
        if case is None:
            return  # erased meanwhile
        if isinstance(payload, OpenTopic):
            await self._open_topic(case.id)
        elif case.thread_id is not None and isinstance(payload, CopyToTopic):
            key = RelayKey(payload.from_chat_id, payload.message_id, self.chat_id)
            await self.relayer.copy(case.user, key, case.thread_id)
        elif case.thread_id is not None and isinstance(payload, TopicText):
            await self.send_html(payload.text, case.thread_id)

    async def _open_topic(self, case_id: int) -> None:
        case = await self.book.get(case_id)
        session = await self.store.load(case.user) if case else None
        if case is None or session is None:
            return
        if case.thread_id is None:
            name = topic_name(case, session.locale)
            thread_id = await self.messenger.open_topic(self.chat_id, name)
            await self.book.set_thread(case.id, thread_id)
            case = dataclasses.replace(case, thread_id=thread_id)
        card = case_card(
            case,
            session,
            screens=self.engine.screens,
            now=self.clock(),
            on_duty=[m for m in await self.roster.all() if m.on_duty],
            zone=self.hours.zone,
        )
        rendered = render(card, self.catalogs.translator(self.locale))
        await self.send_html(rendered.text, case.thread_id, rendered.buttons)

    async def _digest(self, posts: Sequence[StaffPost]) -> None:
        cases = [c for p in posts if (c := await self.book.get(p.case_id)) is not None]
        locales = {}
        for case in cases:
            session = await self.store.load(case.user)
            locales[case.id] = session.locale if session else "en"
        reply = digest(cases, locales, self.clock())
        rendered = render(reply, self.catalogs.translator(self.locale))
        await self.send_html(rendered.text, None)

    async def send_html(self, text: str, thread_id: int | None, buttons: Keyboard = ()) -> None:
        """Post to the staff group (in a topic, or the general chat); long texts are split."""
        await self.messenger.post(self.chat_id, text, buttons, thread_id=thread_id)


def _private_chat(user: str) -> int:
    """The Telegram chat of ``tg:<id>`` (a private chat's id is its user's id); else NO_CHAT.

    For a case opened by a button, which carries no message of the person's to take it from;
    a web visitor has no chat.
    """
    prefix, _, number = user.partition(":")
    telegram = prefix == "tg" and number.isascii() and number.isdigit()
    return int(number) if telegram else NO_CHAT


def _copy(origin: Origin) -> CopyToTopic:
    return CopyToTopic(origin[0], origin[1])
