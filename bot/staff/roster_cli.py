"""``tsunagu staff add|remove|list|duty``: the roster of people who may act in the staff group."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys

from bot.config import Settings
from bot.i18n import Catalogs
from bot.storage import Database, Roster, StaffMember

__all__ = ["add_arguments", "run"]

_LANGUAGE = re.compile(r"[a-z]{2,3}(_[A-Za-z]{2,4})?")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``staff`` sub-commands."""
    sub = parser.add_subparsers(dest="staff_action", required=True)
    add = sub.add_parser("add", help="add or update a staff member")
    add.add_argument("user_id", type=int, help="their numeric Telegram user id")
    add.add_argument("--name", help="shown to other staff on case cards (default: the id)")
    add.add_argument("--languages", default="ja", help="languages they speak, e.g. ja,vi")
    add.add_argument("--locale", help="their screens' language (default: TSUNAGU_STAFF_LOCALE)")
    remove = sub.add_parser("remove", help="remove a staff member")
    remove.add_argument("user_id", type=int)
    sub.add_parser("list", help="list the roster")
    duty = sub.add_parser("duty", help="mark a staff member on or off duty")
    duty.add_argument("user_id", type=int)
    duty.add_argument("state", choices=["on", "off"])


async def run(args: argparse.Namespace, settings: Settings) -> int:
    """Carry out one ``staff`` sub-command; 0 on success, 1 when the person is not listed."""
    database = Database(settings.database_url)
    try:
        await database.create_schema()
        roster = Roster(database)
        if args.staff_action == "add":
            return await _add(roster, args, settings)
        if args.staff_action == "remove":
            return _report(await roster.remove(args.user_id), f"removed {args.user_id}")
        if args.staff_action == "duty":
            done = await roster.set_on_duty(args.user_id, args.state == "on")
            return _report(done, f"{args.user_id} is {args.state} duty")
        for member in await roster.all():
            duty = "on duty" if member.on_duty else "off duty"
            languages = ",".join(member.languages)
            print(f"{member.telegram_id}\t{member.name}\t{languages}\t{member.locale}\t{duty}")
        return 0
    finally:
        await database.close()


async def _add(roster: Roster, args: argparse.Namespace, settings: Settings) -> int:
    languages = tuple(x.strip() for x in args.languages.split(",") if x.strip())
    bad = [x for x in languages if not _LANGUAGE.fullmatch(x)]
    if bad or not languages:
        wrong = ",".join(bad) or "(empty)"
        print(f"tsunagu: --languages: not a language code: {wrong}", file=sys.stderr)
        return 2
    locale = args.locale or settings.staff_locale
    shipped = Catalogs(settings.locales_dir).available
    if locale not in shipped:
        print(f"tsunagu: --locale: {locale} is not one of {', '.join(shipped)}", file=sys.stderr)
        return 2
    name = args.name or str(args.user_id)
    member = StaffMember(args.user_id, name, languages, locale)
    await roster.add(member, dt.datetime.now(dt.UTC))
    print(f"added {args.user_id} ({name}), speaks {','.join(languages)}, reads {locale}")
    return 0


def _report(done: bool, message: str) -> int:
    print(message) if done else print("tsunagu: not on the roster", file=sys.stderr)
    return 0 if done else 1
