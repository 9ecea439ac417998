"""A web page visitor, driven through aiohttp's test client: reads forms, presses buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp.test_utils import TestClient

__all__ = ["Page", "WebVisitor", "parse_page", "screen_through"]


@dataclass
class Page:
    """What a person sees and can press on one page."""

    html: str
    lang: str = ""
    direction: str = ""
    messages: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    csrf: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    text_box: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(self.messages)

    def value_for(self, prefix: str) -> list[str]:
        return [value for _, value in self.buttons if value.startswith(prefix)]


class _Reader(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_message = 0
        self.button: str | None = None
        self.label = ""
        self.current = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.page.lang, self.page.direction = a.get("lang") or "", a.get("dir") or ""
        elif tag == "div" and "msg" in (a.get("class") or "").split():
            self.in_message, self.current = 1, ""
        elif tag == "div" and self.in_message:
            self.in_message += 1
        elif tag == "button":
            self.button, self.label = a.get("value") or "", ""
        elif tag == "form":
            self.page.actions.add(a.get("action") or "")
        elif tag == "input" and a.get("name") == "csrf":
            self.page.csrf.add(a.get("value") or "")
        elif tag == "input" and a.get("name") == "text":
            self.page.text_box = True
        for name in ("href", "src", "action"):
            if a.get(name):
                self.page.links.append(a[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.in_message:
            self.in_message -= 1
            if not self.in_message:
                self.page.messages.append(self.current)
        elif tag == "button" and self.button is not None:
            self.page.buttons.append((self.label, self.button))
            self.button = None

    def handle_data(self, data: str) -> None:
        if self.in_message:
            self.current += data
        if self.button is not None:
            self.label += data


def parse_page(html: str) -> Page:
    page = Page(html)
    _Reader(page).feed(html)
    return page


class WebVisitor:
    """One browser: keeps its cookie (the client's jar), reads each page after a redirect."""

    def __init__(self, client: TestClient[Any, Any], accept_language: str = "en") -> None:
        self.client = client
        self.accept_language = accept_language
        self.page = Page("")
        self.locations: list[str] = []

    async def open(self) -> Page:
        response = await self.client.get("/", headers={"Accept-Language": self.accept_language})
        assert response.status == 200, response.status
        self.page = parse_page(await response.text())
        return self.page

    async def post(self, **fields: str) -> int:
        form = {"csrf": next(iter(self.page.csrf), ""), **fields}
        response = await self.client.post("/act", data=form, allow_redirects=False)
        if response.status == 303:
            self.locations.append(response.headers["Location"])
            await self.open()
        return response.status

    async def press(self, value: str) -> Page:
        assert value in [v for _, v in self.page.buttons], (value, self.page.buttons)
        assert await self.post(b=value) == 303
        return self.page

    async def type(self, text: str) -> Page:
        assert self.page.text_box, "no text box on this page"
        assert await self.post(text=text) == 303
        return self.page

    async def answer(self, question: str, option: str) -> Page:
        """Press the option, or type it where the page asks for typing (the prefecture)."""
        value = f"a:{question}:{option}"
        for _, pressable in self.page.buttons:  # the privacy answer also names the language
            if pressable == value or pressable.startswith(value + ":"):
                return await self.press(pressable)
        return await self.type(option)


async def screen_through(visitor: WebVisitor, locale: str, answers: dict[str, str]) -> None:
    """From the first page to the result: language, consent, then every question asked."""
    await visitor.open()
    await visitor.press(f"a:language:{locale}")
    wanted = {"privacy": "agree", "role": "applicant", "review": "confirm", **answers}
    for _ in range(40):
        questions = {v.split(":")[1] for v in visitor.page.value_for("a:")}
        asked = [q for q in wanted if q in questions]
        if not asked:
            if visitor.page.text_box and "prefecture" in wanted:
                await visitor.type(wanted.pop("prefecture"))
                continue
            return
        question = asked[0]
        await visitor.answer(question, wanted.pop(question))
    raise AssertionError("the screening did not end")
