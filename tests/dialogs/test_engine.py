"""Scripted conversations through the engine: back, restart, review changes, language, not sure."""

from __future__ import annotations

import dataclasses

from bot.i18n import Catalogs
from bot.i18n.render import render
from dialogs.content import Content
from dialogs.engine import Engine
from dialogs.events import Answer, Command, CommandName, Start, Text, Unsupported
from dialogs.states import State
from tests.conftest import answers, button_data, consented, run, texts

TO_FIELD = answers(
    role="applicant",
    status="titp",
    situation="lost_job",
    cause="bankruptcy",
    wish_ssw="yes",
    contract="yes",
)


def test_full_screening_asks_the_questions_in_order(engine: Engine) -> None:
    session = consented(engine)
    session, step = run(engine, session, [*TO_FIELD, Answer("field", "care")])
    assert session.state is State.PREFECTURE
    session, step = run(engine, session, [Text("東京"), Answer("review", "confirm")])
    assert session.path == [
        "language",
        "privacy",
        "role",
        "status",
        "situation",
        "cause",
        "wish_ssw",
        "contract",
        "field",
        "prefecture",
    ]
    assert step.assessment is not None and step.assessment.destination == "tokyo"
    assert session.outcome == "apply_change_of_status"
    assert session.content_version == engine.content.programme.version


def test_back_returns_to_previous_question_with_answer_marked(engine: Engine) -> None:
    session, _ = run(engine, consented(engine), answers(role="applicant", status="ssw"))
    session, step = run(engine, session, [Command(CommandName.BACK)])
    assert session.state is State.STATUS
    selected = [b.data for b in step.replies[-1].all_buttons if b.selected]
    assert selected == ["a:status:ssw"]


def test_back_at_first_question_says_so(engine: Engine, catalogs: Catalogs) -> None:
    session, step = run(engine, engine.new_session("x"), [Start("en"), Command(CommandName.BACK)])
    assert session.state is State.LANGUAGE
    assert "This is the first question." in texts(step, catalogs)


def test_restart_keeps_language_and_consent(engine: Engine) -> None:
    session, _ = run(engine, consented(engine, "vi"), answers(role="applicant", status="titp"))
    session, _step = run(engine, session, [Command(CommandName.RESTART)])
    assert session.state is State.ROLE
    assert session.locale == "vi" and session.consented
    assert "status" not in session.answers


def test_changing_an_answer_on_review_redecides_the_outcome(engine: Engine) -> None:
    session, _ = run(
        engine, consented(engine), [*TO_FIELD, Answer("field", "care"), Text("Osaka")]
    )
    assert session.state is State.REVIEW
    # contract yes → no: "care" is still a valid field, the prefecture is no longer needed
    # (the consent form goes to HQ), so the person is back on the review card at once.
    session, step = run(
        engine, session, [Answer("review", "change:contract"), Answer("contract", "no")]
    )
    assert session.state is State.REVIEW
    assert "prefecture" not in session.path
    session, step = run(engine, session, [Answer("review", "confirm")])
    assert step.assessment is not None
    assert step.assessment.outcome.value == "matching_support"
    assert step.assessment.destination == "hq"


def test_change_asks_again_what_became_invalid(engine: Engine) -> None:
    session, _ = run(
        engine,
        consented(engine),
        [*TO_FIELD, Answer("field", "other_field"), Answer("review", "change:contract")],
    )
    session, step = run(engine, session, [Answer("contract", "no")])
    assert session.state is State.FIELD, "other_field is not an option without a contract"
    assert "a:field:undecided" in button_data(step)


def test_change_keeps_still_valid_answers(engine: Engine) -> None:
    session, _ = run(
        engine, consented(engine), [*TO_FIELD, Answer("field", "care"), Text("Osaka")]
    )
    session, _ = run(
        engine, session, [Answer("review", "change:cause"), Answer("cause", "downsizing")]
    )
    assert session.state is State.REVIEW
    assert session.answers["prefecture"] == "osaka"


