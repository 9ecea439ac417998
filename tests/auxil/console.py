"""`tsunagu chat` run as a person would: a subprocess fed lines through a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.auxil import ROOT

__all__ = ["chat"]


def chat(tmp_path: Path, lines: list[str], *args: str) -> str:
    """Everything `tsunagu chat ARGS` prints for these typed lines (SQLite in ``tmp_path``)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
        cwd=ROOT,
    )
    return done.stdout
