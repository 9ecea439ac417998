"""Dates and lists as the translation reviews asked for them (vi V13, pt_BR P3, my M11)."""

from __future__ import annotations

import datetime as dt

import pytest
from babel import Locale

from bot.i18n.locale_format import list_comma, long_date

NOV_1 = dt.date(2022, 11, 1)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("vi", "1 tháng 11 năm 2022"),
        ("pt_BR", "1º de novembro de 2022"),
        ("es", "1 de noviembre de 2022"),
        ("en", "November 1, 2022"),
    ],
)
def test_long_dates_read_as_each_language_writes_them(locale: str, expected: str) -> None:
    assert long_date(NOV_1, Locale.parse(locale)) == expected


def test_only_the_first_of_the_month_is_an_ordinal_in_portuguese() -> None:
    assert long_date(dt.date(2020, 4, 20), Locale.parse("pt_BR")) == "20 de abril de 2020"


@pytest.mark.parametrize(
    ("locale", "comma"), [("my", "၊ "), ("ja", "、"), ("zh_Hans", "、"), ("vi", ", ")]
)
def test_lists_take_the_languages_own_comma(locale: str, comma: str) -> None:
    assert list_comma(", ", Locale.parse(locale)) == comma
    assert list_comma("\n", Locale.parse(locale)) == "\n"
