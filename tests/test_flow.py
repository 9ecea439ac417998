"""The flow's drawing is generated from the transition table and kept current."""

from __future__ import annotations

from pathlib import Path

from dialogs.flow import TRANSITIONS, mermaid_diagram
from dialogs.states import QUESTION_STATES, State

DRAWING = Path(__file__).parents[1] / "dialogs" / "flow.mmd"


def test_committed_drawing_matches_the_table() -> None:
    assert DRAWING.read_text(encoding="utf-8") == mermaid_diagram(), (
        "regenerate with: python -c 'from dialogs.flow import mermaid_diagram as m; "
        'open("dialogs/flow.mmd","w").write(m())\''
    )


def test_every_question_leads_somewhere_and_result_is_reachable() -> None:
    sources = {row["source"] for row in TRANSITIONS}
    dests = {row["dest"] for row in TRANSITIONS}
    asked_by_flow = QUESTION_STATES - {State.DELETE, State.REVIEW}
    assert asked_by_flow - {State.LANGUAGE} <= dests
    assert State.RESULT in dests and State.DECLINED in dests
    assert asked_by_flow <= sources
