"""What the staff desk says: to the applicant while they wait, and to staff in the group."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from bot.storage import Case, StaffMember
from dialogs import blocks
from dialogs.canned import CANNED
from dialogs.handoff import CaseReason
from dialogs.messages import N_, NP_, Data, LanguageName, Msg, Seq, TimeOfDay
from dialogs.outcomes import outcome_heading, reason_msg
from dialogs.questions import REVIEW_LABELS
from dialogs.replies import Button, Reply, ReplyKind
from dialogs.rules import Outcome, assess
from dialogs.screens import Screens
from dialogs.session import Session

__all__ = [
    "canned_list",
    "case_card",
    "digest",
    "staff_action_data",
    "topic_name",
]

_REASONS = {
    CaseReason.ASKED: N_("The applicant asked for a person."),
    CaseReason.FREE_TEXT: N_("The bot could not understand the applicant's messages."),
}


def staff_action_data(action: str, case_id: int) -> str:
    """Callback data of a case card button: ``s:take:12`` (never an applicant's action)."""
    return f"s:{action}:{case_id}"


def topic_name(case: Case, locale: str) -> str:
    """The forum topic's name: the case number and language code, never the person's name."""
    return f"#{case.id} · {locale}"


def case_card(
    case: Case,
    session: Session,
    *,
    screens: Screens,
    now: dt.datetime,
    on_duty: Sequence[StaffMember],
    zone: dt.tzinfo,
) -> Reply:
    """The first post of a case's topic: who is waiting, with what, and the buttons to act."""
    answers = session.effective_answers()
    asked = [q for q in session.path if q in REVIEW_LABELS and q in answers]
    texts: list[Msg] = [
        Msg.of(
            N_("<b>Case #{number}</b> · {language}"),
            number=case.id,
            language=LanguageName(session.locale, native=False),
        ),
        Msg(_REASONS.get(CaseReason(case.reason), _REASONS[CaseReason.ASKED])),
        Msg.of("{lines}", lines=Seq(tuple(screens.review_line(q, answers) for q in asked))),
        *_outcome(session, screens),
        Msg.of(
            N_("Waiting since {time} ({minutes} min)."),
            time=TimeOfDay(
                case.opened_at.astimezone(zone).time().replace(second=0, microsecond=0)
            ),
            minutes=_minutes_waited(case, now),
        ),
        _speakers(session.locale, on_duty),
    ]
    buttons = (
        (Button(staff_action_data("take", case.id), Msg(NP_("staff", "Take"), context="staff")),),
        (
            Button(
                staff_action_data("back", case.id),
                Msg(NP_("staff", "Hand back to the bot"), context="staff"),
            ),
            Button(
                staff_action_data("close", case.id), Msg(NP_("staff", "Close"), context="staff")
            ),
        ),
    )
    return Reply(ReplyKind.NOTICE, tuple(texts), buttons)


def _minutes_waited(case: Case, now: dt.datetime) -> int:
    return int((now - case.opened_at).total_seconds() // 60)


def _outcome(session: Session, screens: Screens) -> list[Msg]:
    if session.outcome is None:
        return [Msg(N_("No result yet: the applicant has not finished the questions."))]
    answers = session.effective_answers()
    assessment = assess(answers, screens.content)
    texts = [outcome_heading(Outcome(session.outcome), screens.content)]
    reasons = tuple(reason_msg(r, answers, screens.content) for r in assessment.reasons)
    if reasons:
        texts.append(Msg.of("{items}", items=Seq(reasons)))
    if assessment.documents:
        texts.append(blocks.documents_block(screens.content, assessment.documents))
    return texts


def _speakers(locale: str, on_duty: Sequence[StaffMember]) -> Msg:
    language = locale.split("_", maxsplit=1)[0]
    names = tuple(
        Data(m.name)
        for m in on_duty
        if m.on_duty and language in {x.split("_")[0] for x in m.languages}
    )
    if not names:
        return Msg.of(
            N_("Nobody on duty speaks {language}."), language=LanguageName(locale, native=False)
        )
    return Msg.of(
        N_("On duty and speaks {language}: {names}"),
        language=LanguageName(locale, native=False),
        names=Seq(names, bullet="", separator=", "),
    )


def digest(cases: Sequence[Case], locales: dict[int, str], now: dt.datetime) -> Reply:
    """One post for many new cases, when the group's limit would delay their topics."""
    lines = tuple(
        Msg.of(
            N_("#{number} · {language} · waiting {minutes} min"),
            number=c.id,
            language=LanguageName(locales.get(c.id, "en"), native=False),
            minutes=_minutes_waited(c, now),
        )
        for c in cases
    )
    head = Msg.of(
        N_(
            "<b>{count} new cases are waiting.</b> Telegram lets the bot post about 20 messages "
            "a minute in this group, so their topics open one by one:"
        ),
        count=len(cases),
    )
    return Reply(ReplyKind.NOTICE, (head, Msg.of("{lines}", lines=Seq(lines))))


def canned_list(versions: Mapping[str, bool]) -> Reply:
    """The answer to ``/reply`` without a key, saying which version each key sends this case.

    ``versions``: for each key with a version per applicant, whether this case gets it (True)
    or the general one (False); other keys are the same for everyone.
    """
    lines = tuple(
        _canned_line(key, entry.label, versions.get(key)) for key, entry in CANNED.items()
    )
    head = Msg(N_("Canned replies, sent in the applicant's language:"))
    return Reply(ReplyKind.NOTICE, (head, Msg.of("{lines}", lines=Seq(lines, bullet=""))))


_VERSIONS = {
    True: NP_("canned", "for this applicant"),
    False: NP_("canned", "general version: their answers do not fix it yet"),
}


def _canned_line(key: str, label: str, specific: bool | None) -> Msg:
    what = Msg(label, context="canned")
    if specific is None:
        return Msg.of("<code>/reply {key}</code> – {what}", key=Data(key), what=what)
    return Msg.of(
        "<code>/reply {key}</code> – {what} ({version})",
        key=Data(key),
        what=what,
        version=Msg(_VERSIONS[specific], context="canned"),
    )