def test_language_switch_midway_keeps_answers(engine: Engine, catalogs: Catalogs) -> None:
    session, _ = run(engine, consented(engine), answers(role="applicant", status="titp"))
    session, step = run(engine, session, [Command(CommandName.LANGUAGE), Answer("language", "ja")])
    assert session.state is State.SITUATION
    assert session.locale == "ja"
    assert session.answers["status"] == "titp"
    shown = texts(step, catalogs)
    assert shown != "What happened to you?"
    assert any("\u3040" <= ch <= "\u30ff" for ch in shown), "kana expected in Japanese"


def test_not_sure_leads_to_unsure_with_staff_offered(engine: Engine, catalogs: Catalogs) -> None:
    _session, step = run(
        engine,
        consented(engine),
        [*answers(role="applicant", status="unsure"), Answer("review", "confirm")],
    )
    assert step.assessment is not None and step.assessment.outcome.value == "unsure"
    assert "c:staff" in button_data(step)
    assert "residence card" in texts(step, catalogs)


def test_manufacturing_refusal_offers_another_field(engine: Engine) -> None:
    session, step = run(
        engine,
        consented(engine),
        [
            *TO_FIELD,
            Answer("field", "electronics"),
            Answer("manufacturing_basis", "neither"),
            Answer("review", "confirm"),
        ],
    )
    assert "a:result:change:field" in button_data(step)
    session, step = run(
        engine, session, [Answer("result", "change:field"), Answer("field", "care")]
    )
    assert session.state is State.PREFECTURE


def test_stale_and_forged_answers_show_the_current_question(
    engine: Engine, catalogs: Catalogs
) -> None:
    session, _ = run(engine, consented(engine), answers(role="applicant", status="titp"))
    for event in (
        Answer("status", "ssw"),
        Answer("situation", "nonsense"),
        Answer("review", "change:language"),
    ):
        after, step = run(engine, session, [event])
        assert after.state is State.SITUATION and after.answers == session.answers
        assert "This menu has expired" in texts(step, catalogs)


def test_free_text_and_stickers_are_answered_and_counted(
    engine: Engine, catalogs: Catalogs
) -> None:
    session = consented(engine)
    session, step = run(engine, session, [Text("hello?")])
    assert "Please choose one of the answers below." in texts(step, catalogs)
    assert session.strikes == 1 and session.state is State.ROLE
    session, step = run(engine, session, [Unsupported("sticker")])
    assert "only read text" in texts(step, catalogs)


def test_typed_option_id_is_accepted(engine: Engine) -> None:
    session, _ = run(engine, consented(engine), [Text("applicant")])
    assert session.state is State.STATUS


def test_typed_prefecture_variants_and_suggestions(engine: Engine, catalogs: Catalogs) -> None:
    at_pref, _ = run(engine, consented(engine), [*TO_FIELD, Answer("field", "care")])
    for typed in ("Tokyo", "東京", "tokyo-to", "Tô-ky-ô"):
        session, _ = run(engine, at_pref, [Text(typed)])
        assert session.answers["prefecture"] == "tokyo", typed
    session, step = run(engine, at_pref, [Text("Tô-ki-ô")])
    assert session.state is State.PREFECTURE
    assert "a:prefecture:tokyo" in [b.data for r in step.replies for b in r.all_buttons]
    session, step = run(engine, at_pref, [Text("<b>Atlantis</b>")])
    assert "&lt;b&gt;Atlantis" in "".join(
        render(r, catalogs.translator("en")).text for r in step.replies
    )


def test_region_page_then_prefecture(engine: Engine) -> None:
    at_pref, _ = run(engine, consented(engine), [*TO_FIELD, Answer("field", "care")])
    session, step = run(engine, at_pref, [Answer("prefecture", "region:shikoku")])
    assert set(button_data(step)) >= {"a:prefecture:kagawa", "a:prefecture:regions"}
    session, _ = run(engine, session, [Answer("prefecture", "kagawa")])
    assert session.state is State.REVIEW


def test_hokkaido_button_picks_the_prefecture_not_its_region_page(engine: Engine) -> None:
    # The prefecture Hokkaido and the region Hokkaido share the id "hokkaido".
    at_pref, _ = run(engine, consented(engine), [*TO_FIELD, Answer("field", "care")])
    session, step = run(engine, at_pref, [Answer("prefecture", "region:hokkaido")])
    assert "a:prefecture:hokkaido" in button_data(step)
    session, _ = run(engine, session, [Answer("prefecture", "hokkaido")])
    assert session.state is State.REVIEW and session.answers["prefecture"] == "hokkaido"


