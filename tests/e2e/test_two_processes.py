"""Two bot processes on one PostgreSQL database: updates applied once, one at a time; one pacer."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage import Database, Store
from tests.auxil import ROOT
from tests.conftest import POSTGRES_URL, fresh_database

PEOPLE = 40
STEPS = (
    ("start", ""),
    ("language", "vi"),
    ("privacy", "agree:vi"),  # as the button sends it: with the language it was shown in
    ("role", "applicant"),
    ("status", "titp"),
    ("situation", "lost_job"),
    ("cause", "bankruptcy"),
    ("wish_ssw", "yes"),
    ("contract", "yes"),
    ("field", "care"),
    ("prefecture", "region:kanto"),
    ("prefecture", "tokyo"),
    ("review", "confirm"),
)


def _plan() -> dict[str, list[list[object]]]:
    # Update ids as Telegram numbers them: one sequence for the whole bot.
    return {
        f"tg:{person}": [
            [1_000 + step * PEOPLE + person, question, option]
            for step, (question, option) in enumerate(STEPS)
        ]
        for person in range(PEOPLE)
    }


@pytest.mark.skipif(POSTGRES_URL is None, reason="needs TSUNAGU_TEST_POSTGRES_URL (CI sets it)")
async def test_two_processes_apply_every_update_once_and_in_order(tmp_path: Path) -> None:
    assert POSTGRES_URL is not None
    database = await fresh_database("postgresql", tmp_path)
    script = tmp_path / "plan.json"
    script.write_text(json.dumps(_plan()))
    # Both processes get every update, as when Telegram redelivers to another instance.
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.auxil.pg_worker", POSTGRES_URL, str(script)], cwd=ROOT
        )
        for _ in range(2)
    ]
    assert [w.wait(timeout=300) for w in workers] == [0, 0]
    store = Store(database)
    try:
        for person in range(PEOPLE):
            user = f"tg:{person}"
            session = await store.load(user)
            assert session is not None and session.outcome == "apply_change_of_status"
            steps = [(h.question, h.option) for h in await store.history(user)]
            # Stored from consent on: every later answer exactly once, in order.
            expected = [("privacy", "agree"), *STEPS[3:]]
            assert steps == expected, user
    finally:
        await store.close()


@pytest.mark.skipif(POSTGRES_URL is None, reason="needs TSUNAGU_TEST_POSTGRES_URL (CI sets it)")
async def test_only_one_process_posts_to_the_staff_group(tmp_path: Path) -> None:
    assert POSTGRES_URL is not None
    first, second = Database(POSTGRES_URL), Database(POSTGRES_URL)
    entered: list[str] = []

    async def lead(database: Database, name: str, hold: asyncio.Event) -> None:
        async with database.leader("staff-pacer", retry_s=0.05):
            entered.append(name)
            await hold.wait()

    release_first, release_second = asyncio.Event(), asyncio.Event()
    try:
        one = asyncio.create_task(lead(first, "first", release_first))
        await asyncio.sleep(0.3)
        two = asyncio.create_task(lead(second, "second", release_second))
        await asyncio.sleep(0.3)
        assert entered == ["first"], "the second process waits while the first leads"
        release_first.set()
        await one
        await asyncio.sleep(0.3)
        assert entered == ["first", "second"], "and takes over when the first stops"
        release_second.set()
        await two
    finally:
        await first.close()
        await second.close()
