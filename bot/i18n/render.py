"""Reply → HTML text and buttons in one locale; everything not from a catalog is escaped."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache

from babel import Locale, localedata
from babel.dates import format_time, get_day_names

from bot.i18n import Translator
from bot.i18n.locale_format import list_comma, long_date
from bot.i18n.pseudo import PSEUDO_LOCALE
from dialogs.messages import (
    NP_,
    Data,
    Date,
    LanguageName,
    Msg,
    Param,
    Seq,
    Term,
    TimeOfDay,
    Weekday,
)
from dialogs.replies import Label, Reply, ReplyKind

__all__ = [
    "SELECTED",
    "TEXT_LIMIT",
    "Rendered",
    "render",
    "render_label",
    "split_text",
    "to_plain",
]

# Telegram's limit for a message text (Bot API sendMessage); counted here on the HTML source,
# which is never shorter than what Telegram counts.
TEXT_LIMIT = 4096

SELECTED = "✓ "  # before the label of the option chosen earlier


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message ready for a channel: HTML text and rows of (label, data) buttons."""

    kind: ReplyKind
    text: str
    buttons: tuple[tuple[tuple[str, str], ...], ...]
    question: str | None


def render(reply: Reply, tr: Translator) -> Rendered:
    """Translate every paragraph and button of ``reply`` for ``tr``'s locale."""
    text = "\n\n".join(_msg(m, tr) for m in reply.texts)
    rows = tuple(
        tuple(((SELECTED if b.selected else "") + render_label(b.label, tr), b.data) for b in row)
        for row in reply.buttons
    )
    return Rendered(reply.kind, text, rows, reply.question)


def render_label(label: Label, tr: Translator) -> str:
    """A button label as plain text (Telegram shows button text literally)."""
    return to_plain(_param(label, tr))


def _msg(msg: Msg, tr: Translator) -> str:
    params = {name: _param(value, tr) for name, value in msg.params.items()}
    return tr.format(msg.msgid, msg.context, params)


def _param(value: Param, tr: Translator) -> str:  # noqa: PLR0911 (one branch per kind)
    if isinstance(value, Msg):
        return _msg(value, tr)
    if isinstance(value, Data):
        return html.escape(value.text, quote=False)
    if isinstance(value, Date):
        return long_date(value.value, tr.babel_locale)
    if isinstance(value, TimeOfDay):
        return format_time(value.value, format="short", locale=tr.babel_locale)
    if isinstance(value, Weekday):
        return str(get_day_names("wide", locale=tr.babel_locale)[value.day])
    if isinstance(value, LanguageName):
        return html.escape(_language_name(value, tr))
    if isinstance(value, Seq):
        separator = list_comma(value.separator, tr.babel_locale)
        return separator.join(value.bullet + _param(item, tr) for item in value.items)
    if isinstance(value, Term):
        return _term(value, tr)
    return str(value)


def _term(term: Term, tr: Translator) -> str:
    label = _msg(term.label, tr)
    official = html.escape(term.ja, quote=False)
    # Japanese readers get the official name alone; Easy Japanese readers get both. A label
    # that already carries the official name (a translator's gloss) is not given it twice.
    if tr.locale == "ja":
        return official
    if _squeezed(official) in _squeezed(label):  # Easy Japanese puts spaces between words
        return label
    if tr.locale in _FULL_WIDTH_BRACKETS:
        return f"{label}（{official}）"
    return f"{label} ({official})"


def _squeezed(text: str) -> str:
    return "".join(text.split())


# Scripts written without spaces take full-width brackets (the review found "( )" in CJK text).
_FULL_WIDTH_BRACKETS = frozenset({"ja_easy", "zh_Hans"})


# Languages CLDR has no name for: (their own name, the English name to translate).
_OWN_NAMES = {
    "ja_easy": ("やさしいにほんご", NP_("language", "Easy Japanese")),
    PSEUDO_LOCALE: ("⟦Pšēüdø⟧", "⟦Pšēüdø⟧"),  # not translated: tests and translators only
}


def _language_name(value: LanguageName, tr: Translator) -> str:
    if value.code in _OWN_NAMES:
        native, msgid = _OWN_NAMES[value.code]
        return native if value.native else tr.format(msgid, "language", {})
    return _cldr_language_name(value.code, value.code if value.native else str(tr.babel_locale))


@cache
def _cldr_language_name(code: str, display: str) -> str:
    """``code``'s name in ``display``'s language, from CLDR, without keeping CLDR loaded.

    Babel keeps every locale it has read whole (~1 MiB each) for the life of the process; the
    language question names all 14 languages in their own scripts, and keeping them all cost
    the bot 14 MiB of its memory (bench/README.md). The names stay here; the data Babel read
    only for them is dropped again (what was loaded before stays).
    """
    # Babel has no public way to unload a locale: it keeps the raw and the wrapped data.
    caches = (localedata._cache, localedata._dict_cache)
    held = [set(kept) for kept in caches]
    try:
        name = Locale.parse(code).get_display_name(display) or code
    finally:
        for kept, before in zip(caches, held, strict=True):
            for loaded in set(kept) - before:
                kept.pop(loaded, None)
    return name[:1].upper() + name[1:]


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut a long message between paragraphs (then lines) so no chunk exceeds ``limit``.

    Paragraphs carry balanced tags, so cutting between them never breaks the HTML.
    """
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        joined = f"{current}\n\n{piece}" if current else piece
        if len(joined) <= limit:
            current = joined
            continue
        chunks.append(current)
        current = piece
    return [*chunks, current] if current else chunks


def _pieces(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    for paragraph in text.split("\n\n"):
        if len(paragraph) <= limit:
            pieces.append(paragraph)
            continue
        lines = paragraph.split("\n")  # a huge paragraph: by lines, and at worst by length
        pieces += [line[i : i + limit] for line in lines for i in range(0, len(line), limit)]
    return [p for p in pieces if p]


def to_plain(text: str) -> str:
    """HTML as the person would read it, for terminals and logs of tests."""
    return html.unescape(re.sub(r"</?[a-z]+>", "", text))
