"""The web page through the real aiohttp app: a screening, back, review, erase, and its guards."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.i18n.render import render, to_plain
from bot.simulate import simulate
from bot.web.run import build_web_core
from bot.web.screens import WEB_PRIVACY
from bot.web.server import HEADERS, RUNNER_OPTIONS, build_web_app
from bot.web.visitor import COOKIE, Visitor
from dialogs.scenarios import SCENARIOS
from tests.auxil.web import WebVisitor, parse_page, screen_through
from tests.web.conftest import MakeClient, web_settings

CARE_KANAGAWA = SCENARIOS[0]
FIRST_PAGE_LIMIT = 50 * 1024


def _cookie(client: TestClient[Any, Any]) -> str:
    return next(c.value for c in client.session.cookie_jar if c.key == COOKIE)


async def test_first_page_speaks_the_browsers_language_safely(make_client: MakeClient) -> None:
    client, app = await make_client()
    response = await client.get("/", headers={"Accept-Language": "fr;q=0.9, my, en;q=0.5"})
    body = await response.text()
    page = parse_page(body)
    assert (page.lang, page.direction) == ("my", "ltr")
    language_question = app.catalogs.translator("my").format(
        "Please choose your language.", None, {}
    )
    assert language_question in page.text
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    assert "unsafe-inline" not in HEADERS["Content-Security-Policy"]  # no inline script or style
    assert "<script" not in body and " style=" not in body  # the first page has no script at all
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    style = await client.get("/style.css")
    assert style.status == 200 and style.headers["Content-Security-Policy"]
    size = len(body.encode()) + len((await style.text()).encode())
    assert size < FIRST_PAGE_LIMIT, size


async def test_a_whole_screening_ends_with_the_same_result_as_the_engine(
    make_client: MakeClient,
) -> None:
    client, app = await make_client()
    visitor = WebVisitor(client, "vi-VN,vi;q=0.9")
    await screen_through(visitor, "vi", dict(CARE_KANAGAWA.answers))
    expected = simulate(app.engine, app.catalogs, "vi", dict(CARE_KANAGAWA.answers))
    assert expected.outcome == CARE_KANAGAWA.outcome
    assert to_plain(expected.messages[-1]) in visitor.page.text
    assert visitor.page.lang == "vi"
    user = Visitor(_cookie(client)).user
    session = await app.conversations.session_of(user)
    assert session is not None and session.outcome == CARE_KANAGAWA.outcome
    # Only the page and the form's address ever appear in URLs: no ids, no answers.
    assert set(visitor.locations) == {"/#now"}
    assert visitor.page.actions == {"/act"}
    secret = _cookie(client)
    assert all(secret not in link and user not in link for link in visitor.page.links)


async def test_back_returns_to_the_previous_question_and_review_changes_an_answer(
    make_client: MakeClient,
) -> None:
    client, app = await make_client()
    visitor = WebVisitor(client)
    await visitor.open()
    await visitor.press("a:language:en")
    await visitor.answer("privacy", "agree")
    await visitor.press("a:role:applicant")
    assert visitor.page.value_for("a:status:")
    await visitor.press("c:back")
    assert visitor.page.value_for("a:role:"), visitor.page.buttons
    await visitor.press("a:role:applicant")
    answers = dict(CARE_KANAGAWA.answers)
    for question in ("status", "situation", "cause", "wish_ssw", "contract", "field"):
        await visitor.answer(question, answers[question])
    await visitor.type("Kanagawa")
    edit = [v for v in visitor.page.value_for("a:review:") if "field" in v]
    assert edit, visitor.page.buttons  # the review card offers to change the field
    await visitor.press(edit[0])
    await visitor.press("a:field:agriculture")
    user = Visitor(_cookie(client)).user
    session = await app.conversations.session_of(user)
    assert session is not None and session.answers["field"] == "agriculture"
    assert session.answers["prefecture"] == "kanagawa"  # still valid: kept, not asked again


async def test_erase_removes_the_data_and_the_id(make_client: MakeClient) -> None:
    client, app = await make_client()
    visitor = WebVisitor(client)
    await screen_through(visitor, "en", dict(CARE_KANAGAWA.answers))
    old = Visitor(_cookie(client)).user
    assert await app.conversations.session_of(old) is not None
    await visitor.press("c:delete")
    yes = [v for v in visitor.page.value_for("a:") if v.endswith(":yes")]
    await visitor.press(yes[0])
    assert await app.conversations.session_of(old) is None
    assert await app.store.history(old) == []
    new = Visitor(_cookie(client)).user
    assert new != old  # a new anonymous id: nothing links the browser to what was erased
    assert visitor.page.text  # the confirmation is shown
    assert await app.conversations.session_of(new) is None


async def test_mydata_shows_the_anonymous_id_never_the_cookie(make_client: MakeClient) -> None:
    client, _app = await make_client()
    visitor = WebVisitor(client)
    await visitor.open()
    await visitor.press("a:language:en")
    await visitor.answer("privacy", "agree")
    await visitor.press("c:mydata")
    user = Visitor(_cookie(client)).user
    assert user.removeprefix("web:") in visitor.page.text  # /mydata shows the id after "web:"
    assert _cookie(client) not in visitor.page.html.replace(Visitor(_cookie(client)).csrf, "")


async def test_a_form_without_the_visitors_token_changes_nothing(make_client: MakeClient) -> None:
    client, app = await make_client()
    visitor = WebVisitor(client)
    await visitor.open()
    await visitor.press("a:language:en")
    await visitor.answer("privacy", "agree")
    user = Visitor(_cookie(client)).user
    before = await app.conversations.session_of(user)
    for token in ("", "0" * 64, Visitor.new().csrf):
        response = await client.post(
            "/act", data={"csrf": token, "b": "c:delete"}, allow_redirects=False
        )
        assert response.status == 403
    assert await app.conversations.session_of(user) == before
    # A forged button with the right token is ignored, not an error.
    assert await visitor.post(b="a:status:nonsense<script>") == 303
    assert await app.conversations.session_of(user) == before


async def test_typed_text_is_escaped(make_client: MakeClient) -> None:
    client, _app = await make_client(TSUNAGU_STAFF_CHAT_ID="-1001")
    visitor = WebVisitor(client)
    await visitor.open()
    await visitor.press("a:language:en")
    await visitor.answer("privacy", "agree")
    await visitor.press("c:staff")
    assert visitor.page.text_box
    await visitor.type('<script>alert("x")</script><b>')
    assert "<script>" not in visitor.page.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;" in visitor.page.html
    assert '<script>alert("x")</script><b>' in visitor.page.text  # shown as typed


async def test_without_a_token_the_page_gives_helplines_not_a_wait(tmp_path: Path) -> None:
    # A staff group is set but this process has no token to post there: no case nobody sees.
    app, desk = await build_web_core(web_settings(tmp_path, TSUNAGU_STAFF_CHAT_ID="-1001"))
    server = TestServer(build_web_app(app))
    await server.start_server(**RUNNER_OPTIONS)
    client = TestClient(server)
    await client.start_server()
    try:
        assert desk is None
        visitor = WebVisitor(client)
        await visitor.open()
        await visitor.press("a:language:en")
        await visitor.answer("privacy", "agree")
        await visitor.press("c:staff")
        session = await app.conversations.session_of(Visitor(_cookie(client)).user)
        assert session is not None and not session.owner.held
        unavailable = app.engine.screens.staff_unavailable()
        text = render(unavailable, app.catalogs.translator("en")).text
        assert to_plain(text) in visitor.page.text
    finally:
        await client.close()
        await app.close()


async def test_too_many_requests_from_one_address_are_refused(make_client: MakeClient) -> None:
    client, _app = await make_client(TSUNAGU_WEB_REQUESTS_PER_MINUTE="5")
    statuses = []
    for _ in range(7):
        response = await client.get("/", headers={"Accept-Language": "ja"})
        statuses.append(response.status)
    assert statuses == [200] * 5 + [429] * 2
    assert int(response.headers["Retry-After"]) >= 1
    page = parse_page(await response.text())
    assert page.lang == "ja" and page.messages and not page.buttons


async def test_logs_carry_no_cookie_and_no_answers(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client, _app = await make_client()
    visitor = WebVisitor(client)
    await screen_through(visitor, "en", dict(CARE_KANAGAWA.answers))
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    assert _cookie(client) not in logged
    assert "Kanagawa" not in logged and "127.0.0.1" not in logged


async def test_the_japanese_card_is_marked_japanese_on_a_vietnamese_page(
    make_client: MakeClient,
) -> None:
    client, _app = await make_client()
    visitor = WebVisitor(client, "vi")
    await screen_through(visitor, "vi", dict(CARE_KANAGAWA.answers))
    await visitor.press("a:result:japanese")
    assert visitor.page.lang == "vi"
    assert visitor.page.html.count(' lang="ja"') == 1  # the card alone, for its fonts
    assert "在留資格" in visitor.page.text


async def test_odd_requests_get_plain_answers(make_client: MakeClient) -> None:
    client, _app = await make_client()
    response = await client.get("/", headers={"Accept-Language": "!!!, x;q=zz, *;q=0.5, é"})
    assert response.status == 200 and parse_page(await response.text()).lang == "en"
    visitor = WebVisitor(client)
    await visitor.open()
    big = await client.post(
        "/act", data={"csrf": next(iter(visitor.page.csrf)), "text": "x" * 20_000}
    )
    assert big.status == 413  # forms are small; nothing is read past 16 KB
    missing = await client.get("/anything")
    assert missing.status == 404 and missing.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("locale", ["vi", "my", "ja_easy"])
async def test_the_privacy_notice_says_what_the_page_stores(
    make_client: MakeClient, locale: str
) -> None:
    client, app = await make_client()
    visitor = WebVisitor(client)
    await visitor.open()
    await visitor.press(f"a:language:{locale}")
    note = app.catalogs.translator(locale).format(WEB_PRIVACY, "web", {})
    assert note != WEB_PRIVACY
    assert note in visitor.page.text and visitor.page.value_for("a:privacy:agree")
    await visitor.answer("privacy", "agree")
    assert note not in visitor.page.text  # only under the notice
