"""`tsunagu chat` driven through a pipe, as a person or a script would use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.console import parse_input
from dialogs.content import load_content
from dialogs.events import Answer, Command, CommandName, Start, Text
from tests.auxil.console import chat

BUTTONS = (
    ("Yes", "a:wish_ssw:yes"),
    ("No", "a:wish_ssw:no"),
    ("‹ Back", "c:back"),
    ("Nursing care (介護)", "a:field:care"),
)


@pytest.mark.parametrize(
    ("typed", "event"),
    [
        ("1", Answer("wish_ssw", "yes")),
        ("no", Answer("wish_ssw", "no")),
        ("YES", Answer("wish_ssw", "yes")),
        ("3", Command(CommandName.BACK)),
        ("/back", Command(CommandName.BACK)),
        ("/restart", Command(CommandName.RESTART)),
        ("/language", Command(CommandName.LANGUAGE)),
        ("/delete", Command(CommandName.DELETE)),
        ("/help", Command(CommandName.HELP)),
        ("/start", Start()),
        ("/nonsense", Text("/nonsense")),
        ("9", Text("9")),
        ("maybe", Text("maybe")),
        ("Nursing care", Answer("field", "care")),  # without the Japanese shown beside it
        ("nursing care (介護)", Answer("field", "care")),
    ],
)
def test_parse_input(typed: str, event: object) -> None:
    assert parse_input(typed, BUTTONS) == event


def test_blank_lines_are_ignored() -> None:
    assert parse_input("   ", BUTTONS) is None


def test_a_whole_screening_through_a_pipe(tmp_path: Path) -> None:
    out = chat(
        tmp_path,
        ["I agree", "1", "titp", "1", "1", "1", "1", "Nursing care", "Tô-ky-ô", "1"],
        "--lang",
        "en",
        "--user",
        "pipe",
    )
    assert "You may be able to apply to change your status of residence" in out
    assert "Tokyo Regional Immigration Services Bureau (東京出入国在留管理局)" in out
    assert "Documents to prepare" in out


def test_leaving_and_coming_back_resumes_at_the_same_question(tmp_path: Path) -> None:
    chat(tmp_path, ["1", "1", "1"], "--lang", "vi", "--user", "back-later")
    out = chat(tmp_path, [], "--user", "back-later")
    assert "Chào mừng" in out or "quay lại" in out.lower()
    assert "[1]" in out
    last_question = out.strip().split("\n\n")[-1]
    assert "Thực tập sinh kỹ năng" not in last_question  # past the status question


def test_unknown_language_is_refused(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--lang", "xx"],
        input="",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "unknown language 'xx'" in done.stderr


def test_the_counter_card_shows_in_japanese(tmp_path: Path) -> None:
    answers = ["applicant", "titp", "lost_job", "bankruptcy", "yes", "yes", "care", "kanagawa"]
    out = chat(tmp_path, ["1", *answers, "confirm", "japanese"], "--lang", "vi", "--user", "jp")
    lines = out.splitlines()
    last_button = max(i for i, line in enumerate(lines) if line.startswith("  ["))
    card = "\n".join(lines[last_button + 1 :])  # the card has no buttons: it comes after them
    office = load_content().offices["yokohama"]
    assert f"{office.name_ja}\n〒{office.postal_code} {office.address_ja}" in card
    assert "在留資格変更許可申請" in card and "神奈川県" in card
