"""Eligibility as pure functions: answers (ids) in, an Assessment with reason codes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from dialogs.content import Content

__all__ = [
    "HQ",
    "MANUFACTURING_BASIS_FOR_STATUS",
    "UNSURE",
    "Assessment",
    "Outcome",
    "Reason",
    "Where",
    "assess",
    "needs_prefecture",
]

HQ = "hq"
UNSURE = "unsure"  # the option "I'm not sure", wherever it is offered


class Outcome(StrEnum):
    """The outcomes of DOMAIN.md."""

    APPLY_CHANGE_OF_STATUS = "apply_change_of_status"
    MATCHING_SUPPORT = "matching_support"
    EXTENSION = "extension"
    REPORT_DIFFICULTY = "report_difficulty"
    NOT_ELIGIBLE = "not_eligible"
    UNSURE = "unsure"
    EMPLOYER_INFO = "employer_info"


class Reason(StrEnum):
    """Why an outcome was reached; each one is explained to the applicant in plain words."""

    COVID_DISMISSAL = "covid_dismissal"
    CANNOT_RETURN_HOME = "cannot_return_home"
    WISHES_SSW_SKILLS = "wishes_ssw_skills"
    HAS_CONTRACT_IN_FIELD = "has_contract_in_field"
    NO_CONTRACT_YET = "no_contract_yet"
    MANUFACTURING_BASIS_OK = "manufacturing_basis_ok"
    RETENTION_EMPLOYER_CANNOT_KEEP = "retention_employer_cannot_keep"
    RETENTION_ONE_YEAR = "retention_one_year"
    STATUS_NOT_COVERED = "status_not_covered"
    SITUATION_NOT_COVERED = "situation_not_covered"
    NOT_COVID_RELATED = "not_covid_related"
    NO_SSW_INTENT = "no_ssw_intent"
    FIELD_NOT_COVERED = "field_not_covered"
    MANUFACTURING_RESTRICTED = "manufacturing_restricted"
    MANUFACTURING_BASIS_UNKNOWN = "manufacturing_basis_unknown"
    STATUS_UNKNOWN = "status_unknown"
    SITUATION_UNKNOWN = "situation_unknown"
    CAUSE_UNKNOWN = "cause_unknown"
    FIELD_UNKNOWN = "field_unknown"
    EMPLOYER_INQUIRY = "employer_inquiry"


class Where(StrEnum):
    """What kind of place the outcome sends the person to."""

    NOWHERE = "nowhere"
    OFFICE = "office"  # the office serving their prefecture (bureau or district office)
    BUREAU = "bureau"  # the regional bureau for their prefecture
    HQ = "hq"


# Questions where "I'm not sure" is allowed, in the order they are asked.
UNSURE_REASONS = {
    "status": Reason.STATUS_UNKNOWN,
    "situation": Reason.SITUATION_UNKNOWN,
    "cause": Reason.CAUSE_UNKNOWN,
    "field": Reason.FIELD_UNKNOWN,
    "manufacturing_basis": Reason.MANUFACTURING_BASIS_UNKNOWN,
}

# Note 1 of the page: the three manufacturing fields were open to a former Specified Skilled
# Worker of those fields, or to a trainee who completed Technical Intern Training (ii) in good
# standing in a job category exempt from the skills test. Each basis is a former activity of
# the person's own status; the other statuses have none.
MANUFACTURING_BASIS_FOR_STATUS: Mapping[str, str] = {
    "ssw": "ssw_same_field",
    "titp": "titp2_related",
}


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome before the prefecture is known."""

    outcome: Outcome
    reasons: tuple[Reason, ...]
    where: Where = Where.NOWHERE


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result shown to the applicant: guidance, never a decision of the bureau."""

    outcome: Outcome
    reasons: tuple[Reason, ...]
    destination: str | None
    documents: tuple[str, ...]


def needs_prefecture(answers: Mapping[str, str], content: Content) -> bool:
    """Whether the outcome names an office that depends on where the person lives."""
    return decide(answers, content).where in (Where.OFFICE, Where.BUREAU)


def assess(answers: Mapping[str, str], content: Content) -> Assessment:
    """Decide the outcome, destination and documents for a complete set of answers."""
    decision = decide(answers, content)
    return Assessment(
        outcome=decision.outcome,
        reasons=decision.reasons,
        destination=_destination(decision.where, answers, content),
        documents=_documents(decision.outcome, answers, content),
    )


def decide(answers: Mapping[str, str], content: Content) -> Decision:
    """The outcome and reasons; ``where`` says if an office, the headquarters or neither."""
    if answers.get("role") == "employer":
        return Decision(Outcome.EMPLOYER_INFO, (Reason.EMPLOYER_INQUIRY,))
    unsure = tuple(r for q, r in UNSURE_REASONS.items() if answers.get(q) == UNSURE)
    if unsure:
        return Decision(Outcome.UNSURE, unsure)
    status = answers.get("status")
    if status == "other":
        return _no(Reason.STATUS_NOT_COVERED)
    if status == "retention":
        return _retention(answers.get("situation"))
    return _route(answers, content)


def _no(reason: Reason) -> Decision:
    return Decision(Outcome.NOT_ELIGIBLE, (reason,))


def _retention(situation: str | None) -> Decision:
    if situation == "employer_cannot_keep":
        reasons = (Reason.RETENTION_EMPLOYER_CANNOT_KEEP,)
        return Decision(Outcome.REPORT_DIFFICULTY, reasons, Where.OFFICE)
    if situation == "one_year_cannot_return":
        return Decision(Outcome.EXTENSION, (Reason.RETENTION_ONE_YEAR,), Where.OFFICE)
    return _no(Reason.SITUATION_NOT_COVERED)


def _route(answers: Mapping[str, str], content: Content) -> Decision:
    """Sections 1 to 3 of the page for trainees, SSWs, engineers, skilled labour, graduates."""
    situation = answers.get("situation")
    if situation == "lost_job":
        if answers.get("cause") == "not_covid":
            return _no(Reason.NOT_COVID_RELATED)
        ground = Reason.COVID_DISMISSAL
    elif situation == "cannot_return" and answers.get("status") == "titp":
        ground = Reason.CANNOT_RETURN_HOME
    else:
        return _no(Reason.SITUATION_NOT_COVERED)
    if answers.get("wish_ssw") != "yes":
        return _no(Reason.NO_SSW_INTENT)
    return _by_field(answers, content, (ground, Reason.WISHES_SSW_SKILLS))


def _by_field(
    answers: Mapping[str, str], content: Content, reasons: tuple[Reason, ...]
) -> Decision:
    field = answers.get("field", "")
    has_contract = answers.get("contract") == "yes"
    if has_contract and content.field(field) is None:
        return _no(Reason.FIELD_NOT_COVERED)
    if field in content.manufacturing_fields:
        basis = MANUFACTURING_BASIS_FOR_STATUS.get(answers.get("status", ""))
        if basis is None or answers.get("manufacturing_basis") != basis:
            return _no(Reason.MANUFACTURING_RESTRICTED)
        reasons += (Reason.MANUFACTURING_BASIS_OK,)
    if has_contract:
        reasons += (Reason.HAS_CONTRACT_IN_FIELD,)
        return Decision(Outcome.APPLY_CHANGE_OF_STATUS, reasons, Where.OFFICE)
    # Section 3(1): a former SSW sends the consent form to "the Regional Immigration Services
    # Bureau which services their area of residence", everyone else to HQ.
    where = Where.BUREAU if answers.get("status") == "ssw" else Where.HQ
    return Decision(Outcome.MATCHING_SUPPORT, (*reasons, Reason.NO_CONTRACT_YET), where)


def _destination(where: Where, answers: Mapping[str, str], content: Content) -> str | None:
    if where is Where.HQ:
        return HQ
    find = {Where.OFFICE: content.office_for, Where.BUREAU: content.bureau_for}.get(where)
    office = find(answers.get("prefecture", "")) if find else None
    return office.id if office else None


def _documents(outcome: Outcome, answers: Mapping[str, str], content: Content) -> tuple[str, ...]:
    if outcome is not Outcome.APPLY_CHANGE_OF_STATUS:
        return ()
    ground = answers.get("situation")
    return tuple(d.id for d in content.documents if d.applies_to in ("all", ground))
