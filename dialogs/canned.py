"""Canned replies staff can send with ``/reply KEY``: facts from content, in the person's words.

Each reply has a general version for any case; a key whose destination depends on the case
also has a specific version, sent once the person's answers fix it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dialogs import blocks
from dialogs.content import Content
from dialogs.messages import N_, NP_, Data, Msg, Param, Seq, Term
from dialogs.outcomes import consent_form_blocks, destination_blocks
from dialogs.questions import options_for
from dialogs.rules import UNSURE, Assessment, Outcome, assess
from dialogs.states import State

__all__ = ["CANNED", "CANNED_KEYS", "Canned", "Entry", "canned_reply", "canned_versions"]

Specific = Callable[[Assessment, Mapping[str, str], Content], tuple[Msg, ...] | None]
General = Callable[[Mapping[str, str], Content], tuple[Msg, ...]]

# Section 3(1) of the page (as rules.decide): a Specified Skilled Worker sends the consent form
# to the regional bureau for their area, every other status to the headquarters desk.
_BUREAU_STATUS = "ssw"
_NO_STATUS = ("other", UNSURE)  # answers that do not say which status of the measure
_FORM_HEADING = N_("<b>The consent form</b>")
_SEND_TO = N_("<b>Send the form to</b>:")
_TELL_PREFECTURE = N_("Tell us your prefecture and we will send you the address.")
_WHERE_HEADING = N_("<b>Where to send or apply</b>")


@dataclass(frozen=True, slots=True)
class Canned:
    """The texts of a canned reply; ``specific``: built from this applicant's own result."""

    texts: tuple[Msg, ...]
    specific: bool


@dataclass(frozen=True, slots=True)
class Entry:
    """A key of ``/reply``: what staff see in the list and how its texts are built."""

    label: str
    general: General | None  # for any case; None: the staff desk builds it (from settings)
    specific: Specific | None = None  # None when it does not apply to these answers yet


def _specific_consent_form(
    a: Assessment, answers: Mapping[str, str], content: Content
) -> tuple[Msg, ...] | None:
    if a.outcome is not Outcome.MATCHING_SUPPORT:
        return None  # the form and its destination follow from the matching-support outcome
    return (Msg(_FORM_HEADING), *consent_form_blocks(a, answers, content))


def _general_consent_form(answers: Mapping[str, str], content: Content) -> tuple[Msg, ...]:
    how = Msg.of(
        N_(
            "Fill in the form {form} and write the field you want on it. The form is on the "
            "agency's official page."
        ),
        form=_form_term(content),
    )
    return (Msg(_FORM_HEADING), how, *_form_destination(answers, content))


def _form_term(content: Content) -> Term:
    prog = content.programme
    return Term(Msg(prog.consent_form_label, context="form"), prog.consent_form_ja)


def _form_destination(
    answers: Mapping[str, str], content: Content, ask_prefecture: bool = True
) -> tuple[Msg, ...]:
    """Where the consent form goes, as far as the person's status (and prefecture) tells."""
    status = answers.get("status")
    if status == _BUREAU_STATUS:
        return _to_bureau(answers, content, ask_prefecture)
    if status is not None and status not in _NO_STATUS:
        return (Msg(_SEND_TO), blocks.hq_block(content))
    by_status = Msg(N_("<b>Where to send it</b> depends on your status of residence:"))
    others = Msg(
        N_(
            "Every other status, and trainees who finished their training and cannot go home: "
            "the agency's desk:"
        )
    )
    bureau = _to_bureau(answers, content, ask_prefecture)
    return (by_status, *bureau, others, blocks.hq_block(content))


def _to_bureau(
    answers: Mapping[str, str], content: Content, ask_prefecture: bool
) -> tuple[Msg, ...]:
    bureau_line = Msg(
        N_(
            "Specified Skilled Worker (特定技能): the Regional Immigration Services Bureau for "
            "the area where you live."
        )
    )
    bureau = content.bureau_for(answers.get("prefecture", ""))
    if bureau is None:
        return (bureau_line, Msg(_TELL_PREFECTURE)) if ask_prefecture else (bureau_line,)
    return (bureau_line, *blocks.office_block(content, bureau, applying=False))


def _specific_documents(
    a: Assessment, answers: Mapping[str, str], content: Content
) -> tuple[Msg, ...] | None:
    if not a.documents:
        return None
    return (blocks.documents_block(content, a.documents),)


def _general_documents(answers: Mapping[str, str], content: Content) -> tuple[Msg, ...]:
    every = tuple(d.id for d in content.documents)
    grounds = dict.fromkeys(d.applies_to for d in content.documents if d.applies_to != "all")
    return (blocks.documents_block(content, every), *(_only_for(g, content) for g in grounds))


