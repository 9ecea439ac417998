"""Eligibility decided by table: every outcome and every reason code, with readable ids."""

from __future__ import annotations

import pytest

from dialogs.content import Content
from dialogs.rules import HQ, Outcome, Reason, assess, needs_prefecture

R = Reason
APPLY_DOCS = (
    "application_form",
    "photo",
    "passport_residence_card",
    "employer_statement",
    "employment_contract",
    "wage_document",
)
TITP_LOST = {
    "role": "applicant",
    "status": "titp",
    "situation": "lost_job",
    "cause": "bankruptcy",
    "wish_ssw": "yes",
}
TITP_HOME = {
    "role": "applicant",
    "status": "titp",
    "situation": "cannot_return",
    "wish_ssw": "yes",
}

CASES = [
    # id, answers, outcome, reasons, destination, documents
    (
        "titp-dismissed-contract-care-tokyo",
        {**TITP_LOST, "contract": "yes", "field": "care", "prefecture": "tokyo"},
        Outcome.APPLY_CHANGE_OF_STATUS,
        (R.COVID_DISMISSAL, R.WISHES_SSW_SKILLS, R.HAS_CONTRACT_IN_FIELD),
        "tokyo",
        APPLY_DOCS,
    ),
    (
        "titp-cannot-return-contract-adds-confirmation-form",
        {**TITP_HOME, "contract": "yes", "field": "agriculture", "prefecture": "kanagawa"},
        Outcome.APPLY_CHANGE_OF_STATUS,
        (R.CANNOT_RETURN_HOME, R.WISHES_SSW_SKILLS, R.HAS_CONTRACT_IN_FIELD),
        "yokohama",
        (*APPLY_DOCS, "confirmation_form"),
    ),
    (
        "engineer-offer-withdrawn-contract-hyogo-goes-to-kobe",
        {
            **TITP_LOST,
            "status": "engineer",
            "cause": "offer_withdrawn",
            "contract": "yes",
            "field": "food_service",
            "prefecture": "hyogo",
        },
        Outcome.APPLY_CHANGE_OF_STATUS,
        (R.COVID_DISMISSAL, R.WISHES_SSW_SKILLS, R.HAS_CONTRACT_IN_FIELD),
        "kobe",
        APPLY_DOCS,
    ),
    (
        "manufacturing-with-basis-is-allowed",
        {
            **TITP_LOST,
            "contract": "yes",
            "field": "electronics",
            "manufacturing_basis": "titp2_related",
            "prefecture": "okinawa",
        },
        Outcome.APPLY_CHANGE_OF_STATUS,
        (
            R.COVID_DISMISSAL,
            R.WISHES_SSW_SKILLS,
            R.MANUFACTURING_BASIS_OK,
            R.HAS_CONTRACT_IN_FIELD,
        ),
        "naha",
        APPLY_DOCS,
    ),
    (
        "ssw-no-contract-sends-consent-to-bureau",
        {
            **TITP_LOST,
            "status": "ssw",
            "cause": "downsizing",
            "contract": "no",
            "field": "care",
            "prefecture": "aichi",
        },
        Outcome.MATCHING_SUPPORT,
        (R.COVID_DISMISSAL, R.WISHES_SSW_SKILLS, R.NO_CONTRACT_YET),
        "nagoya",
        (),
    ),
    (
        "ssw-in-hyogo-sends-consent-to-the-regional-bureau-not-kobe",
        {**TITP_LOST, "status": "ssw", "contract": "no", "field": "care", "prefecture": "hyogo"},
        Outcome.MATCHING_SUPPORT,
        (R.COVID_DISMISSAL, R.WISHES_SSW_SKILLS, R.NO_CONTRACT_YET),
        "osaka",
        (),
    ),
    (
        "graduate-no-contract-sends-consent-to-hq",
        {
            **TITP_LOST,
            "status": "graduate",
            "cause": "contract_ended",
            "contract": "no",
            "field": "undecided",
        },
        Outcome.MATCHING_SUPPORT,
        (R.COVID_DISMISSAL, R.WISHES_SSW_SKILLS, R.NO_CONTRACT_YET),
        HQ,
        (),
    ),
    (
        "titp-cannot-return-no-contract-sends-consent-to-hq",
        {**TITP_HOME, "contract": "no", "field": "construction"},
        Outcome.MATCHING_SUPPORT,
        (R.CANNOT_RETURN_HOME, R.WISHES_SSW_SKILLS, R.NO_CONTRACT_YET),
        HQ,
        (),
    ),
    (
        "retention-one-year-extension",
        {
            "role": "applicant",
            "status": "retention",
            "situation": "one_year_cannot_return",
            "prefecture": "hokkaido",
        },
        Outcome.EXTENSION,
        (R.RETENTION_ONE_YEAR,),
        "sapporo",
        (),
    ),
    (
        "retention-employer-cannot-keep-report",
        {
            "role": "applicant",
            "status": "retention",
            "situation": "employer_cannot_keep",
            "prefecture": "kagawa",
        },
        Outcome.REPORT_DIFFICULTY,
        (R.RETENTION_EMPLOYER_CANNOT_KEEP,),
        "takamatsu",
        (),
    ),
    (
        "status-other",
        {"role": "applicant", "status": "other"},
        Outcome.NOT_ELIGIBLE,
        (R.STATUS_NOT_COVERED,),
        None,
        (),
    ),
    (
        "situation-neither",
        {"role": "applicant", "status": "skilled_labor", "situation": "neither"},
        Outcome.NOT_ELIGIBLE,
        (R.SITUATION_NOT_COVERED,),
        None,
        (),
    ),
    (
        "retention-neither",
        {"role": "applicant", "status": "retention", "situation": "neither"},
        Outcome.NOT_ELIGIBLE,
        (R.SITUATION_NOT_COVERED,),
        None,
        (),
    ),
    (
        "not-covid",
        {**TITP_LOST, "cause": "not_covid"},
        Outcome.NOT_ELIGIBLE,
        (R.NOT_COVID_RELATED,),
        None,
        (),
    ),
    (
        "no-ssw-intent",
        {**TITP_LOST, "wish_ssw": "no"},
        Outcome.NOT_ELIGIBLE,
        (R.NO_SSW_INTENT,),
        None,
        (),
    ),
    (
        "contract-outside-fields",
        {**TITP_LOST, "contract": "yes", "field": "other_field"},
        Outcome.NOT_ELIGIBLE,
        (R.FIELD_NOT_COVERED,),
        None,
        (),
    ),
    (
        "manufacturing-without-basis",
        {
            **TITP_LOST,
            "contract": "yes",
            "field": "industrial_machinery",
            "manufacturing_basis": "neither",
        },
        Outcome.NOT_ELIGIBLE,
        (R.MANUFACTURING_RESTRICTED,),
        None,
        (),
    ),
    (
        "manufacturing-limit-applies-without-contract-too",
        {
            **TITP_LOST,
            "contract": "no",
            "field": "materials_processing",
            "manufacturing_basis": "neither",
        },
        Outcome.NOT_ELIGIBLE,
        (R.MANUFACTURING_RESTRICTED,),
        None,
        (),
    ),
    (
        "unsure-status",
        {"role": "applicant", "status": "unsure"},
        Outcome.UNSURE,
        (R.STATUS_UNKNOWN,),
        None,
        (),
    ),
    (
        "unsure-situation",
        {"role": "applicant", "status": "titp", "situation": "unsure"},
        Outcome.UNSURE,
        (R.SITUATION_UNKNOWN,),
        None,
        (),
    ),
    (
        "unsure-cause",
        {**TITP_LOST, "cause": "unsure"},
        Outcome.UNSURE,
        (R.CAUSE_UNKNOWN,),
        None,
        (),
    ),
    (
        "unsure-field",
        {**TITP_LOST, "contract": "yes", "field": "unsure"},
        Outcome.UNSURE,
        (R.FIELD_UNKNOWN,),
        None,
        (),
    ),
    ("employer", {"role": "employer"}, Outcome.EMPLOYER_INFO, (R.EMPLOYER_INQUIRY,), None, ()),
    # Note 1 belongs to the person's own former activity: a basis of another status does not
    # open the manufacturing fields.
    (
        "manufacturing-closed-to-an-engineer-whatever-the-basis-says",
        {
            **TITP_LOST,
            "status": "engineer",
            "contract": "yes",
            "field": "electronics",
            "manufacturing_basis": "titp2_related",
            "prefecture": "tokyo",
        },
        Outcome.NOT_ELIGIBLE,
        (R.MANUFACTURING_RESTRICTED,),
        None,
        (),
    ),
    (
        "manufacturing-closed-to-a-graduate-claiming-ssw-work",
        {
            **TITP_LOST,
            "status": "graduate",
            "contract": "no",
            "field": "industrial_machinery",
            "manufacturing_basis": "ssw_same_field",
        },
        Outcome.NOT_ELIGIBLE,
        (R.MANUFACTURING_RESTRICTED,),
        None,
        (),
    ),
    (
        "manufacturing-open-to-a-former-ssw-of-those-fields",
        {
            **TITP_LOST,
            "status": "ssw",
            "contract": "yes",
            "field": "materials_processing",
            "manufacturing_basis": "ssw_same_field",
            "prefecture": "osaka",
        },
        Outcome.APPLY_CHANGE_OF_STATUS,
        (
            R.COVID_DISMISSAL,
            R.WISHES_SSW_SKILLS,
            R.MANUFACTURING_BASIS_OK,
            R.HAS_CONTRACT_IN_FIELD,
        ),
        "osaka",
        APPLY_DOCS,
    ),
    (
        "manufacturing-closed-to-an-ssw-claiming-a-trainee-basis",
        {
            **TITP_LOST,
            "status": "ssw",
            "contract": "yes",
            "field": "electronics",
            "manufacturing_basis": "titp2_related",
        },
        Outcome.NOT_ELIGIBLE,
        (R.MANUFACTURING_RESTRICTED,),
        None,
        (),
    ),
    (
        "unsure-manufacturing-basis",
        {**TITP_LOST, "contract": "yes", "field": "electronics", "manufacturing_basis": "unsure"},
        Outcome.UNSURE,
        (R.MANUFACTURING_BASIS_UNKNOWN,),
        None,
        (),
    ),
]


