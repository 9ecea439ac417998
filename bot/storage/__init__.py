"""Sessions and their history in SQL: SQLite by default, PostgreSQL when configured."""

from bot.storage.database import Database
from bot.storage.repository import SessionRepository

__all__ = ["Database", "SessionRepository"]
