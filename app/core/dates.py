"""Dates as ISO strings: the only time format stored in records."""

from __future__ import annotations

import datetime as dt
import re

from app.core.errors import InvalidInput
from app.core.localtime import today as local_today

# 4/12, 4-12, 4.12, with a year of 2 or 4 digits or none: as people write dates here
_DUTCH_DAY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{4}|\d{2}))?$")
_YEARS_TO_TRY = 8  # 29/2 without a year: the nearest leap year lies at most 8 years off


def parse_day(
    value: str | dt.date | None, field: str, today: dt.date | None = None, past: bool = False
) -> str | None:
    """Normalise a calendar day to `YYYY-MM-DD`, or raise a clear InvalidInput. A day written
    without a year is the next such day from `today` on (Belgian today if not given), or
    with `past` the last one up to today (a day consent was given)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    dutch = _DUTCH_DAY.match(text)
    try:
        if not dutch:
            return dt.date.fromisoformat(text).isoformat()
        day, month = int(dutch.group(1)), int(dutch.group(2))
        if dutch.group(3):
            year = int(dutch.group(3))
            return dt.date(year + 2000 if year < 100 else year, month, day).isoformat()
        return _nearest(day, month, today or local_today(), past).isoformat()
    except ValueError:
        raise InvalidInput(field, "bad_date", value=text) from None


def _nearest(day: int, month: int, today: dt.date, past: bool) -> dt.date:
    step = -1 if past else 1
    for offset in range(_YEARS_TO_TRY + 1):
        try:
            candidate = dt.date(today.year + step * offset, month, day)
        except ValueError:
            if month == 2 and day == 29:
                continue  # not a leap year: try the next one
            raise
        if (candidate <= today) if past else (candidate >= today):
            return candidate
    raise ValueError("no such day")


def stamp(now: dt.datetime) -> str:
    """A moment in UTC, to the second."""
    return now.astimezone(dt.UTC).replace(microsecond=0).isoformat()
