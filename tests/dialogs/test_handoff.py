"""Who owns the chat: the engine's handoff signals and the staff desk's office hours."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.i18n import Catalogs
from bot.i18n.render import render, to_plain
from bot.staff.hours import OfficeHours
from dialogs.content import Content
from dialogs.engine import Engine
from dialogs.events import Answer, Command, CommandName, StaffMove, StaffMoved, Text, Unsupported
from dialogs.handoff import (
    ASKS_QUEUE,
    CaseReason,
    DeskHours,
    Handoff,
    QueueFacts,
    Signal,
    held_notice,
    hours_msg,
)
from dialogs.replies import Reply, ReplyKind
from dialogs.session import Owner, Session
from dialogs.states import State
from tests.conftest import answers, button_data, consented, run, texts

STAFF = Command(CommandName.STAFF)
TO_RESULT = answers(
    role="applicant",
    status="titp",
    situation="lost_job",
    cause="bankruptcy",
    wish_ssw="yes",
    contract="yes",
    field="care",
)


@pytest.fixture(scope="module")
def staffed(content: Content, catalogs: Catalogs) -> Engine:
    return Engine(content, catalogs.available, staffed=True)


def _waiting(staffed: Engine) -> Session:
    session, step = run(staffed, consented(staffed), [*answers(role="applicant"), STAFF])
    assert step.handoff is not None and step.handoff.signal is Signal.OPEN
    return session


def test_staff_opens_a_case_and_asks_for_the_queue(staffed: Engine) -> None:
    session, step = run(staffed, consented(staffed), [*answers(role="applicant"), STAFF])
    assert step.replies == () and step.handoff is not None, "no reply until the queue is read"
    assert step.handoff.signal in ASKS_QUEUE and step.handoff.reason is CaseReason.ASKED
    assert session.owner is Owner.WAITING and session.state is State.STATUS


WEEKDAYS = DeskHours(0, 4, dt.time(9), dt.time(17))
MONDAY_9 = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)


def _queue(case: int | None = None, *, taken: bool = False, closed: bool = False) -> QueueFacts:
    return QueueFacts(case, taken, 4, WEEKDAYS, MONDAY_9 if closed else None)


def test_with_the_queue_the_reply_is_complete(staffed: Engine, catalogs: Catalogs) -> None:
    session = consented(staffed)
    for closed in (False, True):
        step = staffed.step(session, STAFF, queue=_queue(closed=closed))
        tr = catalogs.translator("en")
        said = texts(step, catalogs)
        assert to_plain(render(Reply(ReplyKind.NOTICE, (hours_msg(WEEKDAYS),)), tr).text) in said
        assert "number 4 in the queue" in said and button_data(step) == ["c:bot"]
        assert ("not at work now" in said) is closed, "after hours: when, and the helplines"
        assert step.handoff is not None and step.handoff.signal is Signal.OPEN


def test_while_held_the_queue_decides_relay_reopen_or_remind(staffed: Engine) -> None:
    session = _waiting(staffed)
    relayed = staffed.step(session, Text("hello"), queue=_queue(7))
    assert relayed.handoff == Handoff(Signal.RELAY) and relayed.replies == ()
    reopened = staffed.step(session, Text("hello"), queue=_queue(None))  # closed meanwhile
    assert reopened.handoff == Handoff(Signal.OPEN, CaseReason.ASKED)
    assert button_data(reopened) == ["c:bot"], "the waiting reply"
    reminded = staffed.step(session, STAFF, queue=_queue(7))
    assert reminded.handoff == Handoff(Signal.REMIND) and button_data(reminded) == ["c:bot"]
    held = staffed.step(session, STAFF, queue=_queue(7, taken=True))
    assert held.replies == (held_notice(),), "a staff member has the case already"


def test_without_a_staff_desk_or_consent_staff_gets_helplines(
    engine: Engine, staffed: Engine, catalogs: Catalogs
) -> None:
    _, step = run(engine, consented(engine), [STAFF])
    assert step.handoff is None and "call" in texts(step, catalogs)
    _, step = run(staffed, staffed.new_session("u9"), [STAFF])
    assert step.handoff is None and step.session.owner is Owner.BOT


def test_while_held_messages_are_relayed_and_nothing_is_answered(staffed: Engine) -> None:
    session = _waiting(staffed)
    for event in (Text("I lost my job"), Unsupported("photo"), Unsupported("document")):
        step = staffed.step(session, event)
        assert step.replies == () and step.handoff is not None
        assert step.handoff.signal is Signal.RELAY
        assert step.session.state is State.STATUS


def test_while_held_buttons_and_commands_get_a_notice_with_a_way_back(staffed: Engine) -> None:
    session = _waiting(staffed)
    for event in (Answer("status", "titp"), Command(CommandName.RESTART), Unsupported("button")):
        step = staffed.step(session, event)
        assert button_data(step) == ["c:bot"] and step.handoff is None
        assert step.session.answers == session.answers, "nothing changes"
    step = staffed.step(session, STAFF)
    assert step.handoff is not None and step.handoff.signal is Signal.REMIND


def test_back_to_the_bot_withdraws_and_shows_the_same_question(staffed: Engine) -> None:
    step = staffed.step(_waiting(staffed), Command(CommandName.BOT))
    assert step.handoff is not None and step.handoff.signal is Signal.WITHDRAW
    assert step.session.owner is Owner.BOT
    assert "a:status:titp" in button_data(step)


def test_staff_moves_take_then_hand_back_to_the_same_question(staffed: Engine) -> None:
    session, step = run(staffed, _waiting(staffed), [StaffMoved(StaffMove.TAKEN)])
    assert session.owner is Owner.STAFF and len(step.replies) == 1
    session, step = run(staffed, session, [StaffMoved(StaffMove.HANDED_BACK)])
    assert session.owner is Owner.HANDED_BACK
    assert "a:status:titp" in button_data(step)
    session, step = run(staffed, session, answers(status="titp"))
    assert session.state is State.SITUATION, "the bot answers again"


def test_handed_back_after_a_result_offers_it_again(staffed: Engine) -> None:
    session, _ = run(staffed, consented(staffed), TO_RESULT)
    session, _ = run(
        staffed, session, [Answer("prefecture", "tokyo"), Answer("review", "confirm")]
    )
    assert session.state is State.RESULT
    session, step = run(
        staffed, session, [STAFF, StaffMoved(StaffMove.TAKEN), StaffMoved(StaffMove.CLOSED)]
    )
    assert session.owner is Owner.BOT and button_data(step) == ["a:result:show"]
    _, step = run(staffed, session, [Answer("result", "show")])
    assert step.assessment is not None and step.assessment.outcome == "apply_change_of_status"


def test_a_staff_move_after_the_person_left_changes_nothing(staffed: Engine) -> None:
    session, _ = run(staffed, _waiting(staffed), [Command(CommandName.BOT)])
    step = staffed.step(session, StaffMoved(StaffMove.TAKEN))
    assert step.replies == () and step.session.owner is Owner.BOT


def test_repeated_free_text_goes_to_a_person(staffed: Engine) -> None:
    session, step = run(staffed, consented(staffed), [Text("help"), Text("please")])
    assert step.handoff is None and session.owner is Owner.BOT
    step = staffed.step(session, Text("what do I do"))
    assert step.handoff is not None and step.handoff.reason is CaseReason.FREE_TEXT
    assert step.session.owner is Owner.WAITING and step.session.strikes == 0


def test_owner_survives_storage_round_trip(staffed: Engine) -> None:
    session = _waiting(staffed)
    assert Session.from_record(session.to_record()).owner is Owner.WAITING
    assert Session.from_record({"user": "old"}).owner is Owner.BOT, "rows from before handoff"


TOKYO = OfficeHours.parse("09:00-17:00", "mon-fri", "Asia/Tokyo")


@pytest.mark.parametrize(
    ("utc", "open_now", "next_opening"),
    [
        ("2026-11-25T01:00", True, "2026-11-26T09:00"),  # Wednesday 10:00 in Tokyo
        ("2026-11-25T08:00", False, "2026-11-26T09:00"),  # Wednesday 17:00: just closed
        ("2026-11-27T23:00", False, "2026-11-30T09:00"),  # Saturday 08:00: Monday next
        ("2026-11-29T23:59", False, "2026-11-30T09:00"),  # Monday 08:59: a minute to go
    ],
)
def test_office_hours_in_japan_time(utc: str, open_now: bool, next_opening: str) -> None:
    now = dt.datetime.fromisoformat(utc).replace(tzinfo=dt.UTC)
    assert TOKYO.is_open(now) is open_now
    expected = dt.datetime.fromisoformat(next_opening).replace(tzinfo=TOKYO.zone)
    assert TOKYO.next_opening(now) == expected


def test_office_days_can_wrap_the_week() -> None:
    hours = OfficeHours.parse("10:00-18:00", "sun-thu", "Asia/Tokyo")
    assert hours.days == frozenset({6, 0, 1, 2, 3})
    assert (hours.first_day, hours.last_day) == (6, 3)
    friday_noon = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)
    assert not hours.is_open(friday_noon)
    assert hours.next_opening(friday_noon).date() == dt.date(2026, 11, 29)
