"""`tsunagu i18n …`: extract, update, compile and check the catalogs (Babel's own frontend)."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Sequence
from contextlib import chdir
from pathlib import Path
from typing import Any

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import write_po

from bot.i18n import DOMAIN, FALLBACK, compile_catalogs
from bot.i18n.tools.buttons import BUTTON_COLUMNS, widest_label
from bot.i18n.tools.check import Problem, catalog_paths, check_catalog, read_catalog, text_of
from bot.i18n.tools.easy import EASY_LOCALE
from bot.i18n.tools.glossary import GLOSSARY_FILE, load_glossary, unused_terms
from bot.i18n.tools.stats import locale_stats, sentence_figures, sentence_table, stats_table

__all__ = [
    "Problem",
    "check",
    "check_catalog",
    "check_pot_current",
    "extract",
    "rule_summary",
    "run",
    "widest_buttons",
]

_KEYWORDS = ["-k", "N_", "-k", "NP_:1c,2"]


def _pybabel(argv: list[str]) -> None:
    cli: Any = CommandLineInterface()  # Babel's frontend is untyped
    cli.run(argv)


def pot_path(locales_dir: Path) -> Path:
    """The committed template."""
    return locales_dir / "templates" / "LC_MESSAGES" / f"{DOMAIN}.pot"


def extract(locales_dir: Path, output: Path | None = None) -> Path:
    """Run ``pybabel extract`` over the project with the committed babel.cfg."""
    root = locales_dir.parent
    target = (output or pot_path(locales_dir)).resolve()
    # Run from the project root so the `#:` references are relative paths,
    # identical on every machine (and diffs stay small for translators).
    with chdir(root):
        _pybabel(
            [
                "pybabel",
                "-q",
                "extract",
                "-F",
                "babel.cfg",
                *_KEYWORDS,
                "--add-comments=NOTE:",
                "--no-wrap",
                "--sort-by-file",
                "--omit-header",
                "-o",
                str(target),
                ".",
            ]
        )
    return target


def update(locales_dir: Path) -> None:
    """Extract, then merge the template into every locale's catalog."""
    extract(locales_dir)
    _pybabel(
        [
            "pybabel",
            "-q",
            "update",
            "--no-wrap",
            "-D",
            DOMAIN,
            "-i",
            str(pot_path(locales_dir)),
            "-d",
            str(locales_dir),
        ]
    )
    _fill_source(locales_dir / FALLBACK / "LC_MESSAGES" / f"{DOMAIN}.po")


def _fill_source(path: Path) -> None:
    """The English catalog is the source text: every entry translates to itself."""
    catalog = read_catalog(path)
    for message in catalog:
        if message.id and (not message.string or message.fuzzy):
            message.string = message.id
            message.flags.discard("fuzzy")
            message.previous_id = []
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False)


def check_pot_current(locales_dir: Path) -> list[Problem]:
    """Faults when the committed template differs from a fresh extraction."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = read_catalog(extract(locales_dir, Path(tmp) / "fresh.pot"))
    committed = read_catalog(pot_path(locales_dir))
    ids = {(m.context, text_of(m.id)) for m in fresh if m.id}
    old = {(m.context, text_of(m.id)) for m in committed if m.id}
    return [
        Problem("templates", i[1], "stale template: run `tsunagu i18n update`")
        for i in sorted(ids ^ old, key=str)
    ]


def check(locales_dir: Path) -> list[Problem]:
    """Every problem of every catalog, and of the template."""
    template = read_catalog(pot_path(locales_dir))
    glossary = load_glossary(locales_dir / GLOSSARY_FILE)
    problems = check_pot_current(locales_dir)
    for po_path in catalog_paths(locales_dir):
        problems += check_catalog(po_path, template, glossary)
    return problems


def rule_summary(problems: Sequence[Problem], locales: Sequence[str] = ()) -> str:
    """How many problems each rule found, a line per locale (nothing when there are none)."""
    counts = Counter((p.locale, p.rule) for p in problems)
    rules = sorted({rule for _, rule in counts})
    if not rules:
        return ""
    lines = [f"{'locale':<10}" + "".join(f"{rule:>{len(rule) + 2}}" for rule in rules)]
    for locale in sorted({locale for locale, _ in counts} | set(locales)):
        cells = "".join(f"{counts[locale, rule]:>{len(rule) + 2}}" for rule in rules)
        lines.append(f"{locale:<10}{cells}")
    return "problems per locale and rule:\n" + "\n".join(lines)


def widest_buttons(locales_dir: Path) -> str:
    """The widest button label of every catalog, one line per locale."""
    lines = [f"widest button label per locale (at most {BUTTON_COLUMNS} columns):"]
    for po_path in catalog_paths(locales_dir):
        widest = widest_label(read_catalog(po_path))
        if widest is not None:
            where = f"{widest.context}, fuzzy" if widest.fuzzy else widest.context
            lines.append(f"{po_path.parts[-3]:<10}{widest.width:>3}  [{where}] {widest.text!r}")
    return "\n".join(lines)


def _stats(locales_dir: Path) -> None:
    paths = catalog_paths(locales_dir)
    print(stats_table([locale_stats(p) for p in paths]))
    # Easy Japanese beside the plain Japanese it simplifies.
    by_locale = {p.parts[-3]: p for p in paths}
    compared = [code for code in (EASY_LOCALE, "ja") if code in by_locale]
    figures = [(code, sentence_figures(read_catalog(by_locale[code]))) for code in compared]
    if figures:
        print()
        print(sentence_table(figures))


def _check(locales_dir: Path) -> int:
    problems = check(locales_dir)
    for problem in problems:
        print(problem)
    summary = rule_summary(problems, [p.parts[-3] for p in catalog_paths(locales_dir)])
    if summary:
        print(summary)
    print(widest_buttons(locales_dir))
    template = read_catalog(pot_path(locales_dir))
    msgids = [text_of(m.id) for m in template if m.id]
    for term in unused_terms(load_glossary(locales_dir / GLOSSARY_FILE), msgids):
        print(f"note: glossary term {term!r} matches no English text (update {GLOSSARY_FILE})")
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


def run(action: str, locales_dir: Path) -> int:
    """The CLI's i18n actions; ``check`` exits 1 when any problem is found."""
    if action == "stats":
        _stats(locales_dir)
    elif action == "extract":
        print(f"wrote {extract(locales_dir)}")
    elif action == "update":
        update(locales_dir)
        print("template and catalogs updated")
    elif action == "compile":
        written = compile_catalogs(locales_dir)
        print(f"compiled {len(written)} catalog(s)")
    else:
        return _check(locales_dir)
    return 0
