"""The result message for an Assessment: heading, reasons in plain words, what to do, where."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from dialogs import blocks
from dialogs.actions import answer_data, command_data
from dialogs.content import Content
from dialogs.events import CommandName
from dialogs.handoff import staff_button
from dialogs.messages import N_, NP_, Date, Msg, Param, Seq, Term
from dialogs.questions import options_for
from dialogs.replies import Button, Reply, ReplyKind
from dialogs.rules import HQ, MANUFACTURING_BASIS_FOR_STATUS, Assessment, Outcome, Reason
from dialogs.states import State

__all__ = [
    "consent_form_blocks",
    "destination_blocks",
    "outcome_heading",
    "reason_msg",
    "result_reply",
]

_HEADINGS: Mapping[Outcome, str] = {
    Outcome.APPLY_CHANGE_OF_STATUS: N_(
        "✅ <b>You may be able to apply to change your status of residence to {status}.</b>"
    ),
    Outcome.MATCHING_SUPPORT: N_(
        "✅ <b>You may be able to use the Employment Matching Support System.</b>"
    ),
    Outcome.EXTENSION: N_("✅ <b>You may be able to apply to extend your period of stay.</b>"),
    Outcome.REPORT_DIFFICULTY: N_(
        "⚠️ <b>Your employer can no longer employ you: a report must be sent as soon as "
        "possible.</b>"
    ),
    Outcome.NOT_ELIGIBLE: N_(
        "❌ <b>Based on your answers, this support measure does not seem to apply to you.</b>"
    ),
    Outcome.UNSURE: N_("🤔 <b>We cannot tell yet: some answers are still open.</b>"),
    Outcome.EMPLOYER_INFO: N_("🏢 <b>Information for employers</b>"),
}

_REASONS: Mapping[Reason, str] = {
    Reason.COVID_DISMISSAL: N_(
        "Your job or training ended because of a COVID-19 problem at your company ({cause}). "
        "The measure covers this (section 1(1) of the agency's page)."
    ),
    Reason.CANNOT_RETURN_HOME: N_(
        "You finished Technical Intern Training and cannot go home because of COVID-19 travel "
        "problems. This was covered from {date} (section 1(2))."
    ),
    Reason.WISHES_SSW_SKILLS: N_(
        "You want to stay to gain the skills to work as a Specified Skilled Worker, which the "
        "measure requires."
    ),
    Reason.HAS_CONTRACT_IN_FIELD: N_(
        "You have a contract with a new employer in one of the 14 fields: {field}."
    ),
    Reason.NO_CONTRACT_YET: N_(
        "You do not have a new employer yet. The matching support can help you find one."
    ),
    Reason.MANUFACTURING_BASIS_OK: N_(
        "The three manufacturing fields are open to you: you completed Technical Intern "
        "Training No. 2 (技能実習2号) in good standing, in a job exempt from the skills test "
        "(Note 1 of the agency's page)."
    ),
    Reason.RETENTION_EMPLOYER_CANNOT_KEEP: N_(
        "You already work under this support measure, and your employer cannot keep you "
        "(Note 3 of the agency's page)."
    ),
    Reason.RETENTION_ONE_YEAR: N_(
        "You have spent a year under this support measure and going home is still difficult."
    ),
    Reason.STATUS_NOT_COVERED: N_(
        "The agency's page names these statuses of residence: technical intern trainees, "
        "Specified Skilled Workers, “Engineer/Specialist in Humanities/International "
        "Services”, “Skilled Labor”, and international students who finished their studies "
        "(section 1). Yours is not on this list. The immigration bureau decides each case, so "
        "if you are unsure, a person can look at your case with you."
    ),
    Reason.SITUATION_NOT_COVERED: N_(
        "The measure is for people whose job or training ended because of COVID-19, trainees "
        "who finished and cannot go home, and people under this measure whose employer cannot "
        "keep them or who need more time (section 1)."
    ),
    Reason.NOT_COVID_RELATED: N_(
        "Your job ended for a reason not related to COVID-19. The measure covers only job "
        "losses caused by the pandemic (section 1(1))."
    ),
    Reason.NO_SSW_INTENT: N_(
        "The measure is only for people who want to stay to gain the skills to work as a "
        "Specified Skilled Worker (section 1)."
    ),
    Reason.FIELD_NOT_COVERED: N_(
        "Your new job is not in one of the 14 fields of the Specified Skilled Worker system, "
        "which the measure requires (section 2)."
    ),
    Reason.MANUFACTURING_RESTRICTED: N_(
        "In the three manufacturing fields, a trainee could be re-employed only after "
        "completing Technical Intern Training No. 2 (技能実習2号) in good standing, in a job "
        "exempt from the skills test (Note 1 of the agency's page). You answered that this is "
        "not true for you. You can choose another field."
    ),
    Reason.MANUFACTURING_BASIS_UNKNOWN: N_(
        "Whether the three manufacturing fields are open to you (Note 1 of the agency's "
        "page): your supervising organization or your former employer can tell you."
    ),
    Reason.STATUS_UNKNOWN: N_(
        "Your status of residence: it is written on your residence card (在留カード)."
    ),
    Reason.SITUATION_UNKNOWN: N_("What happened to your job or training."),
    Reason.CAUSE_UNKNOWN: N_(
        "Why your job ended: you can ask your company or supervising organization to tell "
        "you the reason in writing."
    ),
    Reason.FIELD_UNKNOWN: N_("The field of your new job: your new employer can tell you."),
    Reason.EMPLOYER_INQUIRY: N_("You asked as an employer."),
}


# Reasons whose wording depends on the person's status (Note 1 belongs to their own activity).
_BY_STATUS: Mapping[tuple[Reason, str], str] = {
    (Reason.MANUFACTURING_BASIS_OK, "ssw"): N_(
        "The three manufacturing fields are open to you: you worked as a Specified Skilled "
        "Worker in these fields (Note 1 of the agency's page)."
    ),
    (Reason.MANUFACTURING_RESTRICTED, "ssw"): N_(
        "In the three manufacturing fields, a Specified Skilled Worker could be re-employed "
        "only after working as one in those fields (Note 1 of the agency's page). You "
        "answered that you did not. You can choose another field."
    ),
    (Reason.NOT_COVID_RELATED, "titp"): N_(
        "Your job ended for a reason not related to COVID-19. The measure covers only job "
        "losses caused by the pandemic (section 1(1)). But if you finished your training and "
        "cannot go home because of COVID-19 travel problems, that is covered separately: "
        "change your answer to “{option}”."
    ),
}
_MANUFACTURING_CLOSED = N_(
    "The three manufacturing fields were open only to former Specified Skilled Workers of "
    "those fields and to trainees who completed Technical Intern Training No. 2 (技能実習2号) "
    "in good standing (Note 1 of the agency's page). With your status of residence, "
    "{status}, they are closed to you. You can choose another field."
)


def outcome_heading(outcome: Outcome, content: Content) -> Msg:
    """The result's first line, naming the outcome (and the status a change of status grants)."""
    if outcome is Outcome.APPLY_CHANGE_OF_STATUS:
        return Msg.of(_HEADINGS[outcome], status=_granted_status(content))
    return Msg(_HEADINGS[outcome])


