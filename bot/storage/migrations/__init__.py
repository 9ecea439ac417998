"""Alembic migrations of Tsunagu's schema (run with `tsunagu db upgrade`, or at start)."""
