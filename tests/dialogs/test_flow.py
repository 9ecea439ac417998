"""The flow's drawing is generated from the transition table and kept current."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.diagram import DiagramError, write_diagram
from dialogs.flow import TRANSITIONS, mermaid_diagram
from dialogs.states import QUESTION_STATES, State
from tests.auxil import ROOT

DRAWING = ROOT / "dialogs" / "flow.mmd"


def test_committed_drawing_matches_the_table() -> None:
    assert DRAWING.read_text(encoding="utf-8") == mermaid_diagram(), (
        "regenerate with: python -c 'from dialogs.flow import mermaid_diagram as m; "
        'open("dialogs/flow.mmd","w").write(m())\''
    )


def test_every_question_is_reachable_from_the_first_and_leads_on() -> None:
    # A search over the table from LANGUAGE: every state the flow asks is reached, and each of
    # them has a way out. DELETE is entered by the /delete command only (engine.py), so it is
    # not in the table.
    reached, frontier = {State.LANGUAGE}, [State.LANGUAGE]
    while frontier:
        state = frontier.pop()
        for row in TRANSITIONS:
            if row["source"] is state and row["dest"] not in reached:
                reached.add(row["dest"])
                frontier.append(row["dest"])
    asked_by_flow = QUESTION_STATES - {State.DELETE}
    assert asked_by_flow <= reached
    assert {State.RESULT, State.DECLINED} <= reached
    assert asked_by_flow <= {row["source"] for row in TRANSITIONS}


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz (.ci/run installs it)")
def test_diagram_command_writes_mermaid_and_a_png(tmp_path: Path) -> None:
    mermaid, png = write_diagram(tmp_path)
    assert mermaid.read_text(encoding="utf-8") == DRAWING.read_text(encoding="utf-8")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and png.stat().st_size > 10_000


@pytest.mark.skipif(shutil.which("dot") is not None, reason="only where Graphviz is missing")
def test_without_graphviz_the_diagram_command_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(DiagramError, match="install Graphviz"):
        write_diagram(tmp_path)


def test_readme_shows_the_diagram() -> None:
    readme = (DRAWING.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "dialogs/flow.png" in readme and DRAWING.with_suffix(".png").exists()
