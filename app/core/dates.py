"""Dates as ISO strings: the only time format stored in records."""

from __future__ import annotations

import datetime as dt

from app.core.errors import InvalidInput


def parse_day(value: str | dt.date | None, field: str) -> str | None:
    """Normalise a calendar day to `YYYY-MM-DD`, or raise a clear InvalidInput."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise InvalidInput(field, "bad_date", value=str(value)) from None


def stamp(now: dt.datetime) -> str:
    """A moment in UTC, to the second."""
    return now.astimezone(dt.UTC).replace(microsecond=0).isoformat()
