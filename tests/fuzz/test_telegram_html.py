"""The strict Telegram HTML checker the fuzzer relies on: what it lets through, what it flags."""

from __future__ import annotations

import pytest

from tests.auxil.telegram_html import echoed_raw, html_problems, plain_problems


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "<b>bold</b> and <i>it</i> &lt;b&gt; &amp; &quot; &#39; &#x1F600;",
        '<a href="https://example.org/?a=1&amp;b=2">link</a>',
        '<pre><code class="language-python">x &lt; 1</code></pre>',
        '<blockquote expandable>q</blockquote> <span class="tg-spoiler">s</span>',
        "a > b",
    ],
)
def test_valid_telegram_html_passes(text: str) -> None:
    assert html_problems(text) == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("<script>x</script>", "not one Telegram allows"),
        ("<b>open", "unclosed"),
        ("<b><i>x</b></i>", "closes <i>"),
        ("x</b>", "closes nothing"),
        ("a < b", "unescaped '<'"),
        ("AT&T", "unescaped '&'"),
        ("&nbsp;", "unescaped '&'"),
        ("<br/>", "self-closing"),
        ('<span class="x">s</span>', "not allowed"),
        ("<a>x</a>", "without href"),
        ('<b onclick="x">y</b>', "attribute 'onclick'"),
        ("<!-- c -->x", "comment"),
        ("<b></b>", "empty"),
        ("x" * 4097, "over Telegram's 4096"),
        ("text <b", "'<'"),
    ],
)
def test_what_telegram_would_reject_is_flagged(text: str, why: str) -> None:
    problems = html_problems(text)
    assert any(why in p for p in problems), problems


def test_texts_shown_literally_must_hold_no_markup() -> None:
    assert plain_problems("Tom & <Jerry> took it", 200) == []
    assert plain_problems("Tom &amp; Jerry", 200)
    assert plain_problems("<b>Case closed.</b>", 200)
    assert plain_problems("x" * 201, 200)


@pytest.mark.parametrize(
    ("typed", "sent", "raw"),
    [
        ("<b>hello</b> x", "called “<b>hello</b> x”", True),
        ("<b>hello</b> x", "called “&lt;b&gt;hello&lt;/b&gt; x”", False),
        ("एॊ\u2068staff&", "called “एॊ\u2068staff&”.", True),
        # found in the 100,000-update soak: the escaped "&amp;" begins with the raw "&"
        ("एॊ\u2068staff&", "called “एॊ\u2068staff&amp;”.", False),
        ("&lt;b&gt;xyz", "called “&lt;b&gt;xyz”", False),  # what a typed "<b>xyz" becomes
    ],
)
def test_a_raw_echo_is_told_from_an_escaped_one(typed: str, sent: str, raw: bool) -> None:
    assert echoed_raw(typed, sent) is raw
