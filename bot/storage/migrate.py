"""Schema migrations with Alembic: the same revisions on SQLite and PostgreSQL.

Alembic is imported only when it has work to do: at start the revision the database is at is
read with one query and compared with the newest revision file, so a bot whose schema is
current never loads it (bench/README.md, "A small process").
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "BASELINE",
    "MIGRATIONS_DIR",
    "alembic_config",
    "current_revision_sync",
    "head_revision",
    "upgrade_sync",
]

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The first revision: the schema `create_all` made before migrations existed.
BASELINE = "0001"
# Alembic's own table (alembic.runtime.migration's default version table).
_VERSION_TABLE = "alembic_version"
_DECLARED = re.compile(r'^(down_revision|revision)\b[^=]*=\s*(?:"([^"]*)"|None)', re.MULTILINE)


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, without an .ini file: the scripts ship inside the package."""
    from alembic.config import Config  # noqa: PLC0415 (Alembic only when migrating)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str | None:
    """The newest revision the code ships: the one no other revision builds on.

    Read from the revision files' ``revision`` and ``down_revision`` lines (the layout
    script.py.mako writes), not through Alembic; a test checks both agree.
    """
    revisions: dict[str, str | None] = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        declared = dict(
            (name, value or None) for name, value in _DECLARED.findall(path.read_text())
        )
        if "revision" in declared and declared["revision"] is not None:
            revisions[declared["revision"]] = declared.get("down_revision")
    heads = set(revisions) - set(revisions.values())
    if len(heads) > 1:
        raise RuntimeError(f"several migration heads: {sorted(heads)}")
    return heads.pop() if heads else None


def current_revision_sync(connection: Connection) -> str | None:
    """The revision the database is at (None: no schema yet), read without Alembic."""
    if not inspect(connection).has_table(_VERSION_TABLE):
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {_VERSION_TABLE}")).scalars().all()  # noqa: S608 (a constant)
    if len(rows) > 1:
        raise RuntimeError(f"the database is at several revisions: {sorted(rows)}")
    return rows[0] if rows else None


def upgrade_sync(connection: Connection) -> None:
    """Bring the schema to the newest revision (run inside ``AsyncConnection.run_sync``)."""
    if current_revision_sync(connection) == head_revision():
        return  # current: nothing for Alembic to do, and no need to load it
    from alembic import command  # noqa: PLC0415 (Alembic only when migrating)

    config = alembic_config(connection)
    tables = set(inspect(connection).get_table_names())
    if "sessions" in tables and "alembic_version" not in tables:
        # A database made by an early version with create_all: it has the baseline schema.
        command.stamp(config, BASELINE)
    command.upgrade(config, "head")
