"""The `tsunagu` command: run, chat, simulate, staff roster, i18n and content tools."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.app import SchemaOutdatedError, build_app, build_engine
from bot.config import Settings, SettingsError, load_settings
from bot.logs import configure_logging
from bot.staff import roster_cli
from dialogs.content import ContentError

# Each command imports what only it uses inside its function: `tsunagu run` must not pay for
# matplotlib (reports), Babel's catalog tools or the console (bench/README.md, "A small process").

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tsunagu", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    chat = sub.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--lang", help="language tag, e.g. vi, ja, en-US")
    chat.add_argument("--user", help="conversation id to resume (default: your login name)")
    sim = sub.add_parser("simulate", help="walk the screening with scripted answers")
    sim.add_argument("--lang", default="en", help="language tag")
    sim.add_argument("--answer", action="append", default=[], metavar="QUESTION=OPTION")
    sim.add_argument("--json", action="store_true", help="print one JSON object")
    i18n = sub.add_parser("i18n", help="translation catalogs")
    i18n.add_argument(
        "action", choices=["compile", "extract", "update", "check", "stats", "preview"]
    )
    i18n.add_argument("--lang", help="preview: the language to show (any tag, e.g. vi, ja-easy)")
    i18n.add_argument("--format", choices=["html", "md"], default="html", help="preview format")
    i18n.add_argument("--out", type=Path, help="preview: write to this file (default: stdout)")
    run = sub.add_parser("run", help="run the Telegram bot (long polling, or --webhook)")
    run.add_argument("--webhook", action="store_true", help="serve a webhook instead of polling")
    web = sub.add_parser("web", help="serve the screening as a web page (or print its QR code)")
    web.add_argument("action", nargs="?", choices=["serve", "qr"], default="serve")
    web.add_argument("--out", type=Path, help="qr: save as PNG or SVG (default: the terminal)")
    staff = sub.add_parser("staff", help="the staff roster (who may act in the staff group)")
    roster_cli.add_arguments(staff)
    report = sub.add_parser("report", help="a staff report: summary.md and PNG charts")
    report.add_argument(
        "--since", type=dt.date.fromisoformat, help="first day (default: 30 days ago)"
    )
    report.add_argument("--until", type=dt.date.fromisoformat, help="last day (default: today)")
    report.add_argument("--out", type=Path, help="folder (default: report-<until>)")
    diagram = sub.add_parser("diagram", help="the dialog's state diagram (Mermaid and PNG)")
    diagram.add_argument(
        "--out",
        type=Path,
        default=Path("dialogs"),
        help="folder (default: dialogs, beside flow.py)",
    )
    db = sub.add_parser("db", help="the database schema (Alembic migrations)")
    db.add_argument("action", choices=["upgrade", "current"])
    purge = sub.add_parser("purge", help="erase conversations idle longer than the retention")
    purge.add_argument(
        "--days", type=int, help="idle days to keep (default: TSUNAGU_RETENTION_DAYS, 90)"
    )
    content = sub.add_parser("content", help="content files")
    content.add_argument("action", choices=["check", "changes"])
    content.add_argument(
        "--max-source-age-years",
        type=_years,
        default=3,
        metavar="N",
        help="check: list the facts whose best source is older than N years (default: 3)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"tsunagu: setting {exc}", file=sys.stderr)
        return 2
    token = settings.telegram_bot_token
    configure_logging(settings.log_level, (token.get_secret_value(),) if token else ())
    try:
        return _dispatch(args, settings)
    except ContentError as exc:
        print(f"tsunagu: content error: {exc}", file=sys.stderr)
        return 2
    except SchemaOutdatedError as exc:
        print(f"tsunagu: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`tsunagu chat | head`): nothing to report
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (keeps the interpreter's exit quiet)
        return 0


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    commands: dict[str, Callable[[], int]] = {
        "chat": lambda: asyncio.run(_chat(settings, args.lang, args.user)),
        "simulate": lambda: _simulate(settings, args),
        "run": lambda: _run(settings, args.webhook),
        "web": lambda: _web(settings, args.action, args.out),
        "staff": lambda: asyncio.run(roster_cli.run(args, settings)),
        "i18n": lambda: _i18n(settings, args),
        "content": lambda: (
            _content_check(settings, args.max_source_age_years)
            if args.action == "check"
            else asyncio.run(_content_changes(settings))
        ),
        "purge": lambda: asyncio.run(_purge(settings, args.days)),
        "db": lambda: asyncio.run(_db(settings, args.action)),
        "report": lambda: asyncio.run(_report(settings, args)),
        "diagram": lambda: _diagram(args.out),
    }
    return commands[args.command]()


def _diagram(out: Path) -> int:
    from bot.diagram import DiagramError, write_diagram

    try:
        written = write_diagram(out)
    except DiagramError as exc:
        print(f"tsunagu: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


async def _report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.report.charts import write_report
    from bot.report.figures import gather
    from bot.storage import Database

    until = args.until or dt.datetime.now(dt.UTC).date()
    since = args.since or until - dt.timedelta(days=30)
    database = Database(settings.database_url)
    try:
        figures = await gather(database, since, until)
    finally:
        await database.close()
    for path in write_report(figures, args.out or Path(f"report-{until}")):
        print(f"wrote {path}")
    return 0


async def _db(settings: Settings, action: str) -> int:
    from bot.storage import Database
    from bot.storage.migrate import head_revision

    database = Database(settings.database_url)
    try:
        if action == "upgrade":
            await database.create_schema()
        print(f"schema revision {await database.revision()} (newest: {head_revision()})")
    finally:
        await database.close()
    return 0


async def _purge(settings: Settings, days: int | None) -> int:
    from bot.jobs.retention import purge_once

    if days is not None and days < 0:
        print("tsunagu: --days must be 0 or more", file=sys.stderr)
        return 2
    app = await build_app(settings)
    try:
        keep = dt.timedelta(days=settings.retention_days if days is None else days)
        erased = await purge_once(app.conversations, app.store, keep, dt.datetime.now(dt.UTC))
    finally:
        await app.close()
    print(f"erased {erased} conversation(s) idle for more than {keep.days} day(s)")
    return 0


def _i18n(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n.tools import commands as i18n_tools

    if args.action == "preview":
        return _preview(settings, args)
    return i18n_tools.run(args.action, settings.locales_dir)


async def _chat(settings: Settings, lang: str | None, user: str | None) -> int:
    from bot.console import Console

    app = await build_app(settings)
    try:
        locale = app.catalogs.negotiate(lang)
        if lang and locale is None:
            shipped = ", ".join(app.catalogs.available)
            print(f"tsunagu: unknown language {lang!r}; shipped: {shipped}", file=sys.stderr)
            return 2
        console = Console(
            app.conversations, app.catalogs, f"console:{user or getpass.getuser()}", sys.stdout
        )
        await console.start(locale)
        while line := await asyncio.to_thread(_read_line):
            await console.feed(line)
        return 0
    finally:
        await app.close()


def _read_line() -> str:
    if sys.stdin.isatty():
        sys.stdout.write("> ")
        sys.stdout.flush()
    return sys.stdin.readline()


def _run(settings: Settings, webhook: bool) -> int:
    if settings.telegram_bot_token is None:
        print(_SETUP_HELP, file=sys.stderr)
        return 2
    from bot.telegram.runner import run_telegram

    try:
        run_telegram(settings, webhook)
    except SettingsError as exc:
        print(f"tsunagu: setting {exc}", file=sys.stderr)
        return 2
    return 0


def _web(settings: Settings, action: str, out: Path | None) -> int:
    # aiohttp and segno are imported for this command only (start-up of the others stays quick)
    from bot.web.run import qr_code, run_web

    if action == "qr":
        print(qr_code(settings.web_url, out))
        return 0
    run_web(settings)
    return 0


_SETUP_HELP = (
    "tsunagu: setting TELEGRAM_BOT_TOKEN: is required to run the Telegram bot.\n"
    "  Get one from @BotFather in Telegram (/newbot), then: export TELEGRAM_BOT_TOKEN=123:ABC…\n"
    "  (or put it in a .env file here). To try the bot without Telegram: make chat"
)


def _simulate(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import Catalogs
    from bot.simulate import SimulationError, parse_answers, simulate

    catalogs = Catalogs(settings.locales_dir, pseudo=settings.pseudo_locale)
    engine = build_engine(settings, catalogs, staffed=False)  # no staff desk outside Telegram
    locale = catalogs.negotiate(args.lang)
    try:
        if locale is None:
            raise SimulationError(f"unknown language {args.lang!r}")
        result = simulate(engine, catalogs, locale, parse_answers(args.answer, engine))
    except SimulationError as exc:
        print(f"tsunagu: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(result.messages))
    return 1 if result.outcome is None else 0


def _preview(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import Catalogs
    from bot.i18n.tools.preview import preview

    catalogs = Catalogs(settings.locales_dir, pseudo=settings.pseudo_locale)
    locale = catalogs.negotiate(args.lang)
    if locale is None:
        print(
            f"tsunagu: unknown language {args.lang!r}; shipped: {', '.join(catalogs.available)}",
            file=sys.stderr,
        )
        return 2
    engine = build_engine(settings, catalogs, staffed=False)  # no staff desk outside Telegram
    page = preview(engine, catalogs, locale, args.format)
    if args.out is None:
        sys.stdout.write(page)
    else:
        args.out.write_text(page, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


async def _content_changes(settings: Settings) -> int:
    from bot.jobs.content_changes import find_changes

    app = await build_app(settings)
    try:
        changes = await find_changes(app.store, app.engine.content)
    finally:
        await app.close()
    version = app.engine.content.programme.version
    print(f"{len(changes)} finished screening(s) would end differently under content {version}")
    for change in changes:
        told = "will be told at the next start" if change.notify else "did not ask to be told"
        print(f"  {change.user}\t{change.locale}\t{change.old} -> {change.new}\t{told}")
    return 0


def _years(text: str) -> int:
    """An argparse type: a whole number of years, zero or more."""
    years = int(text)
    if years < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return years


def _content_check(settings: Settings, max_source_age_years: int = 3) -> int:
    """Validate the content, then list what to verify; a report, so 0 unless it is invalid."""
    from dialogs.content import load_content
    from dialogs.content.report import conflicting_facts, low_confidence_facts, source_ages

    content = load_content(settings.content_dir)
    print(
        f"content {content.programme.version}: {len(content.prefectures)} prefectures, "
        f"{len(content.offices)} offices, {len(content.fields)} fields, "
        f"{len(content.documents)} documents, {len(content.helplines)} helplines: OK"
    )
    ages = source_ages(content, max_source_age_years, dt.date.today())
    sections = (
        ("low-confidence facts to verify:", low_confidence_facts(content)),
        ("facts whose sources disagree (all values are shown):", conflicting_facts(content)),
        (
            f"facts whose best source is older than {max_source_age_years} years "
            f"(before {ages.cutoff}):",
            ages.old,
        ),
        ("facts whose source is undated (or too loosely dated to tell):", ages.undated),
    )
    for title, lines in sections:
        if lines:
            print(title)
            for line in lines:
                print(f"  - {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
