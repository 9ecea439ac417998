"""Engine.step(session, event) -> Step: the whole conversation logic, pure and synchronous."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from dialogs import screens
from dialogs.changes import NOTIFY_OPTION, changed_notice, notify_confirmed
from dialogs.content import Content
from dialogs.counter import COUNTER_OPTION, counter_card
from dialogs.events import (
    Answer,
    Command,
    CommandName,
    ContentUpdated,
    Event,
    StaffMove,
    StaffMoved,
    Start,
    Text,
    Unclear,
    Unsupported,
)
from dialogs.feedback import Feedback, feedback_button, feedback_thanks, screen_msgids
from dialogs.flow import ASIDES, Flow, Trigger
from dialogs.handoff import (
    STRIKES_BEFORE_PERSON,
    Handoff,
    QueueFacts,
    Reason,
    Signal,
    held_notice,
    show_result_button,
    waiting_reply,
)
from dialogs.messages import N_, Data, Msg
from dialogs.mydata import StoredFacts, mydata_reply
from dialogs.places import PlaceIndex
from dialogs.questions import options_for
from dialogs.replies import Reply, ReplyKind
from dialogs.rules import Assessment, assess
from dialogs.session import Owner, Session
from dialogs.states import QUESTION_STATES, State

__all__ = ["Engine", "Step"]

_NOT_CHANGEABLE = ("language", "privacy")
_WITH_FEEDBACK = (ReplyKind.QUESTION, ReplyKind.RESULT)
_EXPIRED = N_("This menu has expired. Here is the current question.")
# Buttons under a result that do not answer a question: show it again, notify me, the card.
_RESULT_ACTIONS = ("show", NOTIFY_OPTION, COUNTER_OPTION)
_CANNOT_READ = N_("Sorry, I can only read text and button presses.")
# Unsupported kinds with their own explanation: a button that cannot be decoded (forged or from
# an old version of the bot) and an edited message (answers are read once, when sent).
_UNSUPPORTED = {
    "button": _EXPIRED,
    "edited": N_("I do not read edited messages. Please send your answer as a new message."),
}


def _is_notice_kind(event: Text | Unsupported) -> bool:
    # A forged or stale button, or an edited message, is not a message for staff.
    return isinstance(event, Unsupported) and event.kind in _UNSUPPORTED


@dataclass(frozen=True, slots=True)
class Step:
    """What one event did: the new session, the replies owed, and whether to erase the person."""

    session: Session
    replies: tuple[Reply, ...]
    erase: bool = False
    assessment: Assessment | None = None
    handoff: Handoff | None = None
    feedback: Feedback | None = None


class Engine:
    """Turns (session, event) into a new session and replies; no IO, no clock, no Telegram."""

    def __init__(
        self,
        content: Content,
        locales: Sequence[str],
        staffed: bool = False,
        place_names: Mapping[str, Iterable[str]] | None = None,
        retention_days: int = 90,
    ) -> None:
        """``place_names``: prefecture names in the shipped languages, for typed answers."""
        self.content = content
        self.staffed = staffed  # a staff desk is connected: /staff opens a case
        self.locales = tuple(locales)
        self.default_locale = "en" if "en" in self.locales else self.locales[0]
        self.flow = Flow(content)
        self.places = PlaceIndex(content.prefectures, place_names)
        self.retention_days = retention_days  # told in the privacy notice and by /mydata
        self.screens = screens.Screens(content, self.locales, retention_days)

    def new_session(self, user: str) -> Session:
        """A fresh conversation for ``user``, at the language question."""
        return Session(user=user, locale=self.default_locale)

    def step(
        self,
        session: Session,
        event: Event,
        stored: StoredFacts | None = None,
        queue: QueueFacts | None = None,
    ) -> Step:
        """Apply one event to a copy of ``session``.

        What only storage knows is read by the channel beforehand, so the replies come out
        complete: ``stored`` for /mydata, ``queue`` (the staff queue and office hours) for a
        step whose ``handoff`` signal is in ``ASKS_QUEUE``. Without ``queue`` such a step has
        no reply yet: the channel reads the queue and takes the step again (it is pure).
        """
        s = session.copy()
        if isinstance(event, StaffMoved):
            return self._staff_moved(s, event.move)
        if isinstance(event, ContentUpdated):  # whoever owns the chat: only a changed result
            return self.recheck(s) or Step(s, ())
        if s.owner.held:
            return self._held(s, event, stored, queue)
        return self._with_feedback_button(self._bot_step(s, event, stored, queue))

    def _bot_step(
        self, s: Session, event: Event, stored: StoredFacts | None, queue: QueueFacts | None
    ) -> Step:
        match event:
            case Start():
                return self._start(s, event.locale_hint)
            case Answer():
                return self._answer(s, event)
            case Text():
                return self._text(s, event.text, queue)
            case Command():
                return self._command(s, event.name, stored, queue)
            case Unsupported():
                return self._ask(s, _UNSUPPORTED.get(event.kind, _CANNOT_READ))
            case Unclear():
                return self._unclear(s, event.screen)
        raise TypeError(f"unknown event {event!r}")  # pragma: no cover (exhaustive match)

    # -- presenting -------------------------------------------------------------------------

    def _with_feedback_button(self, step: Step) -> Step:
        """Questions and results in a translated language get "Unclear translation?"."""
        s = step.session
        if s.locale == self.default_locale or s.state is State.LANGUAGE:
            return step
        button = (feedback_button(s.state.value),)
        replies = tuple(
            replace(r, buttons=(*r.buttons, button)) if r.kind in _WITH_FEEDBACK else r
            for r in step.replies
        )
        return replace(step, replies=replies)

    def _unclear(self, s: Session, screen: str) -> Step:
        current = self.screens.current(s)
        # Only the screen still shown can be listed; an older one is reported by name alone.
        msgids = screen_msgids((current,)) if screen == s.state.value else ()
        return Step(s, (feedback_thanks(), current), feedback=Feedback(screen, msgids))

    def _ask(self, s: Session, notice: str | Msg | None = None, erase: bool = False) -> Step:
        replies = [screens.notice(notice)] if notice else []
        replies.append(self.screens.current(s))
        return Step(s, tuple(replies), erase=erase)

    # -- events -----------------------------------------------------------------------------

    def _start(self, s: Session, hint: str | None) -> Step:
        if s.consented:
            return self._ask(s, N_("Welcome back! Let's continue where you stopped."))
        fresh = self.new_session(s.user)
        if hint in self.locales:
            fresh.locale = hint
        return self._ask(fresh)

    def _answer(self, s: Session, answer: Answer) -> Step:
        if answer.question == "privacy" and ":" in answer.option:
            s, answer = self._privacy_with_language(s, answer)
        question, option = answer.question, answer.option
        if s.state is State.RESULT and question == "result" and option in _RESULT_ACTIONS:
            return self._result_action(s, option)
        if option.startswith("change:") and question in ("review", "result"):
            if question == s.state.value:
                return self._change(s, option.removeprefix("change:"))
        elif question == s.state.value:
            if s.state is State.REVIEW and option == "confirm":
                return self._finish(s)
            if s.state is State.PREFECTURE and self._is_page(option):
                s.region = option.removeprefix("region:") if option != "regions" else None
                return self._ask(s)
            if option in self._valid_options(s):
                return self._record(s, question, option)
        return self._ask(s, _EXPIRED)

    def _result_action(self, s: Session, option: str) -> Step:
        if option == NOTIFY_OPTION:  # opt in to hear of a changed outcome
            s.notify = True
            return Step(s, (notify_confirmed(self.retention_days),))
        if option == COUNTER_OPTION:  # the card in Japanese; not an answer: the session stays
            answers = s.effective_answers()
            return Step(s, (counter_card(assess(answers, self.content), answers, self.content),))
        return self._finish(s)  # show the result again (after a staff member handed back)

    def _privacy_with_language(self, s: Session, answer: Answer) -> tuple[Session, Answer]:
        """``a:privacy:agree:vi``: the answer, and the language the notice was shown in."""
        option, _, locale = answer.option.partition(":")
        if s.state is State.LANGUAGE and not s.path and locale in self.locales:
            # This process never saw their language choice (another one did): it is here.
            s = self._record(s, "language", locale).session
        return s, Answer("privacy", option)

    def _is_page(self, option: str) -> bool:
        # Only "region:<id>" pages: the prefecture Hokkaido and its region share the id.
        regions = {r.id for r in self.content.regions}
        region = option.removeprefix("region:")
        return option == "regions" or (region != option and region in regions)

    def _valid_options(self, s: Session) -> set[str]:
        if s.state is State.LANGUAGE:
            return set(self.locales)
        return {o.id for o in options_for(s.state, s.effective_answers(), self.content)}

    def _text(self, s: Session, text: str, queue: QueueFacts | None) -> Step:
        typed = text.strip()
        if s.state is State.PREFECTURE:
            return self._typed_prefecture(s, typed, queue)
        if s.state in QUESTION_STATES and typed in self._valid_options(s):
            return self._record(s, s.state.value, typed)
        s.strikes += 1
        if self._needs_person(s):
            return self._open_case(s, Reason.FREE_TEXT, queue)
        return self._ask(s, N_("Please choose one of the answers below."))

    def _typed_prefecture(self, s: Session, typed: str, queue: QueueFacts | None) -> Step:
        match = self.places.find(typed)
        if match.exact:
            return self._record(s, "prefecture", match.exact)
        s.strikes += 1
        if self._needs_person(s):
            return self._open_case(s, Reason.FREE_TEXT, queue)
        if match.candidates:
            return Step(
                s, (self.screens.prefecture_candidates(match.candidates), self.screens.current(s))
            )
        notice = Msg.of(
            N_("I could not find a prefecture called “{text}”. Please choose your region."),
            text=Data(typed[:100]),
        )
        return self._ask(s, notice)

    def _command(
        self,
        s: Session,
        name: CommandName,
        stored: StoredFacts | None,
        queue: QueueFacts | None,
    ) -> Step:
        handlers: dict[CommandName, Callable[[Session], Step]] = {
            CommandName.BACK: self._back,
            CommandName.RESTART: self._restart,
            CommandName.LANGUAGE: self._language,
            CommandName.HELP: lambda s: self._ask(s, screens.HELP),
            CommandName.STAFF: lambda s: self._staff(s, queue),
            CommandName.DELETE: self._delete,
            CommandName.MYDATA: lambda s: self._mydata(s, stored),
            CommandName.BOT: self._ask,  # nobody holds the chat: just show where they are
        }
        return handlers[name](s)

    def _mydata(self, s: Session, stored: StoredFacts | None) -> Step:
        reply = mydata_reply(s, self.screens, self.retention_days, stored)
        return Step(s, (reply, self.screens.current(s)))

    # -- moving through the flow ------------------------------------------------------------

    def _record(self, s: Session, question: str, option: str) -> Step:
        if s.state is State.LANGUAGE:
            s.locale = option
            if s.resume is not None:  # an aside: back to where /language was sent
                s.answers["language"] = option
                s.state, s.resume = self.flow.next_state(s.state, s.answers, s.resume), None
                return self._ask(s)
        if s.state is State.DELETE:
            return self._confirm_delete(s, option)
        withdrawn = question == "privacy" and option == "decline" and s.consented
        s.consented = s.consented or (question == "privacy" and option == "agree")
        if withdrawn:
            s.consented = False
        s.answers[question] = option
        s.path.append(question)
        s.strikes, s.region = 0, None
        step = self._advance(s)
        if withdrawn:
            return Step(step.session, step.replies, erase=True)
        return step

    def _advance(self, s: Session) -> Step:
        s.state = self.flow.next_state(s.state, s.effective_answers())
        # After a change on the review card, answers that are still valid are kept, so the
        # person is asked only what the change made necessary.
        while s.editing and s.state.value in s.answers and s.state is not State.REVIEW:
            if s.answers[s.state.value] not in self._valid_options(s):
                break
            s.path.append(s.state.value)
            s.state = self.flow.next_state(s.state, s.effective_answers())
        if s.state is State.REVIEW:
            s.editing = False
        if s.state is State.RESULT:
            return self._finish(s)
        return self._ask(s)

    def _finish(self, s: Session) -> Step:
        s.state = State.RESULT
        return self._decide(s)

    def _decide(self, s: Session) -> Step:
        """Assess the answers under the current content and record the outcome."""
        assessment = assess(s.effective_answers(), self.content)
        s.outcome = assessment.outcome.value
        s.content_version = self.content.programme.version
        reply = self.screens.result(assessment, s.effective_answers(), not s.notify)
        return Step(s, (reply,), assessment=assessment)

    def recheck(self, session: Session) -> Step | None:
        """After a content update: the new result, if this finished screening's outcome changed."""
        s = session.copy()
        if s.state is not State.RESULT or s.outcome is None:
            return None
        if s.content_version == self.content.programme.version:
            return None
        old = s.outcome
        step = self._decide(s)
        if step.session.outcome == old:
            return None
        (reply,) = step.replies
        return replace(step, replies=(replace(reply, texts=(changed_notice(), *reply.texts)),))

    def _change(self, s: Session, question: str) -> Step:
        if question not in s.path or question in _NOT_CHANGEABLE:
            return self._ask(s, _EXPIRED)
        s.path = s.path[: s.path.index(question)]
        s.state, s.editing, s.region = State(question), True, None
        return self._ask(s)

    def _fire(self, trigger: Trigger, s: Session) -> State:
        """Where the table sends this command from the session's position."""
        return self.flow.fire(
            trigger,
            s.state,
            s.answers,
            path=s.path,
            resume=s.resume,
            consented=s.consented,
        )

    def _back(self, s: Session) -> Step:
        dest = self._fire(Trigger.BACK, s)
        if s.state in ASIDES and s.resume is not None:  # out of the aside
            s.state, s.resume = dest, None
            return self._ask(s)
        if dest is s.state and s.path:
            # No row: a session stored by an older release whose path this table no longer
            # draws. Its path still says what was answered last.
            dest = State(s.path[-1])
        if dest is s.state:
            return self._ask(s, N_("This is the first question."))
        if s.path and s.path[-1] == dest.value:  # undo the answer given last
            s.path.pop()
            s.editing, s.region = False, None
        s.state = dest
        return self._ask(s)

    def _restart(self, s: Session) -> Step:
        keep = ["language", "privacy"] if s.consented else ["language"]
        s.answers = {q: s.answers[q] for q in keep if q in s.answers}
        s.path = [q for q in keep if q in s.answers]
        s.state = self._fire(Trigger.RESTART, s)
        s.editing, s.region, s.outcome, s.strikes = False, None, None, 0
        return self._ask(s, N_("Let's start again."))

    def _language(self, s: Session) -> Step:
        dest = self._fire(Trigger.LANGUAGE, s)
        if dest is not s.state:  # not from an aside: remember where to return
            s.resume, s.state = s.state, dest
        return self._ask(s)

    # -- a person instead of the bot ----------------------------------------------------------

    def _staff(self, s: Session, queue: QueueFacts | None) -> Step:
        if not (self.staffed and s.consented):
            # Staff need the answers, which are stored only after consent.
            return Step(s, (self.screens.staff_unavailable(), self.screens.current(s)))
        return self._open_case(s, Reason.ASKED, queue)

    def _needs_person(self, s: Session) -> bool:
        return self.staffed and s.consented and s.strikes >= STRIKES_BEFORE_PERSON

    def _open_case(self, s: Session, reason: Reason, queue: QueueFacts | None) -> Step:
        s.owner, s.strikes = Owner.WAITING, 0
        return self._queued(s, Handoff(Signal.OPEN, reason), queue)

    def _queued(self, s: Session, handoff: Handoff, queue: QueueFacts | None) -> Step:
        """The person waits for staff: their place in the queue and the office hours."""
        replies = (waiting_reply(queue, self.content),) if queue is not None else ()
        return Step(s, replies, handoff=handoff)

    def _relay(self, s: Session, queue: QueueFacts | None) -> Step:
        """Pass the message on to staff; a new case if theirs was closed meanwhile."""
        if queue is not None and queue.case is None:
            return self._queued(s, Handoff(Signal.OPEN, Reason.ASKED), queue)
        return Step(s, (), handoff=Handoff(Signal.RELAY))

    def _remind(self, s: Session, queue: QueueFacts | None) -> Step:
        """/staff again: their place in the queue (or who has their case)."""
        if queue is not None and queue.case is None:
            return self._queued(s, Handoff(Signal.OPEN, Reason.ASKED), queue)
        if queue is not None and queue.taken:
            return Step(s, (held_notice(),), handoff=Handoff(Signal.REMIND))
        return self._queued(s, Handoff(Signal.REMIND), queue)

    def _held(
        self, s: Session, event: Event, stored: StoredFacts | None, queue: QueueFacts | None
    ) -> Step:
        """A person owns the chat: relay what the person writes, answer nothing else."""
        match event:
            case Text() | Unsupported() if not _is_notice_kind(event):
                return self._relay(s, queue)
            case Command(name=CommandName.STAFF):
                return self._remind(s, queue)
            case Command(name=CommandName.MYDATA):
                reply = mydata_reply(s, self.screens, self.retention_days, stored)
                return Step(s, (reply,))
            case Command(name=CommandName.BOT):
                s.owner = Owner.BOT
                step = self._ask(s, N_("You are back with the bot."))
                return Step(step.session, step.replies, handoff=Handoff(Signal.WITHDRAW))
            case Command(name=CommandName.DELETE):
                s.owner = Owner.BOT  # erasing needs the bot's confirmation question
                step = self._delete(s)
                return Step(step.session, step.replies, handoff=Handoff(Signal.WITHDRAW))
        return Step(s, (held_notice(),))

    def _staff_moved(self, s: Session, move: StaffMove) -> Step:
        if not s.owner.held:
            return Step(s, ())  # the person went back to the bot first: nothing to say
        if move is StaffMove.TAKEN:
            s.owner = Owner.STAFF
            text = N_("A staff member is now answering you. Write your messages here.")
            return Step(s, (screens.notice(text),))
        s.owner = Owner.HANDED_BACK if move is StaffMove.HANDED_BACK else Owner.BOT
        text = (
            N_("The staff member handed your conversation back to the bot.")
            if move is StaffMove.HANDED_BACK
            else N_("The staff member closed your conversation. The bot answers you again.")
        )
        if s.state is State.RESULT:  # offer the result rather than repeat a long message
            return Step(s, (screens.notice(text, ((show_result_button(),),)),))
        return self._ask(s, text)

    def _delete(self, s: Session) -> Step:
        if not s.consented:
            return self._ask(s, N_("We have not stored anything about you."))
        dest = self._fire(Trigger.DELETE, s)
        if dest is not s.state:
            # From the language aside, the place it was opened from stays the one to return to.
            s.resume = s.state if s.state is not State.LANGUAGE else s.resume
            s.state = dest
        return self._ask(s)

    def _confirm_delete(self, s: Session, option: str) -> Step:
        dest = self.flow.next_state(s.state, {"delete": option}, s.resume)
        if option == "no":
            s.state, s.resume = dest, None
            return self._ask(s, N_("Nothing was erased."))
        fresh = self.new_session(s.user)
        fresh.locale, fresh.state = s.locale, dest
        fresh.answers, fresh.path = {"language": s.locale}, ["language"]
        notice = N_("Everything we stored about you has been erased.")
        return self._ask(fresh, notice, erase=True)
