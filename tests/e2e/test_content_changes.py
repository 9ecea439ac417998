"""After a content update: who would now get another outcome, and telling those who opted in."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path

from bot.storage import Change
from tests.auxil import ROOT
from tests.auxil.telegram_harness import (
    TITP_TO_CARE,
    Harness,
    Phone,
    settings_for,
    start_harness,
    stop_harness,
)

CHANGED = "<b>Your result has changed.</b>"
CHANGED_MSGID = (
    f"{CHANGED} The information this bot uses was updated, and with your answers the result is "
    "now different. Here it is:"
)


async def _finish(phone: Phone, locale: str, notify: bool) -> None:
    await phone.send("/start")
    await phone.answer_all(
        f"a:language:{locale}", f"a:privacy:agree:{locale}", *TITP_TO_CARE,
        "a:prefecture:region:kanto", "a:prefecture:tokyo", "a:review:confirm",
    )  # fmt: skip
    assert "a:result:notify" in [d for _, d in phone.last.buttons], "offered under the result"
    if notify:
        await phone.press("a:result:notify")


async def _decided_under_old_content(harness: Harness, user: str) -> None:
    """As if the screening had been decided under an older content version, differently."""
    store = harness.channel.app.store
    session = await store.load(user)
    assert session is not None and session.outcome == "apply_change_of_status"
    old = dataclasses.replace(session, outcome="not_eligible", content_version="2020-01-01")
    await store.commit(Change(user, dt.datetime.now(dt.UTC), session=old))


async def test_those_who_asked_get_their_new_result_at_start(tmp_path: Path) -> None:
    harness = await start_harness(tmp_path)
    try:
        await _finish(harness.phone(31, "vi"), "vi", notify=True)
        await _finish(harness.phone(32, "en"), "en", notify=False)
        await _decided_under_old_content(harness, "tg:31")
        await _decided_under_old_content(harness, "tg:32")
    finally:
        await stop_harness(harness)
    listed = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "changes"], cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": settings_for(tmp_path).database_url},
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert "2 finished screening(s) would end differently" in listed.stdout
    assert "tg:31\tvi\tnot_eligible -> apply_change_of_status\twill be told" in listed.stdout
    assert "tg:32\ten\tnot_eligible -> apply_change_of_status\tdid not ask" in listed.stdout
    harness = await start_harness(tmp_path)  # start-up: content loaded, changes told
    try:
        vi = harness.channel.app.catalogs.translator("vi")
        heading = vi.format(CHANGED_MSGID, None, {})
        told = harness.phone(31, "vi").last
        assert heading in told.text and "在留資格変更許可申請書" in told.text
        assert not [m for m in harness.phone(32, "en").messages if CHANGED in m.text]
        store = harness.channel.app.store
        updated = await store.load("tg:31")
        assert updated is not None and updated.outcome == "apply_change_of_status"
        untold = await store.load("tg:32")
        assert untold is not None and untold.outcome == "not_eligible", "staff can still see"
    finally:
        await stop_harness(harness)
    again = await start_harness(tmp_path)  # told once, not at every start
    try:
        assert again.phone(31, "vi").messages == []
    finally:
        await stop_harness(again)


async def test_mydata_says_the_person_asked_to_be_told(tmp_path: Path) -> None:
    harness = await start_harness(tmp_path)
    try:
        phone = harness.phone(33, "en")
        await _finish(phone, "en", notify=True)
        await phone.send("/mydata")
        assert "You asked to be told if updated information changes your result." in phone.text()
        assert "a:result:notify" not in [d for _, d in phone.last.buttons]
    finally:
        await stop_harness(harness)
