"""The writer's transaction: a batch of changes, one statement per table, in a fixed order."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.cases import CaseStatus, FinishCase, OpenCase
from bot.storage.change import Change
from bot.storage.payloads import message_to_json, staff_to_json
from bot.storage.tables import (
    BlockedRow,
    BotMessageRow,
    CaseRow,
    FeedbackRow,
    HistoryRow,
    InboxRow,
    OutboxRow,
    RelayRow,
    SessionRow,
    StaffPostRow,
)
from dialogs.session import Session

__all__ = ["APPLIERS", "SESSION_COLUMNS", "apply"]

logger = logging.getLogger(__name__)

# Session fields stored as columns of their own; the rest go into the JSON `data` column.
SESSION_COLUMNS = ("user", "state", "locale", "content_version", "outcome")


async def apply(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    """Write a whole batch with one statement per table, in the order the tables need.

    One person's next change waits for this commit, so a batch holds at most one session
    change per person.
    """
    for applier in APPLIERS:
        await applier(conn, changes)


async def _erase(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    erased = [c.user for c in changes if c.erase]
    erasable = (HistoryRow, OutboxRow, StaffPostRow, CaseRow, BotMessageRow, RelayRow, SessionRow)
    for table in erasable if erased else ():
        await conn.execute(delete(table).where(table.user.in_(erased)))


async def _unblock(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    unblocked = [c.user for c in changes if c.erase or c.unblock]
    if unblocked:
        await conn.execute(delete(BlockedRow).where(BlockedRow.user.in_(unblocked)))


async def _inbox(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    inbox = [{"update_id": c.update_id, "at": c.at} for c in changes if c.update_id is not None]
    if inbox:
        await conn.execute(insert(InboxRow), inbox)


async def _sessions(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    sessions = [_session_values(c.session, c.at) for c in changes if c.session is not None]
    if sessions:
        await _upsert(conn, SessionRow, sessions, keep=("created_at",))


async def _history(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    history = [_history_values(c) for c in changes if c.history is not None]
    if history:
        await conn.execute(insert(HistoryRow), history)


async def _staff_posts(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    posts = [
        {"user": c.user, "case_id": case, "payload": staff_to_json(post), "created_at": c.at}
        for c in changes
        for case, post in c.staff_posts
    ]
    posts += await _apply_cases(conn, changes)
    if posts:
        await conn.execute(insert(StaffPostRow), posts)


async def _bot_messages(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    gone = {c.user for c in changes if c.erase}
    shown = {
        (chat, message): {"user": user, "chat_id": chat, "message_id": message, "sent_at": c.at}
        for c in reversed(changes)  # the first sending in the batch wins
        for user, chat, message in reversed(c.bot_messages)
        if user not in gone
    }
    bot_messages = list(shown.values())
    if bot_messages:  # an edited question is already there: the first sending time stands
        await conn.execute(
            _dialect(conn).insert(BotMessageRow).on_conflict_do_nothing(), bot_messages
        )


async def _feedback(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    feedback = [
        {"locale": locale, "screen": screen, "msgids": list(ids), "created_at": c.at}
        for c in changes
        for locale, screen, ids in c.feedback
    ]
    if feedback:
        await conn.execute(insert(FeedbackRow), feedback)


async def _sent(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    sent = [i for c in changes for i in c.sent]
    if sent:  # delivered: the text need not be kept (it is personal data)
        # executemany of one prepared statement; an IN list is re-rendered for every length
        by_id = delete(OutboxRow).where(OutboxRow.id == bindparam("outbox_id"))
        await conn.execute(by_id, [{"outbox_id": i} for i in sent])


async def _blocked(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    blocked = [{"user": c.user, "at": c.at} for c in changes if c.blocked]
    if blocked:
        await _upsert(conn, BlockedRow, blocked)


async def _apply_cases(conn: AsyncConnection, changes: Sequence[Change]) -> list[dict[str, Any]]:
    """Open and close the turns' cases; the staff posts of the cases just opened."""
    posts: list[dict[str, Any]] = []
    for change in changes:
        for intent in change.cases:
            if isinstance(intent, FinishCase):
                await conn.execute(_finish(intent, change.at))
                continue
            # One row at a time: the case number is needed for its posts (cases are rare).
            result = await conn.execute(insert(CaseRow).values(_case_values(change, intent)))
            case_id = result.inserted_primary_key[0]  # type: ignore[index]
            logger.info(
                "case opened case=%s user=%s reason=%s", case_id, change.user, intent.reason
            )
            posts += [
                {
                    "user": change.user,
                    "case_id": case_id,
                    "payload": staff_to_json(p),
                    "created_at": change.at,
                }
                for p in intent.posts
            ]
    return posts


