"""A strict checker of Telegram's HTML parse mode, and of texts Telegram shows literally.

Rules from the Bot API's "HTML style" (https://core.telegram.org/bots/api#html-style): only
the tags below, with only the attributes below, balanced and properly nested; ``<`` and ``&``
only as the start of a tag or of one of the four named entities or a numeric one. Stricter than
Telegram where Telegram guesses (a lone ``&``): a bot that escapes its input never needs that.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

__all__ = ["MESSAGE_LIMIT", "echoed_raw", "html_problems", "plain_problems"]

MESSAGE_LIMIT = 4096  # characters after entities parsing (sendMessage, editMessageText)

# tag -> the attributes it may carry (name -> required value, or None for any value)
_TAGS: dict[str, dict[str, str | None]] = {
    "b": {},
    "strong": {},
    "i": {},
    "em": {},
    "u": {},
    "ins": {},
    "s": {},
    "strike": {},
    "del": {},
    "tg-spoiler": {},
    "span": {"class": "tg-spoiler"},
    "a": {"href": None},
    "tg-emoji": {"emoji-id": None},
    "code": {"class": None},
    "pre": {},
    "blockquote": {"expandable": None},
}
_REQUIRED = {"span": "class", "a": "href", "tg-emoji": "emoji-id"}
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_NAMED = {"lt", "gt", "amp", "quot"}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.open: list[str] = []
        self.visible: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = _TAGS.get(tag)
        if allowed is None:
            self.problems.append(f"tag <{tag}> is not one Telegram allows")
            return
        names = {name for name, _ in attrs}
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"attribute {name!r} not allowed on <{tag}>")
            elif allowed[name] is not None and value != allowed[name]:
                self.problems.append(f"<{tag} {name}={value!r}> is not allowed")
        if tag in _REQUIRED and _REQUIRED[tag] not in names:
            self.problems.append(f"<{tag}> without {_REQUIRED[tag]}")
        if tag == "code" and attrs and (not self.open or self.open[-1] != "pre"):
            self.problems.append("<code class=…> outside <pre>")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/> is not Telegram HTML")

    def handle_endtag(self, tag: str) -> None:
        if not self.open:
            self.problems.append(f"</{tag}> closes nothing")
        elif self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1]}>")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data:
            self.problems.append(f"unescaped '<' in {data[:40]!r}")
        self.visible.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in _NAMED:
            self.problems.append(f"entity &{name}; is not one Telegram knows")
        self.visible.append("&")

    def handle_charref(self, name: str) -> None:
        self.visible.append("?")

    def handle_comment(self, data: str) -> None:
        self.problems.append("an HTML comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("a declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("a processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("an unknown declaration")


def html_problems(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """What Telegram would reject (or show wrongly) in ``text`` sent with parse_mode HTML."""
    problems = [
        f"unescaped '&' at {m.start()}: {text[m.start() : m.start() + 12]!r}"
        for m in re.finditer("&", text)
        if not _ENTITY.match(text, m.start())
    ]
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.rawdata:  # an unfinished tag at the very end ("… <b")
        problems.append(f"unfinished markup at the end: {checker.rawdata[:40]!r}")
    problems += checker.problems
    if checker.open:
        problems.append(f"unclosed tags: {checker.open}")
    visible = "".join(checker.visible)
    if not visible.strip():
        problems.append("the message is empty once tags are removed")
    if len(visible) > limit:
        problems.append(f"{len(visible)} characters, over Telegram's {limit}")
    return problems


def plain_problems(text: str, limit: int) -> list[str]:
    """What is wrong with a text Telegram shows as it is (a callback alert, a topic name)."""
    problems: list[str] = []
    if re.search(r"</?[a-z][a-z-]*[ >]", text):
        problems.append(f"HTML markup shown literally: {text[:60]!r}")
    if re.search(r"&(?:[a-z]+|#[0-9]+|#x[0-9a-f]+);", text, re.IGNORECASE):
        problems.append(f"an HTML entity shown literally: {text[:60]!r}")
    if len(text) > limit:
        problems.append(f"{len(text)} characters, over {limit}")
    return problems


def echoed_raw(typed: str, sent: str) -> bool:
    """Whether what a person ``typed`` appears unescaped in the HTML the bot ``sent``.

    Only texts whose raw form can never be the escaped form of another count: those with a
    ``<``, or an ``&`` that starts no entity (a typed "&lt;b&gt;" is what a typed "<b>" must
    become). Escaped occurrences are removed first: "staff&amp;" begins with "staff&".
    """
    core = typed.strip()
    if len(core) < 8 or not _RAW_ONLY.search(core):  # short: the bot's own markup could match
        return False
    return core in sent.replace(html.escape(core, quote=False), "")


_RAW_ONLY = re.compile(r"<|&(?!(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);)")
