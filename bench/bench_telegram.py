"""Updates per second and handling latency through the real PTB Application, against the usual
design: a ConversationHandler with PicklePersistence, running the same screening.

Both bots get the same fake request layer (no network, no rate limiter: it would cap both at
~30 messages/s), the same engine and rendering, and the same 10,000 button presses from 1,000
people walking a screening, with 1,000 or 10,000 conversations already stored.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import pickle
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    PersistenceInput,
    PicklePersistence,
)
from telegram.request import BaseRequest, RequestData

sys.path.insert(0, str(Path(__file__).parents[1]))

from bot.config import LOCALES_DIR, Settings
from bot.conversation import utc_now
from bot.i18n import Catalogs
from bot.i18n.render import render
from bot.storage import Change
from bot.telegram.application import build_application, start_channel
from bot.telegram.runner import process_batch, tune_gc
from dialogs import actions
from dialogs.content import load_content
from dialogs.engine import Engine
from dialogs.events import Event, Start
from dialogs.session import Session
from dialogs.states import State

TOKEN = "4242:BENCH-token-0123456789abcdef"
ACTIVE = 1_000
PRESSES = (
    "a:role:applicant",
    "a:status:titp",
    "a:situation:lost_job",
    "a:cause:bankruptcy",
    "a:wish_ssw:yes",
    "a:contract:yes",
    "a:field:care",
    "a:prefecture:region:kanto",
    "a:prefecture:tokyo",
    "a:review:confirm",
)
BATCH = 100  # getUpdates returns at most 100 updates


class NullRequest(BaseRequest):
    """Answers the Bot API at once with well-formed results."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.calls = 0

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        self.calls += 1
        name = url.rsplit("/", 1)[-1]
        if name == "getMe":
            result: Any = {"id": 1, "is_bot": True, "first_name": "B", "username": "b"}
        elif name in ("sendMessage", "editMessageText"):
            chat = request_data.parameters["chat_id"] if request_data else 1
            result = {
                "message_id": next(self.ids),
                "date": 0,
                "text": "",
                "chat": {"id": chat, "type": "private"},
            }
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()


def _press(update_id: int, user_id: int, data: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": str(update_id),
            "chat_instance": "c",
            "data": data,
            "from": {"id": user_id, "is_bot": False, "first_name": "I", "language_code": "vi"},
            "message": {"message_id": 7, "date": 0, "chat": {"id": user_id, "type": "private"}},
        },
    }


def _workload(bot: Any) -> list[list[Update]]:
    ids = itertools.count(1_000_000)
    rounds = [
        [Update.de_json(_press(next(ids), u, data), bot) for u in range(1, ACTIVE + 1)]
        for data in PRESSES
    ]
    return [r[i : i + BATCH] for r in rounds for i in range(0, len(r), BATCH)]


def _seed_session(engine: Engine, user: str) -> Session:
    session = engine.new_session(user)
    session.locale, session.state, session.consented = "vi", State.ROLE, True
    session.answers, session.path = {"language": "vi", "privacy": "agree"}, ["language", "privacy"]
    return session


async def _timed(
    batches: list[list[Update]], run: Callable[[list[Update], list[float]], Awaitable[None]]
) -> dict[str, float]:
    latencies: list[float] = []
    start = time.perf_counter()
    for batch in batches:
        await run(batch, latencies)
    elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    return {
        "updates_per_s": len(latencies) / elapsed,
        "p50_ms": q[49],
        "p99_ms": q[98],
        "elapsed_s": elapsed,
    }


# -- Tsunagu --


async def bench_tsunagu(stored: int, tmp: Path) -> dict[str, float]:
    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'tsunagu.db'}", TELEGRAM_BOT_TOKEN=TOKEN
    )
    application = build_application(settings, request=NullRequest(), rate_limiter=False)
    await application.initialize()
    channel = await start_channel(application, settings, utc_now)
    store, engine = channel.app.store, channel.app.engine
    for chunk in range(0, stored, 1000):
        await asyncio.gather(
            *(
                store.commit(
                    Change(f"tg:{u}", utc_now(), session=_seed_session(engine, f"tg:{u}"))
                )
                for u in range(chunk + 1, min(chunk + 1000, stored) + 1)
            )
        )
    store.recent.sessions.clear()
    await store.warm_up(utc_now() - dt.timedelta(days=2))
    tune_gc()  # what `tsunagu run` does after start-up

    async def run(batch: list[Update], latencies: list[float]) -> None:
        async def one(update: Update) -> None:
            started = time.perf_counter()
            await process_batch(application, [update])
            latencies.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(one(u) for u in batch))

    result = await _timed(_workload(application.bot), run)
    result["durable_per_s"] = result["updates_per_s"]  # each update was committed before replying
    finished = await store.load(f"tg:{ACTIVE}")
    assert finished is not None and finished.outcome == "apply_change_of_status"
    await channel.close()
    await application.shutdown()
    return result


