"""The page's HTML: only balanced <b> survives from a rendered text; the lang of each script."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from bot.i18n import Catalogs
from bot.web.limits import AddressLimiter
from bot.web.page import Shown, html_lang, page, safe_html
from bot.web.run import qr_code
from bot.web.screens import IDLE_S, Screens
from bot.web.server import TOO_MANY
from bot.web.visitor import Visitor
from dialogs.engine import Engine
from tests.conftest import SHIPPED


@pytest.mark.parametrize(
    ("telegram", "page"),
    [
        ("<b>Status</b>: &lt;script&gt;", "<b>Status</b>: &lt;script&gt;"),
        ("<b>open", "<b>open</b>"),  # unbalanced: closed
        ("close</b> only", "close only"),
        ("<i>x</i> \" ' &amp;", "&lt;i&gt;x&lt;/i&gt; &quot; &#x27; &amp;"),
        ("&lt;b&gt;typed&lt;/b&gt;", "&lt;b&gt;typed&lt;/b&gt;"),  # a typed tag stays text
        (
            "See https://www.moj.go.jp/isa/a.html.",
            'See <a href="https://www.moj.go.jp/isa/a.html" rel="noopener noreferrer">'
            "https://www.moj.go.jp/isa/a.html</a>.",
        ),
        (
            'https://x.org/"onmouseover="a',
            '<a href="https://x.org/" rel="noopener noreferrer">https://x.org/</a>'
            "&quot;onmouseover=&quot;a",
        ),
    ],
)
def test_safe_html(telegram: str, page: str) -> None:
    assert safe_html(telegram) == page


@pytest.mark.parametrize(
    ("locale", "attributes"),
    [
        ("my", ("my", "ltr")),
        ("zh_Hans", ("zh-Hans", "ltr")),
        ("pt_BR", ("pt-BR", "ltr")),
        ("ja_easy", ("ja", "ltr")),
        ("ar", ("ar", "rtl")),
    ],
)
def test_html_lang(locale: str, attributes: tuple[str, str]) -> None:
    assert html_lang(locale) == attributes


def test_limiter_counts_a_sliding_minute_per_address() -> None:
    now = [0.0]
    limiter = AddressLimiter(2, clock=lambda: now[0])
    assert [limiter.allow("a"), limiter.allow("a"), limiter.allow("b")] == [0, 0, 0]
    assert limiter.allow("a") == pytest.approx(60.0)
    now[0] = 59.0
    assert limiter.allow("a") == pytest.approx(1.0)
    now[0] = 60.5
    assert limiter.allow("a") == 0


def test_visitor_ids_come_from_the_cookie_and_reveal_nothing() -> None:
    visitor = Visitor.new()
    again = Visitor.from_cookie(visitor.secret)
    assert again is not None and again.user == visitor.user and again.csrf == visitor.csrf
    assert visitor.secret not in visitor.user and visitor.secret not in visitor.csrf
    assert Visitor.from_cookie("web:forged") is None and Visitor.from_cookie(None) is None
    assert visitor.csrf_ok(visitor.csrf) and not visitor.csrf_ok(Visitor.new().csrf)


@pytest.mark.parametrize("locale", [code for code in SHIPPED if code != "en"])
def test_the_page_chrome_is_translated(catalogs: Catalogs, locale: str) -> None:
    tr, english = catalogs.translator(locale), catalogs.translator("en")
    body = page([Shown("<b>?</b>", ((("x", "a:q:x"),),))], tr, "token", typing=True)
    for msgid in ("Your message", "Send", "Erase my data", "Talk to a person"):
        context = "command" if msgid[0] in "ET" else "web"
        translated = tr.format(msgid, context, {})
        assert translated != english.format(msgid, context, {})
        assert html.escape(translated) in body
    assert f'lang="{html_lang(locale)[0]}"' in body
    assert tr.format(TOO_MANY, "web", {}) != TOO_MANY


def test_the_qr_code_holds_the_pages_address(tmp_path: Path) -> None:
    out = tmp_path / "qr.png"
    assert qr_code("https://screening.example.org/", out).startswith("wrote")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = qr_code("https://screening.example.org/", None)
    rows = text.splitlines()
    assert len({len(row) for row in rows}) == 1 and set(text) <= {"█", "▀", "▄", " ", "\n"}
    assert qr_code("https://other.example.org/", None) != text


def test_idle_pages_are_dropped_from_memory(engine: Engine) -> None:
    now = [0.0]
    screens = Screens(clock=lambda: now[0])
    screens.show("web:a", engine.new_session("web:a"), [Shown("answers")], keep=False)
    now[0] = IDLE_S - 1
    assert screens.get("web:a") is not None  # used: kept, and its idle time starts again
    now[0] += IDLE_S + 1
    assert screens.get("web:a") is None
