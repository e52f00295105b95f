"""Weeks (ISO 8601, Monday to Sunday) and months of Belgian calendar days, for choosing
what the supervisor view counts and for the trend of the last periods."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

UNITS = ("week", "maand")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_WEEK_KEY = re.compile(r"^([0-9]{4})-W([0-9]{2})$")
_MONTH_KEY = re.compile(r"^([0-9]{4})-([0-9]{2})$")
# Years a period may be chosen in: the trend looks back a year and the pages link a period
# ahead, so neither may run off the calendar (year 1 or 9999).
YEARS = range(2000, 2200)


class BadPeriod(ValueError):
    """A period key that is not a week (`2026-W47`) or month (`2026-11`) of its unit."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date  # first day
    end: dt.date  # the day after the last
    unit: str

    @property
    def key(self) -> str:
        if self.unit == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        if self.unit == "week":
            last = self.end - dt.timedelta(days=1)
            week = self.start.isocalendar()[1]
            return f"week {week} ({_short(self.start)} – {_short(last)} {last.year})"
        return f"{MONTHS[self.start.month - 1]} {self.start.year}"

    @property
    def short(self) -> str:
        """For chart axes: `W47` or `nov 26`."""
        if self.unit == "week":
            return f"W{self.start.isocalendar()[1]:02d}"
        return f"{MONTHS[self.start.month - 1][:3]} {self.start.year % 100:02d}"

    @property
    def medium(self) -> str:
        """For table columns: `2026-W47` or `nov 2026`."""
        if self.unit == "week":
            return self.key
        return f"{MONTHS[self.start.month - 1][:3]} {self.start.year}"

    @property
    def first(self) -> str:
        return self.start.isoformat()

    @property
    def after(self) -> str:
        return self.end.isoformat()

    def contains(self, day: str | None) -> bool:
        return day is not None and self.first <= day < self.after

    def previous(self) -> Period:
        return containing(self.unit, self.start - dt.timedelta(days=1))

    def next(self) -> Period:
        return containing(self.unit, self.end)


def containing(unit: str, day: dt.date) -> Period:
    """The week or month that holds `day`."""
    if unit == "week":
        start = day - dt.timedelta(days=day.weekday())
        return Period(start, start + dt.timedelta(days=7), unit)
    if unit == "maand":
        start = day.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1)
        return Period(start, end, unit)
    raise BadPeriod(f"unit must be one of {UNITS}")


def parse(unit: str, key: str) -> Period:
    """`2026-W47` for a week, `2026-11` for a month."""
    pattern = _WEEK_KEY if unit == "week" else _MONTH_KEY
    match = pattern.match(key) if unit in UNITS else None
    if match is None:
        raise BadPeriod(f"not a {unit}: {key!r}")
    year, number = int(match[1]), int(match[2])
    if year not in YEARS:
        raise BadPeriod(f"not a {unit} between {YEARS[0]} and {YEARS[-1]}: {key!r}")
    try:
        if unit == "week":
            return containing(unit, dt.date.fromisocalendar(year, number, 1))
        return containing(unit, dt.date(year, number, 1))
    except ValueError:
        raise BadPeriod(f"not a {unit}: {key!r}") from None


def trail(period: Period, count: int) -> list[Period]:
    """`count` periods ending with `period`, oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods[::-1]


def bucketer(periods: list[Period]):  # noqa: ANN201 - returns a small function
    """A function day → index of the period in `periods` (consecutive, oldest first) or None."""
    starts = [p.first for p in periods]
    end = periods[-1].after

    def index(day: str | None) -> int | None:
        if day is None or day < starts[0] or day >= end:
            return None
        return bisect.bisect_right(starts, day) - 1

    return index


def _short(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1][:3]}"
