"""The command menu, registered with setMyCommands in every shipped language."""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.i18n import FALLBACK, Catalogs
from dialogs.messages import NP_

__all__ = ["COMMANDS", "register_commands"]

COMMANDS = (
    ("start", NP_("command", "Start or continue")),
    ("back", NP_("command", "Go to the previous question")),
    ("restart", NP_("command", "Start again")),
    ("language", NP_("command", "Change the language")),
    ("staff", NP_("command", "Talk to a person")),
    ("mydata", NP_("command", "See what you store about me")),
    ("delete", NP_("command", "Erase my data")),
    ("help", NP_("command", "Help")),
)


# Telegram takes a two-letter ISO 639-1 code: Filipino has none, Tagalog's stands in.
_ISO_639_1 = {"fil": "tl"}


async def register_commands(bot: Bot, catalogs: Catalogs) -> None:
    """English as the default menu, and one menu per language Telegram can name."""
    done: set[str | None] = set()
    # Shortest first, so "ja" (not "ja_easy") holds Japanese phones' menu.
    for locale in (FALLBACK, *sorted(catalogs.available, key=len)):
        language = locale.split("_")[0]
        code = None if locale == FALLBACK else _ISO_639_1.get(language, language)
        if code in done:
            continue
        done.add(code)
        tr = catalogs.translator(locale)
        menu = [BotCommand(name, tr.format(text, "command", {})) for name, text in COMMANDS]
        await bot.set_my_commands(menu, language_code=code)
