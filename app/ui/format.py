"""How dates, times and excerpts read on screen: Belgian time, Dutch, short."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from app.core.localtime import brussels
from app.core.localtime import today as local_today

MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
NEAR = {-1: "gisteren", 0: "vandaag", 1: "morgen", 2: "overmorgen"}


def when(stamp: str, tz: dt.tzinfo | None = None, this_year: int | None = None) -> str:
    """'2026-11-22T17:20:00+00:00' → '22 nov 18:20' on Belgian clocks (or in `tz`), whatever
    zone the machine is set to; the year is added when it is not this year."""
    stamp_at = dt.datetime.fromisoformat(stamp)
    moment = stamp_at.astimezone(tz) if tz else brussels(stamp_at)
    year = "" if moment.year == (this_year or local_today().year) else f" {moment.year}"
    return f"{moment.day} {MONTHS[moment.month - 1]}{year} {moment:%H:%M}"


def moment(stamp: str, today: dt.date) -> str:
    """A recent moment on Belgian clocks, near days as words: 'vandaag 10:42', 'gisteren
    18:20', '22 nov 2026 09:05'."""
    local = brussels(dt.datetime.fromisoformat(stamp))
    return f"{day(local.date().isoformat(), today)} {local:%H:%M}"


def day(iso_day: str, today: dt.date | None = None) -> str:
    """'2026-11-22' → '22 nov 2026'. Given `today`, a near day reads as a word: 'gisteren',
    'vandaag', 'morgen', 'overmorgen', or its weekday ('donderdag') later this week."""
    value = dt.date.fromisoformat(iso_day)
    if today is not None:
        ahead = (value - today).days
        if ahead in NEAR:
            return NEAR[ahead]
        if 2 < ahead < 7:
            return WEEKDAYS[value.weekday()]
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def day_input(iso_day: str | None) -> str:
    """'2026-11-22' → '22-11-2026', how a Dutch date field is filled in; '' for none."""
    if not iso_day:
        return ""
    value = dt.date.fromisoformat(iso_day)
    return f"{value.day:02d}-{value.month:02d}-{value.year}"


def host(address: str) -> str:
    """'https://sync.voorbeeld.be:8443/api' → 'sync.voorbeeld.be': the part a worker
    recognises; the whole address is for the helpdesk."""
    return urlsplit(address).hostname or address


def brief(text: str, limit: int = 40) -> str:
    """The first line of `text`, cut at a space to about `limit` characters ('…' if cut):
    enough to say which item a toast is about."""
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
    return cut.rstrip(" ,.;:") + "…"
