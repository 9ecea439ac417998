"""A seeded fuzzer of the real PTB Application: hostile updates in, every answer checked.

Each run starts a staffed bot (tests/auxil/staff_harness.py) on a fresh SQLite file and feeds it
updates drawn from a seeded generator: buttons pressed (current, stale, other people's, forged,
64 bytes and more), random Unicode (bidi overrides, zero-width, NUL, 10,000 characters), Zawgyi
Burmese, media, edited messages, channel posts, groups the bot is in, commands with junk
arguments, redelivered update ids, and staff-group updates from roster members, strangers and
other chats. After every update it checks what the bot did; see :meth:`Fuzzer.check`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import logging
import random
import re
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text as sql

from bot.storage import Roster, StaffMember
from bot.telegram.updates import user_key
from tests.auxil.fakes import STAFF_CHAT, TOKEN
from tests.auxil.fuzz_input import (
    APPLICANTS,
    CHANNEL,
    COMMANDS,
    LANGUAGE_CODES,
    MEDIA,
    NAME,
    OTHER_FORUM,
    PLAIN_GROUP,
    ROSTER,
    TOM,
    Typist,
    Updates,
    private,
    staff_chat,
)
from tests.auxil.staff_harness import STRANGER, start_staffed
from tests.auxil.strict_api import StrictBotApi
from tests.auxil.telegram_harness import Harness, stop_harness
from tests.auxil.telegram_html import echoed_raw, html_problems, plain_problems

__all__ = ["FuzzReport", "Fuzzer", "fuzzed", "replay", "run_fuzz"]

_TOPIC_NAME_LIMIT = 128
_ALERT_LIMIT = 200
_REPLY_METHODS = {"sendMessage", "editMessageText", "copyMessage", "deleteMessages"}
_CANNED_KEYS = ("consent", "documents", "office", "hours", "helplines", "CONSENT", "", "x")


# -- what a run found -----------------------------------------------------------------------------


@dataclass
class FuzzReport:
    """Figures of one run; ``problems`` names each broken promise with its update."""

    seed: int
    updates: int = 0
    redelivered: int = 0
    callbacks: int = 0
    bot_texts: int = 0  # HTML texts the bot sent, each checked
    kinds: Counter[str] = field(default_factory=Counter)
    command_states: set[str] = field(default_factory=set)  # states a command was sent in
    exceptions: int = 0
    unanswered: int = 0
    invalid: int = 0  # invalid Telegram HTML, or markup in a text Telegram shows literally
    unescaped: int = 0  # a user's text with < or & sent back raw
    escaped_echoes: int = 0  # a user's text with < or & sent back, escaped (as it must be)
    leaks: int = 0  # the token or a user's text in the logs
    replayed: int = 0  # something sent or committed for a redelivered update
    overreach: int = 0  # an update that acted on someone else's chat or case without the right
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"seed={self.seed} updates={self.updates} redelivered={self.redelivered} "
            f"callbacks={self.callbacks} bot_texts={self.bot_texts} "
            f"exceptions={self.exceptions} unanswered={self.unanswered} invalid={self.invalid} "
            f"unescaped={self.unescaped} escaped_echoes={self.escaped_echoes} "
            f"leaks={self.leaks} replayed={self.replayed} "
            f"overreach={self.overreach} command_states={len(self.command_states)}"
        )


class _Records(logging.Handler):
    """Every log record of the run, formatted as a log file would show it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.levelno, self.format(record)))


@dataclass
class _Batch:
    """Updates handled together, and what the checks need to know about them."""

    kind: str
    updates: list[dict[str, Any]]
    redelivered: bool = False

    def actors(self) -> set[int]:
        return {u for u in (_sender(x) for x in self.updates) if u is not None}

    def from_staff_desk(self) -> bool:
        """Sent by a roster member inside the staff group: the only updates that may act there."""
        return any(_sender(u) in ROSTER and _chat_id(u) == STAFF_CHAT for u in self.updates)

    def typed(self) -> list[str]:
        found: list[str] = []
        for update in self.updates:
            for value in _strings(update):
                found.append(value)
        return found


