"""The questions of DOMAIN.md: prompts, review labels and the options valid for given answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dialogs.content import Content
from dialogs.messages import N_, NP_, Msg, Term
from dialogs.rules import UNSURE
from dialogs.states import State

__all__ = [
    "REVIEW_LABELS",
    "Option",
    "options_for",
    "prompt_for",
]


@dataclass(frozen=True, slots=True)
class Option:
    """A choice with a stable id and the label shown on its button."""

    id: str
    label: Msg | Term


def _opt(option_id: str, label: str) -> Option:
    return Option(option_id, Msg(label, context="option"))


def _status(option_id: str, label: str, official: str) -> Option:
    # The official name as printed on the residence card goes beside the translation, so the
    # button's own text stays short and the person can match it to their card.
    return Option(option_id, Term(Msg(label, context="option"), official))


_NOT_SURE = _opt(UNSURE, NP_("option", "I'm not sure"))

_STATUS = (
    _status("titp", NP_("option", "Technical Intern Training"), "技能実習"),
    _status("ssw", NP_("option", "Specified Skilled Worker"), "特定技能"),
    _status(
        "engineer", NP_("option", "Engineer / Humanities / Intl."), "技術・人文知識・国際業務"
    ),
    _status("skilled_labor", NP_("option", "Skilled Labor"), "技能"),
    _status("graduate", NP_("option", "Student, studies finished"), "留学"),
    _status("retention", NP_("option", "Designated Activities"), "特定活動"),
    _opt("other", NP_("option", "Another status")),
    _NOT_SURE,
)
# Labels are neutral phrases, not "I …" sentences: they are also read back inside other
# sentences (the review card, the reasons of a result).
_LOST_JOB = _opt("lost_job", NP_("option", "Lost my job, training or offer"))
_NEITHER = _opt("neither", NP_("option", "None of these"))
_SITUATION = {
    "titp": (
        _LOST_JOB,
        _opt("cannot_return", NP_("option", "Training done, can't go home")),
        _NEITHER,
        _NOT_SURE,
    ),
    "retention": (
        _opt("employer_cannot_keep", NP_("option", "Employer can't keep me")),
        _opt("one_year_cannot_return", NP_("option", "Had 1 year, can't go home")),
        _NEITHER,
        _NOT_SURE,
    ),
    "default": (_LOST_JOB, _NEITHER, _NOT_SURE),
}
_CAUSE = (
    _opt("bankruptcy", NP_("option", "Company went bankrupt")),
    _opt("downsizing", NP_("option", "Company cut staff")),
    _opt("contract_ended", NP_("option", "Fixed-term contract ended")),
    _opt("offer_withdrawn", NP_("option", "Job offer withdrawn")),
    _opt("other_covid", NP_("option", "Other COVID-19 problem at work")),
    _opt("not_covid", NP_("option", "Not because of COVID-19")),
    _NOT_SURE,
)
_WISH = (_opt("yes", NP_("option", "Yes, I want this")), _opt("no", NP_("option", "No")))
_CONTRACT = (
    _opt("yes", NP_("option", "Yes, I have a contract")),
    _opt("no", NP_("option", "No, not yet")),
)
# Note 1 of the page: each basis belongs to one status (rules.MANUFACTURING_BASIS_FOR_STATUS),
# so only the basis that fits the person's own former activity is offered.
_BASIS = {
    "ssw": (
        _opt("ssw_same_field", NP_("option", "Yes, SSW in these fields")),
        _opt("neither", NP_("option", "No, another field")),
        _NOT_SURE,
    ),
    "titp": (
        # Longer than a button shows on a phone, on purpose: both conditions must be read, and
        # the first word tells the options apart when the rest is cut off.
        Option(
            "titp2_related",
            Msg(
                NP_("long_option", "Yes: 2号 in good standing, exempt from the skills test"),
                context="long_option",
            ),
        ),
        _opt("neither", NP_("option", "No")),
        _NOT_SURE,
    ),
}
_NO_BASIS = (_opt("neither", NP_("option", "No")), _NOT_SURE)
_PRIVACY = (
    _opt("agree", NP_("option", "I agree")),
    _opt("decline", NP_("option", "No, only general information")),
)
_ROLE = (
    _opt("applicant", NP_("option", "A worker or trainee")),
    _opt("employer", NP_("option", "An employer")),
)
_DELETE = (
    _opt("yes", NP_("option", "Yes, erase everything")),
    _opt("no", NP_("option", "No, keep my answers")),
)

_PROMPTS: Mapping[State, str] = {
    State.LANGUAGE: N_("Please choose your language."),
    State.PRIVACY: N_(
        "<b>Before we start</b>\n"
        "This bot asks a few questions about your status of residence and your job. Then it "
        "tells you whether the employment-retention support measure of the Immigration "
        "Services Agency may apply to you, which documents you need and where to send them."
        "\n\n"
        "If you agree, we store your answers, your language and your Telegram user ID, so that "
        "you can continue later. We never ask for your name. Your answers are used only to "
        "guide you, and by our support staff if you ask for a person. We erase everything "
        "{days} days after your last message, or at once when you send /delete. /mydata shows "
        "what we store.\n\nDo you agree?"
    ),
    State.ROLE: N_("Which of these describes you?"),
    State.STATUS: N_(
        "What is your status of residence (在留資格)? It is written on your residence card "
        "(在留カード).\n"
        "• You finished Technical Intern Training and still have that status: choose "
        "Technical Intern Training.\n"
        "• You already changed to Designated Activities (特定活動) under this support measure: "
        "choose Designated Activities."
    ),
    State.SITUATION: N_("What happened to you?"),
    State.CAUSE: N_("Why did your job or training end?"),
    State.WISH_SSW: N_(
        "Do you want to stay in Japan to gain the skills you need to work as a Specified "
        "Skilled Worker (特定技能)? This support measure is only for people who want this."
    ),
    State.CONTRACT: N_(
        "Do you already have an employment contract with a new employer (the new accepting "
        "organization)?"
    ),
    State.PREFECTURE: N_(
        "In which prefecture do you live? Choose your region, or type the name of your prefecture."
    ),
    State.REVIEW: N_("Please check your answers. Tap an answer to change it."),
    State.DELETE: N_("Do you want to erase everything we have stored about you?"),
}
_FIELD_PROMPTS = {
    "yes": N_("In which field is your new job?"),
    "no": N_("In which field do you want to work?"),
}
_BASIS_PROMPTS = {
    "ssw": N_(
        "The three manufacturing fields have a limit (Note 1 of the agency's page). As a "
        "Specified Skilled Worker, they were open to you only if you worked as a Specified "
        "Skilled Worker in one of these three fields. Is that true for you?"
    ),
    "titp": N_(
        "The three manufacturing fields have a limit (Note 1 of the agency's page). As a "
        "trainee, they were open to you only if you completed Technical Intern Training No. 2 "
        "(技能実習2号) in good standing, in a job category that is exempt from the skills test "
        "for these fields. Is that true for you?"
    ),
}

# Short names of the questions for the review card ("Status: Technical Intern Training").
REVIEW_LABELS: Mapping[str, str] = {
    "role": NP_("review", "You are"),
    "status": NP_("review", "Status of residence"),
    "situation": NP_("review", "What happened"),
    "cause": NP_("review", "Reason"),
    "wish_ssw": NP_("review", "Goal: work as 特定技能"),
    "contract": NP_("review", "Employment contract"),
    "field": NP_("review", "Field"),
    "manufacturing_basis": NP_("review", "Manufacturing fields"),
    "prefecture": NP_("review", "Prefecture"),
}


def prompt_for(state: State, answers: Mapping[str, str]) -> Msg:
    """The question's text for these answers."""
    if state is State.FIELD:
        return Msg(_FIELD_PROMPTS["yes" if answers.get("contract") == "yes" else "no"])
    if state is State.MANUFACTURING_BASIS:
        return Msg(_BASIS_PROMPTS.get(answers.get("status", ""), _BASIS_PROMPTS["titp"]))
    return Msg(_PROMPTS[state])


