"""The glossary of official terms (locales/glossary.yaml), and the check that uses it."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = [
    "GLOSSARY_FILE",
    "Glossary",
    "GlossaryError",
    "GlossaryTerm",
    "Rendering",
    "glossary_faults",
    "load_glossary",
    "unused_terms",
]

GLOSSARY_FILE = "glossary.yaml"
# The bot shows the official Japanese name itself on these names from the content files (alone
# in ja, beside the label in ja_easy: bot/i18n/render.py), so ja and ja_easy are not checked there.
_NAMED_CONTEXTS = frozenset(
    {"field", "office", "document", "form", "helpline", "prefecture", "region"}
)
_JAPANESE = frozenset({"ja", "ja_easy"})


class GlossaryError(ValueError):
    """The glossary file does not have the documented shape."""


@dataclass(frozen=True, slots=True)
class Rendering:
    """How one locale writes a term: accepted variants, and where that wording comes from."""

    use: tuple[str, ...]
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """One official term: its English wordings, the official Japanese, and each locale's."""

    id: str
    en: tuple[str, ...]
    ja: str
    renderings: Mapping[str, Rendering]

    def in_source(self, msgid: str) -> bool:
        """True when the English text uses one of the term's wordings (any case)."""
        return any(_wording(english).search(msgid) for english in self.en)


Glossary = tuple[GlossaryTerm, ...]


def load_glossary(path: Path) -> Glossary:
    """The terms of a glossary file; an empty glossary when there is no such file."""
    if not path.exists():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise GlossaryError(f"{path}: expected a mapping with a list `terms`")
    terms = tuple(_term(path, entry) for entry in data["terms"])
    ids = [term.id for term in terms]
    if len(set(ids)) != len(ids):
        raise GlossaryError(f"{path}: a term id is used twice")
    return terms


def glossary_faults(
    locale: str, context: str | None, msgid: str, msgstr: str, glossary: Glossary
) -> list[str]:
    """A fault for each term the English uses and the translation does not render as listed."""
    if locale in _JAPANESE and context in _NAMED_CONTEXTS:
        return []
    text = _folded(msgstr)
    faults = []
    for term in glossary:
        rendering = term.renderings.get(locale)
        if rendering is None or not term.in_source(msgid):
            continue
        if not any(_folded(variant) in text for variant in rendering.use):
            listed = " or ".join(f"“{variant}”" for variant in rendering.use)
            faults.append(f"glossary: {term.id} ({term.ja}) should be written {listed}")
    return faults


def unused_terms(glossary: Glossary, msgids: Sequence[str]) -> list[str]:
    """Ids of terms whose English wording no msgid uses any more (the glossary needs updating)."""
    return [term.id for term in glossary if not any(term.in_source(m) for m in msgids)]


def _folded(text: str) -> str:
    """Compared without case (Latin, Cyrillic) and without spaces (Easy Japanese puts them)."""
    return "".join(unicodedata.normalize("NFC", text).casefold().split())


@functools.cache
def _wording(english: str) -> re.Pattern[str]:
    # From a word's start: "Specified Skilled Worker" also finds "Specified Skilled Workers".
    return re.compile(r"(?<![A-Za-z])" + re.escape(english), re.IGNORECASE)


def _term(path: Path, entry: object) -> GlossaryTerm:
    if not isinstance(entry, dict):
        raise GlossaryError(f"{path}: every term is a mapping")
    term_id = entry.get("id")
    if not isinstance(term_id, str) or not term_id:
        raise GlossaryError(f"{path}: a term has no `id`")
    where = f"{path}: term {term_id}"
    locales = entry.get("locales")
    if not isinstance(locales, dict):
        raise GlossaryError(f"{where}: `locales` must map locale codes to renderings")
    return GlossaryTerm(
        id=term_id,
        en=_strings(entry.get("en"), f"{where}: en"),
        ja=_text(entry.get("ja"), f"{where}: ja"),
        renderings={
            str(code): _rendering(value, f"{where}: {code}") for code, value in locales.items()
        },
    )


def _rendering(value: object, where: str) -> Rendering:
    if not isinstance(value, dict):
        raise GlossaryError(f"{where}: expected `use` and `source`")
    note = value.get("note", "")
    return Rendering(
        use=_strings(value.get("use"), f"{where}: use"),
        source=_text(value.get("source"), f"{where}: source"),
        note=note if isinstance(note, str) else "",
    )


def _strings(value: object, where: str) -> tuple[str, ...]:
    """One string or a list of them (the accepted variants), none empty."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise GlossaryError(f"{where}: expected a text or a list of texts")
    return tuple(_text(item, where) for item in items)


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GlossaryError(f"{where}: expected a text")
    return value.strip()
