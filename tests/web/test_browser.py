"""The page in a real Chromium (the system's, driven by Playwright): three scripts, back, review,
erase, and a staff member's reply; screenshots kept in tests/web/screenshots/ (git-ignored).

Skipped when Chromium or Playwright is missing; `.ci/run` installs both, so CI always runs them.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app import App, build_app
from bot.config import LOCALES_DIR
from bot.i18n import Catalogs
from bot.simulate import simulate
from bot.storage import CaseBook
from bot.web.server import RUNNER_OPTIONS, build_web_app
from bot.web.visitor import COOKIE, Visitor
from dialogs.scenarios import SCENARIOS
from tests.auxil.staff_harness import NGUYEN, Staff, case_posted, start_staffed
from tests.auxil.telegram_harness import stop_harness, wait_for
from tests.web.conftest import web_settings

playwright = pytest.importorskip("playwright.async_api", reason="pip install playwright")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="no Chromium: apt-get install chromium (CI installs it in .ci/run)",
)
# Never `playwright install` (it downloads a browser): the system's Chromium, offline.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}  # a common phone's CSS viewport
CARE_KANAGAWA = SCENARIOS[0]


@dataclass
class Site:
    url: str
    app: App


async def _serve(app: App, poll_seconds: int = 15) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(build_web_app(app, poll_seconds=poll_seconds), **RUNNER_OPTIONS)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}/"


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    app = await build_app(web_settings(tmp_path))
    runner, url = await _serve(app)
    yield Site(url, app)
    await runner.cleanup()
    await app.close()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with playwright.async_playwright() as driver:
        chromium = await driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        await chromium.close()


class Phone:
    """A phone's browser on the page: presses buttons, types, takes screenshots."""

    def __init__(self, page: Any, url: str, name: str, label: str) -> None:
        self.page, self.url, self.name, self.label = page, url, name, label
        self.shots = 0

    async def values(self) -> list[str]:
        buttons = self.page.locator("button[name=b]")
        return [await buttons.nth(i).get_attribute("value") for i in range(await buttons.count())]

    async def press(self, value: str) -> None:
        # Each press posts a form and is redirected to the new page: wait for that page.
        async with self.page.expect_navigation():
            await self.page.locator(f'button[value="{value}"]').first.click()

    async def type(self, text: str) -> None:
        await self.page.get_by_label(self.label).fill(text)  # found by its label, as people do
        async with self.page.expect_navigation():
            await self.page.locator("form:has(#text) button").click()

    async def text(self) -> str:
        return str(await self.page.locator("main").inner_text())

    async def shot(self, what: str) -> Path:
        SHOTS.mkdir(exist_ok=True)
        self.shots += 1
        path = SHOTS / f"{self.name}-{self.shots:02d}-{what}.png"
        await self.page.screenshot(path=str(path), full_page=True)
        return path

    async def user(self) -> str:
        cookies = await self.page.context.cookies()
        return Visitor(next(c["value"] for c in cookies if c["name"] == COOKIE)).user

    async def screen(self, locale: str, answers: dict[str, str], prefecture: str) -> None:
        """Language, consent, every question, the prefecture typed, the review confirmed."""
        wanted = {"language": locale, "privacy": "agree", "role": "applicant", **answers}
        wanted.pop("prefecture")
        for _ in range(30):
            values = await self.values()
            if any(v.startswith("a:review:confirm") for v in values):
                await self.shot("review")
                await self.press(next(v for v in values if v.startswith("a:review:confirm")))
                return
            prefixes = [f"a:{question}:{option}" for question, option in wanted.items()]
            pressable = [v for p in prefixes for v in values if v == p or v.startswith(p + ":")]
            if pressable:
                await self.press(pressable[0])
            else:
                await self.shot("prefecture")
                await self.type(prefecture)
        raise AssertionError("the screening did not end")


async def _phone(browser: Any, url: str, locale: str, name: str) -> Phone:
    context = await browser.new_context(locale=locale, viewport=PHONE, is_mobile=True)
    page = await context.new_page()
    await page.goto(url)
    label = Catalogs(LOCALES_DIR).translator(locale[:2]).format("Your message", "web", {})
    return Phone(page, url, name, label)


@pytest.mark.parametrize(("locale", "tag"), [("vi", "vi-VN"), ("my", "my-MM"), ("ja", "ja-JP")])
async def test_a_whole_screening_in_three_scripts(
    site: Site, browser: Any, locale: str, tag: str
) -> None:
    phone = await _phone(browser, site.url, tag, locale)
    assert await phone.page.get_attribute("html", "lang") == locale  # from Accept-Language
    await phone.shot("first")
    prefecture = site.app.catalogs.translator(locale).format("Kanagawa", "prefecture", {})
    await phone.screen(locale, dict(CARE_KANAGAWA.answers), prefecture)
    await phone.shot("result")
    expected = simulate(site.app.engine, site.app.catalogs, locale, dict(CARE_KANAGAWA.answers))
    first_line = expected.messages[-1].split("\n")[0]
    assert first_line.replace("<b>", "").replace("</b>", "") in await phone.text()
    assert phone.page.url == site.url + "#now"  # nothing about the person in the address


async def test_back_review_and_erase_in_the_browser(site: Site, browser: Any) -> None:
    phone = await _phone(browser, site.url, "ja-JP", "ja-back")
    await phone.press("a:language:ja")
    await phone.press(next(v for v in await phone.values() if v.startswith("a:privacy:agree")))
    await phone.press("a:role:applicant")
    await phone.press("c:back")
    assert "a:role:applicant" in await phone.values()
    await phone.page.keyboard.press("Tab")  # the keyboard reaches the buttons, focus is visible
    focused = phone.page.locator("button:focus")
    assert await focused.count() == 1
    assert await focused.evaluate("b => getComputedStyle(b).outlineStyle") == "solid"
    await phone.shot("back-focus")
    prefecture = site.app.catalogs.translator("ja").format("Kanagawa", "prefecture", {})
    await phone.screen("ja", dict(CARE_KANAGAWA.answers), prefecture)
    user = await phone.user()
    assert (await site.app.conversations.session_of(user)) is not None
    await phone.press("c:delete")
    await phone.press(next(v for v in await phone.values() if v.endswith(":yes")))
    await phone.shot("erased")
    assert await site.app.conversations.session_of(user) is None
    assert await phone.user() != user  # a new anonymous id


async def test_a_person_answers_in_the_browser(tmp_path: Path, browser: Any) -> None:
    harness = await start_staffed(tmp_path)
    runner, url = await _serve(harness.channel.app, poll_seconds=1)
    try:
        phone = await _phone(browser, url, "my-MM", "my-staff")
        answers = dict(CARE_KANAGAWA.answers)
        await phone.screen("my", answers, "Kanagawa")
        await phone.press("c:staff")
        case = await CaseBook(harness.channel.app.store.database).open_case_of(await phone.user())
        assert case is not None
        await case_posted(harness, case.id)
        staff = Staff(harness, NGUYEN)
        await phone.type("ကူညီပါ")
        await wait_for(lambda: any("ကူညီပါ" in p.text for p in staff.posts(case.id)))
        await staff.write(case.id, "မင်္ဂလာပါ၊ ကျွန်တော် ကူညီပေးပါမယ်။")
        # No reload by hand: the page's script finds the reply and shows it.
        await phone.page.get_by_text("မင်္ဂလာပါ၊ ကျွန်တော် ကူညီပေးပါမယ်။").wait_for(timeout=20_000)
        await phone.shot("staff-reply")
    finally:
        await runner.cleanup()
        await stop_harness(harness)