def _granted_status(content: Content) -> Term:
    # Note 3 names what a change of status grants: the person should know for how long and
    # that they may work.
    prog = content.programme
    return Term(Msg(prog.granted_status_label, context="status"), prog.granted_status_ja)


def result_reply(assessment: Assessment, answers: Mapping[str, str], content: Content) -> Reply:
    """The whole result as one message the person can keep and show to someone else."""
    texts: list[Msg] = [outcome_heading(assessment.outcome, content)]
    if assessment.outcome is not Outcome.EMPLOYER_INFO:
        texts.append(_reasons(assessment, answers, content))
    texts += _BODIES[assessment.outcome](assessment, answers, content)
    texts += blocks.honesty_blocks(content)
    return Reply(ReplyKind.RESULT, tuple(texts), _buttons(assessment, answers), question="result")


def _reasons(assessment: Assessment, answers: Mapping[str, str], content: Content) -> Msg:
    heading = (
        N_("<b>Still open</b>\n{items}")
        if assessment.outcome is Outcome.UNSURE
        else N_("<b>Why</b>\n{items}")
    )
    items = tuple(reason_msg(r, answers, content) for r in assessment.reasons)
    return Msg.of(heading, items=Seq(items))


def reason_msg(reason: Reason, answers: Mapping[str, str], content: Content) -> Msg:
    """A reason code in plain words, with the answers it refers to."""
    status = answers.get("status", "")
    params: dict[str, Param] = {}
    msgid = _BY_STATUS.get((reason, status), _REASONS[reason])
    if reason is Reason.COVID_DISMISSAL:
        params["cause"] = _answer_label("cause", answers, content)
    elif reason is Reason.CANNOT_RETURN_HOME:
        params["date"] = Date(content.programme.cannot_return_from)
    elif reason is Reason.HAS_CONTRACT_IN_FIELD:
        params["field"] = _field_term(answers, content)
    elif (
        reason is Reason.MANUFACTURING_RESTRICTED and status not in MANUFACTURING_BASIS_FOR_STATUS
    ):
        msgid = _MANUFACTURING_CLOSED
        params["status"] = _answer_label("status", answers, content)
    elif reason is Reason.NOT_COVID_RELATED and status == "titp":
        params["option"] = _option_label("situation", "cannot_return", answers, content)
    return Msg.of(msgid, **params)


