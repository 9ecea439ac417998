"""The conventional bot the black-box benchmark compares with, run as its own process.

A ``ConversationHandler`` with ``PicklePersistence(update_interval=1)`` and PTB's
``AIORateLimiter``, polling with PTB's own ``run_polling``, one update at a time (PTB's
default). It asks Tsunagu's questions with the same engine, texts and inline buttons, editing
the question in place on each press.

    python bench/baseline_bot.py PICKLE_PATH   (token and API URL from the environment)
"""

from __future__ import annotations

import os
import pickle
import sys
import warnings
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PersistenceInput,
    PicklePersistence,
    filters,
)

from bot.config import LOCALES_DIR
from bot.i18n import Catalogs
from bot.i18n.render import render
from dialogs import actions
from dialogs.content import load_content
from dialogs.engine import Engine
from dialogs.events import Event, Start, Text
from dialogs.session import Session
from dialogs.states import State

__all__ = ["seed_pickle"]


def seed_pickle(path: Path, stored: int, first_user: int) -> None:
    """PicklePersistence's file with ``stored`` conversations at the role question."""
    engine = Engine(load_content(), Catalogs(LOCALES_DIR).available)
    users = range(first_user, first_user + stored)
    seed = {
        "user_data": {u: {"session": _seeded(engine, f"tg:{u}")} for u in users},
        "chat_data": {},
        "bot_data": {},
        "callback_data": None,
        "conversations": {"screening": {(u, u): State.ROLE.value for u in users}},
    }
    path.write_bytes(pickle.dumps(seed, protocol=pickle.HIGHEST_PROTOCOL))


def _seeded(engine: Engine, user: str) -> Session:
    session = engine.new_session(user)
    session.locale, session.state, session.consented = "vi", State.ROLE, True
    session.answers, session.path = {"language": "vi", "privacy": "agree"}, ["language", "privacy"]
    return session


def _handler(engine: Engine, catalogs: Catalogs) -> ConversationHandler[Any]:
    async def step(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
        data = context.user_data if context.user_data is not None else {}
        user = update.effective_user
        assert user is not None
        session = data.get("session") or engine.new_session(f"tg:{user.id}")
        query, message = update.callback_query, update.message
        event: Event
        if query is not None:
            event = actions.parse(query.data or "") or Start()
        elif message is not None and (message.text or "").startswith("/start"):
            event = Start(user.language_code)
        else:
            event = Text(message.text or "" if message else "")
        result = engine.step(session, event)
        data["session"] = result.session
        shown = render(result.replies[-1], catalogs.translator(result.session.locale))
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(t, callback_data=d) for t, d in row] for row in shown.buttons]
        )
        if query is not None:
            await query.answer()
            await query.edit_message_text(shown.text, reply_markup=markup)
        elif message is not None:
            await message.reply_text(shown.text, reply_markup=markup)
        return result.session.state.value

    handlers: list[Any] = [
        CallbackQueryHandler(step),
        MessageHandler(filters.TEXT & ~filters.COMMAND, step),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # per_message=False with callback handlers: intended
        return ConversationHandler(
            entry_points=[CommandHandler("start", step)],
            states={s.value: handlers for s in State},
            fallbacks=[CommandHandler("start", step)],
            persistent=True,
            name="screening",
        )


def main() -> None:
    catalogs = Catalogs(LOCALES_DIR)
    engine = Engine(load_content(), catalogs.available)
    persistence = PicklePersistence(
        Path(sys.argv[1]),
        update_interval=1,
        store_data=PersistenceInput(False, False, True, False),
    )
    application = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_BASE_URL"])
        .persistence(persistence)
        .rate_limiter(AIORateLimiter())
        .build()
    )
    application.add_handler(_handler(engine, catalogs))
    application.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
