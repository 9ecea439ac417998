"""Alembic's environment: migrations run on the connection Tsunagu hands over."""

from __future__ import annotations

from alembic import context

from bot.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `tsunagu db upgrade` (it passes the connection)")
# Batch mode: SQLite cannot ALTER most things, Alembic rebuilds the table instead.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
