"""The tables, in SQL types that work on both SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "BlockedRow",
    "BotMessageRow",
    "CaseRow",
    "FeedbackRow",
    "HistoryRow",
    "InboxRow",
    "OutboxRow",
    "RelayRow",
    "SessionRow",
    "StaffPostRow",
    "StaffRow",
]


class Base(DeclarativeBase):
    """Declarative base of every Tsunagu table."""


class SessionRow(Base):
    """One conversation per person; ``data`` holds answers and path as JSON (ids only)."""

    __tablename__ = "sessions"

    user: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_version: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class HistoryRow(Base):
    """One step of a conversation: which state it left and entered, and the option id chosen.

    Never free text: typed words stay out of the history (a matched prefecture is stored as
    its id).
    """

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_user_id", "user", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user: Mapped[str] = mapped_column(String(64), ForeignKey("sessions.user", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    event: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    question: Mapped[str | None] = mapped_column(String(32))
    option: Mapped[str | None] = mapped_column(String(64))


class InboxRow(Base):
    """Telegram update ids already handled: a redelivered update changes nothing."""

    __tablename__ = "inbox"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class OutboxRow(Base):
    """A reply committed with the state that caused it; deleted once delivered."""

    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user: Mapped[str] = mapped_column(String(64), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order among the messages of one change
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class BlockedRow(Base):
    """People who blocked the bot (Telegram answered 403): nothing more is sent to them."""

    __tablename__ = "blocked"

    user: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class StaffRow(Base):
    """A support staff member allowed to act in the staff group (``tsunagu staff add``)."""

    __tablename__ = "staff"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(64))
    languages: Mapped[list[str]] = mapped_column(JSON)  # locales they can read and write
    locale: Mapped[str] = mapped_column(String(16))  # the language their screens use
    on_duty: Mapped[bool] = mapped_column(Boolean, default=True)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class CaseRow(Base):
    """One request for a person; its id is the case number staff see (never the name)."""

    __tablename__ = "cases"
    # AUTOINCREMENT: SQLite would otherwise reuse the number of an erased case.
    __table_args__ = (Index("ix_cases_status_id", "status", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user: Mapped[str] = mapped_column(String(64), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)  # the applicant's private chat
    status: Mapped[str] = mapped_column(String(16))  # waiting, taken, handed_back, closed
    reason: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[int | None] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger, index=True)  # its forum topic
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # When a staff member took it: the applicant's wait, for staff reports (revision 0002).
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class StaffPostRow(Base):
    """A call to the staff group waiting for its turn (the group takes ~20 messages a minute)."""

    __tablename__ = "staff_posts"
    # Never reuse an id: the pacer drops a post by id after sending it.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 (SQLAlchemy's declaration)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user: Mapped[str] = mapped_column(String(64), index=True)  # whose case it is about
    case_id: Mapped[int] = mapped_column(Integer, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FeedbackRow(Base):
    """A press of "Unclear translation?": a screen and a language (no user: it is about text)."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    locale: Mapped[str] = mapped_column(String(16), index=True)
    screen: Mapped[str] = mapped_column(String(64))
    msgids: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class BotMessageRow(Base):
    """A message the bot sent a person (ids only), so /delete can remove it from their chat.

    Telegram lets a bot delete its messages in a private chat for 48 hours; older rows are
    purged. A question edited in place is one message: one row, however often it is edited.
    """

    __tablename__ = "bot_messages"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user: Mapped[str] = mapped_column(String(64), index=True)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class RelayRow(Base):
    """A message copied to another chat, keyed by the message copied: it is copied only once.

    Claimed (committed) before the copy is asked of Telegram and given the copy's id after; a
    claim left without one after a crash means the process died during the call, and the copy
    is not made again (never twice; logged as unknown).
    """

    __tablename__ = "relays"

    from_chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # the message copied
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # where it is copied to
    user: Mapped[str] = mapped_column(String(64), index=True)  # the applicant it is about
    copy_id: Mapped[int | None] = mapped_column(BigInteger)  # None: under way, or unknown
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
