"""`/mydata`: everything stored about the person, readable, in their language."""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.messages import N_, Data, LanguageName, Msg, Seq
from dialogs.outcomes import outcome_heading
from dialogs.questions import REVIEW_LABELS
from dialogs.replies import Reply, ReplyKind
from dialogs.rules import Outcome
from dialogs.screens import Screens
from dialogs.session import Session

__all__ = ["STORED_ELSEWHERE", "StoredFacts", "mydata_reply"]

_NOTHING = N_(
    "We have stored nothing about you: nothing is kept before you agree to the privacy notice."
)
# Counted by the channel from storage (StoredFacts): cases and the bot's message ids.
STORED_ELSEWHERE = N_(
    "Your requests to talk to a person: {cases}. Number of our messages in this chat that "
    "/delete can still remove: {messages} (we keep only their message numbers)."
)
_ALSO = N_(
    "We also keep: the steps you took (which question, which answer, when), replies we still "
    "have to send you, and, if you asked for a person, your messages to our staff. We erase all "
    "of it {days} days after your last message, or at once when you send /delete."
)


@dataclass(frozen=True, slots=True)
class StoredFacts:
    """What only storage knows about a person, read by the channel before the step."""

    cases: int  # requests to talk to a person
    deletable_messages: int  # the bot's messages /delete can still remove from the chat


def mydata_reply(
    s: Session, screens: Screens, retention_days: int, stored: StoredFacts | None = None
) -> Reply:
    """What is stored about ``s``'s person (nothing, before they agreed)."""
    if not s.consented:
        return Reply(ReplyKind.NOTICE, (Msg(_NOTHING),))
    answers = s.effective_answers()
    asked = [q for q in s.path if q in REVIEW_LABELS and q in answers]
    texts = [
        Msg(N_("<b>What we store about you</b>")),
        Msg.of(N_("Your user ID: {user}"), user=Data(s.user.partition(":")[2] or s.user)),
        Msg.of(N_("Language: {language}"), language=LanguageName(s.locale, native=False)),
    ]
    if asked:
        lines = Seq(tuple(screens.review_line(q, answers) for q in asked))
        texts += [Msg(N_("Your answers:")), Msg.of("{lines}", lines=lines)]
    if s.outcome is not None:
        texts.append(
            Msg.of(
                N_("Result: {outcome}"),
                outcome=outcome_heading(Outcome(s.outcome), screens.content),
            )
        )
    if s.notify:
        texts.append(Msg(N_("You asked to be told if updated information changes your result.")))
    if stored is not None:
        texts.append(
            Msg.of(
                STORED_ELSEWHERE,
                cases=Data(str(stored.cases)),
                messages=Data(str(stored.deletable_messages)),
            )
        )
    texts.append(Msg.of(_ALSO, days=Data(str(retention_days))))
    return Reply(ReplyKind.NOTICE, tuple(texts))
