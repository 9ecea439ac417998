"""Alembic migrations build exactly the tables the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from bot.storage import Database
from bot.storage.migrate import BASELINE, alembic_config, current_revision_sync, head_revision
from bot.storage.tables import Base
from tests.auxil import ROOT
from tests.conftest import BACKENDS, fresh_database


def _differences(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


@pytest.mark.parametrize("backend", BACKENDS)
async def test_migrations_build_the_declared_schema(backend: str, tmp_path: Path) -> None:
    database = await fresh_database(backend, tmp_path)  # drops everything, then upgrades
    try:
        assert await database.revision() == head_revision()
        async with database.engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
        await database.create_schema()  # a second run changes nothing
        assert await database.revision() == head_revision()
    finally:
        await database.close()


async def test_a_database_made_before_migrations_is_adopted(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        async with database.engine.begin() as conn:
            # What the first versions' create_all made: revision 0001's tables, no version row.
            await conn.run_sync(_to_baseline)
            await conn.execute(text("DROP TABLE alembic_version"))
        assert await database.revision() is None
        await database.create_schema()
        assert await database.revision() == head_revision()
    finally:
        await database.close()


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_without_upgrade_at_start_an_old_schema_stops_start_up(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"
    refused = _cli("purge", DATABASE_URL=url, TSUNAGU_DB_UPGRADE_AT_START="false")
    assert refused.returncode == 2 and "run `tsunagu db upgrade`" in refused.stderr
    upgraded = _cli("db", "upgrade", DATABASE_URL=url)
    assert upgraded.returncode == 0 and f"revision {head_revision()}" in upgraded.stdout
    accepted = _cli("purge", DATABASE_URL=url, TSUNAGU_DB_UPGRADE_AT_START="false")
    assert accepted.returncode == 0, accepted.stderr


def _to_baseline(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), BASELINE)


async def test_upgrading_keeps_the_rows(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'v1.db'}")
    try:
        async with database.engine.begin() as conn:
            await conn.run_sync(_to_baseline)
            await conn.execute(
                text(
                    'INSERT INTO cases ("user", chat_id, status, reason, opened_at, updated_at)'
                    " VALUES ('tg:5', 5, 'waiting', 'asked', '2026-11-20', '2026-11-20')"
                )
            )
        assert await database.revision() == BASELINE
        await database.create_schema()
        assert await database.revision() == head_revision()
        async with database.engine.connect() as conn:
            row = (await conn.execute(text('SELECT "user", taken_at FROM cases'))).one()
        assert tuple(row) == ("tg:5", None)
    finally:
        await database.close()


async def test_the_cheap_revision_reads_agree_with_alembic(tmp_path: Path) -> None:
    # Start-up reads both revisions without Alembic; they must be what Alembic itself says.
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'v1.db'}")
    try:
        async with database.engine.begin() as conn:
            await conn.run_sync(_to_baseline)
            assert await conn.run_sync(current_revision_sync) == BASELINE
            assert await conn.run_sync(_alembic_current) == BASELINE
    finally:
        await database.close()


def _alembic_current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
