"""The flow's drawing is generated from the transition table and kept current."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.diagram import DiagramError, write_diagram
from dialogs.engine import Engine
from dialogs.events import Command, CommandName
from dialogs.flow import TRANSITIONS, Trigger, mermaid_diagram
from dialogs.scenarios import SCENARIOS, Scenario, walk
from dialogs.states import QUESTION_STATES, State
from tests.auxil import ROOT

DRAWING = ROOT / "dialogs" / "flow.mmd"


def test_committed_drawing_matches_the_table() -> None:
    assert DRAWING.read_text(encoding="utf-8") == mermaid_diagram(), (
        "regenerate with: python -c 'from dialogs.flow import mermaid_diagram as m; "
        'open("dialogs/flow.mmd","w").write(m())\''
    )


def _sources(row: dict[str, Any]) -> set[State]:
    source = row["source"]
    return set(State) if source == "*" else set(source) if isinstance(source, list) else {source}


def test_every_question_is_reachable_from_the_first_and_leads_on() -> None:
    # A search over the whole table from LANGUAGE: every state is reached (DELETE through the
    # /delete command) and every question has an answer that leads out of it.
    reached, frontier = {State.LANGUAGE}, [State.LANGUAGE]
    while frontier:
        state = frontier.pop()
        for row in TRANSITIONS:
            if state in _sources(row) and row["dest"] not in reached:
                reached.add(row["dest"])
                frontier.append(row["dest"])
    assert reached == set(State)
    answered = {
        state for row in TRANSITIONS if row["trigger"] == "advance" for state in _sources(row)
    }
    assert answered == QUESTION_STATES


def test_the_drawing_shows_every_command() -> None:
    drawing = mermaid_diagram()
    for trigger in Trigger:
        assert f": {trigger.value}" in drawing or f"| {trigger.value}" in drawing, trigger
    assert "REVIEW --> FIELD: back [came_from_field]" in drawing


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_every_back_on_every_way_through_is_a_row_of_the_table(
    engine: Engine, scenario: Scenario
) -> None:
    # The engine falls back to the stored path only for sessions an older release stored: on
    # every position the current flow reaches, /back must be one of the table's rows and land
    # where the path says the last answer was given.
    for step in walk(engine, "vi", scenario.answers):
        s = step.session
        if not s.path or s.state is State.LANGUAGE:
            continue
        dest = engine.flow.fire(
            Trigger.BACK, s.state, s.answers, path=s.path, resume=s.resume, consented=s.consented
        )
        expected = (
            State.REVIEW
            if s.state is State.RESULT and s.answers["role"] != "employer"
            else State(s.path[-1])
        )
        assert dest is expected, (s.state, s.path)
        after = engine.step(s, Command(CommandName.BACK)).session
        assert after.state is expected


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
