"""Canned replies staff can send with ``/reply KEY``: facts from content, in the person's words."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from dialogs import blocks
from dialogs.content import Content
from dialogs.messages import N_, NP_, Msg
from dialogs.outcomes import consent_form_blocks, destination_blocks
from dialogs.rules import Assessment, Outcome, assess

__all__ = ["CANNED", "CANNED_KEYS", "canned_reply"]

Builder = Callable[[Assessment | None, Mapping[str, str], Content], tuple[Msg, ...] | None]


def _consent_form(
    a: Assessment | None, answers: Mapping[str, str], content: Content
) -> tuple[Msg, ...] | None:
    if a is None or a.outcome is not Outcome.MATCHING_SUPPORT:
        return None  # the form and its destination follow from the matching-support outcome
    return (Msg(N_("<b>The consent form</b>")), *consent_form_blocks(a, answers, content))


def _documents(
    a: Assessment | None, answers: Mapping[str, str], content: Content
) -> tuple[Msg, ...] | None:
    if a is None or not a.documents:
        return None
    return (blocks.documents_block(content, a.documents),)


def _office(
    a: Assessment | None, answers: Mapping[str, str], content: Content
) -> tuple[Msg, ...] | None:
    if a is None or a.destination is None:
        return None
    return (Msg(N_("<b>Where to send or apply</b>")), *destination_blocks(a, content))


def _helplines(
    a: Assessment | None, answers: Mapping[str, str], content: Content
) -> tuple[Msg, ...] | None:
    return (
        Msg(N_("You can also call these services for advice in your language:")),
        blocks.helplines_block(content),
    )


# key -> (what staff see in the /reply list, how the text is built). "hours" is the staff desk's
# own (bot.staff), built from settings rather than content.
CANNED: dict[str, tuple[str, Builder | None]] = {
    "consent_form": (
        NP_("canned", "How to fill in the consent form and where to send it"),
        _consent_form,
    ),
    "documents": (NP_("canned", "The documents to gather"), _documents),
    "office": (NP_("canned", "Where the office is"), _office),
    "hours": (NP_("canned", "Our office hours"), None),
    "helplines": (NP_("canned", "Helplines in their language"), _helplines),
}
CANNED_KEYS = tuple(CANNED)


def canned_reply(
    key: str, answers: Mapping[str, str], content: Content, finished: bool
) -> tuple[Msg, ...] | None:
    """The texts for ``key``; None when they do not apply to this person's answers.

    ``finished``: the person reached a result, so an assessment can be derived.
    """
    builder = CANNED[key][1]
    if builder is None:
        return None
    assessment = _assessment(answers, content) if finished else None
    return builder(assessment, answers, content)


def _assessment(answers: Mapping[str, str], content: Content) -> Assessment | None:
    try:
        return assess(answers, content)
    except (KeyError, ValueError):  # answers incomplete: nothing to derive facts from
        return None
