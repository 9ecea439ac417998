"""The dependency direction of DESIGN.md, checked by walking every import."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
# dialogs is the pure core: the standard library, transitions and a YAML parser only.
FORBIDDEN = {
    "dialogs": {
        "bot",
        "telegram",
        "sqlalchemy",
        "babel",
        "gettext",
        "aiosqlite",
        "asyncpg",
        "pydantic",
        "pydantic_settings",
        "asyncio",
    },
    "bot/storage": {"telegram"},
    "bot/i18n": {"telegram", "sqlalchemy", "aiosqlite", "asyncpg"},
    "bot/report": {"telegram"},
}

# Which of the project's own units each unit may import: the direction of every package. A unit
# is `dialogs`, a top-level module of `bot`, a package of `bot`, or one the table names inside a
# package (`bot.i18n.tools`, `bot.telegram.messenger`, which the staff desk shares). Adding a
# dependency is a design decision: write it here, downward only (no cycles).
ALLOWED: dict[str, set[str]] = {
    "dialogs": set(),
    "bot.config": {"dialogs"},
    "bot.logs": set(),
    "bot.metrics": set(),
    "bot.diagram": {"dialogs"},
    "bot.i18n": {"dialogs"},
    "bot.i18n.tools": {"bot.i18n", "dialogs"},
    "bot.storage": {"dialogs"},
    "bot.report": {"bot.storage", "dialogs"},
    "bot.conversation": {"bot.storage", "dialogs"},
    "bot.simulate": {"bot.i18n", "dialogs"},
    "bot.console": {"bot.conversation", "bot.i18n", "dialogs"},
    "bot.app": {
        "bot.config",
        "bot.conversation",
        "bot.i18n",
        "bot.logs",
        "bot.storage",
        "dialogs",
    },
    "bot.jobs": {"bot.conversation", "bot.storage", "dialogs"},
    "bot.telegram.messenger": {"bot.i18n", "bot.storage"},
    "bot.staff": {
        "bot.config",
        "bot.conversation",
        "bot.i18n",
        "bot.storage",
        "bot.telegram.messenger",
        "dialogs",
    },
    "bot.telegram": {
        "bot.app",
        "bot.config",
        "bot.conversation",
        "bot.i18n",
        "bot.jobs",
        "bot.metrics",
        "bot.staff",
        "bot.storage",
        "bot.telegram.messenger",
        "dialogs",
    },
    "bot.web": {
        "bot.app",
        "bot.config",
        "bot.console",
        "bot.conversation",
        "bot.i18n",
        "bot.jobs",
        "bot.staff",
        "bot.storage",
        "bot.telegram.messenger",
        "dialogs",
    },
    "bot.cli": {
        "bot.app",
        "bot.config",
        "bot.console",
        "bot.diagram",
        "bot.i18n",
        "bot.i18n.tools",
        "bot.jobs",
        "bot.logs",
        "bot.report",
        "bot.simulate",
        "bot.staff",
        "bot.storage",
        "bot.telegram",
        "bot.web",
        "dialogs",
    },
}


# Who may import the composition root (bot/app.py), and why (review §8: only the root and the CLI).
APP_IMPORTERS = {
    "bot.cli": "the commands build an App",
    "bot.telegram.application": "start_channel: the Telegram half of the composition root",
    "bot.telegram.channel": "is handed the App it closes (tests read its parts through it)",
    "bot.web.run": "`tsunagu web`: the web page's composition root",
    "bot.web.server": "is handed the App it serves, like the Telegram channel",
}
# Who may import SQLAlchemy outside bot/storage, and why (nobody: the report's queries are in
# bot/storage/reports.py).
SQL_OUTSIDE_STORAGE: dict[str, str] = {}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_forbidden_imports(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_engine_reads_no_clock_or_environment() -> None:
    for path in (ROOT / "dialogs").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for call in ("datetime.now", "date.today", "os.environ", "time.time", "getenv"):
            assert call not in source, f"{path.name} uses {call}"


def _unit(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "dialogs":
        return "dialogs"
    if parts[0] != "bot" or len(parts) < 2:
        return None
    nested = ".".join(parts[:3])  # a module or package the table names on its own
    return nested if nested in ALLOWED else f"bot.{parts[1]}"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def _project_imports(path: Path) -> set[str]:
    return {u for m in _imported_modules(path) if (u := _unit(m)) is not None}


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_unit_imports_only_what_the_table_allows() -> None:
    offenders: dict[str, list[str]] = {}
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "dialogs").rglob("*.py")]:
        unit = _unit(_module_of(path))
        if unit is None:  # bot/__init__.py
            continue
        assert unit in ALLOWED, f"{unit} is not in the table: add it with its dependencies"
        extra = _project_imports(path) - ALLOWED[unit] - {unit}
        if extra:
            offenders[str(path.relative_to(ROOT))] = sorted(extra)
    assert offenders == {}


def test_the_allowed_table_has_no_cycle() -> None:
    seen: dict[str, int] = {}

    def visit(unit: str, trail: tuple[str, ...]) -> None:
        assert unit not in trail, f"cycle: {' -> '.join((*trail, unit))}"
        if seen.get(unit):
            return
        for dependency in ALLOWED.get(unit, set()):
            visit(dependency, (*trail, unit))
        seen[unit] = 1

    for unit in ALLOWED:
        visit(unit, ())


def test_importing_the_telegram_channel_changes_nothing_in_the_process() -> None:
    # No import-time side effects (review W5): the environment and warning filters are set when
    # the Application is built, not when a module is imported.
    probe = (
        "import os, warnings\n"
        "import bot.cli, bot.telegram.application, bot.telegram.messenger\n"
        "assert 'PTB_TIMEDELTA' not in os.environ, 'environment changed'\n"
        "ours = [f for f in warnings.filters if f[1] and 'sendMessage' in f[1].pattern]\n"
        "assert not ours, 'our warning filter was installed on import'\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PTB_TIMEDELTA"}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _modules_importing(prefix: str) -> set[str]:
    """The modules of bot/ and dialogs/ that import ``prefix`` or anything under it."""
    found = set()
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "dialogs").rglob("*.py")]:
        names = _imported_modules(path)
        if any(n == prefix or n.startswith(f"{prefix}.") for n in names):
            found.add(_module_of(path))
    return found


def test_only_the_composition_root_and_the_cli_import_the_app() -> None:
    assert _modules_importing("bot.app") == set(APP_IMPORTERS)


def test_only_storage_speaks_sql() -> None:
    outside = {m for m in _modules_importing("sqlalchemy") if not m.startswith("bot.storage")}
    assert outside == set(SQL_OUTSIDE_STORAGE)


def test_the_telegram_channel_reaches_storage_through_its_facade_only() -> None:
    inside = {m for m in _modules_importing("bot.storage.store") if m.startswith("bot.telegram")}
    assert inside == set()
