"""`tsunagu i18n stats`: coverage, the share reviewed by a fluent human, and sentence lengths."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Message

from bot.i18n.tools.audience import staff_facing
from bot.i18n.tools.check import read_catalog, text_of
from bot.i18n.tools.easy import LONG_OK_FLAG, SENTENCE_LIMIT, sentence_length, sentences

__all__ = [
    "DRAFT_FLAG",
    "LocaleStats",
    "SentenceFigures",
    "locale_stats",
    "reviewers",
    "sentence_figures",
    "sentence_table",
    "stats_table",
]

# Per entry: a machine-assisted or unreviewed draft. Still shown to people (unlike "fuzzy").
DRAFT_FLAG = "draft"
# In a catalog's header comment: "Reviewed-By: Name <contact>, 2026-12-01" (one line each).
_REVIEWED_BY = re.compile(r"^#?\s*Reviewed-By:\s*(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class LocaleStats:
    """How far one locale is."""

    locale: str
    entries: int
    translated: int
    reviewed: int
    reviewers: tuple[str, ...]

    @property
    def coverage(self) -> float:
        """Share of entries with a translation."""
        return self.translated / self.entries if self.entries else 0.0

    @property
    def reviewed_share(self) -> float:
        """Share of entries translated and not marked ``draft``."""
        return self.reviewed / self.entries if self.entries else 0.0


def reviewers(header_comment: str) -> tuple[str, ...]:
    """The fluent reviewers a catalog's header names (none: nobody reviewed it yet)."""
    found = _REVIEWED_BY.findall(header_comment)
    return tuple(r for r in found if r.lower() not in {"nobody", "none", "-", "(none)"})


def locale_stats(po_path: Path) -> LocaleStats:
    """Coverage and review of the catalog at ``po_path``."""
    catalog = read_catalog(po_path)
    messages = [m for m in catalog if m.id]
    done = [m for m in messages if text_of(m.string) and not m.fuzzy]
    reviewed = [m for m in done if DRAFT_FLAG not in m.flags]
    return LocaleStats(
        po_path.parts[-3],
        len(messages),
        len(done),
        len(reviewed),
        reviewers(catalog.header_comment),
    )


def stats_table(rows: Sequence[LocaleStats]) -> str:
    """A plain table for the terminal."""
    lines = [f"{'locale':<8} {'entries':>7} {'translated':>10} {'reviewed':>8}  reviewed by"]
    for r in rows:
        who = ", ".join(r.reviewers) or "nobody yet"
        lines.append(
            f"{r.locale:<8} {r.entries:>7} {r.coverage:>10.0%} {r.reviewed_share:>8.0%}  {who}"
        )
    return "\n".join(lines)


# Beyond this many characters a sentence is very long even for plain Japanese (review B §4a).
VERY_LONG = 50


@dataclass(frozen=True, slots=True)
class SentenceFigures:
    """Sentence lengths over a catalog's applicant-facing translations (Easy Japanese counting)."""

    entries: int
    lengths: tuple[int, ...]
    longest_msgid: str
    long_ok: int

    @property
    def over_limit(self) -> int:
        """Sentences over the Easy Japanese limit (30 characters)."""
        return sum(1 for n in self.lengths if n > SENTENCE_LIMIT)

    @property
    def very_long(self) -> int:
        """Sentences over 50 characters."""
        return sum(1 for n in self.lengths if n > VERY_LONG)

    @property
    def longest(self) -> int:
        """The longest sentence's length (0 without sentences)."""
        return max(self.lengths, default=0)

    @property
    def mean(self) -> float:
        """Mean sentence length."""
        return sum(self.lengths) / len(self.lengths) if self.lengths else 0.0


def sentence_figures(messages: Iterable[Message]) -> SentenceFigures:
    """Sentence figures of the translated applicant-facing entries (fuzzy ones too, as checked)."""
    lengths: list[int] = []
    longest, longest_msgid, entries, long_ok = 0, "", 0, 0
    for message in messages:
        text = text_of(message.string)
        if not message.id or not text or staff_facing(message):
            continue
        entries += 1
        long_ok += LONG_OK_FLAG in message.flags
        for sentence in sentences(text):
            lengths.append(sentence_length(sentence))
            if lengths[-1] > longest:
                longest, longest_msgid = lengths[-1], text_of(message.id)
    return SentenceFigures(entries, tuple(lengths), longest_msgid, long_ok)


def sentence_table(figures: Sequence[tuple[str, SentenceFigures]]) -> str:
    """The figures of a few locales side by side, for the terminal."""
    rows: list[tuple[str, Callable[[SentenceFigures], str]]] = [
        ("applicant-facing entries", lambda f: str(f.entries)),
        ("sentences", lambda f: str(len(f.lengths))),
        (f"over {SENTENCE_LIMIT} characters", lambda f: str(f.over_limit)),
        (f"over {VERY_LONG} characters", lambda f: str(f.very_long)),
        ("longest", lambda f: str(f.longest)),
        ("mean length", lambda f: f"{f.mean:.1f}"),
        ("total characters", lambda f: str(sum(f.lengths))),
        (f"entries flagged {LONG_OK_FLAG}", lambda f: str(f.long_ok)),
    ]
    lines = [
        "Sentence length (characters without spaces, placeholders, tags, commands, URLs and",
        "official names in brackets; sentences end at 。！？ and line breaks):",
        f"{'':<26}" + "".join(f"{locale:>10}" for locale, _ in figures),
    ]
    lines += [
        f"{title:<26}" + "".join(f"{cell(f):>10}" for _, f in figures) for title, cell in rows
    ]
    lines += [
        f"longest in {locale}: {f.longest_msgid[:60]!r}" for locale, f in figures if f.lengths
    ]
    return "\n".join(lines)
