"""Builds the reply for the current state: a question with buttons, the review card, a result."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from dialogs import blocks
from dialogs.actions import answer_data, command_data
from dialogs.changes import notify_button
from dialogs.content import Content
from dialogs.counter import counter_button, offers_card
from dialogs.events import CommandName
from dialogs.handoff import staff_button
from dialogs.messages import N_, NP_, Data, LanguageName, Msg, Seq, Term
from dialogs.outcomes import result_reply
from dialogs.questions import REVIEW_LABELS, Option, options_for, prompt_for
from dialogs.replies import Button, Reply, ReplyKind
from dialogs.rules import UNSURE, Assessment, assess
from dialogs.session import Session
from dialogs.states import State

__all__ = ["HELP", "Screens", "notice"]

HELP = N_(
    "<b>Help</b>\nAnswer with the buttons. You can also use these commands:\n"
    "/back – go to the previous question\n/restart – start again\n"
    "/language – change the language\n/staff – talk to a person\n"
    "/mydata – see what we store about you\n/delete – erase your data\n/help – show this help"
)
_INTRO = N_(
    "Important: this support measure was temporary, for COVID-19. This bot explains its rules, "
    "which documents were needed and where to send them, and where to confirm what applies "
    "to you today."
)
_INTRO_CLOSED = N_("New applications are very likely no longer accepted.")
# Questions whose short options fit two to a row on a phone.
_PAIRED = {State.WISH_SSW, State.CONTRACT, State.DELETE, State.LANGUAGE, State.PREFECTURE}


def notice(text: str | Msg, buttons: tuple[tuple[Button, ...], ...] = ()) -> Reply:
    """A short message, without buttons unless given."""
    return Reply(ReplyKind.NOTICE, (text if isinstance(text, Msg) else Msg(text),), buttons)


def _rows(buttons: Sequence[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def _nav_row() -> tuple[Button, ...]:
    return (
        Button(command_data(CommandName.BACK), Msg(NP_("button", "‹ Back"), context="button")),
    )


class Screens:
    """Reply builders bound to the content and the shipped locales."""

    def __init__(self, content: Content, locales: Sequence[str], retention_days: int = 90) -> None:
        self.content = content
        self.locales = tuple(locales)
        self.retention_days = retention_days

    def current(self, s: Session) -> Reply:
        """The reply that shows where ``s`` is now."""
        if s.state is State.RESULT:
            answers = s.effective_answers()
            return self.result(assess(answers, self.content), answers, not s.notify)
        if s.state is State.DECLINED:
            return self.declined()
        if s.state is State.REVIEW:
            return self.review(s)
        return self.question(s)

    def result(
        self, assessment: Assessment, answers: Mapping[str, str], offer_notify: bool = False
    ) -> Reply:
        """The result message; ``offer_notify``: "tell me if this changes" (until asked).

        Results not read in Japanese offer the counter card ("Show this in Japanese").
        """
        reply = result_reply(assessment, answers, self.content)
        rows = reply.buttons
        if offers_card(assessment, answers, self.locales):
            rows = (*rows, (counter_button(),))
        if offer_notify:
            rows = (*rows, (notify_button(),))
        return replace(reply, buttons=rows)

    def question(self, s: Session) -> Reply:
        """A question with its options as buttons; the current answer, if any, is marked."""
        answers = s.effective_answers()
        chosen = s.locale if s.state is State.LANGUAGE else s.answers.get(s.state.value)
        texts = [prompt_for(s.state, answers)]
        if s.state is State.PRIVACY:  # it says how long answers are kept
            texts = [Msg.of(texts[0].msgid, days=Data(str(self.retention_days)))]
        if s.state is State.ROLE:
            texts = [*self._intro(), *texts]
        if s.state is State.PREFECTURE:
            buttons = self._prefecture_buttons(s.region, chosen)
        else:
            options = self._options(s.state, answers)
            # The privacy buttons also carry the language they were shown in: with several bot
            # processes, another one may have handled the language choice (nothing is stored
            # before consent, so it is only in that process's memory).
            suffix = f":{s.locale}" if s.state is State.PRIVACY else ""
            buttons = [
                Button(answer_data(s.state.value, o.id + suffix), label, o.id == chosen)
                for o, label in options
            ]
        rows = _rows(buttons, 2 if s.state in _PAIRED else 1)
        if s.path and s.state is not State.DELETE:
            rows = (*rows, _nav_row())
        if UNSURE in answers.values():  # the bot may not fit their case: a person is one tap away
            rows = (*rows, (staff_button(),))
        return Reply(ReplyKind.QUESTION, tuple(texts), rows, question=s.state.value)

    def _intro(self) -> list[Msg]:
        texts = [Msg(_INTRO)]
        if self.content.programme.presented_as_closed:
            texts.append(Msg(_INTRO_CLOSED))
        return texts

    def _options(
        self, state: State, answers: Mapping[str, str]
    ) -> Iterable[tuple[Option, Msg | Term | LanguageName]]:
        if state is State.LANGUAGE:
            return ((Option(code, Msg(code)), LanguageName(code)) for code in self.locales)
        return ((o, o.label) for o in options_for(state, answers, self.content))

    def _prefecture_buttons(self, region: str | None, chosen: str | None) -> list[Button]:
        if region is None:
            return [
                Button(answer_data("prefecture", f"region:{r.id}"), Msg(r.label, context="region"))
                for r in self.content.regions
            ]
        prefs = [p for p in self.content.prefectures if p.region == region]
        buttons = [
            Button(
                answer_data("prefecture", p.id), Msg(p.label, context="prefecture"), p.id == chosen
            )
            for p in prefs
        ]
        label = Msg(NP_("button", "‹ All regions"), context="button")
        return [*buttons, Button(answer_data("prefecture", "regions"), label)]

    def prefecture_candidates(self, candidates: Sequence[str]) -> Reply:
        """“Did you mean …?” with one button per close match."""
        buttons = tuple(
            (Button(answer_data("prefecture", pid), blocks.prefecture_term(self.content, pid)),)
            for pid in candidates
        )
        text = Msg(N_("Did you mean one of these?"))
        return Reply(ReplyKind.NOTICE, (text,), buttons, question="prefecture")

    def review(self, s: Session) -> Reply:
        """Every answer on the path, each with a button to change it, and a confirm button."""
        answers = s.effective_answers()
        asked = [q for q in s.path if q in REVIEW_LABELS]
        lines = tuple(self.review_line(q, answers) for q in asked)
        texts = (prompt_for(State.REVIEW, answers), Msg.of("{lines}", lines=Seq(lines)))
        change = [
            Button(
                answer_data("review", f"change:{q}"),
                Msg.ctx(
                    "button",
                    NP_("button", "✏️ {question}"),
                    question=Msg(REVIEW_LABELS[q], context="review"),
                ),
            )
            for q in asked
        ]
        confirm = Button(
            answer_data("review", "confirm"),
            Msg(NP_("button", "✅ Correct, show my result"), context="button"),
        )
        rows = ((confirm,), *_rows(change, 2), _nav_row())
        return Reply(ReplyKind.QUESTION, texts, rows, question="review")

    def review_line(self, question: str, answers: Mapping[str, str]) -> Msg:
        """One answer as "question: answer" (the review card and the staff case card)."""
        label: Msg | Data | Term
        if question == "prefecture":
            label = blocks.prefecture_term(self.content, answers[question])
        else:
            options = options_for(State(question), answers, self.content)
            label = next(
                (o.label for o in options if o.id == answers[question]), Data(answers[question])
            )
        return Msg.of(
            N_("<b>{question}</b>: {answer}"),
            question=Msg(REVIEW_LABELS[question], context="review"),
            answer=label,
        )

    def declined(self) -> Reply:
        """General information for someone who did not agree to storage."""
        summary = Msg(
            N_(
                "No problem: we have not stored anything. Here is general information.\n\n"
                "The measure helped foreign nationals whose training or job ended because of "
                "COVID-19 (technical intern trainees, Specified Skilled Workers, people with "
                "“Engineer/Specialist in Humanities/International Services” or “Skilled Labor”, "
                "and students who finished their studies), and trainees who finished and could "
                "not go home. People who wanted to gain the skills to work as a Specified "
                "Skilled Worker could change to “Designated Activities (maximum one year, work "
                "permitted)” to work for a new employer in one of the 14 fields, and could get "
                "help finding an employer."
            )
        )
        texts = (
            summary,
            *blocks.honesty_blocks(self.content),
            blocks.helplines_block(self.content),
        )
        button = Button(
            command_data(CommandName.RESTART),
            Msg(NP_("button", "I changed my mind"), context="button"),
        )
        return Reply(ReplyKind.RESULT, texts, ((button,), _nav_row()), question="declined")

    def staff_unavailable(self) -> Reply:
        """What the person gets on /staff where no staff desk is connected."""
        text = Msg(N_("No staff member can answer in this chat right now. You can call:"))
        return Reply(ReplyKind.NOTICE, (text, blocks.helplines_block(self.content)))
