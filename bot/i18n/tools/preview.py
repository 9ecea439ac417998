"""`tsunagu i18n preview --lang CODE`: every question, outcome and message on one page."""

from __future__ import annotations

import html
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.i18n import Catalogs
from bot.i18n.render import Rendered, render
from bot.i18n.tools.check import read_catalog, text_of
from dialogs.canned import CANNED, canned_reply
from dialogs.engine import Engine, Step
from dialogs.events import Answer, Command, CommandName, Event, Text, Unsupported
from dialogs.feedback import feedback_thanks, screen_msgids
from dialogs.handoff import held_notice
from dialogs.replies import Reply, ReplyKind
from dialogs.scenarios import SCENARIOS, walk
from dialogs.states import State

__all__ = ["Section", "preview", "sections"]


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the messages under it, as the person sees them."""

    title: str
    messages: tuple[Rendered, ...]


def _questions(engine: Engine, locale: str) -> Iterator[Reply]:
    seen: set[str] = set()
    for scenario in SCENARIOS:
        for step in walk(engine, locale, scenario.answers):
            for reply in step.replies:
                key = reply.question or ""
                if reply.kind is ReplyKind.QUESTION and key not in seen:
                    seen.add(key)
                    yield reply


def _at_situation(engine: Engine, locale: str) -> Step:
    *_, last = walk(engine, locale, {"status": "titp"})
    return last


# What a person may do at a question, and what the bot answers (system messages).
_ODD_EVENTS: tuple[tuple[str, Event], ...] = (
    ("free text at a question", Text("hello?")),
    ("a sticker", Unsupported("sticker")),
    ("a photo", Unsupported("photo")),
    ("an old button", Answer("status", "ssw")),
    ("/help", Command(CommandName.HELP)),
    ("/staff", Command(CommandName.STAFF)),
    ("/back", Command(CommandName.BACK)),
    ("/language", Command(CommandName.LANGUAGE)),
    ("/delete", Command(CommandName.DELETE)),
    ("/restart", Command(CommandName.RESTART)),
)


def _system(engine: Engine, locale: str) -> Iterator[tuple[str, tuple[Reply, ...]]]:
    at = _at_situation(engine, locale)
    for name, event in _ODD_EVENTS:
        yield name, engine.step(at.session, event).replies
    yield "after “Unclear translation?”", (feedback_thanks(),)
    yield "while a staff member has the conversation", (held_notice(),)
    # Before any answer every key has its general version; at the situation question the
    # status is known, which already narrows where the consent form goes.
    for key, entry in CANNED.items():
        if entry.general is None:  # built by the staff desk from its settings
            continue
        seen: list[Reply] = []
        for answers in ({}, at.session.effective_answers()):
            reply = Reply(
                ReplyKind.NOTICE, canned_reply(key, answers, engine.content, False).texts
            )
            if reply not in seen:
                seen.append(reply)
        yield f"staff reply “/reply {key}”", tuple(seen)


def sections(engine: Engine, catalogs: Catalogs, locale: str) -> list[Section]:
    """The preview's content: questions, results, system messages, then every other entry."""
    tr = catalogs.translator(locale)
    shown: list[Reply] = []

    def rendered(replies: Iterable[Reply]) -> tuple[Rendered, ...]:
        replies = tuple(replies)
        shown.extend(replies)
        return tuple(render(r, tr) for r in replies)

    result = [Section("Questions", rendered(_questions(engine, locale)))]
    for scenario in SCENARIOS:
        *_, last = walk(engine, locale, scenario.answers)
        if last.session.state in (State.RESULT, State.DECLINED):
            result.append(Section(f"Result: {scenario.name}", rendered(last.replies)))
    result += [Section(f"When: {name}", rendered(r)) for name, r in _system(engine, locale)]
    result.append(_rest(catalogs, locale, set(screen_msgids(shown))))
    return result


def _rest(catalogs: Catalogs, locale: str, shown: set[str]) -> Section:
    """Every catalog entry not on a screen above (staff texts, names, rarer messages)."""
    tr = catalogs.translator(locale)
    template = read_catalog(catalogs.locales_dir / "templates" / "LC_MESSAGES" / "messages.pot")
    rows = []
    for message in template:
        msgid = text_of(message.id)
        if msgid and msgid not in shown:
            params = {name: "{" + name + "}" for name in _names(msgid)}
            text = tr.format(msgid, message.context, params)
            label = f"[{message.context}] " if message.context else ""
            text = f"{label}{html.escape(msgid)}\n→ {text}"
            rows.append(Rendered(ReplyKind.NOTICE, text, (), None))
    return Section("Every other text", tuple(rows))


def _names(msgid: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(msgid) if name]


def preview(engine: Engine, catalogs: Catalogs, locale: str, fmt: str) -> str:
    """The whole preview as an HTML page or a Markdown document."""
    parts = sections(engine, catalogs, locale)
    return _html(locale, parts) if fmt == "html" else _markdown(locale, parts)


_CSS = (
    "body{font-family:sans-serif;max-width:40em;margin:auto;background:#e6ebee}"
    ".m{background:#fff;border-radius:8px;padding:.6em .8em;margin:.5em 0;white-space:pre-wrap}"
    ".b{display:block;border:1px solid #8ab;border-radius:6px;margin:.2em 0;padding:.3em;"
    "text-align:center;background:#f4f9fc}h2{font-size:1em;margin-top:2em}"
)


def _html(locale: str, parts: list[Section]) -> str:
    out = [
        f'<!doctype html><html lang="{html.escape(locale.replace("_", "-"))}">',
        '<meta charset="utf-8">',
        f"<title>Tsunagu preview: {html.escape(locale)}</title><style>{_CSS}</style>",
        f"<h1>Tsunagu in {html.escape(locale)}</h1>",
    ]
    for part in parts:
        out.append(f"<h2>{html.escape(part.title)}</h2>")
        for message in part.messages:
            buttons = "".join(
                f'<span class="b">{html.escape(label)}</span>'
                for row in message.buttons
                for label, _ in row
            )
            # Telegram's HTML (only <b> here) is valid HTML: shown as the phone would.
            out.append(f'<div class="m">{message.text}{buttons}</div>')
    return "\n".join(out) + "\n"


def _markdown(locale: str, parts: list[Section]) -> str:
    out = [f"# Tsunagu in {locale}", ""]
    for part in parts:
        out += [f"## {part.title}", ""]
        for message in part.messages:
            text = html.unescape(message.text.replace("<b>", "**").replace("</b>", "**"))
            out += ["> " + line for line in text.split("\n")]
            out += [f"> [{label}]" for row in message.buttons for label, _ in row]
            out.append("")
    return "\n".join(out)