def _body(update: dict[str, Any]) -> dict[str, Any]:
    return next(v for k, v in update.items() if k != "update_id")


def _sender(update: dict[str, Any]) -> int | None:
    person = _body(update).get("from")
    return int(person["id"]) if person else None


def _chat_id(update: dict[str, Any]) -> int | None:
    body = _body(update)
    chat = body.get("chat") or (body.get("message") or {}).get("chat")
    return int(chat["id"]) if chat else None


def _strings(update: dict[str, Any]) -> Iterator[str]:
    body = _body(update)
    for name in ("text", "data"):
        if isinstance(body.get(name), str):
            yield body[name]


Script = Callable[["Fuzzer"], Awaitable[None]]


# -- the fuzzer -----------------------------------------------------------------------------------


class Fuzzer:
    """Draws updates, feeds them to the Application, and checks every answer."""

    def __init__(self, harness: Harness, api: StrictBotApi, seed: int) -> None:
        self.harness, self.api = harness, api
        self.rng = random.Random(seed)
        self.typist = Typist(self.rng)
        self.make = Updates()
        self.report = FuzzReport(seed)
        self.languages = {u: self.rng.choice(LANGUAGE_CODES) for u in (*APPLICANTS, *ROSTER)}
        self.history: deque[dict[str, Any]] = deque(maxlen=300)  # for redelivery
        self.recent_texts: dict[int | None, deque[str]] = {}  # by chat: what users typed there
        self.recent_strings: deque[str] = deque(maxlen=200)  # for the log scan
        self.records = _Records()
        self.commits: list[Any] = []
        self.private_chats: set[int] = set()  # chats people wrote to the bot from
        # The cases table after the last update (only updates change a case's status or staff).
        self.cases: dict[int, tuple[str, str, int | None]] = {}
        self.topics: dict[int, str] = {}  # forum topic -> whose case it is
        store = harness.channel.app.store
        real_commit = store.commit

        async def recording_commit(change: Any) -> list[str]:
            self.commits.append(change)
            return await real_commit(change)

        store.commit = recording_commit  # type: ignore[method-assign]

    # -- drawing updates ------------------------------------------------------------------------

    def draw(self) -> _Batch:
        kinds: dict[str, Callable[[], _Batch]] = {
            "press": self._press,
            "text": self._text,
            "command": self._command,
            "forged": self._forged,
            "media": self._media,
            "edited": self._edited,
            "redeliver": self._redeliver,
            "group": self._group,
            "channel": self._channel,
            "membership": self._membership,
            "staff": self._staff,
            "burst": self._burst,
        }
        weights = (30, 10, 10, 8, 4, 3, 5, 3, 1, 1, 18, 4)
        return kinds[self.rng.choices(list(kinds), weights)[0]]()

    def _applicant(self) -> int:
        # A few people do most of the talking, so conversations get deep.
        pool = APPLICANTS if self.rng.random() < 0.7 else (*APPLICANTS[:4], *ROSTER, STRANGER)
        return self.rng.choice(pool)

    def _language(self, user_id: int) -> str | None:
        return self.languages.get(user_id, "en")

    def _press(self, user_id: int | None = None) -> _Batch:
        user_id = user_id or self._applicant()
        chat = [m for m in self.api.chat(user_id) if m.buttons]
        if not chat:
            text = "/start" if self.rng.random() < 0.8 else "/staff"
            update = self.make.message(
                user_id, private(user_id), text=text, language=self._language(user_id)
            )
            return _Batch("press", [update])
        # mostly the newest question; sometimes a stale one further up
        holder = chat[-1] if self.rng.random() < 0.8 else self.rng.choice(chat)
        answers = [d for _, d in holder.buttons if d.startswith("a:")]
        if any(d.startswith("a:prefecture:") for d in answers) and self.rng.random() < 0.5:
            # the one question that quotes what was typed: type something hostile there
            text = self.typist.hostile()
            update = self.make.message(
                user_id, private(user_id), text=text, language=self._language(user_id)
            )
            return _Batch("press", [update])
        if answers and self.rng.random() < 0.8:  # go deeper rather than sideways
            data = self.rng.choice(answers)
        else:
            _, data = self.rng.choice(holder.buttons)
        update = self.make.press(
            user_id, data, private(user_id), holder.message_id, language=self._language(user_id)
        )
        return _Batch("press", [update])

    def _text(self) -> _Batch:
        user_id = self._applicant()
        update = self.make.message(
            user_id, private(user_id), text=self.typist.text(), language=self._language(user_id)
        )
        return _Batch("text", [update])

    def _command(self) -> _Batch:
        user_id = self._applicant()
        text = "/" + self.rng.choice(COMMANDS) + self.typist.junk()
        update = self.make.message(
            user_id, private(user_id), text=text, language=self._language(user_id)
        )
        return _Batch("command", [update])

    def _forged(self) -> _Batch:
        user_id = self._applicant()
        pick = self.rng.randrange(4)
        everyone = [m for m in self.api.messages.values() if m.buttons]
        if pick == 0 and everyone:  # someone else's (or a staff card's) button, on own message
            data = self.rng.choice(self.rng.choice(everyone).buttons)[1]
        elif pick == 1 and everyone:  # a real question's id with another question's option
            first = self.rng.choice(self.rng.choice(everyone).buttons)[1].split(":")
            second = self.rng.choice(self.rng.choice(everyone).buttons)[1].split(":")
            data = ":".join(first[:2] + second[2:])
        else:
            data = self.typist.data()
        own = self.api.chat(user_id)
        message_id = self.rng.choice(
            [
                own[-1].message_id if own else 1,
                self.rng.choice(list(self.api.messages) or [1]),  # another chat's message
                self.rng.randint(1, 1 << 40),
            ]
        )
        chat = None if self.rng.random() < 0.1 else private(user_id)
        update = self.make.press(user_id, data, chat, message_id, language=self._language(user_id))
        return _Batch("forged", [update])

    def _media(self) -> _Batch:
        user_id = self._applicant()
        update = self.make.message(
            user_id,
            private(user_id),
            media=self.rng.choice(list(MEDIA)),
            language=self._language(user_id),
        )
        return _Batch("media", [update])

    def _edited(self) -> _Batch:
        user_id = self._applicant()
        chat = private(user_id) if self.rng.random() < 0.7 else staff_chat()
        update = self.make.message(user_id, chat, text=self.typist.text(), key="edited_message")
        return _Batch("edited", [update])

    def _redeliver(self) -> _Batch:
        if not self.history:
            return self._text()
        return _Batch("redeliver", [self.rng.choice(self.history)], redelivered=True)

    def _group(self) -> _Batch:
        user_id = self.rng.choice((*APPLICANTS[:6], *ROSTER, STRANGER))
        chat = self.rng.choice(
            [
                staff_chat(OTHER_FORUM),
                {"id": PLAIN_GROUP, "type": "group", "title": "<b>friends"},
            ]
        )
        if self.rng.random() < 0.3:
            cards = self._cards()
            data = cards and self.rng.random() < 0.7
            update = self.make.press(
                user_id,
                self.rng.choice(cards)[0] if data else self.typist.data(),
                chat,
                self.rng.randint(1, 5000),
                thread_id=self.rng.choice(self._threads() or [None]),
            )
            return _Batch("group", [update])
        text = self.rng.choice([self.typist.text(), "/start", "/staff", "/reply consent"])
        update = self.make.message(
            user_id, chat, text=text, thread_id=self.rng.choice([None, *self._threads()])
        )
        return _Batch("group", [update])

    def _channel(self) -> _Batch:
        chat = {"id": CHANNEL, "type": "channel", "title": "<b>news"}
        key = self.rng.choice(["channel_post", "edited_channel_post"])
        return _Batch("channel", [self.make.message(None, chat, text=self.typist.text(), key=key)])

    def _membership(self) -> _Batch:
        user_id = self._applicant()
        status = self.rng.choice(["kicked", "member"])
        chat = private(user_id) if self.rng.random() < 0.6 else staff_chat()
        return _Batch("membership", [self.make.member(user_id, chat, status)])

    # -- the staff group ------------------------------------------------------------------------

    def _cards(self) -> list[tuple[str, int | None, int]]:
        """(data, topic, message id) of every staff-group button."""
        return [
            (data, m.thread_id, m.message_id)
            for m in self.api.chat(STAFF_CHAT)
            for _, data in m.buttons
        ]

    def _threads(self) -> list[int]:
        return list(self.api.topics)

    def _staff(self) -> _Batch:
        pick = self.rng.random()
        user_id = self.rng.choice(ROSTER) if pick < 0.75 else STRANGER
        # Mostly the staff group itself; sometimes the same update from another chat.
        chat = (
            staff_chat()
            if self.rng.random() < 0.85
            else self.rng.choice([staff_chat(OTHER_FORUM), private(user_id)])
        )
        cards = self._cards()
        if self.rng.random() < 0.4:
            if cards and self.rng.random() < 0.8:
                data, thread, message_id = self.rng.choice(cards)
            else:
                data, thread, message_id = self.typist.data(), None, self.rng.randint(1, 9999)
            update = self.make.press(user_id, data, chat, message_id, thread)
            return _Batch("staff", [update])
        threads = self._threads()
        thread = self.rng.choice(threads) if threads and self.rng.random() < 0.9 else None
        roll = self.rng.random()
        if roll < 0.08:
            update = self.make.message(
                user_id, chat, media=self.rng.choice(list(MEDIA)), thread_id=thread
            )
            return _Batch("staff", [update])
        if roll < 0.35:
            text = f"/reply{self.rng.choice(['', '@tsunagu_bot'])} {self.rng.choice(_CANNED_KEYS)}"
        elif roll < 0.5:
            text = "/note " + self.typist.text()
        else:
            text = self.typist.text()
        update = self.make.message(user_id, chat, text=text, thread_id=thread, language="ja")
        return _Batch("staff", [update])

    def _burst(self) -> _Batch:
        """Several people at once, as one getUpdates batch (handled concurrently)."""
        updates = []
        for user_id in self.rng.sample(APPLICANTS, self.rng.randint(2, 5)):
            if self.rng.random() < 0.7:
                updates.append(self._press(user_id).updates[0])
            else:
                text = self.typist.text()
                language = self._language(user_id)
                updates.append(
                    self.make.message(user_id, private(user_id), text=text, language=language)
                )
        return _Batch("burst", updates)

    # -- running and checking -------------------------------------------------------------------

    @contextmanager
    def capturing(self) -> Iterator[None]:
        """Record every log line while fuzzing."""
        # Everything at INFO and up, the bot's own loggers at DEBUG too (the transitions
        # library's DEBUG lines, one per condition tried, would triple the run's time).
        loggers = {logging.getLogger(): logging.INFO, logging.getLogger("bot"): logging.DEBUG}
        levels = {logger: logger.level for logger in loggers}
        logging.getLogger().addHandler(self.records)
        for logger, level in loggers.items():
            logger.setLevel(level)
        try:
            yield
        finally:
            logging.getLogger().removeHandler(self.records)
            for logger, level in levels.items():
                logger.setLevel(level)

    async def run(self, count: int) -> FuzzReport:
        with self.capturing():
            number = 0
            while self.report.updates < count:
                await self.step(number, self.draw())
                number += 1
                if number % 500 == 0:
                    self.api.prune()
                if number % 10_000 == 0:
                    print(self.report.summary(), flush=True)  # a long soak shows it is alive
        return self.report

    async def step(self, number: int, batch: _Batch) -> None:
        await self._note_command_states(batch)
        for update in batch.updates:  # before handling: the reply to this very update may quote it
            self._remember_typed(update)
        cases_before = self.cases
        self.records.lines.clear()
        self.commits.clear()
        calls_before = len(self.api.calls)
        if len(batch.updates) == 1:
            await self.harness.feed(batch.updates[0])
        else:
            await self.harness.burst(batch.updates)
        for _ in range(3):  # let the staff pacer post what this update queued
            await asyncio.sleep(0)
        calls = self.api.calls[calls_before:]
        self.cases = await self.snapshot_cases()
        self.check(number, batch, calls, cases_before, self.cases)
        del self.api.calls[:], self.api.stamps[:]
        self.report.updates += len(batch.updates)
        self.report.kinds[batch.kind] += len(batch.updates)
        if batch.redelivered:
            self.report.redelivered += 1
        else:
            self.history.extend(batch.updates)

    def check(
        self,
        number: int,
        batch: _Batch,
        calls: list[tuple[str, dict[str, Any]]],
        cases_before: dict[int, tuple[str, str, int | None]],
        cases_after: dict[int, tuple[str, str, int | None]],
    ) -> None:
        """Every promise, for the updates just handled."""

        def problem(counter: str, what: str) -> None:
            setattr(self.report, counter, getattr(self.report, counter) + 1)
            if len(self.report.problems) < 50:
                shown = json.dumps(batch.updates, ensure_ascii=True)[:1500]
                self.report.problems.append(f"#{number} {batch.kind}: {what}\n    {shown}")
                print(self.report.problems[-1], flush=True)  # a long soak shows it at once

        for level, line in self.records.lines:
            if level >= logging.ERROR:
                problem("exceptions", f"logged {line[-1500:]!r}")
        self._check_callbacks(batch, problem)
        self._check_texts(calls, problem)
        self._check_logs(batch, problem)
        if batch.redelivered:
            self._check_replay(calls, problem)
        if batch.from_staff_desk():
            self._check_desk_reach(batch, calls, problem)
        else:
            self._check_reach(batch, calls, cases_before, cases_after, problem)
        for update in batch.updates:
            chat = _chat_id(update)
            if chat is not None and chat > 0:
                self.private_chats.add(chat)
        for method, params in calls:
            chat = params.get("chat_id")
            if method not in _REPLY_METHODS or chat is None or int(chat) == STAFF_CHAT:
                continue
            if int(chat) not in self.private_chats:
                problem("overreach", f"{method} to chat {chat}, where nobody wrote from")

    def _check_callbacks(self, batch: _Batch, problem: Callable[[str, str], None]) -> None:
        for update in batch.updates:
            query = update.get("callback_query")
            if query is None:
                continue
            self.report.callbacks += 1
            if query["id"] not in self.api.answered:
                problem("unanswered", f"callback query {query['id']} never answered")

    def _check_texts(
        self, calls: list[tuple[str, dict[str, Any]]], problem: Callable[[str, str], None]
    ) -> None:
        for method, params in calls:
            if method in ("sendMessage", "editMessageText"):
                text = str(params["text"])
                self.report.bot_texts += 1
                if params.get("parse_mode") == "HTML":
                    faults = html_problems(text)
                else:
                    faults = plain_problems(text, 4096)
                for fault in faults:
                    problem("invalid", f"{method}: {fault}")
                for label, data in _buttons(params.get("reply_markup")):
                    if not label.strip() or len(data.encode()) > 64:
                        problem("invalid", f"button {label!r} {data!r}")
                chat = int(params["chat_id"])
                for typed in self.recent_texts.get(None if chat == STAFF_CHAT else chat, ()):
                    if echoed_raw(typed, text):
                        problem("unescaped", f"{typed[:60]!r} sent back unescaped in {method}")
                    elif len(typed) > 3 and html.escape(typed.strip()[:100], quote=False) in text:
                        self.report.escaped_echoes += 1
            elif method == "answerCallbackQuery" and "text" in params:
                for fault in plain_problems(str(params["text"]), _ALERT_LIMIT):
                    problem("invalid", f"callback alert: {fault}")
            elif method == "createForumTopic":
                for fault in plain_problems(str(params["name"]), _TOPIC_NAME_LIMIT):
                    problem("invalid", f"topic name: {fault}")

    def _check_logs(self, batch: _Batch, problem: Callable[[str, str], None]) -> None:
        if not self.records.lines:
            return
        logged = "\n".join(line for _, line in self.records.lines)
        if TOKEN in logged or TOKEN.split(":")[1] in logged:
            problem("leaks", "the token is in the logs")
        for typed in (NAME, *batch.typed(), *self.recent_strings):
            if len(typed.strip()) >= 6 and typed in logged and not _ours(typed):
                problem("leaks", f"a user's text is in the logs: {typed[:60]!r}")

    def _check_replay(
        self, calls: list[tuple[str, dict[str, Any]]], problem: Callable[[str, str], None]
    ) -> None:
        for method, params in calls:
            if method in _REPLY_METHODS and int(params["chat_id"]) != STAFF_CHAT:
                problem("replayed", f"{method} to {params['chat_id']} for a redelivered update")
        for change in self.commits:
            if change.outbox or change.staff_posts or change.cases or change.history:
                problem("replayed", f"a redelivered update committed a change for {change.user}")

    def _check_reach(
        self,
        batch: _Batch,
        calls: list[tuple[str, dict[str, Any]]],
        before: dict[int, tuple[str, str, int | None]],
        after: dict[int, tuple[str, str, int | None]],
        problem: Callable[[str, str], None],
    ) -> None:
        """Outside the staff desk, an update reaches only its sender's own chat and cases."""
        actors = batch.actors()
        own = {user_key(a) for a in actors}
        for method, params in calls:
            chat = params.get("chat_id")
            if method not in _REPLY_METHODS or chat is None or int(chat) == STAFF_CHAT:
                continue
            if int(chat) not in actors:
                problem("overreach", f"{method} to chat {chat}")
        for case_id in before.keys() | after.keys():
            then, now = before.get(case_id), after.get(case_id)
            if then != now and (now or then or ("",))[0] not in own:
                problem("overreach", f"case {case_id} changed: {then} -> {now}")

    def _check_desk_reach(
        self,
        batch: _Batch,
        calls: list[tuple[str, dict[str, Any]]],
        problem: Callable[[str, str], None],
    ) -> None:
        """A staff member's update reaches only the applicant whose case it is about."""
        about: set[str] = set()  # users whose case the update names (its topic, its button)
        for update in batch.updates:
            body = _body(update)
            message = body.get("message") if "data" in body else body
            thread = (message or {}).get("message_thread_id")
            if thread in self.topics:
                about.add(self.topics[thread])
            number = str(body.get("data", "")).rpartition(":")[2]
            if number.isascii() and number.isdigit() and int(number) in self.cases:
                about.add(self.cases[int(number)][0])
        for method, params in calls:
            chat = params.get("chat_id")
            if method not in _REPLY_METHODS or chat is None or int(chat) == STAFF_CHAT:
                continue
            if user_key(int(chat)) not in about:
                problem("overreach", f"{method} to chat {chat}, whose case this is not about")

    # -- helpers --------------------------------------------------------------------------------

    async def snapshot_cases(self) -> dict[int, tuple[str, str, int | None]]:
        database = self.harness.channel.app.store.database
        async with database.engine.connect() as conn:
            query = sql("SELECT id, user, status, staff_id, thread_id FROM cases")
            rows = list(await conn.execute(query))
        self.topics = {int(r[4]): str(r[1]) for r in rows if r[4] is not None}
        return {int(r[0]): (str(r[1]), str(r[2]), r[3]) for r in rows}

    async def _note_command_states(self, batch: _Batch) -> None:
        for update in batch.updates:
            message = update.get("message") or {}
            if str(message.get("text", "")).startswith("/") and message["chat"]["type"] == (
                "private"
            ):
                session = await self.harness.channel.app.store.load(
                    user_key(message["chat"]["id"])
                )
                self.report.command_states.add(session.state.value if session else "unstored")

    def _remember_typed(self, update: dict[str, Any]) -> None:
        chat = _chat_id(update)
        for typed in _strings(update):
            self.recent_strings.append(typed)
            if "<" in typed or "&" in typed:
                key = None if chat == STAFF_CHAT else chat
                self.recent_texts.setdefault(key, deque(maxlen=40)).append(typed)
                self.recent_texts.setdefault(None, deque(maxlen=40)).append(typed)


