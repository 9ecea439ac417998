"""A web visitor talks to a person: the case in the staff group, and staff replies on the page."""

from __future__ import annotations

from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.conversation import utc_now
from bot.storage import CaseBook, Change, Outgoing
from bot.storage.payloads import NO_CHAT, Send
from bot.web.server import RUNNER_OPTIONS, build_web_app
from bot.web.visitor import COOKIE, Visitor
from dialogs.scenarios import SCENARIOS
from tests.auxil.fakes import STAFF_CHAT
from tests.auxil.staff_harness import NGUYEN, Staff, case_posted, start_staffed
from tests.auxil.telegram_harness import stop_harness, wait_for
from tests.auxil.web import WebVisitor, screen_through


async def test_a_web_visitor_and_a_staff_member_write_to_each_other(tmp_path: Path) -> None:
    # The Telegram channel (staff group, desk) and the page share one App, as in one deployment.
    harness = await start_staffed(tmp_path)
    server = TestServer(build_web_app(harness.channel.app))
    await server.start_server(**RUNNER_OPTIONS)
    client = TestClient(server)
    await client.start_server()
    try:
        visitor = WebVisitor(client, "vi")
        await screen_through(visitor, "vi", dict(SCENARIOS[0].answers))
        await visitor.press("c:staff")
        assert visitor.page.text_box  # the page now asks for their message
        user = Visitor(next(c.value for c in client.session.cookie_jar if c.key == COOKIE)).user
        case = await CaseBook(harness.channel.app.store.database).open_case_of(user)
        assert case is not None
        await case_posted(harness, case.id)
        staff = Staff(harness, NGUYEN)
        assert "vi" in harness.api.topics[staff.topic(case.id)]  # "#1 · vi": no name, no id

        await visitor.type("Tôi cần giúp đỡ <b>gấp</b>")
        assert "Tôi cần giúp đỡ <b>gấp</b>" in visitor.page.text  # their words, escaped
        await wait_for(lambda: any("Tôi cần giúp đỡ" in p.text for p in staff.posts(case.id)))

        assert '<script src="/poll.js"' in visitor.page.html  # it looks for the reply
        assert await (await client.get("/news")).json() == {"waiting": 0}
        await staff.write(case.id, "Chào bạn, tôi là nhân viên hỗ trợ.")
        assert (await (await client.get("/news")).json())["waiting"] >= 1
        await visitor.open()  # a reload (poll.js's, or the person's) shows what staff wrote
        assert await (await client.get("/news")).json() == {"waiting": 0}
        assert "Chào bạn, tôi là nhân viên hỗ trợ." in visitor.page.text
        taken = harness.channel.app.catalogs.translator("vi").format(
            "A staff member is now answering you. Write your messages here.", None, {}
        )
        assert taken in visitor.page.text
        await visitor.open()  # shown once, not again at the next reload
        assert visitor.page.text.count("Chào bạn, tôi là nhân viên hỗ trợ.") == 1
        assert not harness.api.chat(0)  # nothing went to a Telegram chat for the visitor
        assert harness.api.chat(STAFF_CHAT, staff.topic(case.id))
    finally:
        await client.close()
        await stop_harness(harness)


async def test_the_telegram_process_leaves_a_visitors_messages_to_the_page(
    tmp_path: Path,
) -> None:
    # Committed for a web visitor (a staff reply), unsent at a restart: not a Telegram message.
    harness = await start_staffed(tmp_path)
    try:
        app = harness.channel.app
        owed = Outgoing(Send(NO_CHAT, "Chào bạn"))
        await app.store.commit(Change("web:0123456789abcdef01234567", utc_now(), outbox=[owed]))
        assert await harness.channel.resend_unsent() == 0
        assert not harness.api.named("sendMessage")
        assert [m for _, _, m in await app.store.unsent("web:0123456789abcdef01234567")] == [owed]
    finally:
        await stop_harness(harness)
