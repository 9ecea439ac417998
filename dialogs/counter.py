"""The counter card: the person's case in Japanese, to show at the bureau's counter or an employer.

Its texts are rendered in Japanese only (``Reply.locale``), whatever language the person reads,
so its msgids (context ``counter``) need a translation in ``ja`` only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from dialogs.actions import answer_data
from dialogs.content import Content
from dialogs.messages import NP_, Data, Msg, Param, Seq
from dialogs.questions import options_for
from dialogs.replies import Button, Reply, ReplyKind
from dialogs.rules import HQ, Assessment, Outcome
from dialogs.states import State

__all__ = ["COUNTER_LOCALE", "COUNTER_OPTION", "counter_button", "counter_card", "offers_card"]

COUNTER_LOCALE = "ja"
COUNTER_OPTION = "japanese"  # the button's data: a:result:japanese

# Matching support is not an application: the procedure is handing in the consent form.
_MATCHING_SUFFIX_JA = "の提出（マッチング支援）"
# What the person answered, in the order asked; the field is shown by its official name.
_ANSWER_LINES: Mapping[str, str] = {
    # NOTE: Japanese-only counter card: translate in ja; other languages may skip.
    "status": NP_("counter", "<b>Status of residence</b>: {value}"),
    # NOTE: Japanese-only counter card: translate in ja; other languages may skip.
    "situation": NP_("counter", "<b>Situation</b>: {value}"),
    # NOTE: Japanese-only counter card: translate in ja; other languages may skip.
    "cause": NP_("counter", "<b>Why the job ended</b>: {value}"),
    # NOTE: Japanese-only counter card: translate in ja; other languages may skip.
    "field": NP_("counter", "<b>Field</b>: {value}"),
    # NOTE: Japanese-only counter card: translate in ja; other languages may skip.
    "prefecture": NP_("counter", "<b>Prefecture</b>: {value}"),
}


def offers_card(
    assessment: Assessment, answers: Mapping[str, str], locales: Sequence[str]
) -> bool:
    """Whether a result offers the card: not to employers, nor to people who read Japanese."""
    # The language answer is the session's locale (the engine records every change of it).
    # Easy Japanese readers do get it: the counter reads standard Japanese.
    return (
        COUNTER_LOCALE in locales
        and assessment.outcome is not Outcome.EMPLOYER_INFO
        and answers.get("language") != COUNTER_LOCALE
    )


def counter_button() -> Button:
    """“Show this in Japanese”, under a result."""
    label = Msg(NP_("button", "Show this in Japanese"), context="button")
    return Button(answer_data("result", COUNTER_OPTION), label)


def counter_card(assessment: Assessment, answers: Mapping[str, str], content: Content) -> Reply:
    """The case in Japanese: what the person applies for, their answers, documents, office."""
    facts = (_procedure(assessment.outcome, content), *_answer_lines(answers, content))
    texts = [
        # NOTE: Japanese-only counter card: translate in ja; other languages may skip.
        _msg(NP_("counter", "<b>Summary for the immigration counter</b>")),
        Msg.of("{lines}", lines=Seq(facts, bullet="")),
        *_documents(assessment, content),
        *_office(assessment, content),
        _msg(
            # NOTE: Japanese-only counter card: translate in ja; other languages may skip.
            NP_(
                "counter",
                "This is a summary that a support bot made from the person's own answers. It is "
                "not a decision: the immigration bureau decides.",
            )
        ),
    ]
    # A notice, not a result: no "Unclear translation?" button, the card is not in their language
    return Reply(ReplyKind.NOTICE, tuple(texts), locale=COUNTER_LOCALE)


def _msg(msgid: str, /, **params: Param) -> Msg:
    return Msg.ctx("counter", msgid, **params)


def _procedure(outcome: Outcome, content: Content) -> Msg:
    prog = content.programme
    name: Param
    if outcome is Outcome.APPLY_CHANGE_OF_STATUS:
        name = Data(prog.change_of_status_ja)
    elif outcome is Outcome.EXTENSION:
        name = Data(prog.extension_ja)
    elif outcome is Outcome.MATCHING_SUPPORT:
        name = Data(prog.consent_form_ja + _MATCHING_SUFFIX_JA)
    elif outcome is Outcome.REPORT_DIFFICULTY:
        name = Data(prog.difficulty_report_ja)
    else:  # nothing to apply for: the person asks whether the measure applies
        # NOTE: Japanese-only counter card: translate in ja; other languages may skip.
        name = _msg(NP_("counter", "Advice: does the employment-retention support measure apply?"))
    # NOTE: Japanese-only counter card: translate in ja; other languages may skip.
    return _msg(NP_("counter", "<b>Procedure</b>: {value}"), value=name)


def _answer_lines(answers: Mapping[str, str], content: Content) -> Iterator[Msg]:
    for question, msgid in _ANSWER_LINES.items():
        value = _answer_value(question, answers, content)
        if value is not None:
            yield _msg(msgid, value=value)


def _answer_value(question: str, answers: Mapping[str, str], content: Content) -> Param | None:
    chosen = answers.get(question)
    if chosen is None:
        return None
    if question == "prefecture":
        pref = content.prefecture(chosen)
        return Data(pref.name_ja) if pref else None
    field = content.field(chosen) if question == "field" else None
    if field is not None:
        return Data(field.name_ja)
    # The option's label as the ja catalog has it (a status shows its official name alone).
    options = options_for(State(question), answers, content)
    return next((o.label for o in options if o.id == chosen), None)


def _documents(assessment: Assessment, content: Content) -> tuple[Msg, ...]:
    docs = [d for d in content.documents if d.id in assessment.documents]
    if not docs:
        return ()
    items = Seq(tuple(Data(d.name_ja) for d in docs))
    # NOTE: Japanese-only counter card: translate in ja; other languages may skip.
    return (_msg(NP_("counter", "<b>Documents</b>\n{items}"), items=items),)


def _office(assessment: Assessment, content: Content) -> tuple[Msg, ...]:
    if assessment.destination == HQ:
        hq = content.programme.headquarters
        name, postal_code, address = hq.name_ja, hq.postal_code, hq.address_ja
    elif (office := content.offices.get(assessment.destination or "")) is not None:
        name, postal_code, address = office.name_ja, office.postal_code, office.address_ja
    else:  # no prefecture given (a scripted run): no office to name
        return ()
    where = _msg(
        # NOTE: Japanese-only counter card: translate in ja; other languages may skip.
        NP_("counter", "<b>Where to submit</b>\n{name}\n〒{postal_code} {address}"),
        name=Data(name),
        postal_code=Data(postal_code),
        address=Data(address),
    )
    return (where,)