def _ours(typed: str) -> bool:
    """A command name or button data: the bot's own words (file paths in tracebacks hold
    "/staff"; code lines hold "a:status:"), not something a person wrote."""
    return bool(re.fullmatch(r"/[a-z@_]+|[acfs]:[a-z_:-]*", typed.strip()))


def _buttons(markup: Any) -> list[tuple[str, str]]:
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = (markup or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


@asynccontextmanager
async def fuzzed(tmp_path: Path, seed: int = 0) -> AsyncIterator[Fuzzer]:
    """A fresh staffed bot with its fuzzer (the staff pacer on a virtual clock)."""
    api = StrictBotApi()
    virtual = [0.0]

    async def sleep(seconds: float) -> None:  # the staff pacer's minute passes at once
        virtual[0] += max(seconds, 0.0)
        await asyncio.sleep(0)

    harness = await start_staffed(tmp_path, api)
    desk = harness.channel.staff
    assert desk is not None
    desk.desk.pacer.monotonic, desk.desk.pacer.sleep = (lambda: virtual[0]), sleep
    roster = Roster(harness.channel.app.store.database)
    await roster.add(StaffMember(TOM, "Tom & <Jerry>", ("en",), "en"), dt.datetime.now(dt.UTC))
    try:
        yield Fuzzer(harness, api, seed)
    finally:
        await stop_harness(harness)


async def run_fuzz(tmp_path: Path, count: int, seed: int) -> FuzzReport:
    """Fuzz a fresh staffed bot with ``count`` drawn updates."""
    async with fuzzed(tmp_path, seed) as fuzzer:
        return await fuzzer.run(count)


Update = dict[str, Any]


async def replay(
    tmp_path: Path, *updates: Update | Callable[[Fuzzer], Update], before: Sequence[Script] = ()
) -> FuzzReport:
    """Feed these updates, one at a time, through every check (a fuzz case kept as a test).

    ``before`` sets the scene first, unchecked (an applicant asking for staff); an update may
    be built from the scene (a press on the card it posted).
    """
    async with fuzzed(tmp_path) as fuzzer:
        for script in before:
            await script(fuzzer)
        fuzzer.cases = await fuzzer.snapshot_cases()
        fuzzer.private_chats |= {m.chat_id for m in fuzzer.api.messages.values() if m.chat_id > 0}
        with fuzzer.capturing():
            for number, made in enumerate(updates):
                update = made(fuzzer) if callable(made) else made
                batch = _Batch("replay", [update], redelivered=_seen(fuzzer, update))
                await fuzzer.step(number, batch)
        return fuzzer.report


def _seen(fuzzer: Fuzzer, update: dict[str, Any]) -> bool:
    return any(u["update_id"] == update["update_id"] for u in fuzzer.history)