def _answer_label(question: str, answers: Mapping[str, str], content: Content) -> Msg | Term:
    return _option_label(question, answers.get(question, ""), answers, content)


def _option_label(
    question: str, option_id: str, answers: Mapping[str, str], content: Content
) -> Msg | Term:
    options = options_for(State(question), answers, content)
    return next(o.label for o in options if o.id == option_id)


def _field_term(answers: Mapping[str, str], content: Content) -> Msg | Term:
    field = content.field(answers.get("field", ""))
    if field is None:
        return _answer_label("field", answers, content)
    return Term(Msg(field.label, context="field"), field.name_ja)


def destination_blocks(assessment: Assessment, content: Content) -> tuple[Msg, ...]:
    """Where this outcome sends the person's form or application."""
    applying = assessment.outcome in (Outcome.APPLY_CHANGE_OF_STATUS, Outcome.EXTENSION)
    return _office_or_hq(assessment, content, applying)


def consent_form_blocks(
    assessment: Assessment, answers: Mapping[str, str], content: Content
) -> tuple[Msg, ...]:
    """How to fill in the consent form and where to send it (matching support only)."""
    return _matching_body(assessment, answers, content)[:-1]


def _office_or_hq(
    assessment: Assessment, content: Content, applying: bool = False
) -> tuple[Msg, ...]:
    if assessment.destination == HQ:
        return (blocks.hq_block(content),)
    office = content.offices.get(assessment.destination or "")
    if office is None:  # no prefecture given (a scripted run): say so rather than guess
        return (Msg(N_("Your regional immigration bureau (tell us your prefecture to see it).")),)
    return blocks.office_block(content, office, applying)


def _consent_form(content: Content) -> Term:
    prog = content.programme
    return Term(Msg(prog.consent_form_label, context="form"), prog.consent_form_ja)


Body = Callable[[Assessment, Mapping[str, str], Content], tuple[Msg, ...]]


def _apply_body(a: Assessment, answers: Mapping[str, str], content: Content) -> tuple[Msg, ...]:
    granted = Msg.of(
        N_("If it is granted, you may work in Japan under {status} for at most one year."),
        status=_granted_status(content),
    )
    where = Msg(N_("<b>Where to apply</b>: the immigration office for your prefecture."))
    return (
        granted,
        where,
        *_office_or_hq(a, content, applying=True),
        blocks.documents_block(content, a.documents),
    )


def _matching_body(a: Assessment, answers: Mapping[str, str], content: Content) -> tuple[Msg, ...]:
    if answers.get("field") == "undecided":
        form = Msg.of(
            N_(
                "Fill in the form {form} and write the field you want on it. The form is on the "
                "agency's official page."
            ),
            form=_consent_form(content),
        )
    else:
        form = Msg.of(
            N_(
                "Fill in the form {form} and write the field you want: {field}. The form is on "
                "the agency's official page."
            ),
            form=_consent_form(content),
            field=_field_term(answers, content),
        )
    how = Msg(
        N_(
            "How you submit the form depends on your status of residence: read the agency's "
            "guide to filling in the form, on the official page."
        )
    )
    also = Msg.of(
        N_(
            "If you find an employer yourself, without this system, you can still apply for the "
            "change of status to {status}. You can also contact the companies on the agency's "
            "list of employers directly."
        ),
        status=_granted_status(content),
    )
    send_to = Msg(N_("<b>Send the form to</b>:"))
    return (form, how, send_to, *_office_or_hq(a, content), also)