def test_declining_privacy_explains_in_general(engine: Engine, catalogs: Catalogs) -> None:
    session, step = run(
        engine,
        engine.new_session("d"),
        [
            Start("en"),
            Answer("language", "en"),
            Answer("privacy", "decline"),
        ],
    )
    assert session.state is State.DECLINED and not session.consented
    assert "not stored anything" in texts(step, catalogs)


def test_delete_asks_then_erases(engine: Engine, catalogs: Catalogs) -> None:
    session, _ = run(engine, consented(engine), answers(role="applicant"))
    session, step = run(engine, session, [Command(CommandName.DELETE)])
    assert session.state is State.DELETE and not step.erase
    kept, step = run(engine, session, [Answer("delete", "no")])
    assert kept.state is State.STATUS and not step.erase
    gone, step = run(engine, session, [Answer("delete", "yes")])
    assert step.erase and not gone.consented and gone.answers == {"language": "en"}
    assert "has been erased" in texts(step, catalogs)


def test_start_again_welcomes_back_at_the_same_question(
    engine: Engine, catalogs: Catalogs
) -> None:
    session, _ = run(engine, consented(engine), answers(role="applicant", status="ssw"))
    again, step = run(engine, session, [Start("ja")])
    assert again.state is State.SITUATION and again.locale == "en"
    assert "Welcome back" in texts(step, catalogs)


def test_employer_gets_information_directly(engine: Engine, catalogs: Catalogs) -> None:
    session, step = run(engine, consented(engine), answers(role="employer"))
    assert session.state is State.RESULT
    assert "To find candidates" in texts(step, catalogs)


def test_a_session_survives_its_record(engine: Engine) -> None:
    session, _ = run(engine, consented(engine), [*TO_FIELD, Command(CommandName.LANGUAGE)])
    record = session.to_record()
    assert set(record) == {f.name for f in dataclasses.fields(session)}
    assert type(session).from_record(record) == session


TO_RESULT_IN_KANAGAWA = [
    *TO_FIELD,
    Answer("field", "care"),
    Answer("prefecture", "kanagawa"),
    Answer("review", "confirm"),
]
COUNTER = "a:result:japanese"


def test_a_result_offers_a_card_in_japanese_for_the_counter(
    engine: Engine, catalogs: Catalogs, content: Content
) -> None:
    session, step = run(engine, consented(engine, "vi"), TO_RESULT_IN_KANAGAWA)
    assert step.assessment is not None
    assert step.assessment.outcome.value == "apply_change_of_status"
    assert COUNTER in button_data(step)
    after, card = run(engine, session, [Answer("result", "japanese")])
    assert after == session, "showing the card is not an answer: nothing changes"
    (reply,) = card.replies
    assert reply.locale == "ja" and not reply.buttons
    shown = render(reply, catalogs.translator(reply.locale)).text
    office = content.offices["yokohama"]
    assert office.name_ja in shown and office.address_ja in shown
    documents = [d for d in content.documents if d.id in step.assessment.documents]
    assert documents and all(d.name_ja in shown for d in documents)
    assert "確認書" not in shown, "the confirmation form is only for those who cannot go home"
    assert "在留資格変更" in shown and "神奈川県" in shown and "介護" in shown


def test_the_card_is_not_offered_under_a_japanese_result(engine: Engine) -> None:
    for locale, offered in (("ja", False), ("ja_easy", True), ("en", True)):
        _session, step = run(engine, consented(engine, locale), TO_RESULT_IN_KANAGAWA)
        assert (COUNTER in button_data(step)) is offered, locale


def test_the_card_button_of_an_old_result_shows_the_current_question(engine: Engine) -> None:
    session, _ = run(engine, consented(engine, "vi"), TO_RESULT_IN_KANAGAWA)
    session, _ = run(engine, session, [Command(CommandName.RESTART)])
    after, step = run(engine, session, [Answer("result", "japanese")])
    assert after.state is State.ROLE and after.answers == session.answers
    assert [r.locale for r in step.replies] == [None, None]  # "expired", then the question
    assert step.replies[-1].question == "role"
