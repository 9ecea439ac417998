"""Schema migrations with Alembic: the same revisions on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

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


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, without an .ini file: the scripts ship inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest revision the code ships."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision_sync(connection: Connection) -> str | None:
    """The revision the database is at (None: no schema yet)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_sync(connection: Connection) -> None:
    """Bring the schema to the newest revision (run inside ``AsyncConnection.run_sync``)."""
    config = alembic_config(connection)
    tables = set(inspect(connection).get_table_names())
    if "sessions" in tables and "alembic_version" not in tables:
        # A database made by an early version with create_all: it has the baseline schema.
        command.stamp(config, BASELINE)
    command.upgrade(config, "head")
