"""How dates and times read on screen: local time, Dutch, short."""

from __future__ import annotations

import datetime as dt

MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def when(stamp: str, tz: dt.tzinfo | None = None) -> str:
    """'2026-11-22T17:20:00+00:00' → '22 nov 18:20' in the phone's own time zone."""
    moment = dt.datetime.fromisoformat(stamp).astimezone(tz)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment:%H:%M}"


def day(iso_day: str) -> str:
    """'2026-11-22' → '22 nov 2026'."""
    value = dt.date.fromisoformat(iso_day)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def day_input(iso_day: str | None) -> str:
    """'2026-11-22' → '22-11-2026', how a Dutch date field is filled in; '' for none."""
    if not iso_day:
        return ""
    value = dt.date.fromisoformat(iso_day)
    return f"{value.day:02d}-{value.month:02d}-{value.year}"
