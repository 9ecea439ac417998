"""`tsunagu i18n check`: every fault that would show a broken or unreadable text on a phone."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.burmese import is_zawgyi
from bot.i18n import DOMAIN, FALLBACK

__all__ = [
    "BUTTON_LIMIT",
    "Problem",
    "check_catalog",
    "entry_problems",
    "read_catalog",
    "text_of",
    "visible_length",
]

# Longest button label a phone shows without cutting it (the longest English one has 61).
BUTTON_LIMIT = 64
# Telegram's limit for one message text (Bot API sendMessage).
MESSAGE_LIMIT = 4096
_BUTTON_CONTEXTS = {"option", "button"}
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_TAG = re.compile(r"<(/?)([A-Za-z]*)[^<>]*>")
_BARE_AMP = re.compile(r"&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)")
_ENGLISH_WORDS = re.compile(r"[A-Za-z]{3,}")
# An entry may be the English text on purpose (a proper name in the same script): flag it so.
VERBATIM_FLAG = "verbatim"


@dataclass(frozen=True, slots=True)
class Problem:
    """One fault in one catalog entry."""

    locale: str
    msgid: str
    fault: str

    def __str__(self) -> str:
        return f"{self.locale}: {self.fault}: {self.msgid[:70]!r}"


def read_catalog(path: Path) -> Catalog:
    """A catalog or template from disk."""
    with path.open("rb") as handle:
        return read_po(handle)


def text_of(value: str | tuple[str, ...] | list[str] | None) -> str:
    """A message id or string as one text (plural forms joined)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else "\n".join(value)


def visible_length(text: str) -> int:
    """Characters a reader sees: combining marks (Burmese, Thai, Khmer vowels) do not count."""
    return sum(1 for ch in text if unicodedata.category(ch) not in {"Mn", "Me", "Cf"})


def _placeholders(msgid: str, msgstr: str) -> bool:
    return sorted(_PLACEHOLDER.findall(msgid)) != sorted(_PLACEHOLDER.findall(msgstr))


def _bad_html(msgid: str, msgstr: str) -> bool:
    tags = _TAG.findall(msgstr)
    stray = msgstr.replace("<b>", "").replace("</b>", "")
    unbalanced = msgstr.count("<b>") != msgstr.count("</b>")
    return any(name != "b" for _, name in tags) or unbalanced or "<" in stray or ">" in stray


def _too_long_button(message: Message, msgstr: str) -> bool:
    return message.context in _BUTTON_CONTEXTS and visible_length(msgstr) > BUTTON_LIMIT


def _english_copy(locale: str, message: Message, msgid: str, msgstr: str) -> bool:
    if locale == FALLBACK or VERBATIM_FLAG in message.flags or msgstr != msgid:
        return False
    words = _ENGLISH_WORDS.findall(_PLACEHOLDER.sub("", msgid))
    return len(words) >= 2  # a proper name ("Tokyo", "Osaka") may stay as it is


_Rule = Callable[[str, Message, str, str], bool]
_RULES: tuple[tuple[str, _Rule], ...] = (
    ("placeholders differ from the source", lambda _l, _m, i, s: _placeholders(i, s)),
    ("HTML other than balanced <b> (Telegram)", lambda _l, _m, i, s: _bad_html(i, s)),
    ("bare & (write &amp; or a word)", lambda _l, _m, _i, s: bool(_BARE_AMP.search(s))),
    (
        f"button label over {BUTTON_LIMIT} visible characters",
        lambda _l, m, _i, s: _too_long_button(m, s),
    ),
    (f"text over {MESSAGE_LIMIT} characters", lambda _l, _m, _i, s: len(s) > MESSAGE_LIMIT),
    ("Burmese in the Zawgyi encoding (use Unicode)", lambda _l, _m, _i, s: is_zawgyi(s)),
    ("unchanged copy of the English", _english_copy),
)


def entry_problems(locale: str, message: Message) -> list[str]:
    """The faults of one entry (empty when it is fine)."""
    msgid, msgstr = text_of(message.id), text_of(message.string)
    if not msgstr:
        return ["missing"]
    faults = ["fuzzy"] if message.fuzzy else []
    return faults + [fault for fault, rule in _RULES if rule(locale, message, msgid, msgstr)]


def check_catalog(po_path: Path, template: Catalog) -> list[Problem]:
    """Every faulty entry of one catalog, and the template's entries it lacks."""
    locale = po_path.parts[-3]
    catalog = read_catalog(po_path)
    problems = [
        Problem(locale, text_of(m.id), fault)
        for m in catalog
        if m.id
        for fault in entry_problems(locale, m)
    ]
    known = {(m.context, text_of(m.id)) for m in catalog if m.id}
    problems += [
        Problem(locale, text_of(m.id), "not in the catalog (run `tsunagu i18n update`)")
        for m in template
        if m.id and (m.context, text_of(m.id)) not in known
    ]
    return problems


def catalog_paths(locales_dir: Path) -> list[Path]:
    """Every shipped catalog, sorted by locale."""
    return sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
