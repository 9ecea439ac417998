"""The transition table: one `transitions` Machine decides where every event leads.

Answering a question fires ``advance``; the commands fire ``back``, ``language``, ``delete`` and
``restart``. Rows are tried in order and the first whose conditions hold wins, so each row reads
as "after X, go to Y when …". The conditions read only the session's position (answers, path,
where an aside was opened from, consent) and the rules. What a command does besides moving (the
answers /restart forgets, the path /back shortens) is the engine's. The drawing next to this
file, ``flow.mmd``, is generated from the same table (``mermaid_diagram``) and a test keeps it
current.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any, Literal

from transitions import Machine

from dialogs import rules
from dialogs.content import Content
from dialogs.states import State

__all__ = ["ASIDES", "TRANSITIONS", "Flow", "Trigger", "graphviz_source", "mermaid_diagram"]

S = State
UNSURE = rules.UNSURE


class Trigger(StrEnum):
    """The events that move a conversation: an answer, or one of the commands."""

    ADVANCE = "advance"
    BACK = "back"
    LANGUAGE = "language"
    DELETE = "delete"
    RESTART = "restart"


# Asked on the side: answering (or /back) returns to where the person was when they asked.
ASIDES = (S.LANGUAGE, S.DELETE)
_RESUMABLE = [state for state in State if state not in ASIDES]
_CAME_FROM = "came_from_"
Row = dict[str, Any]  # the form `transitions` reads
_RESUMES = "resumes_"


def _row(
    source: State | list[State] | str,
    dest: State,
    *conditions: str,
    trigger: Trigger = Trigger.ADVANCE,
) -> dict[str, Any]:
    return {"trigger": trigger.value, "source": source, "dest": dest, "conditions": [*conditions]}


def _resuming(aside: State, *conditions: str, trigger: Trigger = Trigger.ADVANCE) -> list[Row]:
    """One row per state an aside can return to."""
    return [
        _row(aside, dest, *conditions, _RESUMES + dest, trigger=trigger) for dest in _RESUMABLE
    ]


ANSWERS: list[Row] = [
    *_resuming(S.LANGUAGE),
    _row(S.LANGUAGE, S.PRIVACY),
    _row(S.PRIVACY, S.ROLE, "agreed"),
    _row(S.PRIVACY, S.DECLINED),
    _row(S.ROLE, S.RESULT, "is_employer"),
    _row(S.ROLE, S.STATUS),
    _row(S.STATUS, S.REVIEW, "status_decides"),
    _row(S.STATUS, S.SITUATION),
    _row(S.SITUATION, S.REVIEW, "situation_decides"),
    _row(S.SITUATION, S.PREFECTURE, "is_retention_holder", "needs_prefecture"),
    _row(S.SITUATION, S.CAUSE, "lost_job"),
    _row(S.SITUATION, S.WISH_SSW),
    _row(S.CAUSE, S.REVIEW, "cause_decides"),
    _row(S.CAUSE, S.WISH_SSW),
    _row(S.WISH_SSW, S.REVIEW, "no_ssw_intent"),
    _row(S.WISH_SSW, S.CONTRACT),
    _row(S.CONTRACT, S.FIELD),
    _row(S.FIELD, S.REVIEW, "field_decides"),
    _row(S.FIELD, S.MANUFACTURING_BASIS, "is_manufacturing"),
    _row(S.FIELD, S.PREFECTURE, "needs_prefecture"),
    _row(S.FIELD, S.REVIEW),
    _row(S.MANUFACTURING_BASIS, S.PREFECTURE, "needs_prefecture"),
    _row(S.MANUFACTURING_BASIS, S.REVIEW),
    _row(S.PREFECTURE, S.REVIEW),
    _row(S.REVIEW, S.RESULT),
    *_resuming(S.DELETE, "keeps_data"),
    _row(S.DELETE, S.ROLE, "keeps_data"),
    _row(S.DELETE, S.PRIVACY),  # erased: the person starts again at the consent question
]


def _steps_back(answers: Iterable[Row]) -> list[Row]:
    """/back undoes the answer given last: every step forward, reversed, once."""
    pairs: dict[tuple[State, State], None] = {}  # ordered and without repeats
    for row in answers:
        resumes = any(c.startswith(_RESUMES) for c in row["conditions"])
        if not resumes and row["source"] is not S.DELETE:
            pairs.setdefault((row["dest"], row["source"]), None)
    pairs.pop((S.RESULT, S.REVIEW))  # "reviewed" below: the review card is never in the path
    return [
        _row(dest, source, _CAME_FROM + source, trigger=Trigger.BACK) for dest, source in pairs
    ]


COMMANDS: list[Row] = [
    *_resuming(S.LANGUAGE, trigger=Trigger.BACK),
    *_resuming(S.DELETE, trigger=Trigger.BACK),
    # A result after the review card goes back to the card (an employer's, to the role).
    _row(S.RESULT, S.REVIEW, "reviewed", trigger=Trigger.BACK),
    *_steps_back(ANSWERS),
    _row(_RESUMABLE, S.LANGUAGE, trigger=Trigger.LANGUAGE),
    _row([s for s in State if s is not S.DELETE], S.DELETE, "consented", trigger=Trigger.DELETE),
    _row("*", S.ROLE, "consented", trigger=Trigger.RESTART),
    _row("*", S.PRIVACY, trigger=Trigger.RESTART),
]

TRANSITIONS: list[Row] = [*ANSWERS, *COMMANDS]


class _Cursor:
    """The machine's model for one step: the session's position and the named conditions."""

    state: State

    def __init__(self, content: Content) -> None:
        self.content = content
        self.answers: Mapping[str, str] = {}
        self.path: Sequence[str] = ()
        self.resume: State | None = None
        self.consented = False

    def __getattr__(self, name: str) -> Any:
        # The generated conditions: ``came_from_<state>`` (the answer given last) and
        # ``resumes_<state>`` (where an aside was opened from), one per state.
        if name.startswith(_CAME_FROM):
            came_from = name.removeprefix(_CAME_FROM)
            return lambda: bool(self.path) and self.path[-1] == came_from
        if name.startswith(_RESUMES):
            resumes = name.removeprefix(_RESUMES)
            return lambda: self.resume is not None and self.resume.value == resumes
        raise AttributeError(name)

    def _is(self, question: str, *options: str) -> bool:
        return self.answers.get(question) in options

    def agreed(self) -> bool:
        return self._is("privacy", "agree")

    def is_employer(self) -> bool:
        return self._is("role", "employer")

    def reviewed(self) -> bool:
        return not self.is_employer()

    def keeps_data(self) -> bool:
        return self._is("delete", "no")

    def status_decides(self) -> bool:
        return self._is("status", "other", UNSURE)

    def situation_decides(self) -> bool:
        return self._is("situation", "neither", UNSURE)

    def is_retention_holder(self) -> bool:
        return self._is("status", "retention")

    def lost_job(self) -> bool:
        return self._is("situation", "lost_job")

    def cause_decides(self) -> bool:
        return self._is("cause", "not_covid", UNSURE)

    def no_ssw_intent(self) -> bool:
        return self._is("wish_ssw", "no")

    def field_decides(self) -> bool:
        return self._is("field", "other_field", UNSURE) or (
            self.is_manufacturing() and not self.has_manufacturing_basis()
        )

    def is_manufacturing(self) -> bool:
        return self.answers.get("field") in self.content.manufacturing_fields

    def has_manufacturing_basis(self) -> bool:
        """Whether Note 1 names a former activity of this status (an SSW, a trainee)."""
        return self.answers.get("status") in rules.MANUFACTURING_BASIS_FOR_STATUS

    def needs_prefecture(self) -> bool:
        return rules.needs_prefecture(self.answers, self.content)


def _machine(model: object, machine_class: type[Machine] = Machine, **extra: Any) -> Machine:
    return machine_class(
        model=model,
        states=list(State),
        transitions=TRANSITIONS,
        initial=State.LANGUAGE,
        auto_transitions=False,
        ignore_invalid_triggers=True,  # a command with no row where it is pressed moves nothing
        **extra,
    )


class Flow:
    """Asks the transition table where an answer or a command leads."""

    def __init__(self, content: Content) -> None:
        # One cursor stays attached: attaching a model per step cost ~190 µs (bench/). A step is
        # synchronous, so no other step can interleave between setting the state and reading it.
        self._cursor = _Cursor(content)
        self._machine = _machine(self._cursor)

    def next_state(
        self, state: State, answers: Mapping[str, str], resume: State | None = None
    ) -> State:
        """The state after answering ``state`` (``state`` itself if no row applies)."""
        return self.fire(Trigger.ADVANCE, state, answers, resume=resume)

    def fire(
        self,
        trigger: Trigger,
        state: State,
        answers: Mapping[str, str],
        *,
        path: Sequence[str] = (),
        resume: State | None = None,
        consented: bool = False,
    ) -> State:
        """Where ``trigger`` leads from this position (``state`` itself if no row applies)."""
        cursor = self._cursor
        cursor.answers, cursor.path, cursor.resume, cursor.consented = (
            answers,
            path,
            resume,
            consented,
        )
        self._machine.set_state(state, model=cursor)
        cursor.trigger(trigger.value)
        return cursor.state


# Drawing only: a command open from (nearly) every state is one edge from ANYWHERE, and an
# aside's return to the state it was opened from is one edge to RESUMED. Drawn one by one, those
# rows were 60 edges that buried the dialog (a 12,140-pixel-wide PNG).
_ANYWHERE, _RESUMED = "ANYWHERE", "RESUMED"


def _drawn(row: Row) -> Row:
    source, dest, conditions = row["source"], row["dest"], list(row["conditions"])
    if source == "*" or isinstance(source, list):
        source = _ANYWHERE
    if any(c.startswith(_RESUMES) for c in conditions):
        conditions = [c for c in conditions if not c.startswith(_RESUMES)]
        dest = _RESUMED
    return {**row, "source": source, "dest": dest, "conditions": conditions}


def _drawn_rows() -> list[Row]:
    rows: dict[str, Row] = {}  # ordered and without repeats
    for row in map(_drawn, TRANSITIONS):
        rows.setdefault(repr(sorted(row.items())), row)
    return list(rows.values())


def _drawing(engine: Literal["graphviz", "mermaid"]) -> str:
    from transitions.extensions.diagrams import GraphMachine  # noqa: PLC0415 (only for drawing)

    machine = GraphMachine(
        model="self",
        states=[*State, _ANYWHERE, _RESUMED],
        transitions=_drawn_rows(),
        initial=State.LANGUAGE,
        auto_transitions=False,
        graph_engine=engine,
        show_conditions=True,
        title="Tsunagu screening",
    )
    return str(machine.get_graph().source)


def mermaid_diagram() -> str:
    """The flow as a Mermaid state diagram, generated from :data:`TRANSITIONS`."""
    return _drawing("mermaid")


def graphviz_source() -> str:
    """The flow in Graphviz's DOT language (drawn to PNG by ``tsunagu diagram``)."""
    return _drawing("graphviz")
