"""Translations at runtime: catalogs compiled on demand, negotiation, fallback, format guard."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations

from bot.i18n.pseudo import PSEUDO_LOCALE, pseudo_translations

__all__ = ["DOMAIN", "FALLBACK", "Catalogs", "Translator", "compile_catalogs"]

logger = logging.getLogger(__name__)

DOMAIN = "messages"
FALLBACK = "en"
# Display order of the language question: most applicants first (shared/reference §7).
_PREFERRED_ORDER = (
    "vi", "zh_Hans", "id", "fil", "my", "km", "th", "ne", "mn",
    "pt_BR", "es", "en", "ja_easy", "ja",
)  # fmt: skip
# Tags Telegram (an IETF language_code) or a person may send, lower-cased with "_", for which
# the shipped locale is not the tag itself or its language part.
_ALIASES = {
    "zh": "zh_Hans",
    "zh_cn": "zh_Hans",
    "zh_sg": "zh_Hans",
    # Traditional Chinese readers read Simplified far better than the English fallback.
    "zh_hant": "zh_Hans",
    "zh_tw": "zh_Hans",
    "zh_hk": "zh_Hans",
    "pt": "pt_BR",
    "pt_pt": "pt_BR",
    "tl": "fil",  # Tagalog: what many phones report for Filipino
    "in": "id",  # the old ISO code Java and older Android still send for Indonesian
    "jw": "id",
    "my_zg": "my",  # "Zawgyi" locales of older Burmese phones: input is converted anyway
    "ja_x_easy": "ja_easy",
}


def compile_catalogs(locales_dir: Path) -> list[Path]:
    """Compile every ``.po`` whose ``.mo`` is missing or older; returns the files written."""
    written = []
    for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            mo_path.write_bytes(_mo_bytes(po_path))
        except OSError:  # read-only install: Catalogs compiles in memory instead
            logger.warning("cannot write %s; catalogs will be compiled in memory", mo_path)
            continue
        written.append(mo_path)
    return written


def _mo_bytes(po_path: Path) -> bytes:
    # Babel's catalog tools only when a catalog must be compiled: a bot started from compiled
    # catalogs never loads them (bench/README.md).
    from babel.messages.mofile import write_mo  # noqa: PLC0415
    from babel.messages.pofile import read_po  # noqa: PLC0415

    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parts[-3])
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _load(po_path: Path) -> Translations:
    mo_path = po_path.with_suffix(".mo")
    fresh = mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime
    data = mo_path.read_bytes() if fresh else _mo_bytes(po_path)
    return Translations(io.BytesIO(data), domain=DOMAIN)


class Catalogs:
    """The shipped locales and their translations, loaded once."""

    def __init__(self, locales_dir: Path, pseudo: bool = False) -> None:
        """``pseudo`` adds the pseudo-locale ``en_XA`` (for tests and translators, never users)."""
        self.locales_dir = locales_dir
        compile_catalogs(locales_dir)
        found = {p.parts[-3]: p for p in locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
        if FALLBACK not in found:
            raise FileNotFoundError(f"no {FALLBACK} catalog in {locales_dir}")
        self._translations = {code: _load(path) for code, path in found.items()}
        rank = {code: i for i, code in enumerate(_PREFERRED_ORDER)}
        self.available = tuple(sorted(found, key=lambda c: (rank.get(c, len(rank)), c)))
        if pseudo:
            from babel.messages.pofile import read_po  # noqa: PLC0415 (tests and translators)

            template = locales_dir / "templates" / "LC_MESSAGES" / f"{DOMAIN}.pot"
            with template.open("rb") as handle:
                self._translations[PSEUDO_LOCALE] = pseudo_translations(read_po(handle))
            self.available += (PSEUDO_LOCALE,)
        self._translators: dict[str, Translator] = {}

    def negotiate(self, tag: str | None) -> str | None:
        """The shipped locale for a language tag (``vi``, ``en-US``, ``zh-hans``, ``ja-easy``)."""
        if not tag:
            return None
        wanted = tag.strip().replace("-", "_").lower()
        by_lower = {code.lower(): code for code in self.available}
        for candidate in (wanted, wanted.split("_")[0]):
            code = by_lower.get(candidate) or _ALIASES.get(candidate)
            if code in self.available:
                return code
        return None

    def translator(self, locale: str) -> Translator:
        """The translator for ``locale``, falling back along its chain to English."""
        if locale not in self._translators:
            chain = [self._translations[c] for c in self.chain(locale)]
            self._translators[locale] = Translator(locale, chain)
        return self._translators[locale]

    def untranslated(self, locale: str, keys: Iterable[tuple[str | None, str]]) -> bool:
        """Whether any (context, msgid) in ``keys`` has no translation of its own in ``locale``.

        Only ids the catalogs know count (a bare "{lines}" is not text to translate).
        """
        own = self._translations.get(locale)
        if locale == FALLBACK:
            return False
        known = _keys(self._translations[FALLBACK])
        present = _keys(own) if own is not None else set()
        wanted = {f"{c}\x04{m}" if c else m for c, m in keys}
        return bool((wanted & known) - present)

    def chain(self, locale: str) -> list[str]:
        """Where a missing or broken text is looked up next: ``ja_easy`` → ``ja`` → ``en``."""
        parts = locale.split("_")
        candidates = ["_".join(parts[:i]) for i in range(len(parts), 0, -1)] + [FALLBACK]
        return [c for c in dict.fromkeys(candidates) if c in self._translations]


def _entries(translations: NullTranslations) -> dict[object, str]:
    # GNUTranslations keeps the compiled entries here; untranslated entries are not compiled.
    catalog: dict[object, str] = getattr(translations, "_catalog", {})
    return catalog


def _keys(translations: NullTranslations) -> set[str]:
    # gettext keeps "context\x04msgid" keys for pgettext
    return {k for k, v in _entries(translations).items() if isinstance(k, str) and k and v}


class Translator:
    """Looks a message up along a fallback chain and formats it safely."""

    def __init__(self, locale: str, chain: Iterable[NullTranslations]) -> None:
        self.locale = locale
        self.chain = tuple(chain)
        try:
            self.babel_locale = Locale.parse(locale)
        except (UnknownLocaleError, ValueError):
            self.babel_locale = Locale.parse(FALLBACK)

    def format(self, msgid: str, context: str | None, params: Mapping[str, str]) -> str:
        """Translate and fill placeholders; a missing or broken text falls back along the chain."""
        key = f"{context}\x04{msgid}" if context else msgid  # gettext's key for pgettext
        for catalog in self.chain:
            text = _entries(catalog).get(key)
            if not text:
                continue
            try:
                return str(text).format(**params)
            except (KeyError, IndexError, ValueError):
                logger.warning("broken translation locale=%s msgid=%r", self.locale, msgid[:60])
        return msgid.format(**params)
