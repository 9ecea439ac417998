"""`tsunagu run` starts without loading what only other commands or rare inputs need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.storage import Database
from tests.auxil import ROOT

# Heavy modules and what needs them: reports, Burmese typed in Zawgyi, a schema migration, the
# catalog tools. None belongs in a polling bot whose schema is current. (tornado is not here:
# python-telegram-bot imports it whenever it is installed.)
HEAVY = (
    "matplotlib",
    "numpy",
    "PIL",
    "alembic",
    "mako",
    "icu",
    "myanmartools",
    "babel.messages",
)

# What `tsunagu run` does before it polls, minus the network: import its modules, build the
# core from the database, and draw the first question a newcomer sees.
_START = """
import asyncio, json, sys
import bot.cli, bot.telegram.runner
from bot.app import build_core
from bot.config import load_settings
from bot.i18n.render import render
from dialogs.events import Start

core = asyncio.run(build_core(load_settings()))
step = core.engine.step(core.engine.new_session("tg:1"), Start("en"))
render(step.replies[-1], core.catalogs.translator("en"))
tops = {h.split(".")[0] for h in %r}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in tops)))
"""


def _loaded_at_start(database: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _START % (HEAVY,)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite+aiosqlite:///{database}"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    loaded = set(json.loads(done.stdout))
    return {h for h in HEAVY if h in loaded}


async def test_a_bot_with_a_current_schema_starts_without_the_heavy_modules(
    tmp_path: Path,
) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await database.create_schema()
    await database.close()
    assert _loaded_at_start(tmp_path / "bot.db") == set()


def test_a_new_database_is_migrated_with_alembic(tmp_path: Path) -> None:
    # The other side of the cheap check: a schema to create does load Alembic (and only it).
    assert _loaded_at_start(tmp_path / "new.db") == {"alembic", "mako"}
