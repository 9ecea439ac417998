"""Finds a prefecture from what a person typed, in any script the content knows."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dialogs.content.model import Prefecture

__all__ = ["PlaceIndex", "normalize"]

# Words people add around a prefecture name (English, romanized Japanese, Vietnamese).
_FILLER = {"prefecture", "pref", "province", "tinh", "thanh", "pho", "city", "shi", "japan"}
# Romanized suffixes of the official names: Tokyo-to, Osaka-fu, Aichi-ken (Hokkaido has "do").
_SUFFIXES = ("to", "fu", "ken")
_JA_SUFFIXES = ("都", "府", "県", "县")
_MAX_INPUT = 100  # characters: nobody's prefecture is longer; bounds the work on huge input


def normalize(text: str) -> str:
    """Lower-case, fold width, strip accents and separators: "Tô-ky-ô" → "tokyo"."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text[:_MAX_INPUT]))
    bare = _without_latin_accents(folded)
    bare = bare.replace("đ", "d").replace("Đ", "d").casefold()
    words = [w for w in _words(bare) if w not in _FILLER]
    return "".join(words)


def _words(text: str) -> list[str]:
    # Letters, digits and marks (a Burmese or Thai vowel sign is part of the word, not a gap).
    found: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch.isalnum() or unicodedata.category(ch).startswith("M"):
            current.append(ch)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


def _without_latin_accents(decomposed: str) -> str:
    # Accents on Latin letters are noise ("Tô-ky-ô"); marks in Burmese, Thai, Khmer or
    # Devanagari are letters of the word and must stay.
    kept: list[str] = []
    base_is_latin = False
    for ch in decomposed:
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn":
            if base_is_latin:
                continue
        else:
            base_is_latin = ch.isascii()
        kept.append(ch)
    return "".join(kept)


@dataclass(frozen=True, slots=True)
class Match:
    """An exact hit, or close candidates to offer as buttons."""

    exact: str | None
    candidates: tuple[str, ...] = ()


class PlaceIndex:
    """Every accepted spelling of every prefecture, normalized, mapped to its id."""

    def __init__(
        self,
        prefectures: tuple[Prefecture, ...],
        translated: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """``translated``: more names per prefecture id (the catalogs' names, in every script)."""
        self._keys: dict[str, str] = {}
        self._latin: dict[str, str] = {}
        extra = translated or {}
        for pref in prefectures:
            for key in (*self._spellings(pref), *extra.get(pref.id, ())):
                if normalize(key):
                    self._keys.setdefault(normalize(key), pref.id)
            self._latin[normalize(pref.label)] = pref.id

    @staticmethod
    def _spellings(pref: Prefecture) -> list[str]:
        latin = normalize(pref.label)
        names = [pref.label, pref.id, pref.name_ja, pref.kana, pref.zh]
        names += [latin + suffix for suffix in _SUFFIXES]
        names += [name[:-1] for name in (pref.name_ja, pref.zh) if name.endswith(_JA_SUFFIXES)]
        return names

    def find(self, text: str) -> Match:
        """Look ``text`` up: exact spellings, then a Japanese or Chinese prefix, then fuzzy."""
        key = normalize(text)
        if not key:
            return Match(None)
        if key in self._keys:
            return Match(self._keys[key])
        prefix = self._by_prefix(key)
        if prefix:
            return Match(prefix)
        close = difflib.get_close_matches(key, list(self._latin), n=3, cutoff=0.75)
        return Match(None, tuple(dict.fromkeys(self._latin[c] for c in close)))

    def _by_prefix(self, key: str) -> str | None:
        # "東京都港区港南" or "京都市" start with a prefecture's name: take the longest such name.
        if key.isascii():
            return None
        hits = [k for k in self._keys if not k.isascii() and len(k) >= 2 and key.startswith(k)]
        return self._keys[max(hits, key=len)] if hits else None
