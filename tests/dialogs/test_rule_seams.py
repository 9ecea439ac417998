"""The seams of the rules a careful reading of the page found: each was once answered wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import Catalogs
from bot.i18n.render import render
from dialogs.engine import Engine, Step
from dialogs.events import Answer, Command, CommandName
from dialogs.states import State
from tests.auxil.console import chat
from tests.conftest import SHIPPED, answers, button_data, consented, run, texts

LOST_JOB = {"situation": "lost_job", "cause": "bankruptcy", "wish_ssw": "yes", "contract": "yes"}


def _to_field(engine: Engine, status: str, field: str) -> tuple[State, list[str]]:
    session, step = run(
        engine,
        consented(engine),
        answers(role="applicant", status=status, **LOST_JOB, field=field),
    )
    return session.state, button_data(step)


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        ("ssw", ["a:manufacturing_basis:ssw_same_field", "a:manufacturing_basis:neither"]),
        ("titp", ["a:manufacturing_basis:titp2_related", "a:manufacturing_basis:neither"]),
    ],
)
def test_only_the_basis_of_the_persons_own_status_is_offered(
    engine: Engine, status: str, offered: list[str]
) -> None:
    state, data = _to_field(engine, status, "electronics")
    assert state is State.MANUFACTURING_BASIS
    assert data[:3] == [*offered, "a:manufacturing_basis:unsure"]


@pytest.mark.parametrize("status", ["engineer", "skilled_labor", "graduate"])
def test_manufacturing_is_closed_to_other_statuses_and_the_result_says_why(
    engine: Engine, catalogs: Catalogs, status: str
) -> None:
    state, _ = _to_field(engine, status, "industrial_machinery")
    assert state is State.REVIEW  # no basis question: none fits their status
    session, step = run(
        engine,
        consented(engine),
        [
            *answers(role="applicant", status=status, **LOST_JOB, field="industrial_machinery"),
            Answer("review", "confirm"),
        ],
    )
    assert session.outcome == "not_eligible"
    shown = texts(step, catalogs)
    assert "With your status of residence" in shown and "closed to you" in shown
    assert "a:result:change:field" in button_data(step)


def test_the_trainee_basis_names_good_standing_and_the_skills_test(
    engine: Engine, catalogs: Catalogs
) -> None:
    _, step = run(
        engine,
        consented(engine),
        answers(role="applicant", status="titp", **LOST_JOB, field="electronics"),
    )
    shown = texts(step, catalogs)
    assert "in good standing" in shown and "exempt from the skills test" in shown
    labels = [label for row in _rendered_buttons(step, catalogs) for label in row]
    assert any("good standing" in label and "skills test" in label for label in labels)


def test_not_sure_of_the_basis_is_an_open_answer_with_a_person(engine: Engine) -> None:
    session, _ = run(
        engine,
        consented(engine),
        [
            *answers(role="applicant", status="titp", **LOST_JOB, field="electronics"),
            Answer("manufacturing_basis", "unsure"),
        ],
    )
    assert session.state is State.REVIEW
    session, step = run(engine, session, [Answer("review", "confirm")])
    assert session.outcome == "unsure"
    assert "c:staff" in button_data(step)


def test_changing_the_status_asks_the_basis_again(engine: Engine) -> None:
    session, _ = run(
        engine,
        consented(engine),
        [
            *answers(role="applicant", status="titp", **LOST_JOB, field="electronics"),
            Answer("manufacturing_basis", "titp2_related"),
            Answer("prefecture", "aichi"),
            Answer("review", "change:status"),
            Answer("status", "ssw"),
        ],
    )
    assert session.state is State.MANUFACTURING_BASIS  # a trainee's basis is no SSW's


def test_the_status_question_leads_designated_activities_holders_to_their_route(
    engine: Engine, catalogs: Catalogs
) -> None:
    _, step = run(engine, consented(engine), answers(role="applicant"))
    shown = texts(step, catalogs)
    assert "already changed to Designated Activities" in shown
    assert "still have that status" in shown


def test_a_change_of_status_result_names_what_is_granted(
    engine: Engine, catalogs: Catalogs
) -> None:
    _, step = run(
        engine,
        consented(engine),
        [
            *answers(role="applicant", status="titp", **LOST_JOB, field="care"),
            Answer("prefecture", "tokyo"),
            Answer("review", "confirm"),
        ],
    )
    shown = texts(step, catalogs)
    assert "Designated Activities (maximum one year, work permitted)" in shown
    assert "特定活動（最大1年・就労可）" in shown
    assert "Sources last compared on" in shown
    assert "last verified" not in shown


def test_matching_support_says_the_form_depends_on_the_status(
    engine: Engine, catalogs: Catalogs
) -> None:
    _, step = run(
        engine,
        consented(engine),
        [
            *answers(role="applicant", status="graduate", **{**LOST_JOB, "contract": "no"}),
            Answer("field", "care"),
            Answer("review", "confirm"),
        ],
    )
    assert "depends on your status of residence" in texts(step, catalogs)


def test_employers_are_told_the_job_must_be_in_the_14_fields(
    engine: Engine, catalogs: Catalogs
) -> None:
    _, step = run(engine, consented(engine), answers(role="employer"))
    shown = texts(step, catalogs)
    assert "one of the 14 fields" in shown
    assert "介護" in shown and "外食業" in shown


def test_a_trainee_whose_job_loss_was_not_covid_is_pointed_to_cannot_return(
    engine: Engine, catalogs: Catalogs
) -> None:
    session, step = run(
        engine,
        consented(engine),
        [
            *answers(role="applicant", status="titp", situation="lost_job", cause="not_covid"),
            Answer("review", "confirm"),
        ],
    )
    assert session.outcome == "not_eligible"
    assert "cannot go home" in texts(step, catalogs)
    assert "a:result:change:situation" in button_data(step)
    session, step = run(engine, session, [Answer("result", "change:situation")])
    assert session.state is State.SITUATION


def test_another_status_hears_which_statuses_the_page_names_and_is_offered_a_person(
    engine: Engine, catalogs: Catalogs
) -> None:
    _, step = run(
        engine,
        consented(engine),
        [*answers(role="applicant", status="other"), Answer("review", "confirm")],
    )
    shown = texts(step, catalogs)
    assert "The agency's page names these statuses" in shown
    assert "bureau decides" in shown
    assert "c:staff" in button_data(step)


def test_field_buttons_show_the_official_japanese_name(engine: Engine, catalogs: Catalogs) -> None:
    _, step = run(
        engine,
        consented(engine, "vi"),
        answers(role="applicant", status="titp", **LOST_JOB),
    )
    shown = [label for row in _rendered_buttons(step, catalogs) for label in row]
    assert any("介護" in label for label in shown)
    assert any("ビルクリーニング" in label for label in shown)


def _rendered_buttons(step: Step, catalogs: Catalogs) -> list[list[str]]:
    rendered = render(step.replies[-1], catalogs.translator(step.session.locale))
    return [[label for label, _ in row] for row in rendered.buttons]


@pytest.mark.parametrize("locale", SHIPPED)
def test_tsunagu_chat_closes_manufacturing_to_an_engineer_in_every_language(
    tmp_path: Path, locale: str
) -> None:
    typed = ["agree", "applicant", "engineer", "lost_job", "bankruptcy", "yes", "yes"]
    out = chat(tmp_path, [*typed, "electronics", "confirm"], "--lang", locale)
    result = out.split("技術・人文知識・国際業務")
    assert len(result) > 2, "named in the review card and in the result's reason"
    assert "❌" in out, "not eligible"


def test_an_engineer_stored_at_the_basis_question_by_an_earlier_release_can_go_on(
    engine: Engine,
) -> None:
    session, _ = run(
        engine,
        consented(engine),
        answers(role="applicant", status="engineer", **LOST_JOB, field="electronics"),
    )
    session.state = State.MANUFACTURING_BASIS  # where the previous release would have stopped
    session, step = run(engine, session, [Command(CommandName.HELP)])
    assert button_data(step)[:2] == [
        "a:manufacturing_basis:neither",
        "a:manufacturing_basis:unsure",
    ]
    session, _ = run(engine, session, [Answer("manufacturing_basis", "neither")])
    assert session.state is State.REVIEW