def _extension_body(
    a: Assessment, answers: Mapping[str, str], content: Content
) -> tuple[Msg, ...]:
    text = Msg.of(
        N_(
            "You may apply to extend your period of stay. The longest period that can be "
            "granted is {months} months. Apply at:"
        ),
        months=content.programme.extension_max_months,
    )
    return (text, *_office_or_hq(a, content, applying=True))


def _report_body(a: Assessment, answers: Mapping[str, str], content: Content) -> tuple[Msg, ...]:
    prog = content.programme
    report = Msg.of(
        N_(
            "The {report} (the report that your employer can no longer employ you) must be "
            "submitted as soon as possible to the nearest District Immigration Office or "
            "Regional Immigration Services Bureau. It is not clear "
            "whether your employer or you must submit it, so make sure it is submitted and ask "
            "the bureau. For your prefecture:"
        ),
        report=Term(Msg(prog.difficulty_report_label, context="form"), prog.difficulty_report_ja),
    )
    matching = Msg.of(
        N_(
            "To find a new employer, you can use the Employment Matching Support System: send "
            "the form {form} to:"
        ),
        form=_consent_form(content),
    )
    return (report, *_office_or_hq(a, content), matching, blocks.hq_block(content))


def _help_body(a: Assessment, answers: Mapping[str, str], content: Content) -> tuple[Msg, ...]:
    if a.outcome is Outcome.UNSURE:
        first = N_("When you know, tap “Change my answers”. A person can also help you.")
    else:
        first = N_(
            "What you can do: talk to a person here, or call one of these services for "
            "advice in your language."
        )
    return (Msg(first), blocks.helplines_block(content))


def _employer_body(a: Assessment, answers: Mapping[str, str], content: Content) -> tuple[Msg, ...]:
    fields = Msg.of(
        N_(
            "<b>The job</b> must be in one of the 14 fields of the Specified Skilled Worker "
            "system:\n{fields}"
        ),
        fields=Seq(tuple(Term(Msg(f.label, context="field"), f.name_ja) for f in content.fields)),
    )
    return (
        fields,
        Msg(
            N_(
                "<b>To find candidates</b>: the agency published a list of organizations that "
                "received "
                "the contact details of foreign nationals who want matching support. Contact "
                "those "
                "organizations.\n\n<b>To be listed as an employer</b>: the agency published a "
                "list of "
                "companies that want to hire under this support measure. To be added, send the "
                "registration "
                "form by email to the address on the official page."
            )
        ),
    )


_BODIES: Mapping[Outcome, Body] = {
    Outcome.APPLY_CHANGE_OF_STATUS: _apply_body,
    Outcome.MATCHING_SUPPORT: _matching_body,
    Outcome.EXTENSION: _extension_body,
    Outcome.REPORT_DIFFICULTY: _report_body,
    Outcome.NOT_ELIGIBLE: _help_body,
    Outcome.UNSURE: _help_body,
    Outcome.EMPLOYER_INFO: _employer_body,
}


def _change_buttons(assessment: Assessment, answers: Mapping[str, str]) -> list[Button]:
    """Shortcuts to the one answer that would change this result."""
    buttons = []
    if Reason.MANUFACTURING_RESTRICTED in assessment.reasons:
        label = Msg(NP_("button", "Choose another field"), context="button")
        buttons.append(Button(answer_data("result", "change:field"), label))
    if Reason.NOT_COVID_RELATED in assessment.reasons and answers.get("status") == "titp":
        label = Msg(NP_("button", "Change: training done"), context="button")
        buttons.append(Button(answer_data("result", "change:situation"), label))
    return buttons


def _buttons(assessment: Assessment, answers: Mapping[str, str]) -> tuple[tuple[Button, ...], ...]:
    rows: list[tuple[Button, ...]] = [(b,) for b in _change_buttons(assessment, answers)]
    rows.append((staff_button(),))
    rows.append(
        (
            Button(
                command_data(CommandName.BACK),
                Msg(NP_("button", "Change my answers"), context="button"),
            ),
            Button(
                command_data(CommandName.RESTART),
                Msg(NP_("button", "Start again"), context="button"),
            ),
        )
    )
    return tuple(rows)
