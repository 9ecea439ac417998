"""`tsunagu i18n check`: every fault that would show a broken or unreadable text on a phone."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.i18n import DOMAIN, FALLBACK
from bot.i18n.burmese import is_zawgyi
from bot.i18n.tools.audience import staff_facing
from bot.i18n.tools.buttons import BUTTON_COLUMNS, label_width
from bot.i18n.tools.easy import EASY_LOCALE, EASY_RULES, easy_faults
from bot.i18n.tools.glossary import GLOSSARY_FILE, Glossary, glossary_faults, load_glossary

__all__ = [
    "BUTTON_COLUMNS",
    "RULES",
    "Fault",
    "Problem",
    "check_catalog",
    "entry_problems",
    "read_catalog",
    "text_of",
    "visible_length",
]

# Telegram's limit for one message text (Bot API sendMessage).
MESSAGE_LIMIT = 4096
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_TAG = re.compile(r"<(/?)([A-Za-z]*)[^<>]*>")
_BARE_AMP = re.compile(r"&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)")
_ENGLISH_WORDS = re.compile(r"[A-Za-z]{3,}")
# An entry may be the English text on purpose (a proper name in the same script): flag it so.
VERBATIM_FLAG = "verbatim"


# Every rule's id and what it finds: the summary of `tsunagu i18n check` counts by these ids.
RULES = {
    "missing": "missing",
    "fuzzy": "fuzzy",
    "placeholders": "placeholders differ from the source",
    "html": "HTML other than balanced <b> (Telegram)",
    "ampersand": "bare & (write &amp; or a word)",
    "button": f"button label over {BUTTON_COLUMNS} columns",
    "length": f"text over {MESSAGE_LIMIT} characters",
    "zawgyi": "Burmese in the Zawgyi encoding (use Unicode)",
    "english": "unchanged copy of the English",
    **EASY_RULES,
    "glossary": "official term not written as in locales/glossary.yaml",
    "template": "not in the catalog, or a stale template",
}


class Fault(NamedTuple):
    """One fault of one entry: the rule's id and what a translator reads."""

    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class Problem:
    """One fault in one catalog entry."""

    locale: str
    msgid: str
    fault: str
    rule: str = "template"

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
    """Characters a reader sees: combining marks (Burmese, Thai, Khmer vowels) do not count.

    Button labels are measured in columns instead (``bot.i18n.tools.buttons.display_width``).
    """
    return sum(1 for ch in text if unicodedata.category(ch) not in {"Mn", "Me", "Cf"})


def _placeholders(msgid: str, msgstr: str) -> bool:
    return sorted(_PLACEHOLDER.findall(msgid)) != sorted(_PLACEHOLDER.findall(msgstr))


def _bad_html(msgid: str, msgstr: str) -> bool:
    tags = _TAG.findall(msgstr)
    stray = msgstr.replace("<b>", "").replace("</b>", "")
    unbalanced = msgstr.count("<b>") != msgstr.count("</b>")
    return any(name != "b" for _, name in tags) or unbalanced or "<" in stray or ">" in stray


def _too_wide_button(message: Message, msgstr: str) -> list[str]:
    width = label_width(message.context, msgstr)
    if width is None or width <= BUTTON_COLUMNS:
        return []
    return [f"button label of {width} columns (at most {BUTTON_COLUMNS}; CJK count 2)"]


def _english_copy(locale: str, message: Message, msgid: str, msgstr: str) -> bool:
    if locale == FALLBACK or VERBATIM_FLAG in message.flags or msgstr != msgid:
        return False
    words = _ENGLISH_WORDS.findall(_PLACEHOLDER.sub("", msgid))
    return len(words) >= 2  # a proper name ("Tokyo", "Osaka") may stay as it is


_Check = Callable[[str, Message, str, str], bool]
# Rules that find at most one fault per entry, whose text is the rule's own description.
_YES_NO_RULES: tuple[tuple[str, _Check], ...] = (
    ("placeholders", lambda _l, _m, i, s: _placeholders(i, s)),
    ("html", lambda _l, _m, i, s: _bad_html(i, s)),
    ("ampersand", lambda _l, _m, _i, s: bool(_BARE_AMP.search(s))),
    ("length", lambda _l, _m, _i, s: len(s) > MESSAGE_LIMIT),
    ("zawgyi", lambda _l, _m, _i, s: is_zawgyi(s)),
    ("english", _english_copy),
)


# Texts rendered in Japanese whatever the person reads (dialogs/counter.py): only `ja` (and the
# English source) must have them; translators of other languages may leave them empty.
JAPANESE = "ja"
JAPANESE_ONLY_CONTEXT = "counter"


def japanese_only(message: Message) -> bool:
    """Whether the entry is shown only in Japanese (the counter card)."""
    return message.context == JAPANESE_ONLY_CONTEXT


def entry_problems(locale: str, message: Message, glossary: Glossary = ()) -> list[Fault]:
    """The faults of one entry (empty when it is fine)."""
    msgid, msgstr = text_of(message.id), text_of(message.string)
    if japanese_only(message) and locale not in (FALLBACK, JAPANESE):
        return []  # shown in Japanese to everyone (the counter card): nothing to translate here
    if not msgstr:
        return [Fault("missing", RULES["missing"])]
    faults = [Fault("fuzzy", RULES["fuzzy"])] if message.fuzzy else []
    faults += [
        Fault(rule, RULES[rule])
        for rule, check in _YES_NO_RULES
        if check(locale, message, msgid, msgstr)
    ]
    faults += [Fault("button", text) for text in _too_wide_button(message, msgstr)]
    # Easy Japanese is written for applicants; staff read plain Japanese well enough.
    if locale == EASY_LOCALE and not staff_facing(message):
        faults += [Fault(rule, text) for rule, text in easy_faults(msgstr, message.flags)]
    # A fuzzy entry's text belongs to an older English text: its terms cannot be compared.
    if locale != FALLBACK and not message.fuzzy:
        found = glossary_faults(locale, message.context, msgid, msgstr, glossary)
        faults += [Fault("glossary", text) for text in found]
    return faults


def check_catalog(
    po_path: Path, template: Catalog, glossary: Glossary | None = None
) -> list[Problem]:
    """Every faulty entry of one catalog, and the template's entries it lacks.

    Without ``glossary``, the glossary beside the catalogs (locales/glossary.yaml) is used.
    """
    locale = po_path.parts[-3]
    if glossary is None:
        glossary = load_glossary(po_path.parents[2] / GLOSSARY_FILE)
    catalog = read_catalog(po_path)
    problems = [
        Problem(locale, text_of(m.id), fault.text, fault.rule)
        for m in catalog
        if m.id
        for fault in entry_problems(locale, m, glossary)
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
