"""The transition table: one `transitions` Machine decides which question comes next.

Every question state has one trigger, ``advance``. Its transitions are tried in order and the
first whose conditions hold wins, so each row reads as "after X, go to Y when …". The conditions
read only answer ids (and the rules, for "does the outcome need an office?"). The drawing next to
this file, ``flow.mmd``, is generated from the same table (``mermaid_diagram``) and a test keeps
it current.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from transitions import Machine

from dialogs import rules
from dialogs.content import Content
from dialogs.states import State

__all__ = ["TRANSITIONS", "Flow", "graphviz_source", "mermaid_diagram"]

S = State
UNSURE = "unsure"


def _row(source: State, dest: State, *conditions: str) -> dict[str, Any]:
    return {"trigger": "advance", "source": source, "dest": dest, "conditions": list(conditions)}


TRANSITIONS: list[dict[str, Any]] = [
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
]


_SOURCES = frozenset(row["source"] for row in TRANSITIONS)


class _Cursor:
    """The machine's model for one step: the answers so far and the named conditions."""

    state: State

    def __init__(self, content: Content) -> None:
        self.answers: Mapping[str, str] = {}
        self.content = content

    def _is(self, question: str, *options: str) -> bool:
        return self.answers.get(question) in options

    def agreed(self) -> bool:
        return self._is("privacy", "agree")

    def is_employer(self) -> bool:
        return self._is("role", "employer")

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
        **extra,
    )


class Flow:
    """Asks the transition table where to go after a question has been answered."""

    def __init__(self, content: Content) -> None:
        # One cursor stays attached: attaching a model per step cost ~190 µs (bench/). A step is
        # synchronous, so no other step can interleave between setting the state and reading it.
        self._cursor = _Cursor(content)
        self._machine = _machine(self._cursor)

    def next_state(self, state: State, answers: Mapping[str, str]) -> State:
        """The state after ``state`` for these answers (``state`` itself if none applies)."""
        cursor = self._cursor
        cursor.answers = answers
        self._machine.set_state(state, model=cursor)
        if state not in _SOURCES:
            return state
        cursor.advance()  # type: ignore[attr-defined]
        return cursor.state


def _drawing(engine: str) -> str:
    from transitions.extensions.diagrams import GraphMachine  # noqa: PLC0415 (only for drawing)

    machine = _machine(
        "self",
        GraphMachine,
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
