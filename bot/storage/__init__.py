"""Sessions, history, inbox and outbox in SQL: SQLite by default, PostgreSQL when configured."""

from bot.storage.database import Database
from bot.storage.store import Change, HistoryEntry, Outgoing, Store

__all__ = ["Change", "Database", "HistoryEntry", "Outgoing", "Store"]
