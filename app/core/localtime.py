"""Belgian local time (Europe/Brussels) without a time-zone database.

Phones do not always ship one (Python on Android has no tzdata), so the EU summer-time
rule is written out: CEST (UTC+2) from 01:00 UTC on the last Sunday of March to 01:00 UTC
on the last Sunday of October, CET (UTC+1) otherwise (Directive 2000/84/EC, in force in
Belgium since 1996). A note's day, and the weeks and months of the supervisor view, are
Belgian calendar days computed with it.
"""

from __future__ import annotations

import datetime as dt

CET = dt.timezone(dt.timedelta(hours=1), "CET")
CEST = dt.timezone(dt.timedelta(hours=2), "CEST")


def _last_sunday(year: int, month: int) -> dt.date:
    last = dt.date(year, month, 31)  # March and October both have 31 days
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


def summer_time(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The UTC moments summer time starts and ends in `year`."""
    one = dt.time(1, tzinfo=dt.UTC)
    return (
        dt.datetime.combine(_last_sunday(year, 3), one),
        dt.datetime.combine(_last_sunday(year, 10), one),
    )


def brussels(moment: dt.datetime) -> dt.datetime:
    """The same moment on Belgian clocks; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    utc = moment.astimezone(dt.UTC)
    start, end = summer_time(utc.year)
    return utc.astimezone(CEST if start <= utc < end else CET)


def local_day(stamp: str) -> str:
    """The Belgian calendar day (`YYYY-MM-DD`) of an ISO timestamp such as a note's
    `created_at`; a bare date is returned as it is."""
    if len(stamp) == 10:
        return dt.date.fromisoformat(stamp).isoformat()
    return brussels(dt.datetime.fromisoformat(stamp)).date().isoformat()


def clock(stamp: str) -> str:
    """An ISO timestamp as Belgian wall-clock minutes, '2026-12-02 11:39', for people to read."""
    return brussels(dt.datetime.fromisoformat(stamp)).strftime("%Y-%m-%d %H:%M")


def day_of_millis(wall_ms: int) -> str:
    """The Belgian calendar day of a Unix time in milliseconds (a clock stamp's wall time)."""
    return brussels(dt.datetime.fromtimestamp(wall_ms / 1000, dt.UTC)).date().isoformat()


def today(now: dt.datetime | None = None) -> dt.date:
    return brussels(now or dt.datetime.now(dt.UTC)).date()
