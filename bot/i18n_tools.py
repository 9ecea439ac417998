"""`tsunagu i18n …`: extract, update, compile and check the catalogs (Babel's own frontend)."""

from __future__ import annotations

import tempfile
from contextlib import chdir
from pathlib import Path
from typing import Any

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import write_po

from bot.i18n import DOMAIN, FALLBACK, compile_catalogs
from bot.i18n_check import Problem, catalog_paths, check_catalog, read_catalog, text_of
from bot.i18n_stats import locale_stats, stats_table

__all__ = ["Problem", "check_catalog", "check_pot_current", "extract", "run"]

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
    problems = check_pot_current(locales_dir)
    for po_path in catalog_paths(locales_dir):
        problems += check_catalog(po_path, template)
    return problems


def run(action: str, locales_dir: Path) -> int:
    """The CLI's i18n actions; ``check`` exits 1 when any problem is found."""
    if action == "stats":
        print(stats_table([locale_stats(p) for p in catalog_paths(locales_dir)]))
    elif action == "extract":
        print(f"wrote {extract(locales_dir)}")
    elif action == "update":
        update(locales_dir)
        print("template and catalogs updated")
    elif action == "compile":
        written = compile_catalogs(locales_dir)
        print(f"compiled {len(written)} catalog(s)")
    else:
        problems = check(locales_dir)
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)")
        return 1 if problems else 0
    return 0
