"""Dates and lists written as each language writes them, where CLDR's defaults read wrong."""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.dates import format_date

__all__ = ["list_comma", "long_date"]

# The translation reviews found CLDR's long dates awkward in two languages: Vietnamese writes
# "1 tháng 11 năm 2022" (CLDR: "1 tháng 11, 2022"; the catalogs put "ngày" before it), and
# Brazilian Portuguese writes the first day of a month as an ordinal, "1º de novembro de 2022".
_PATTERNS = {"vi": "d 'tháng' M 'năm' y"}
_ORDINAL_FIRST = {"pt": "º"}
# A list of names ("Japanese, English, …"): Burmese separates with "၊", Chinese and Japanese
# with the ideographic comma (the reviews: my M11, ja_easy).
_COMMAS = {"my": "၊ ", "ja": "、", "zh": "、"}


def long_date(value: dt.date, locale: Locale) -> str:
    """A calendar date in words, the way the locale's readers write it."""
    pattern = _PATTERNS.get(locale.language)
    if pattern is not None:
        return format_date(value, pattern, locale=locale)
    text = format_date(value, "long", locale=locale)
    mark = _ORDINAL_FIRST.get(locale.language)
    if mark and value.day == 1 and text.startswith("1 "):
        return f"1{mark}{text[1:]}"
    return text


def list_comma(separator: str, locale: Locale) -> str:
    """The locale's comma where a list is joined with ", " (other separators stay)."""
    if separator != ", ":
        return separator
    return _COMMAS.get(locale.language, separator)
