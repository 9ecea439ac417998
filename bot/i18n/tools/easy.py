"""Easy Japanese rules (ISA/文化庁 guideline): short sentences, plain forms, glossed key words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

__all__ = [
    "EASY_LOCALE",
    "EASY_RULES",
    "GLOSSED_WORDS",
    "GLOSS_REACH",
    "HONORIFICS",
    "LONG_OK_FLAG",
    "SENTENCE_LIMIT",
    "easy_faults",
    "sentence_length",
    "sentences",
]

EASY_LOCALE = "ja_easy"
# 出入国在留管理庁・文化庁「在留支援のためのやさしい日本語ガイドライン」(2020): short
# sentences, one idea each. The review (B §4a) measures them against 30 characters, spaces not
# counted.
SENTENCE_LIMIT = 30
# Per entry: exempt from the sentence length only (a list of names cannot be split).
LONG_OK_FLAG = "long-ok"
# A gloss is a bracket opened at most this many characters after the word (spaces not counted),
# so that 「しんせいしょ（…）」 explains しんせい, and the review's own rewrite (R1)
# 「どういします」（いいです） explains どうい.
GLOSS_REACH = 4

# Rule ids and what a translator reads in the summary of `tsunagu i18n check`.
EASY_RULES = {
    "easy-sentence": f"Easy Japanese: sentence over {SENTENCE_LIMIT} characters",
    "easy-must": "Easy Japanese: 〜なければ なりません",
    "easy-honorific": "Easy Japanese: 尊敬語 or 謙譲語",
    "easy-gloss": "Easy Japanese: key word without a gloss",
}

# The guideline asks for です・ます instead of 尊敬語 and 謙譲語 (review B §4a, E11). Kana and
# kanji spellings; \s* where Easy Japanese puts a space between phrases. Fixed greetings are
# allowed.
HONORIFICS: tuple[tuple[str, str], ...] = (
    ("お知らせします", r"お(?:知|し)らせ\s*(?:します|しました|いたし)"),
    ("お〜します", r"お(?:送|おく)り\s*します|お(?:伝|つた)え\s*します|お(?:待|ま)ち\s*します"),
    ("お〜します", r"お(?:届|とど)け\s*します|お(?:手伝|てつだ)い\s*します"),
    ("いたします", r"(?:致|いた)し(?:ます|ました|ません)"),
    ("いただく", r"(?:頂|いただ)(?:く|き|け)"),
    ("くださいませ", r"くださいませ"),
    ("ございます", r"ござい(?:ます|ました|ません)"),
    ("ご案内", r"ご(?:案内|あんない)"),
    ("ご〜", r"ご(?:注意|ちゅうい|確認|かくにん|利用|りよう|連絡|れんらく|記入|きにゅう)"),
    ("お住まい", r"お(?:住|す)まい"),
    ("申し上げる", r"(?:申|もう)し\s*(?:上|あ)げ"),
    ("存じる", r"(?:存|ぞん)じ(?:ます|ません|あげ|上げ)"),
    ("なさる", r"なさ(?:い|る|れ|って)"),
    ("いらっしゃる", r"いらっしゃ"),
    ("おっしゃる", r"おっしゃ"),
    ("ご覧", r"ご(?:覧|らん)"),
    ("伺う", r"(?:伺|うかが)(?:う|い|って)"),
    ("参る", r"(?:参|まい)り(?:ます|ました)"),
    ("拝見", r"拝見|はいけん"),
)
_HONORIFICS = tuple((name, re.compile(pattern)) for name, pattern in HONORIFICS)
# Set phrases, not honorific speech: removed before the patterns above are looked for.
_GREETINGS = re.compile(
    r"ありがとう\s*ござい(?:ます|ました)|おはよう\s*ございます|おめでとう\s*ございます"
    r"|おかえりなさい|ごめんなさい|おやすみなさい"
)
# The guideline's "no double negatives": the obligation 〜なければ なりません and its kin.
_MUST = re.compile(r"(?:なければ|なくては|なくちゃ)\s*(?:なりません|いけません|ならない|いけない)")

# Words that are hard even in kana and must be explained, in brackets, where an entry first uses
# them (review B §4a: "key words are left unexplained"; E2 どうい ほぞん, E4 たいしょう しんせい
# ないてい じょうけん; ざいりゅうしかく is explained by its kanji 在留資格).
GLOSSED_WORDS: tuple[str, ...] = (
    "どうい",
    "ほぞん",
    "しんせい",
    "ざいりゅうしかく",
    "たいしょう",
    "ないてい",
    "じょうけん",
)
# どういう / どういった ("what kind of") is not どうい (consent).
_GLOSSED = {
    word: re.compile(word + ("(?![うっ])" if word == "どうい" else "")) for word in GLOSSED_WORDS
}
_OPEN_BRACKETS = "（("

_TAG = re.compile(r"<[^<>]*>")
# ASCII only, without brackets: a URL in Japanese text ends where the Japanese resumes.
_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+")
_PLACEHOLDER = re.compile(r"\{\w*\}")
_COMMAND = re.compile(r"(?<![\w/])/[a-z_]+")
_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
# An official name in brackets, e.g. （在留資格） or (外食業): read at the counter, not a sentence.
_OFFICIAL_NAME = re.compile(rf"[（(](?=(?:[^（）()]*?[{_KANJI}]){{2}})[{_KANJI}・0-9０-９]+[）)]")
# What is left of "（{cause}）" once the placeholder is gone.
_EMPTY_BRACKETS = re.compile(r"[（(]\s*[）)]")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_BULLET = re.compile(r"^[・•\-–—\s]+")
_UNCOUNTED = frozenset({"Mn", "Me", "Cf", "Zs", "Cc"})


def _without_markup(text: str) -> str:
    return _TAG.sub("", text)


def sentences(text: str) -> list[str]:
    """The sentences of a text as counted (no tags, placeholders, commands, URLs, kanji names)."""
    plain = _without_markup(text)
    for pattern in (_URL, _PLACEHOLDER, _COMMAND, _OFFICIAL_NAME, _EMPTY_BRACKETS):
        plain = pattern.sub("", plain)
    found = (_BULLET.sub("", piece).strip() for piece in _SENTENCE_END.split(plain))
    return [piece for piece in found if sentence_length(piece)]


def sentence_length(sentence: str) -> int:
    """Characters of a sentence, spaces and combining marks not counted."""
    return sum(1 for ch in sentence if unicodedata.category(ch) not in _UNCOUNTED)


def easy_faults(text: str, flags: Collection[str] = ()) -> list[tuple[str, str]]:
    """Every breach of the Easy Japanese rules in one translation, as (rule id, fault)."""
    faults: list[tuple[str, str]] = []
    if LONG_OK_FLAG not in flags:
        faults += [
            (
                "easy-sentence",
                f"Easy Japanese: a sentence of {sentence_length(s)} characters (at most "
                f"{SENTENCE_LIMIT}: split it, or make a list): 「{_start(s)}」",
            )
            for s in sentences(text)
            if sentence_length(s) > SENTENCE_LIMIT
        ]
    plain = _without_markup(text)
    faults += [
        ("easy-must", f"Easy Japanese: 「{m.group()}」 (write 〜して ください)")
        for m in _MUST.finditer(plain)
    ]
    polite = _GREETINGS.sub("", plain)
    faults += [
        ("easy-honorific", f"Easy Japanese: {name} 「{m.group()}」 (write plain です・ます)")
        for name, pattern in _HONORIFICS
        for m in pattern.finditer(polite)
    ]
    faults += [
        (
            "easy-gloss",
            f"Easy Japanese: explain {word} in brackets where it first appears: {word}（…）",
        )
        for word in GLOSSED_WORDS
        if not _glossed(plain, word)
    ]
    return faults


def _glossed(text: str, word: str) -> bool:
    """True when ``word`` is absent, or a bracket follows its first use within GLOSS_REACH."""
    first = _GLOSSED[word].search(text)
    if first is None:
        return True
    after = "".join(text[first.end() :].split())
    return any(ch in _OPEN_BRACKETS for ch in after[: GLOSS_REACH + 1])


def _start(sentence: str) -> str:
    return sentence if len(sentence) <= 24 else sentence[:24] + "…"
