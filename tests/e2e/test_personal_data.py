"""Personal data: after /delete or the retention purge no table holds the person, even after a
restart; recent conversations are kept; `tsunagu purge` does the same from the command line."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from bot.jobs.retention import purge_once
from bot.storage.tables import Base
from tests.auxil import ROOT
from tests.auxil.staff_harness import SATO, Staff, at_situation, case_posted, start_staffed
from tests.auxil.telegram_harness import (
    Harness,
    settings_for,
    start_harness,
    stop_harness,
    wait_for,
)

PERSON = 987_654_321  # distinctive: no other id, count or date in the database contains it
WRITTEN = "Zyxwvut my company closed"
STAFF_WROTE = "Qwertyuiop please bring your card"


async def _every_row(harness: Harness) -> list[str]:
    rows: list[str] = []
    async with harness.channel.app.store.database.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows += [f"{table.name}: {row}" for row in (await conn.execute(select(table))).all()]
    return rows


def _about_person(rows: list[str]) -> list[str]:
    marks = (str(PERSON), "Zyxwvut", "Qwertyuiop")
    return [row for row in rows if any(mark in row for mark in marks)]


async def _person_with_a_case(harness: Harness) -> None:
    """A screening, a request for a person, messages both ways, translation feedback."""
    phone, sato = harness.phone(PERSON, "vi"), Staff(harness, SATO)
    await at_situation(phone)
    await phone.press("f:situation")
    await phone.send("/staff")
    await case_posted(harness, 1)
    await phone.send(WRITTEN)
    await sato.press("take", 1)
    await sato.write(1, STAFF_WROTE)
    await wait_for(lambda: STAFF_WROTE in phone.text())
    assert _about_person(await _every_row(harness)), "the test would see the person's rows"


async def _posts_sent(harness: Harness) -> None:
    async def queue_empty() -> bool:
        rows = await _every_row(harness)
        return not [r for r in rows if r.startswith("staff_posts")]

    for _ in range(200):
        if await queue_empty():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("staff posts still queued")


async def _restart(harness: Harness, tmp_path: Path) -> Harness:
    await stop_harness(harness)
    return await start_harness(tmp_path)


async def test_delete_leaves_no_row_about_the_person(tmp_path: Path) -> None:
    harness = await start_staffed(tmp_path)
    try:
        await _person_with_a_case(harness)
        phone = harness.phone(PERSON, "vi")
        await phone.send("/delete")
        await phone.press("a:delete:yes")
        await _posts_sent(harness)  # the case topic's deletion, then nothing is left
        assert _about_person(await _every_row(harness)) == []
        assert harness.api.named("deleteForumTopic"), "the case topic is deleted too"
    finally:
        harness = await _restart(harness, tmp_path)
    try:
        assert _about_person(await _every_row(harness)) == []
        assert await harness.channel.app.store.load(f"tg:{PERSON}") is None
    finally:
        await stop_harness(harness)


async def test_retention_purge_erases_idle_people_only(tmp_path: Path) -> None:
    harness = await start_staffed(tmp_path)
    try:
        await _person_with_a_case(harness)
        app = harness.channel.app
        keep = dt.timedelta(days=90)
        now = dt.datetime.now(dt.UTC)
        purge, store = app.conversations, app.store
        assert await purge_once(purge, store, keep, now + dt.timedelta(days=89)) == 0, "not idle"
        assert await app.store.load(f"tg:{PERSON}") is not None
        assert await purge_once(purge, store, keep, now + dt.timedelta(days=91)) == 1
        await _posts_sent(harness)
        assert _about_person(await _every_row(harness)) == []
    finally:
        harness = await _restart(harness, tmp_path)
    try:
        assert _about_person(await _every_row(harness)) == []
    finally:
        await stop_harness(harness)


async def test_purge_command_erases_from_the_database_file(tmp_path: Path) -> None:
    harness = await start_harness(tmp_path)
    try:
        phone = harness.phone(PERSON, "en")
        await phone.send("/start")
        await phone.answer_all("a:language:en", "a:privacy:agree:en", "a:role:applicant")
    finally:
        await stop_harness(harness)
    url = settings_for(tmp_path).database_url
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    kept = subprocess.run(
        [sys.executable, "-m", "bot.cli", "purge"], cwd=ROOT, env=env, capture_output=True,
        text=True, check=False, timeout=120,
    )  # fmt: skip
    assert kept.returncode == 0 and "erased 0 conversation(s)" in kept.stdout, kept.stderr
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "purge", "--days", "0"], cwd=ROOT, env=env,
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and "erased 1 conversation(s)" in done.stdout, done.stderr
    harness = await start_harness(tmp_path)
    try:
        assert _about_person(await _every_row(harness)) == []
    finally:
        await stop_harness(harness)


async def test_delete_removes_the_bots_messages_from_the_chat(tmp_path: Path) -> None:
    harness = await start_harness(tmp_path)
    try:
        phone = harness.phone(PERSON, "vi")
        await at_situation(phone)
        await phone.send("/help")  # more of the bot's own messages in the chat
        await phone.send("/delete")
        before = {m.message_id for m in phone.messages}
        assert len(before) >= 3
        await phone.press("a:delete:yes")
        assert not before & {m.message_id for m in phone.messages}, "the earlier ones are gone"
        erased = harness.channel.app.catalogs.translator("vi").format(
            "Everything we stored about you has been erased.", None, {}
        )
        assert erased in phone.text(), "the confirmation stays"
        assert _about_person(await _every_row(harness)) == []
    finally:
        await stop_harness(harness)