def _only_for(ground: str, content: Content) -> Msg:
    """Which documents only one situation needs (a document's ``applies_to``)."""
    docs = tuple(
        _document_term(content, d.id) for d in content.documents if d.applies_to == ground
    )
    return Msg.of(
        N_("Only for this situation ({situation}): {documents}"),
        situation=_situation_label(ground, content),
        documents=Seq(docs, bullet="", separator=", "),
    )


def _document_term(content: Content, document_id: str) -> Term:
    doc = next(d for d in content.documents if d.id == document_id)
    return Term(Msg(doc.label, context="document"), doc.name_ja)


def _situation_label(ground: str, content: Content) -> Param:
    """A situation id (a document's ``applies_to``) as the option the person would have chosen."""
    statuses = [o.id for o in options_for(State.STATUS, {}, content)]
    for status in statuses:
        for option in options_for(State.SITUATION, {"status": status}, content):
            if option.id == ground:
                return option.label
    return Data(ground)  # content names a situation the questions do not have


def _specific_office(
    a: Assessment, answers: Mapping[str, str], content: Content
) -> tuple[Msg, ...] | None:
    if a.destination is None:
        return None
    return (Msg(_WHERE_HEADING), *destination_blocks(a, content))


def _general_office(answers: Mapping[str, str], content: Content) -> tuple[Msg, ...]:
    applications = Msg(
        N_(
            "<b>Applications</b> (change of status, extension of the period of stay) and the "
            "report on acceptance difficulties: the immigration office for your prefecture."
        )
    )
    office = content.office_for(answers.get("prefecture", ""))
    where = (
        blocks.office_block(content, office, applying=True)
        if office is not None
        else (_office_list(content), Msg(_TELL_PREFECTURE))
    )
    # Asked once: the list of offices already asks for the prefecture.
    form = (Msg(_FORM_HEADING), *_form_destination(answers, content, ask_prefecture=False))
    return (Msg(_WHERE_HEADING), applications, *where, *form)


def _office_list(content: Content) -> Msg:
    """Each office with the prefectures it serves itself (names only: addresses are long)."""
    lines = tuple(
        Msg.of(
            "{office}: {prefectures}",
            office=Term(Msg(office.label, context="office"), office.name_ja),
            prefectures=Seq(
                tuple(
                    Msg(p.label, context="prefecture")
                    for p in content.prefectures
                    if p.office == office.id
                ),
                bullet="",
                separator=", ",
            ),
        )
        for office in content.offices.values()
    )
    return Msg.of("{lines}", lines=Seq(lines))


def _general_helplines(answers: Mapping[str, str], content: Content) -> tuple[Msg, ...]:
    return (
        Msg(N_("You can also call these services for advice in your language:")),
        blocks.helplines_block(content),
    )


# The one table of keys. "hours" is the staff desk's own (bot.staff), built from settings.
CANNED: dict[str, Entry] = {
    "consent_form": Entry(
        NP_("canned", "How to fill in the consent form and where to send it"),
        _general_consent_form,
        _specific_consent_form,
    ),
    "documents": Entry(
        NP_("canned", "The documents to gather"), _general_documents, _specific_documents
    ),
    "office": Entry(NP_("canned", "Where the office is"), _general_office, _specific_office),
    "hours": Entry(NP_("canned", "Our office hours"), None),
    "helplines": Entry(NP_("canned", "Helplines in their language"), _general_helplines),
}
CANNED_KEYS = tuple(CANNED)


def canned_reply(key: str, answers: Mapping[str, str], content: Content, finished: bool) -> Canned:
    """The texts for ``key``: for this person when their answers fix them, else the general ones.

    ``finished``: the person reached a result, so an assessment can be derived. Raises
    ``ValueError`` for a key the staff desk builds itself ("hours").
    """
    entry = CANNED[key]
    if entry.general is None:
        raise ValueError(f"/reply {key} is built by the staff desk")
    assessment = _assessment(answers, content) if finished else None
    if entry.specific is not None and assessment is not None:
        texts = entry.specific(assessment, answers, content)
        if texts is not None:
            return Canned(texts, specific=True)
    return Canned(entry.general(answers, content), specific=False)


def canned_versions(
    answers: Mapping[str, str], content: Content, finished: bool
) -> dict[str, bool]:
    """For each key with a version per applicant: whether this case gets it (else the general)."""
    return {
        key: canned_reply(key, answers, content, finished).specific
        for key, entry in CANNED.items()
        if entry.specific is not None
    }


def _assessment(answers: Mapping[str, str], content: Content) -> Assessment | None:
    try:
        return assess(answers, content)
    except (KeyError, ValueError):  # answers incomplete: nothing to derive facts from
        return None
