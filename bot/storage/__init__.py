"""Conversations, cases and the staff roster in SQL: SQLite by default, PostgreSQL when set."""

from bot.storage.cases import (
    Case,
    CaseBook,
    CaseIntent,
    CaseStatus,
    FinishCase,
    OpenCase,
    StaffPost,
)
from bot.storage.change import Change, HistoryEntry, Outgoing
from bot.storage.database import Database
from bot.storage.roster import Roster, StaffMember
from bot.storage.store import UNAVAILABLE, CommitError, Store

__all__ = [
    "UNAVAILABLE",
    "Case",
    "CaseBook",
    "CaseIntent",
    "CaseStatus",
    "Change",
    "CommitError",
    "Database",
    "FinishCase",
    "HistoryEntry",
    "OpenCase",
    "Outgoing",
    "Roster",
    "StaffMember",
    "StaffPost",
    "Store",
]