# -- the usual design --


def _baseline_handler(engine: Engine, catalogs: Catalogs) -> ConversationHandler[Any]:
    async def step(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
        data = context.user_data if context.user_data is not None else {}
        session = data.get("session") or engine.new_session(str(update.effective_user.id))  # type: ignore[union-attr]
        query = update.callback_query
        event: Event = (actions.parse(query.data or "") or Start()) if query else Start("vi")
        result = engine.step(session, event)
        data["session"] = result.session
        shown = render(result.replies[-1], catalogs.translator(result.session.locale))
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(t, callback_data=d) for t, d in row] for row in shown.buttons]
        )
        if query:
            await query.answer()
            await query.edit_message_text(shown.text, reply_markup=markup)
        return result.session.state.value

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # per_message=False with callback handlers: intended
        return ConversationHandler(
            entry_points=[CommandHandler("start", step)],
            states={s.value: [CallbackQueryHandler(step)] for s in State},
            fallbacks=[],
            persistent=True,
            name="screening",
        )


async def bench_pickle(stored: int, tmp: Path, interval: float) -> dict[str, float]:
    content, catalogs = load_content(), Catalogs(LOCALES_DIR)
    engine = Engine(content, catalogs.available)
    path = tmp / f"conversations-{interval}.pickle"
    # PicklePersistence's single-file format, written directly: its own pickler needs a bot.
    seed = {
        "user_data": {u: {"session": _seed_session(engine, str(u))} for u in range(1, stored + 1)},
        "chat_data": {},
        "bot_data": {},
        "callback_data": None,
        "conversations": {"screening": {(u, u): State.ROLE.value for u in range(1, stored + 1)}},
    }
    path.write_bytes(pickle.dumps(seed, protocol=pickle.HIGHEST_PROTOCOL))
    persistence = PicklePersistence(
        path, update_interval=interval, store_data=PersistenceInput(False, False, True, False)
    )
    application = (
        Application.builder()
        .token(TOKEN)
        .request(NullRequest())
        .persistence(persistence)
        .concurrent_updates(False)
        .build()
    )
    application.add_handler(_baseline_handler(engine, catalogs))
    await application.initialize()
    await application.start()  # starts the persistence job that writes every `interval`

    async def run(batch: list[Update], latencies: list[float]) -> None:
        for update in batch:  # concurrent_updates=False: one at a time, as most bots run
            started = time.perf_counter()
            await application.process_update(update)
            latencies.append((time.perf_counter() - started) * 1000)

    result = await _timed(_workload(application.bot), run)
    started = time.perf_counter()
    await application.stop()
    await application.shutdown()  # the final flush: the only durable point with interval 60
    result["shutdown_flush_s"] = time.perf_counter() - started
    result["pickle_mb"] = path.stat().st_size / 1e6
    # Until shutdown wrote the file, a crash lost the updates since the last interval's write.
    updates = ACTIVE * len(PRESSES)
    result["durable_per_s"] = updates / (result["elapsed_s"] + result["shutdown_flush_s"])
    return result


async def main() -> None:
    # `python bench/bench_telegram.py 1000` measures one size only (the 10k pickle flush is slow).
    sizes = [int(arg) for arg in sys.argv[1:]] or [1_000, 10_000]
    for stored in sizes:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            rows = {
                "tsunagu (SQLite, every update committed)": await bench_tsunagu(stored, tmp),
                "ConversationHandler + PicklePersistence, update_interval=60": await bench_pickle(
                    stored, tmp, 60
                ),
                "ConversationHandler + PicklePersistence, update_interval=1": await bench_pickle(
                    stored, tmp, 1
                ),
            }
        print(
            f"\n{stored:,} stored conversations, {ACTIVE * len(PRESSES):,} button presses "
            f"from {ACTIVE:,} people"
        )
        ours = rows["tsunagu (SQLite, every update committed)"]["updates_per_s"]
        for name, r in rows.items():
            extra = "".join(
                f", {k} {v:.2f}" for k, v in r.items() if k in ("shutdown_flush_s", "pickle_mb")
            )
            print(
                f"  {name}: {r['updates_per_s']:,.0f} updates/s, p50 {r['p50_ms']:.2f} ms, "
                f"p99 {r['p99_ms']:.2f} ms, durable {r['durable_per_s']:,.0f} updates/s{extra} "
                f"(tsunagu ×{ours / r['updates_per_s']:.2f})"
            )


if __name__ == "__main__":
    asyncio.run(main())