def _case_values(change: Change, intent: OpenCase) -> dict[str, Any]:
    return {
        "user": change.user,
        "chat_id": intent.chat_id,
        "status": CaseStatus.WAITING.value,
        "reason": intent.reason,
        "opened_at": change.at,
        "updated_at": change.at,
    }


def _finish(intent: FinishCase, at: dt.datetime) -> Any:
    still_open = [CaseStatus.WAITING.value, CaseStatus.TAKEN.value]
    return (
        update(CaseRow)
        .where(CaseRow.id == intent.case_id, CaseRow.status.in_(still_open))
        .values(status=intent.status.value, updated_at=at)
    )


async def _outbox(conn: AsyncConnection, changes: Sequence[Change]) -> None:
    # Ids are made here, not by the database: SQLite cannot return generated ids for a batch
    # in order, and SQLAlchemy then inserts row by row (a third of a commit's time).
    rows = []
    for change in changes:
        change.ids = [uuid.uuid4().hex for _ in change.outbox]
        rows += [
            {
                "id": outbox_id,
                "user": change.user,
                "position": position,
                "payload": message_to_json(message.message),
                "created_at": change.at,
            }
            for position, (outbox_id, message) in enumerate(
                zip(change.ids, change.outbox, strict=True)
            )
        ]
    if rows:
        await conn.execute(insert(OutboxRow), rows)


def _history_values(change: Change) -> dict[str, Any]:
    entry = change.history
    assert entry is not None
    return {
        "user": change.user,
        "at": change.at,
        "event": entry.event,
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "question": entry.question,
        "option": entry.option,
    }


def _session_values(session: Session, at: dt.datetime) -> dict[str, Any]:
    record = session.to_record()
    values = {c: record[c] for c in SESSION_COLUMNS}
    values["data"] = {k: v for k, v in record.items() if k not in SESSION_COLUMNS}
    return {**values, "updated_at": at, "created_at": at}


def _dialect(conn: AsyncConnection) -> Any:
    # Their INSERT … ON CONFLICT constructs (the generic insert has none).
    return postgresql if conn.dialect.name == "postgresql" else sqlite


async def _upsert(
    conn: AsyncConnection,
    table: type[SessionRow] | type[BlockedRow],
    rows: list[dict[str, Any]],
    keep: Sequence[str] = (),
) -> None:
    """INSERT … ON CONFLICT (user) DO UPDATE, for many rows at once, on SQLite or PostgreSQL."""
    statement = _dialect(conn).insert(table)
    columns = [c for c in rows[0] if c not in ("user", *keep)]
    statement = statement.on_conflict_do_update(
        index_elements=["user"], set_={c: statement.excluded[c] for c in columns}
    )
    await conn.execute(statement, rows)


Applier = Callable[[AsyncConnection, Sequence[Change]], Awaitable[None]]
# The order matters: an erase first (a person may agree again in the same batch), sessions
# before the rows that refer to them, cases before their posts, deliveries after the outbox.
APPLIERS: tuple[Applier, ...] = (
    _erase,
    _unblock,
    _inbox,
    _sessions,
    _history,
    _outbox,
    _staff_posts,
    _bot_messages,
    _feedback,
    _sent,
    _blocked,
)
