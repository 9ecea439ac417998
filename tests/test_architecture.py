"""The dependency direction of DESIGN.md, checked by walking every import."""

from __future__ import annotations

import ast
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
}


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
