"""`tsunagu web` beside `tsunagu run` on one PostgreSQL database: two Apps, as two processes.

The page's App opens the case; the Telegram App's pacer posts it and receives the staff reply,
which the page shows when reloaded. Runs when TSUNAGU_TEST_POSTGRES_URL is set (`.ci/run`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.conversation import utc_now
from bot.storage import CaseBook, Roster, StaffMember
from bot.telegram.application import build_application, start_channel
from bot.web.run import build_web_core
from bot.web.server import RUNNER_OPTIONS, build_web_app
from bot.web.visitor import COOKIE, Visitor
from dialogs.scenarios import SCENARIOS
from tests.auxil.fakes import STAFF_CHAT, TOKEN, BotApi, RecordingRequest
from tests.auxil.staff_harness import ALWAYS_OPEN, NGUYEN, Staff, case_posted
from tests.auxil.telegram_harness import Harness, stop_harness, wait_for
from tests.auxil.web import WebVisitor, screen_through
from tests.conftest import POSTGRES_URL, fresh_database

pytestmark = pytest.mark.skipif(POSTGRES_URL is None, reason="TSUNAGU_TEST_POSTGRES_URL not set")


async def test_the_page_and_the_bot_share_a_case_through_postgresql(tmp_path: Path) -> None:
    await (await fresh_database("postgresql", tmp_path)).close()
    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL=POSTGRES_URL,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TSUNAGU_STAFF_CHAT_ID=STAFF_CHAT,
        **ALWAYS_OPEN,
    )
    api = BotApi()
    application = build_application(settings, request=RecordingRequest(api), rate_limiter=False)
    await application.initialize()
    channel = await start_channel(application, settings, utc_now)  # its pacer posts
    await application.start()
    harness = Harness(api, application, channel)
    roster = Roster(channel.app.store.database)
    await roster.add(StaffMember(NGUYEN, "Nguyen", ("vi",), "ja"), dt.datetime.now(dt.UTC))
    web_app, desk = await build_web_core(settings)  # the other process
    server = TestServer(build_web_app(web_app))
    await server.start_server(**RUNNER_OPTIONS)
    client = TestClient(server)
    await client.start_server()
    try:
        assert desk is not None
        visitor = WebVisitor(client, "vi")
        await screen_through(visitor, "vi", dict(SCENARIOS[0].answers))
        await visitor.press("c:staff")
        user = Visitor(next(c.value for c in client.session.cookie_jar if c.key == COOKIE)).user
        case = await CaseBook(web_app.store.database).open_case_of(user)
        assert case is not None
        await case_posted(harness, case.id)
        staff = Staff(harness, NGUYEN)
        await visitor.type("Tôi cần giúp đỡ")
        await wait_for(lambda: any("Tôi cần giúp đỡ" in p.text for p in staff.posts(case.id)))
        await staff.write(case.id, "Chào bạn, tôi là Nguyen.")
        await visitor.open()
        assert "Chào bạn, tôi là Nguyen." in visitor.page.text
        session = await web_app.conversations.session_of(user)
        assert session is not None and session.owner.value == "staff"  # the bot's change, seen
        assert not api.chat(0)
    finally:
        await client.close()
        if desk is not None:
            await desk.stop()
        await web_app.close()
        await stop_harness(harness)
