"""Conversations, cases and the staff roster in SQL: SQLite by default, PostgreSQL when set."""

from bot.storage.cases import Case, CaseBook, CaseStatus, StaffPost
from bot.storage.database import Database
from bot.storage.roster import Roster, StaffMember
from bot.storage.store import Change, HistoryEntry, Outgoing, Store

__all__ = [
    "Case",
    "CaseBook",
    "CaseStatus",
    "Change",
    "Database",
    "HistoryEntry",
    "Outgoing",
    "Roster",
    "StaffMember",
    "StaffPost",
    "Store",
]
