"""The rows a staff report counts: sessions, history steps and cases (ids, states, times)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.storage.database import Database
from bot.storage.tables import CaseRow, HistoryRow, SessionRow

__all__ = ["ReportRows", "report_rows"]


@dataclass(frozen=True, slots=True)
class ReportRows:
    """Every stored session, and the steps and cases of one period."""

    sessions: Sequence[Any]  # user, locale, outcome, created_at
    steps: Sequence[Any]  # user, at, question, from_state, to_state; oldest first
    cases: Sequence[Any]  # status, opened_at, taken_at


async def report_rows(database: Database, start: dt.datetime, end: dt.datetime) -> ReportRows:
    """The rows from ``start`` (included) to ``end`` (excluded); sessions of any time."""
    async with database.engine.connect() as conn:
        sessions = (
            await conn.execute(
                select(
                    SessionRow.user, SessionRow.locale, SessionRow.outcome, SessionRow.created_at
                )
            )
        ).all()
        steps = (
            await conn.execute(
                select(
                    HistoryRow.user,
                    HistoryRow.at,
                    HistoryRow.question,
                    HistoryRow.from_state,
                    HistoryRow.to_state,
                )
                .where(HistoryRow.at >= start, HistoryRow.at < end)
                .order_by(HistoryRow.id)
            )
        ).all()
        cases = (
            await conn.execute(
                select(CaseRow.status, CaseRow.opened_at, CaseRow.taken_at).where(
                    CaseRow.opened_at >= start, CaseRow.opened_at < end
                )
            )
        ).all()
    return ReportRows(sessions, steps, cases)
