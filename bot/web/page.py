"""The page: the current messages as safe HTML, their buttons as plain forms, the menu.

The renderer's text is Telegram HTML: ``<b>`` and text whose entities are escaped. Here every
piece of text is unescaped and escaped again, and only balanced ``<b>`` survives as markup, so
nothing a person typed (or a catalog got wrong) can become a tag or an attribute.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import Translator
from dialogs.messages import NP_

__all__ = ["COMMANDS", "Shown", "html_lang", "page", "plain_page", "safe_html"]

# The menu under the page: the commands' texts are the Telegram command menu's (same msgids).
COMMANDS = (
    ("c:back", NP_("command", "Go to the previous question")),
    ("c:restart", NP_("command", "Start again")),
    ("c:language", NP_("command", "Change the language")),
    ("c:staff", NP_("command", "Talk to a person")),
    ("c:mydata", NP_("command", "See what you store about me")),
    ("c:delete", NP_("command", "Erase my data")),
    ("c:help", NP_("command", "Help")),
)
# NOTE: the label of the box where a person types an answer or a message to staff.
_YOUR_MESSAGE = NP_("web", "Your message")
# NOTE: the button that sends what was typed in the box.
_SEND = NP_("web", "Send")

_TITLE = "Tsunagu（つなぐ）"  # the project's name, the same in every language
_RTL = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv"})
_TAG = re.compile(r"(</?b>)")
_URL = re.compile(r"https?://[^\s<>\"'&]+[^\s<>\"'&.,;:!?)）」]")


@dataclass(frozen=True, slots=True)
class Shown:
    """A message on the page: Telegram HTML, its buttons, and whether the person wrote it."""

    text: str
    keyboard: tuple[tuple[tuple[str, str], ...], ...] = ()
    mine: bool = False
    lang: str = ""  # when not the page's language (the Japanese card for the counter)


def html_lang(locale: str) -> tuple[str, str]:
    """The ``lang`` and ``dir`` attributes for a catalog locale (``zh_Hans`` -> ``zh-Hans``)."""
    if locale == "ja_easy":  # Easy Japanese is Japanese to browsers, fonts and screen readers
        return "ja", "ltr"
    tag = locale.replace("_", "-")
    return tag, "rtl" if tag.split("-")[0] in _RTL else "ltr"


def safe_html(text: str) -> str:
    """Telegram HTML as page HTML: balanced ``<b>`` kept, everything else escaped, links made."""
    out: list[str] = []
    depth = 0
    for part in _TAG.split(text):
        if part == "<b>":
            out.append("<b>")
            depth += 1
        elif part == "</b>":
            if depth:
                out.append("</b>")
                depth -= 1
        elif part:
            out.append(_URL.sub(_link, html.escape(html.unescape(part), quote=True)))
    return "".join(out) + "</b>" * depth


def _link(match: re.Match[str]) -> str:
    url = match.group(0)  # already escaped: safe inside a quoted attribute
    return f'<a href="{url}" rel="noopener noreferrer">{url}</a>'


def page(
    shown: Sequence[Shown],
    tr: Translator,
    csrf: str,
    *,
    typing: bool,
    poll: int = 0,
) -> str:
    """The whole page in ``tr``'s language; ``typing`` adds the box for a typed answer.

    ``poll``: seconds between looks for a staff member's reply (the page's only script, and
    only then); without JavaScript the person reloads the page.
    """
    lang, direction = html_lang(tr.locale)
    body = "".join(_message(item, csrf, number) for number, item in enumerate(shown))
    if typing:
        body += _text_form(tr, csrf)
    menu = _buttons(tuple((tr.format(msgid, "command", {}), data) for data, msgid in COMMANDS))
    return (
        f'<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<title>{_TITLE}</title><link rel="stylesheet" href="/style.css">{_script(poll)}</head>'
        f'<body><main id="now">{body}'
        f"</main><nav>{_form(csrf, menu)}</nav></body></html>"
    )


def _script(poll: int) -> str:
    if not poll:
        return ""
    return f'<script src="/poll.js" defer data-poll="{poll}"></script>'


def plain_page(text: str, locale: str) -> str:
    """A page with one sentence (too many requests), no forms."""
    lang, direction = html_lang(locale)
    return (
        f'<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<title>{_TITLE}</title><link rel="stylesheet" href="/style.css"></head><body>'
        f'<main><div class="msg">{_escape(text)}</div></main></body></html>'
    )


def _message(item: Shown, csrf: str, number: int) -> str:
    kind = "msg mine" if item.mine else "msg"
    lang = f' lang="{_escape(item.lang)}"' if item.lang else ""
    text = f'<div class="{kind}" id="m{number}"{lang}>{safe_html(item.text)}</div>'
    if not item.keyboard:
        return text
    rows = "".join(f'<div class="row">{_buttons(row)}</div>' for row in item.keyboard)
    return text + _form(csrf, rows, f"m{number}")  # the buttons are named by their question


def _buttons(row: Sequence[tuple[str, str]]) -> str:
    return "".join(
        f'<button name="b" value="{_escape(data)}"{_own_lang(data)}>{_escape(label)}</button>'
        for label, data in row
    )


def _own_lang(data: str) -> str:
    """A language's name is written in its own script: tell the browser which (for its font)."""
    prefix = "a:language:"
    if not data.startswith(prefix):
        return ""
    return f' lang="{_escape(html_lang(data[len(prefix) :])[0])}"'


def _form(csrf: str, inner: str, name: str = "") -> str:
    label = f' aria-labelledby="{name}"' if name else ""
    return (
        f'<form method="post" action="/act"{label}>'
        f'<input type="hidden" name="csrf" value="{_escape(csrf)}">{inner}</form>'
    )


def _text_form(tr: Translator, csrf: str) -> str:
    label = _escape(tr.format(_YOUR_MESSAGE, "web", {}))
    send = _escape(tr.format(_SEND, "web", {}))
    inner = (
        f'<label for="text">{label}</label><div class="type">'
        '<input id="text" name="text" type="text" maxlength="1000" autocomplete="off" required>'
        f"<button>{send}</button></div>"
    )
    return _form(csrf, inner)


def _escape(text: str) -> str:
    return html.escape(text, quote=True)
