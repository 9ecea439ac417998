"""Typed prefectures are found in every script the content knows."""

from __future__ import annotations

import pytest

from dialogs.content import Content
from dialogs.places import PlaceIndex


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Tokyo", "tokyo"),
        ("東京", "tokyo"),
        ("tokyo-to", "tokyo"),
        ("Tô-ky-ô", "tokyo"),
        ("东京", "tokyo"),
        ("とうきょう", "tokyo"),
        ("TOKYO ", "tokyo"),
        ("Ｔｏｋｙｏ", "tokyo"),
        ("東京都港区港南5-5-30", "tokyo"),
        ("京都市", "kyoto"),
        ("Kyoto-fu", "kyoto"),
        ("Osaka-fu", "osaka"),
        ("tỉnh Aichi", "aichi"),
        ("Aichi-ken", "aichi"),
        ("Hokkai-do", "hokkaido"),
        ("鹿儿岛", "kagoshima"),
        ("沖縄県", "okinawa"),
        ("Hyogo Prefecture", "hyogo"),
    ],
)
def test_exact_spellings(content: Content, typed: str, expected: str) -> None:
    assert PlaceIndex(content.prefectures).find(typed).exact == expected


def test_close_spellings_are_suggested_not_accepted(content: Content) -> None:
    match = PlaceIndex(content.prefectures).find("Tô-ki-ô")
    assert match.exact is None
    assert match.candidates == ("tokyo",)


@pytest.mark.parametrize("typed", ["", "   ", "xyz", "!!!", "a" * 10_000])
def test_nonsense_finds_nothing(content: Content, typed: str) -> None:
    assert PlaceIndex(content.prefectures).find(typed).exact is None
