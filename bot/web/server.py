"""The aiohttp application: the page (GET /), the forms (POST /act), headers and limits."""

from __future__ import annotations

import html
import logging
import math
import time
from collections.abc import Awaitable, Callable
from importlib.resources import files
from typing import Any

from aiohttp import web

from bot.app import App
from bot.console import parse_input
from bot.conversation import utc_now
from bot.i18n import Catalogs
from bot.storage import CaseBook
from bot.storage.payloads import TopicText
from bot.web.limits import AddressLimiter
from bot.web.page import Shown, page, plain_page
from bot.web.screens import Screens, WebReplies, shown_of
from bot.web.visitor import COOKIE, Visitor
from dialogs import actions
from dialogs.engine import Step
from dialogs.events import Event, Start
from dialogs.handoff import Signal
from dialogs.messages import NP_

__all__ = ["CHANNEL", "HEADERS", "RUNNER_OPTIONS", "TOO_MANY", "WebChannel", "build_web_app"]

logger = logging.getLogger(__name__)

# No script at all, styles from this server only, forms only to it, never inside a frame.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
        "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# aiohttp's access log holds addresses: the guard logs each request without them instead.
RUNNER_OPTIONS: dict[str, Any] = {"access_log": None}
_COOKIE_DAYS = 90  # the retention period's default; the data itself goes at the retention
_MAX_TEXT = 1000
# NOTE: shown when one connection sent too many requests in a minute (the page asks to wait).
TOO_MANY = NP_(
    "web", "Too many requests from your connection. Please wait a minute, then try again."
)
STYLE = files("bot.web").joinpath("style.css").read_text(encoding="utf-8")
SCRIPT = files("bot.web").joinpath("poll.js").read_text(encoding="utf-8")
POLL_SECONDS = 15  # while a person is awaited: about 4 requests a minute

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class WebChannel:
    """Connects the page's requests to the conversations of a Tsunagu App."""

    def __init__(
        self,
        app: App,
        *,
        secure: bool = False,
        trust_proxy: bool = False,
        poll_seconds: int = POLL_SECONDS,
    ) -> None:
        self.app = app
        self.poll_seconds = poll_seconds
        self.screens = Screens()
        self.secure = secure  # https: the cookie is sent over https only
        self.trust_proxy = trust_proxy
        self.limiter = AddressLimiter(app.settings.web_requests_per_minute)

    # -- middleware -----------------------------------------------------------------------------

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Per-address limit, security headers, and an access log line without the address."""
        started = time.perf_counter()
        status = 500
        try:
            wait = self.limiter.allow(self._address(request))
            response = self._too_many(request, wait) if wait else await handler(request)
            response.headers.update(HEADERS)
            status = response.status
            return response
        except web.HTTPException as exc:  # the router's 404 and 405
            exc.headers.update(HEADERS)
            status = exc.status
            raise
        finally:
            logger.info(
                "web %s %s status=%s ms=%.1f",
                request.method,
                request.path if request.path in _PATHS else "other",
                status,
                (time.perf_counter() - started) * 1000,
            )

    def _address(self, request: web.Request) -> str:
        forwarded = request.headers.get("X-Forwarded-For", "") if self.trust_proxy else ""
        # The proxy appends the address it saw: the last entry is the one nobody could forge.
        return forwarded.rsplit(",", 1)[-1].strip() or request.remote or "?"

    def _too_many(self, request: web.Request, wait: float) -> web.Response:
        locale = _language(request, self.app.catalogs) or "en"
        text = self.app.catalogs.translator(locale).format(TOO_MANY, "web", {})
        return web.Response(
            status=429,
            text=plain_page(text, locale),
            content_type="text/html",
            headers={"Retry-After": str(math.ceil(wait))},
        )

    # -- the page -------------------------------------------------------------------------------

    async def show(self, request: web.Request) -> web.Response:
        """The visitor's page: first visit greets in the browser's language."""
        visitor = Visitor.from_cookie(request.cookies.get(COOKIE))
        new = visitor is None
        visitor = visitor or Visitor.new()
        user = visitor.user
        if self.screens.get(user) is None:
            hint = _language(request, self.app.catalogs)
            await self._handle(user, Start(hint))
        await self._collect(user)
        screen = self.screens.get(user)
        assert screen is not None
        tr = self.app.catalogs.translator(screen.locale)
        poll = self.poll_seconds if screen.held else 0
        body = page(screen.shown, tr, visitor.csrf, typing=screen.typing, poll=poll)
        response = web.Response(text=body, content_type="text/html")
        response.headers["Cache-Control"] = "no-store"
        if new:
            self._set_cookie(response, visitor)
        return response

    async def act(self, request: web.Request) -> web.StreamResponse:
        """A button or a typed line: step, then back to the page (POST, redirect, GET)."""
        visitor = Visitor.from_cookie(request.cookies.get(COOKIE))
        if visitor is None:  # no cookie (expired, erased): nothing to act on, start afresh
            return _see_other("/")
        form = await request.post()
        token = form.get("csrf")
        if not visitor.csrf_ok(token if isinstance(token, str) else None):
            logger.warning("web form refused: bad csrf token user=%s", visitor.user)
            return web.Response(status=403, text="Forbidden")
        event = self._event(visitor.user, form.get("b"), form.get("text"))
        response = _see_other("/#now")
        if event is not None:
            step = await self._handle(visitor.user, event, typed=form.get("text"))
            if step is not None and step.erase:
                # The id goes with the data: a new visitor reads the confirmation.
                fresh = Visitor.new()
                self.screens.move(visitor.user, fresh.user)
                self._set_cookie(response, fresh)
        return response

    def _event(self, user: str, button: object, typed: object) -> Event | None:
        if isinstance(button, str):
            return actions.parse(button)  # None for a forged or stale button
        if isinstance(typed, str) and typed.strip():
            screen = self.screens.get(user)
            buttons = (
                [b for s in screen.shown for row in s.keyboard for b in row] if screen else []
            )
            return parse_input(typed[:_MAX_TEXT], buttons)
        return None

    async def _handle(self, user: str, event: Event, typed: object = None) -> Step | None:
        screen = self.screens.get(user)
        if isinstance(typed, str) and screen is not None and screen.typing:
            self.screens.add(user, [Shown(html.escape(typed[:_MAX_TEXT]), mine=True)])
        step = await self.app.conversations.handle(user, event, delivery=self._delivery())
        if step is not None:
            self.screens.follow(user, step.session)
            if isinstance(typed, str) and step.handoff and step.handoff.signal is Signal.RELAY:
                await self._relay(user, typed[:_MAX_TEXT])
        return step

    def _delivery(self) -> WebReplies:
        app = self.app
        return WebReplies(self.screens, app.catalogs, app.store, app.conversations.clock)

    async def _relay(self, user: str, text: str) -> None:
        """The person's words into their case's topic (Telegram copies the message instead)."""
        if self.app.conversations.handoffs is None:
            return
        case = await CaseBook(self.app.store.database).open_case_of(user)
        if case is not None:
            post = (case.id, TopicText(html.escape(text, quote=False)))
            await self.app.conversations.send(user, [], delivery=self._delivery(), posts=[post])

    async def _collect(self, user: str) -> None:
        """Messages another process committed for this visitor (a staff member's replies)."""
        async with self.app.conversations.turn(user):
            owed = await self.app.store.unsent(user)
            new = [(i, m) for i, _, m in owed if not self.screens.delivered(user, i)]
            if new:
                ids = [outbox_id for outbox_id, _ in new]
                self.screens.add(user, shown_of(message for _, message in new), ids)
                self.app.store.mark_sent(ids, utc_now())

    def _set_cookie(self, response: web.StreamResponse, visitor: Visitor) -> None:
        response.set_cookie(
            COOKIE,
            visitor.secret,
            max_age=_COOKIE_DAYS * 86400,
            path="/",
            httponly=True,
            samesite="Lax",
            secure=self.secure,
        )

    async def news(self, request: web.Request) -> web.Response:
        """How many messages wait for this visitor (poll.js reloads the page when some do)."""
        visitor = Visitor.from_cookie(request.cookies.get(COOKIE))
        waiting = 0
        if visitor is not None and self.screens.get(visitor.user) is not None:
            owed = await self.app.store.unsent(visitor.user)
            waiting = sum(not self.screens.delivered(visitor.user, i) for i, _, _ in owed)
        response = web.json_response({"waiting": waiting})
        response.headers["Cache-Control"] = "no-store"
        return response

    async def script(self, request: web.Request) -> web.Response:
        """The page's one script: look for a staff member's reply while the person waits."""
        del request
        response = web.Response(text=SCRIPT, content_type="text/javascript")
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    async def style(self, request: web.Request) -> web.Response:
        """The one stylesheet (no inline styles: the CSP forbids them)."""
        del request
        response = web.Response(text=STYLE, content_type="text/css")
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response


def _see_other(location: str) -> web.Response:
    """POST, redirect, GET: reloading the page never sends the form again."""
    return web.Response(status=303, headers={"Location": location})


CHANNEL: web.AppKey[WebChannel] = web.AppKey("channel", WebChannel)
_PATHS = frozenset({"/", "/act", "/style.css", "/poll.js", "/news", "/healthz"})


def _language(request: web.Request, catalogs: Catalogs) -> str | None:
    """The shipped locale the browser wants most (Accept-Language, by q-value), if any."""
    wanted: list[tuple[float, str]] = []
    for part in request.headers.get("Accept-Language", "").split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            wanted.append((quality, tag))
    wanted.sort(key=lambda pair: -pair[0])  # stable: equal weights keep the browser's order
    return next((loc for _, tag in wanted if (loc := catalogs.negotiate(tag))), None)


def build_web_app(
    app: App, *, secure: bool = False, trust_proxy: bool = False, poll_seconds: int = POLL_SECONDS
) -> web.Application:
    """The aiohttp application around a Tsunagu App."""
    channel = WebChannel(app, secure=secure, trust_proxy=trust_proxy, poll_seconds=poll_seconds)
    server = web.Application(middlewares=[channel.guard], client_max_size=16 * 1024)
    server.router.add_get("/", channel.show)
    server.router.add_post("/act", channel.act)
    server.router.add_get("/style.css", channel.style)
    server.router.add_get("/poll.js", channel.script)
    server.router.add_get("/news", channel.news)
    server.router.add_get("/healthz", _ok)
    server[CHANNEL] = channel
    return server


async def _ok(request: web.Request) -> web.Response:
    del request
    return web.Response(text="ok")
