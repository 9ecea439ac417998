"""The staff desk's office hours (Japan time by default): open now, and when it opens next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dialogs.handoff import DeskHours

__all__ = ["OfficeHours"]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """Opening and closing time on a range of weekdays, in one time zone.

    Public holidays are not known here: on a holiday the desk reads as open (the applicant is
    told the hours, and helplines are offered when nobody answers).
    """

    opens: dt.time
    closes: dt.time
    first_day: int  # 0 = Monday
    last_day: int
    zone: ZoneInfo

    @classmethod
    def parse(cls, hours: str, days: str, zone: str) -> OfficeHours:
        """From settings such as ``09:00-17:00``, ``mon-fri`` and ``Asia/Tokyo``."""
        start, end = hours.split("-")
        first, _, last = days.partition("-")
        return cls(
            _time(start),
            _time(end),
            _DAYS.index(first),
            _DAYS.index(last or first),
            ZoneInfo(zone),
        )

    def shown(self) -> DeskHours:
        """The hours as the applicant is told them."""
        return DeskHours(self.first_day, self.last_day, self.opens, self.closes)

    @property
    def days(self) -> frozenset[int]:
        """The working weekdays (a range may wrap: ``sun-thu``)."""
        length = (self.last_day - self.first_day) % 7 + 1
        return frozenset((self.first_day + i) % 7 for i in range(length))

    def is_open(self, now: dt.datetime) -> bool:
        """Whether staff are at work at ``now``."""
        local = now.astimezone(self.zone)
        return local.weekday() in self.days and self.opens <= local.time() < self.closes

    def next_opening(self, now: dt.datetime) -> dt.datetime:
        """The next time the desk opens after ``now`` (in the desk's time zone)."""
        local = now.astimezone(self.zone)
        for ahead in range(8):
            day = local.date() + dt.timedelta(days=ahead)
            opening = dt.datetime.combine(day, self.opens, self.zone)
            if day.weekday() in self.days and opening > local:
                return opening
        raise ValueError("no opening day")  # pragma: no cover (a range has at least one day)


def _time(text: str) -> dt.time:
    hour, minute = (int(p) for p in text.split(":"))
    return dt.time.max if hour == 24 else dt.time(hour, minute)