@pytest.mark.parametrize(
    ("answers", "outcome", "reasons", "destination", "documents"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_assessment(
    content: Content,
    answers: dict[str, str],
    outcome: Outcome,
    reasons: tuple[Reason, ...],
    destination: str | None,
    documents: tuple[str, ...],
) -> None:
    result = assess(answers, content)
    assert result.outcome is outcome
    assert result.reasons == reasons
    assert result.destination == destination
    assert result.documents == documents


def test_every_outcome_and_reason_is_covered_by_the_table() -> None:
    assert {case[2] for case in CASES} == set(Outcome)
    assert {r for case in CASES for r in case[3]} == set(Reason)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({**TITP_LOST, "contract": "yes", "field": "care"}, True),
        ({**TITP_LOST, "status": "ssw", "contract": "no", "field": "care"}, True),
        ({**TITP_LOST, "contract": "no", "field": "care"}, False),  # consent form goes to HQ
        ({**TITP_LOST, "cause": "not_covid"}, False),
        ({"status": "retention", "situation": "employer_cannot_keep"}, True),
    ],
    ids=["apply", "ssw-matching", "other-matching", "not-eligible", "report"],
)
def test_prefecture_is_asked_only_when_an_office_depends_on_it(
    content: Content, answers: dict[str, str], expected: bool
) -> None:
    assert needs_prefecture(answers, content) is expected
