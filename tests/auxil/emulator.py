"""A local Bot API server on 127.0.0.1 for end-to-end tests of the real bot process.

Behaves like Telegram where it matters to the bot: seconds for dates, long-polling getUpdates
that confirms updates only when asked for a higher offset, 409 for getUpdates while a webhook is
set, webhooks posted with the secret header and retried until answered 2xx, 401 for a wrong token.
The staff group is a forum supergroup: createForumTopic, message_thread_id, copyMessage, and
updates pushed from its members (tests.auxil.fakes.group_text_update / group_button_update).

Telegram's flood limits are on by default (``tests.auxil.flood``): sends and edits share a
per-chat budget (private chats ~1/s with short bursts, groups 20/min), new messages nobody just
asked for ~30/s overall, answerCallbackQuery free; over a limit the answer is HTTP 429 with
``parameters.retry_after``, as Telegram's. For benchmarks and tests::

    emulator = Emulator(limits=TelegramLimits())  # the default; Emulator(limits=None): no limits
    await emulator.start()                          # then point the bot at emulator.base_url
    emulator.push(update)                           # an update, as a person sends it
    emulator.too_many_requests                      # 429s answered so far (limits or injected)
    emulator.unanswered_callbacks                   # button presses never answered
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp import web

from tests.auxil.fakes import TOKEN, BotApi
from tests.auxil.flood import TelegramLimits

_RAW = {
    "text",
    "language_code",
    "callback_query_id",
    "url",
    "secret_token",
    "parse_mode",
    "name",  # a forum topic's name
}


class Emulator:
    """One bot's view of Telegram; tests push updates and read the chats."""

    def __init__(self, limits: TelegramLimits | None = TelegramLimits()) -> None:  # noqa: B008
        self.api = BotApi(limits=limits)
        self.pending: list[dict[str, Any]] = []
        self.webhook: tuple[str, str] | None = None
        self.delivered: list[int] = []
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._pusher: asyncio.Task[None] | None = None
        self.port = 0
        self.reply_delay = 0.0  # seconds before answering a send or edit (a slow network)
        # Called once a method is applied, before it is answered (e.g. to kill the bot there).
        self.after_call: Callable[[str, dict[str, Any]], None] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        self._changed.set()  # long polls of killed bots return now, not after their timeout
        if self._pusher:
            self._pusher.cancel()
        self._changed.set()  # a long poll still held open returns now, not after its timeout
        if self._runner:
            await self._runner.cleanup()

    @property
    def too_many_requests(self) -> int:
        """HTTP 429 answers given so far."""
        return self.api.too_many_requests

    @property
    def unanswered_callbacks(self) -> int:
        """Button presses pushed whose answerCallbackQuery never came."""
        return self.api.unanswered_callbacks

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update as Telegram would, numbering it; returns its update_id."""
        update = {**update, "update_id": next(self._ids)}
        self.api.heard(update)
        self.pending.append(update)
        self._changed.set()
        return int(update["update_id"])

    # -- HTTP -----------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await _params(request)
        if method == "getUpdates":
            self.api.calls.append((method, params))
            return await self._get_updates(params)
        if method == "setWebhook":
            self.webhook = (params["url"], params.get("secret_token", ""))
            self._pusher = asyncio.create_task(self._push_loop())
            return web.json_response({"ok": True, "result": True})
        if method == "deleteWebhook":
            self.webhook = None
        if method in ("sendMessage", "editMessageText") and self.reply_delay:
            await asyncio.sleep(self.reply_delay)
        status, body = self.api.call(method, params)
        if self.after_call is not None:
            self.after_call(method, params)
        return web.json_response(body, status=status)

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        if self.webhook is not None:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 409,
                    "description": "Conflict: can't use getUpdates method while webhook is "
                    "active; use deleteWebhook to delete the webhook first",
                },
                status=409,
            )
        offset = int(params.get("offset") or 0)
        self.pending = [u for u in self.pending if u["update_id"] >= offset]  # confirmed
        if not self.pending:
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), float(params.get("timeout") or 0))
        batch = self.pending[:100]
        self.delivered += [u["update_id"] for u in batch]
        return web.json_response({"ok": True, "result": batch})

    async def _push_loop(self) -> None:
        async with aiohttp.ClientSession() as session:
            while self.webhook is not None:
                if not self.pending:
                    self._changed.clear()
                    await self._changed.wait()
                    continue
                url, secret = self.webhook
                update = self.pending[0]
                try:
                    async with session.post(
                        url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
                    ) as response:
                        ok = 200 <= response.status < 300
                except aiohttp.ClientError:
                    ok = False
                if ok:
                    self.pending.pop(0)
                    self.delivered.append(update["update_id"])
                else:
                    await asyncio.sleep(0.2)  # Telegram retries later


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        data: dict[str, Any] = await request.json()
        return data
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        text = str(value)
        if key in _RAW:
            params[key] = text
            continue
        try:
            params[key] = json.loads(text)
        except ValueError:
            params[key] = text
    return params
