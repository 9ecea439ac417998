"""The page's HTML: only balanced <b> survives from a rendered text; the lang of each script."""

from __future__ import annotations

import pytest

from bot.web.limits import AddressLimiter
from bot.web.page import html_lang, safe_html
from bot.web.visitor import Visitor


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
