"""What each visitor's page shows now: the last replies (and, with a person, the conversation)."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from bot.conversation import Clock
from bot.i18n import Catalogs
from bot.i18n.render import render
from bot.storage import Outgoing, Store
from bot.storage.payloads import NO_CHAT, Edit, Send
from bot.web.page import Shown, html_lang
from dialogs.engine import Step
from dialogs.messages import NP_
from dialogs.session import Session

__all__ = ["WEB_PRIVACY", "Screen", "Screens", "WebReplies", "shown_of"]

logger = logging.getLogger(__name__)

# NOTE: added under the privacy notice on the web page (which mentions a Telegram user ID).
WEB_PRIVACY = NP_(
    "web",
    "On this web page we store a random code kept in a cookie of your browser instead of a "
    "Telegram user ID. Erasing your data also replaces that code.",
)

# Pages kept in memory (a visitor whose page was dropped is welcomed back by the engine).
_MAX_SCREENS = 10_000
# Messages kept on a page while a person answers (the conversation with staff grows).
_MAX_SHOWN = 30
_MAX_DELIVERED = 200
# A page unused this long is dropped: rendered answers do not stay in memory for days (the data
# itself follows the retention period; a returning visitor is welcomed back from the database).
IDLE_S = 6 * 3600.0


@dataclass(slots=True)
class Screen:
    """One visitor's page: its language, its messages, and whether it asks for typing."""

    locale: str
    shown: list[Shown] = field(default_factory=list)
    typing: bool = False
    held: bool = False  # a person answers (or is awaited): the page looks for their replies
    # Outbox ids already on the page: marking them sent is committed later (with the next
    # write), and a reload before that must not show them twice.
    delivered: deque[str] = field(default_factory=lambda: deque(maxlen=_MAX_DELIVERED))
    seen: float = 0.0  # when it was last used (monotonic seconds)


class Screens:
    """Every visitor's page, least recently used first; idle ones are dropped."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._screens: OrderedDict[str, Screen] = OrderedDict()
        self.clock = clock

    def get(self, user: str) -> Screen | None:
        """The visitor's page, if this process still has it."""
        self._drop_idle()
        screen = self._screens.get(user)
        if screen is not None:
            self._screens.move_to_end(user)
            screen.seen = self.clock()
        return screen

    def _drop_idle(self) -> None:
        cutoff = self.clock() - IDLE_S
        while self._screens:
            oldest = next(iter(self._screens.values()))
            if oldest.seen > cutoff:
                return
            self._screens.popitem(last=False)

    def show(self, user: str, session: Session, shown: Sequence[Shown], *, keep: bool) -> None:
        """Replace the page with ``shown``, or add it below (``keep``: talking with staff)."""
        screen = self._screens.get(user)
        before = screen.shown if screen is not None and keep else []
        delivered = screen.delivered if screen is not None else None
        self._screens[user] = Screen(
            session.locale,
            [*before, *shown][-_MAX_SHOWN:],
            typing=_types(session),
            held=session.owner.held,
            seen=self.clock(),
        )
        if delivered is not None:
            self._screens[user].delivered = delivered
        self._screens.move_to_end(user)
        while len(self._screens) > _MAX_SCREENS:
            self._screens.popitem(last=False)

    def follow(self, user: str, session: Session) -> None:
        """A step that said nothing (the staff desk answers later) still changes the page."""
        screen = self._screens.get(user)
        if screen is not None:
            screen.locale, screen.typing = session.locale, _types(session)
            screen.held = session.owner.held

    def add(self, user: str, shown: Sequence[Shown], delivered: Sequence[str] = ()) -> None:
        """Add messages below the page (the person's own words, staff replies)."""
        screen = self._screens.get(user)
        if screen is not None:
            screen.shown = [*screen.shown, *shown][-_MAX_SHOWN:]
            screen.delivered.extend(delivered)

    def delivered(self, user: str, outbox_id: str) -> bool:
        """Whether the page already shows this outbox message."""
        screen = self._screens.get(user)
        return screen is not None and outbox_id in screen.delivered

    def move(self, user: str, to: str) -> None:
        """Give the page to another visitor id (a new one, after an erase)."""
        screen = self._screens.pop(user, None)
        if screen is not None:
            self._screens[to] = screen


def _types(session: Session) -> bool:
    # A typed answer is read where the question invites it (a prefecture's name) and while a
    # person answers; elsewhere the buttons are the answers.
    return session.owner.held or session.state.value == "prefecture"


@dataclass(slots=True)
class WebReplies:
    """The Delivery for one request: renders the replies, shows them on the visitor's page."""

    screens: Screens
    catalogs: Catalogs
    store: Store
    clock: Clock
    session: Session | None = None
    # Replies in another language than the page's (the Japanese card for the counter), by text.
    foreign: dict[str, str] = field(default_factory=dict)

    def prepare(self, user: str, step: Step) -> list[Outgoing]:
        """One outbox message per reply, rendered in the reader's language."""
        self.session = step.session
        outgoing = []
        for reply in step.replies:
            locale = reply.locale or step.session.locale
            tr = self.catalogs.translator(locale)
            rendered = render(reply, tr)
            text = rendered.text
            if reply.question == "privacy":  # the notice names Telegram's id: say what we keep
                text += "\n\n" + tr.format(WEB_PRIVACY, "web", {})
            if locale != step.session.locale:
                self.foreign[text] = html_lang(locale)[0]
            outgoing.append(Outgoing(Send(NO_CHAT, text, rendered.buttons)))
        return outgoing

    async def deliver(self, user: str, messages: Sequence[tuple[str | None, Outgoing]]) -> None:
        """Put them on the page; stored ones are delivered now (the page is read from memory)."""
        shown = [
            replace(item, lang=self.foreign.get(item.text, ""))
            for item in shown_of(m for _, m in messages)
        ]
        if self.session is not None:
            self.screens.show(user, self.session, shown, keep=self.session.owner.held)
            shown = []
        delivered = [outbox_id for outbox_id, _ in messages if outbox_id is not None]
        self.screens.add(user, shown, delivered)
        if delivered:
            self.store.mark_sent(delivered, self.clock())

    async def forget(self, shown: Sequence[tuple[int, int]], now: Sequence[Outgoing]) -> None:
        """Nothing to remove: a web page has no earlier messages to delete."""


def shown_of(messages: Iterable[Outgoing]) -> list[Shown]:
    """The messages a page can show (a Telegram copy of a staff message has no text here)."""
    shown = []
    for outgoing in messages:
        message = outgoing.message
        if isinstance(message, Send | Edit):
            shown.append(Shown(message.text, message.keyboard))
        else:
            logger.warning("web page cannot show a copied message")
    return shown
