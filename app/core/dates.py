"""Dates as ISO strings: the only time format stored in records."""

from __future__ import annotations

import datetime as dt
import re

from app.core.errors import InvalidInput

_DUTCH_DAY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_day(value: str | dt.date | None, field: str) -> str | None:
    """Normalise a calendar day to `YYYY-MM-DD`, or raise a clear InvalidInput."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    dutch = _DUTCH_DAY.match(text)
    try:
        if dutch:  # 22-11-2026, 22/11/2026 or 22.11.2026, as people write dates here
            day, month, year = (int(part) for part in dutch.groups())
            return dt.date(year, month, day).isoformat()
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidInput(field, "bad_date", value=text) from None


def stamp(now: dt.datetime) -> str:
    """A moment in UTC, to the second."""
    return now.astimezone(dt.UTC).replace(microsecond=0).isoformat()
