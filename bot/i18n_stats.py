"""`tsunagu i18n stats`: coverage and the share reviewed by a fluent human, per locale."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.i18n_check import read_catalog, text_of

__all__ = ["DRAFT_FLAG", "LocaleStats", "locale_stats", "reviewers", "stats_table"]

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
