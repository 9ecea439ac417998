"""`tsunagu simulate`: the real engine walked with scripted answers, reported as JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.i18n import Catalogs
from bot.simulate import SimulationError, parse_answers, simulate
from dialogs.engine import Engine
from tests.auxil import ROOT


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "simulate", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )


def test_json_of_a_complete_run_in_vietnamese() -> None:
    done = _cli(
        "--lang",
        "vi",
        "--answer",
        "status=titp",
        "--answer",
        "situation=cannot_return",
        "--answer",
        "wish_ssw=yes",
        "--answer",
        "contract=yes",
        "--answer",
        "field=agriculture",
        "--answer",
        "prefecture=hyogo",
        "--answer",
        "cause=downsizing",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["outcome"] == "apply_change_of_status"
    assert data["reasons"] == ["cannot_return_home", "wishes_ssw_skills", "has_contract_in_field"]
    assert data["destination"] == "kobe"
    assert data["documents"][-1] == "confirmation_form"
    assert data["asked"] == [
        "language",
        "privacy",
        "role",
        "status",
        "situation",
        "wish_ssw",
        "contract",
        "field",
        "prefecture",
        "review",
    ]
    assert "cause" not in data["asked"], "answers the flow never asks are ignored"
    assert "確認書" in data["messages"][-1]
    assert "pending" not in data


def test_missing_answer_reports_pending_and_exits_1() -> None:
    done = _cli("--lang", "ja", "--answer", "status=ssw", "--json")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["outcome"] is None and data["pending"] == "situation"


@pytest.mark.parametrize(
    ("pair", "error"),
    [
        ("colour=red", "unknown question 'colour'"),
        ("status=astronaut", "unknown option 'astronaut' for question 'status'"),
        ("prefecture=atlantis", "unknown option 'atlantis' for question 'prefecture'"),
    ],
)
def test_unknown_ids_exit_2_naming_them(pair: str, error: str) -> None:
    done = _cli("--answer", pair, "--json")
    assert done.returncode == 2
    assert done.stderr.strip() == f"tsunagu: {error}"


def test_employer_needs_no_other_answer(engine: Engine, catalogs: Catalogs) -> None:
    result = simulate(engine, catalogs, "en", {"role": "employer"})
    assert result.outcome == "employer_info" and result.asked[-1] == "role"


def test_an_option_invalid_at_that_point_is_an_error(engine: Engine, catalogs: Catalogs) -> None:
    given = parse_answers(
        [
            "status=titp",
            "situation=lost_job",
            "cause=bankruptcy",
            "wish_ssw=yes",
            "contract=yes",
            "field=undecided",
        ],
        engine,
    )
    with pytest.raises(SimulationError, match="'undecided' is not valid for 'field'"):
        simulate(engine, catalogs, "en", given)


def test_declining_the_privacy_notice_exits_0_with_its_own_outcome() -> None:
    done = _cli("--lang", "en", "--answer", "privacy=decline", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"] == "declined"