def options_for(state: State, answers: Mapping[str, str], content: Content) -> Sequence[Option]:
    """The options valid for ``state`` given the answers so far (prefecture ids included)."""
    fixed: Mapping[State, Sequence[Option]] = {
        State.PRIVACY: _PRIVACY,
        State.ROLE: _ROLE,
        State.STATUS: _STATUS,
        State.CAUSE: _CAUSE,
        State.WISH_SSW: _WISH,
        State.CONTRACT: _CONTRACT,
        State.DELETE: _DELETE,
    }
    if state in fixed:
        return fixed[state]
    if state is State.SITUATION:
        return _SITUATION.get(answers.get("status", ""), _SITUATION["default"])
    if state is State.FIELD:
        return _field_options(answers, content)
    if state is State.MANUFACTURING_BASIS:
        # Other statuses are not asked (no basis fits them); one stored at this question by an
        # earlier release still gets a way on: "No" closes the fields, as the rules do anyway.
        return _BASIS.get(answers.get("status", ""), _NO_BASIS)
    if state is State.PREFECTURE:
        return tuple(Option(p.id, Msg(p.label, context="prefecture")) for p in content.prefectures)
    return ()


def _field_options(answers: Mapping[str, str], content: Content) -> tuple[Option, ...]:
    # The official Japanese name beside each field: a care worker recognises 介護 even where the
    # translation reads as nursing.
    fields = tuple(
        Option(f.id, Term(Msg(f.label, context="field"), f.name_ja)) for f in content.fields
    )
    if answers.get("contract") == "yes":
        extra = _opt("other_field", NP_("option", "A field not in this list"))
    else:
        extra = _opt("undecided", NP_("option", "I have not decided yet"))
    return (*fields, extra, _NOT_SURE)


def all_option_ids(state: State, content: Content) -> frozenset[str]:
    """Every option id the question can ever have (for validating scripted answers)."""
    # Options depend only on status (situation) and contract (field): try every combination.
    variants = (
        {"status": status, "contract": contract}
        for status in (*_SITUATION, *_BASIS, "default")
        for contract in ("yes", "no")
    )
    return frozenset(o.id for answers in variants for o in options_for(state, answers, content))
