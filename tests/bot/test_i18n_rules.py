"""The readability rules of `tsunagu i18n check`: button width, Easy Japanese, the glossary."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import write_po

from bot.config import LOCALES_DIR
from bot.i18n import Catalogs
from bot.i18n.tools.audience import staff_facing
from bot.i18n.tools.buttons import BUTTON_COLUMNS, display_width, label_width, widest_label
from bot.i18n.tools.check import Problem, check_catalog, read_catalog, text_of
from bot.i18n.tools.commands import pot_path, rule_summary, widest_buttons
from bot.i18n.tools.easy import SENTENCE_LIMIT, easy_faults, sentence_length, sentences
from bot.i18n.tools.glossary import GLOSSARY_FILE, GlossaryError, load_glossary, unused_terms
from bot.i18n.tools.stats import sentence_figures

Entry = tuple[str | None, str, str]  # context, msgid, msgstr

GLOSSARY = """
terms:
  - id: status_of_residence
    en: [status of residence]
    ja: 在留資格
    locales:
      ja: {use: 在留資格, source: ISA}
      ja_easy: {use: [在留資格, ざいりゅうしかく], source: ISA}
      pt_BR: {use: status de residência, source: no official rendering found}
"""


def _catalog_file(
    root: Path,
    locale: str,
    entries: list[Entry],
    *,
    flags: tuple[str, ...] = (),
    where: str = "dialogs/screens.py",
) -> Path:
    catalog = Catalog(locale=locale.split("_", maxsplit=1)[0])
    for context, msgid, msgstr in entries:
        catalog.add(msgid, msgstr, context=context, flags=flags, locations=[(where, 1)])
    path = root / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)
    return path


def _rules(
    root: Path,
    locale: str,
    entries: list[Entry],
    *,
    flags: tuple[str, ...] = (),
    where: str = "dialogs/screens.py",
) -> list[str]:
    path = _catalog_file(root, locale, entries, flags=flags, where=where)
    return [p.rule for p in check_catalog(path, Catalog())]


# -- button width -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("Yes, I have a contract", 22),  # Latin: one column a letter
        ("はい", 4),  # Japanese kana: wide
        ("技能実習", 8),  # kanji: wide
        ("ไม่ใช่", 4),  # Thai: the two tone marks sit on their consonants
        ("ဟုတ်ကဲ့", 3),  # Burmese: vowel signs, asat and dot below take no column
        ("✏️ Field", 7),  # the variation selector after the pencil takes none
    ],
)
def test_display_width_counts_columns(text: str, columns: int) -> None:
    assert display_width(text) == columns


def test_label_width_is_only_for_buttons_and_frames_review_labels() -> None:
    assert label_width("prefecture", "Tokyo") is None
    assert label_width(None, "Hello") is None
    assert label_width("field", "Nursing care") == len("Nursing care")
    assert label_width("review", "Field") == display_width("✏️ Field")
    assert label_width("button", "✏️ {question}") == display_width("✏️ ")


@pytest.mark.parametrize(
    ("locale", "context", "label", "too_wide"),
    [
        ("en", "option", "a" * BUTTON_COLUMNS, False),
        ("en", "option", "a" * (BUTTON_COLUMNS + 1), True),  # the source catalog is checked too
        ("ja", "option", "技" * (BUTTON_COLUMNS // 2), False),
        ("ja", "option", "技" * (BUTTON_COLUMNS // 2 + 1), True),
        ("th", "button", "ไม่ใช่" * 7, False),  # 28 columns in 42 code points
        ("vi", "region", "x" * 31, True),
        ("vi", "field", "x" * 31, True),
        ("vi", "review", "x" * (BUTTON_COLUMNS - 2), False),  # with "✏️ ": 30
        ("vi", "review", "x" * (BUTTON_COLUMNS - 1), True),
        ("vi", None, "x" * 100, False),  # not a button
    ],
)
def test_button_rule(
    tmp_path: Path, locale: str, context: str | None, label: str, too_wide: bool
) -> None:
    msgid = label if locale == "en" else "Label"
    assert ("button" in _rules(tmp_path, locale, [(context, msgid, label)])) is too_wide


def test_widest_label_and_its_line_per_locale(tmp_path: Path) -> None:
    entries: list[Entry] = [
        ("option", "Yes", "はい"),
        ("option", "No, not yet", "いいえ、まだです"),
        (None, "A long sentence that is no button at all", "ボタンではない長い文です。" * 3),
    ]
    path = _catalog_file(tmp_path, "ja", entries)
    _catalog_file(tmp_path, "vi", [("button", "Back", "Quay lại")])
    widest = widest_label(read_catalog(path))
    assert widest is not None
    assert (widest.width, widest.text) == (16, "いいえ、まだです")
    lines = widest_buttons(tmp_path).splitlines()
    assert lines[0] == f"widest button label per locale (at most {BUTTON_COLUMNS} columns):"
    assert [line.split()[:2] for line in lines[1:]] == [["ja", "16"], ["vi", "8"]]


# -- Easy Japanese --------------------------------------------------------------------------------


def test_sentences_leave_out_markup_names_and_split_bullets() -> None:
    text = (
        "<b>はじめる 前に</b>\n{days}日 たつと /delete で けします（https://x.example）。"
        "ざいりゅうしかく（在留資格）を かえます！\n・一つめ\n・二つめ"
    )
    assert [sentence_length(s) for s in sentences(text)] == [6, 9, 13, 3, 3]
    assert sentences(text)[2] == "ざいりゅうしかくを かえます"
    assert sentence_length("あ い　う") == 3, "half- and full-width spaces do not count"


def test_official_names_in_brackets_and_placeholders_are_not_counted() -> None:
    assert sentence_length(sentences("とくていかつどう（特定活動）です")[0]) == 10
    assert sentence_length(sentences("{name}の しごと（{field}）です")[0]) == 6
    assert sentence_length(sentences("1年（いちねん）です")[0]) == 10, "a gloss in kana counts"


def _easy(text: str, flags: tuple[str, ...] = ()) -> list[str]:
    return [rule for rule, _ in easy_faults(text, flags)]


def test_sentence_rule_at_the_limit() -> None:
    assert _easy("あ" * SENTENCE_LIMIT + "。" + "い" * SENTENCE_LIMIT) == []
    assert _easy("あ" * (SENTENCE_LIMIT + 1) + "。") == ["easy-sentence"]
    assert _easy("・" + "あ" * 20 + "\n・" + "い" * 20) == [], "bullet lines are sentences"
    assert _easy("あ" * 40, ("long-ok",)) == [], "a list of names"


def test_long_ok_exempts_only_the_sentence_rule() -> None:
    text = "あ" * 40 + "。 出さなければ なりません。"
    assert _easy(text, ("long-ok",)) == ["easy-must"]


@pytest.mark.parametrize(
    ("text", "must"),
    [
        ("できるだけ はやく 出さなければ なりません。", True),
        ("出さなければなりません。", True),
        ("出さなくては いけません。", True),
        ("できるだけ はやく 出して ください。", False),
    ],
)
def test_no_must_form(text: str, must: bool) -> None:
    assert ("easy-must" in _easy(text)) is must


@pytest.mark.parametrize(
    ("text", "honorific"),
    [
        ("ここで おしらせします。", True),
        ("ここで お知らせいたします。", True),
        ("おしえて いただけますか？", True),
        ("ごあんない します。", True),
        ("お住まいの ちいき", True),
        ("こちらで ございます。", True),
        ("ありがとう ございます。", False),  # a fixed greeting
        ("おはようございます。 おかえりなさい。", False),
        ("ここで しらせます。", False),
        ("どういう ことですか？", False),
    ],
)
def test_no_honorifics(text: str, honorific: bool) -> None:
    assert ("easy-honorific" in _easy(text)) is honorific


@pytest.mark.parametrize(
    ("text", "glossed"),
    [
        ("しんせいを します。", False),
        ("しんせい（にゅうかんに 出す ねがい）を します。 しんせいは むずかしいです。", True),
        ("しんせい （ねがい）", True),  # a space before the bracket
        ("しんせいしょ（ねがいの 紙）", True),  # two characters between word and bracket
        ("しんせいします（ねがいます）", True),  # three: within reach (the review's R1 style)
        ("しんせいを します から（ねがいます）", False),  # six: too far
        ("ざいりゅうしかく（在留資格）", True),  # the official name explains it too
        ("どういう ことですか？", True),  # "what kind of", not どうい (consent)
        ("どういしますか？", False),
        ("ほぞん(のこす こと)します", True),  # half-width bracket
    ],
)
def test_key_words_carry_a_gloss(text: str, glossed: bool) -> None:
    assert ("easy-gloss" not in _easy(text)) is glossed


def test_easy_rules_apply_to_ja_easy_applicant_texts_only(tmp_path: Path) -> None:
    long_text = "あ" * 40 + "。"
    entry: Entry = (None, "Hello", long_text)
    assert _rules(tmp_path / "a", "ja_easy", [entry]) == ["easy-sentence"]
    assert _rules(tmp_path / "b", "ja", [entry]) == [], "plain Japanese is not held to it"
    staff = _rules(tmp_path / "c", "ja_easy", [entry], where="bot/staff/group.py")
    assert staff == [], "the staff group reads it"
    assert _rules(tmp_path / "d", "ja_easy", [("staff", "Take", long_text)]) == []
    assert _rules(tmp_path / "e", "ja_easy", [("canned", "Hours", long_text)]) == []
    flagged = _rules(tmp_path / "f", "ja_easy", [entry], flags=("long-ok",))
    assert flagged == [], "the entry's flag"


def test_the_waiting_texts_are_applicant_facing() -> None:
    # The applicant's words live in dialogs/ (the waiting reply moved out of bot/staff/).
    template = read_catalog(pot_path(LOCALES_DIR))
    waiting = [m for m in template if m.id and "number {position} in the queue" in text_of(m.id)]
    assert waiting, "the place-in-the-queue sentence is in the template"
    assert not any(staff_facing(m) for m in waiting)
    assert staff_facing(Message("Case closed.", locations=[("bot/staff/group.py", 1)]))
    mixed = [("bot/staff/group.py", 1), ("dialogs/screens.py", 2)]
    assert not staff_facing(Message("Case closed.", locations=mixed))
    assert staff_facing(Message("Take", context="staff"))
    assert not staff_facing(Message("Hello"))


# -- the glossary -------------------------------------------------------------------------------


def _glossary_rules(root: Path, locale: str, context: str | None, msgid: str, msgstr: str) -> int:
    (root / GLOSSARY_FILE).parent.mkdir(parents=True, exist_ok=True)
    (root / GLOSSARY_FILE).write_text(GLOSSARY, encoding="utf-8")
    return _rules(root, locale, [(context, msgid, msgstr)]).count("glossary")


@pytest.mark.parametrize(
    ("locale", "context", "msgstr", "faults"),
    [
        ("pt_BR", None, "Qual é o seu status de residência?", 0),
        ("pt_BR", None, "Qual é o seu Status de Residência?", 0),  # any case
        ("pt_BR", None, "Qual é o seu visto?", 1),
        ("ja", None, "あなたの在留資格は何ですか？", 0),
        ("ja", None, "あなたのビザは何ですか？", 1),
        ("ja_easy", None, "あなたの ざいりゅうしかく（ビザ）は 何ですか？", 0),  # a listed variant
        ("ja", "document", "申請書", 0),  # the bot shows the official name itself
        ("vi", None, "Tư cách của bạn?", 0),  # no rendering listed for vi
    ],
)
def test_glossary_rule(
    tmp_path: Path, locale: str, context: str | None, msgstr: str, faults: int
) -> None:
    msgid = "What is your Status of Residence?"
    assert _glossary_rules(tmp_path, locale, context, msgid, msgstr) == faults


def test_glossary_rule_only_where_the_english_uses_the_term(tmp_path: Path) -> None:
    assert _glossary_rules(tmp_path, "pt_BR", None, "What is your visa?", "Qual é o visto?") == 0


def test_shipped_glossary_is_well_formed() -> None:
    glossary = load_glossary(LOCALES_DIR / GLOSSARY_FILE)
    assert 15 <= len(glossary) <= 20
    shipped = set(Catalogs(LOCALES_DIR).available) - {"en"}
    for term in glossary:
        assert set(term.renderings) <= shipped, term.id
        assert set(term.renderings) >= shipped - {"ja_easy"}, f"{term.id}: every language"
        assert term.ja in term.renderings["ja"].use, f"{term.id}: ja is the official Japanese"
        assert all(r.source for r in term.renderings.values())
    ids = [term.id for term in glossary]
    assert unused_terms(glossary, ["Your status of residence"]) == [
        i for i in ids if i != "status_of_residence"
    ]


def test_glossary_errors_name_the_faulty_term(tmp_path: Path) -> None:
    path = tmp_path / GLOSSARY_FILE
    path.write_text(
        "terms:\n  - id: x\n    en: [a]\n    ja: あ\n    locales:\n      vi: {use: b}\n"
    )
    with pytest.raises(GlossaryError, match="term x: vi: source"):
        load_glossary(path)
    assert load_glossary(tmp_path / "none.yaml") == ()


# -- stats and the summary ----------------------------------------------------------------------


def test_sentence_figures(tmp_path: Path) -> None:
    entries: list[Entry] = [
        (None, "Short", "みじかい。" + "あ" * 31 + "。"),
        (None, "Long", "い" * 51),
        ("staff", "Take", "う" * 80),  # staff read it: not counted
        (None, "Untranslated", ""),
    ]
    path = _catalog_file(tmp_path, "ja_easy", entries)
    figures = sentence_figures(read_catalog(path))
    assert figures.entries == 2
    assert figures.lengths == (4, 31, 51)
    assert (figures.over_limit, figures.very_long, figures.longest) == (2, 1, 51)
    assert figures.longest_msgid == "Long"
    assert figures.mean == pytest.approx(86 / 3)
    assert figures.long_ok == 0
    names = _catalog_file(tmp_path / "names", "ja_easy", entries[:2], flags=("long-ok",))
    assert sentence_figures(read_catalog(names)).long_ok == 2


def test_rule_summary_counts_per_locale_and_rule() -> None:
    problems = [
        Problem("ja_easy", "a", "x", "easy-gloss"),
        Problem("ja_easy", "b", "x", "easy-gloss"),
        Problem("th", "c", "x", "glossary"),
    ]
    lines = rule_summary(problems, ["ja_easy", "th", "vi"]).splitlines()
    assert lines[1].split() == ["locale", "easy-gloss", "glossary"]
    assert lines[2].split() == ["ja_easy", "2", "0"]
    assert lines[3].split() == ["th", "0", "1"]
    assert lines[4].split() == ["vi", "0", "0"], "a locale without problems has its line"
    assert rule_summary([]) == ""


# -- texts shown only in Japanese ----------------------------------------------------------------


@pytest.mark.parametrize(("locale", "missing"), [("vi", False), ("my", False), ("ja", True)])
def test_the_counter_card_needs_a_translation_only_in_japanese(
    tmp_path: Path, locale: str, missing: bool
) -> None:
    entries: list[Entry] = [("counter", "<b>Documents</b>\n{items}", "")]
    assert ("missing" in _rules(tmp_path, locale, entries)) is missing
