"""Markers and values for translatable text: the core marks strings, channels translate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Union

__all__ = [
    "NP_",
    "N_",
    "Data",
    "Date",
    "LanguageName",
    "Msg",
    "Param",
    "Seq",
    "Term",
    "TimeOfDay",
    "Weekday",
]


def N_(message: str) -> str:
    """Mark ``message`` for extraction; returns it unchanged (channels translate)."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark ``message`` with a gettext context for extraction; returns it unchanged."""
    del context
    return message


@dataclass(frozen=True, slots=True)
class Data:
    """A literal value from data files or the user: shown as is, always HTML-escaped."""

    text: str


@dataclass(frozen=True, slots=True)
class Date:
    """A calendar date, formatted in the recipient's locale."""

    value: dt.date


@dataclass(frozen=True, slots=True)
class TimeOfDay:
    """A time of day (already in the right time zone), formatted in the recipient's locale."""

    value: dt.time


@dataclass(frozen=True, slots=True)
class Weekday:
    """A day of the week (0 = Monday), named in the recipient's language."""

    day: int


@dataclass(frozen=True, slots=True)
class LanguageName:
    """A language's name: in its own script (``native``) or in the recipient's language."""

    code: str
    native: bool = True


@dataclass(frozen=True, slots=True)
class Seq:
    """Several parameters shown one per line (for lists inside a message)."""

    items: tuple[Param, ...]
    bullet: str = "• "
    separator: str = "\n"


@dataclass(frozen=True, slots=True)
class Term:
    """An official Japanese term beside its translation, so it can be shown at the counter.

    Rendered as "translation (日本語)", or only the Japanese where the recipient reads Japanese.
    """

    label: Msg
    ja: str


Param = Union["Msg", Data, Date, TimeOfDay, Weekday, LanguageName, Seq, Term, int]

_EMPTY: Mapping[str, Param] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Msg:
    """A message id (English source text) with named parameters and an optional context."""

    msgid: str
    params: Mapping[str, Param] = field(default_factory=lambda: _EMPTY)
    context: str | None = None

    @classmethod
    def of(cls, msgid: str, /, **params: Param) -> Msg:
        """Build a message; keyword arguments become its ``{placeholders}``."""
        return cls(msgid, MappingProxyType(dict(params)))

    @classmethod
    def ctx(cls, context: str, msgid: str, /, **params: Param) -> Msg:
        """Build a message looked up with a gettext context (mark it with ``NP_``)."""
        return cls(msgid, MappingProxyType(dict(params)), context)
