"""The flow's drawing is generated from the transition table and kept current."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.diagram import DiagramError, write_diagram
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


def test_diagram_command_writes_mermaid_and_a_png(tmp_path: Path) -> None:
    if shutil.which("dot") is None:  # .ci/run installs Graphviz; without it the error is clear
        with pytest.raises(DiagramError, match="install Graphviz"):
            write_diagram(tmp_path)
        return
    mermaid, png = write_diagram(tmp_path)
    assert mermaid.read_text(encoding="utf-8") == DRAWING.read_text(encoding="utf-8")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and png.stat().st_size > 10_000


def test_readme_shows_the_diagram() -> None:
    readme = (DRAWING.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "dialogs/flow.png" in readme and DRAWING.with_suffix(".png").exists()
