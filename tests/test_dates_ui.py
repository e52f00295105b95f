"""What the screens say without a browser: Dutch dates, quick choices, a calendar pick, the
gezinnen list line, and where an agenda item leads."""

from __future__ import annotations

import datetime as dt

from app.ui import format as fmt
from app.ui.dates import picked_day, quick_days


def test_dates_read_in_dutch_and_fill_in_the_dutch_way():
    assert fmt.day("2027-03-01") == "1 mrt 2027"
    assert fmt.day_input("2027-03-01") == "01-03-2027" and fmt.day_input(None) == ""


def test_near_days_read_as_words_and_further_ones_as_a_date():
    today = dt.date(2026, 12, 2)  # a Wednesday
    said = {
        offset: fmt.day((today + dt.timedelta(days=offset)).isoformat(), today)
        for offset in range(-3, 9)
    }
    assert said == {
        -3: "29 nov 2026",
        -2: "30 nov 2026",
        -1: "gisteren",
        0: "vandaag",
        1: "morgen",
        2: "overmorgen",
        3: "zaterdag",
        4: "zondag",
        5: "maandag",
        6: "dinsdag",
        7: "9 dec 2026",  # next Wednesday: a weekday name alone would be ambiguous
        8: "10 dec 2026",
    }


def test_quick_choices_are_tomorrow_and_next_week():
    today = dt.date(2026, 12, 31)
    assert [(w, d.isoformat()) for w, d in quick_days(today)] == [
        ("Morgen", "2027-01-01"),
        ("Volgende week", "2027-01-07"),
    ]


def test_a_calendar_pick_is_the_day_shown_whatever_the_time_zone_shift():
    day = dt.date(2027, 3, 1)
    for moment in (
        dt.datetime(2027, 3, 1),
        dt.datetime(2027, 2, 28, 23, 0, tzinfo=dt.UTC),  # local midnight in Brussels, as UTC
        dt.datetime(2027, 3, 1, 5, 0, tzinfo=dt.UTC),  # local midnight west of UTC
        "2027-03-01T00:00:00.000",
    ):
        assert picked_day(moment) == day
    assert picked_day(None) is None


def test_the_gezinnen_list_says_when_a_gezin_on_a_lager_pitje_comes_back():
    from app.core import cases
    from app.ui.views.cases import case_line

    at = "2026-03-01T09:00:00+00:00"
    paused = cases.change_status(cases.new_case("c", "G", at), "lager_pitje", at, "2027-03-01")
    assert case_line(paused) == "Eerste onthaal · lager pitje tot 1 mrt 2027"
    closed = cases.change_status(cases.new_case("d", "H", at), "afgesloten", at)
    assert case_line(closed) == "Eerste onthaal · Afgesloten"
    assert case_line(cases.new_case("e", "I", at)) == "Eerste onthaal"


def test_an_agenda_item_opens_the_right_the_gezin_or_the_signalen():
    from app.core.today import Item
    from app.ui.views.today import opens

    assert opens(Item("deadline", "c1", "G", "verwarmingstoelage", None)) == (
        "/recht/c1/verwarmingstoelage"
    )
    assert opens(Item("follow_up", "c1", "G", "bellen", None, note_id="n")) == "/gezin/c1"
    assert opens(Item("follow_up", None, "", "bellen", None, note_id="n")) == "/signalen"


def test_dates_are_read_the_way_people_write_them():
    from app.core.dates import parse_day

    today = dt.date(2026, 12, 2)
    read = {text: parse_day(text, "follow_up_due", today) for text in WRITTEN}
    assert read == WRITTEN
    # consent was given on the last such day, not the next one
    assert parse_day("4/12", "consent", today, past=True) == "2025-12-04"
    assert parse_day("2.12", "consent", today, past=True) == "2026-12-02"


WRITTEN = {
    "4/12": "2026-12-04",  # later this year
    "2/12": "2026-12-02",  # today counts
    "1/12": "2027-12-01",  # passed: next year's
    "4-12": "2026-12-04",
    "4.12": "2026-12-04",
    " 4 / 1 ": "2027-01-04",
    "4/12/26": "2026-12-04",
    "04-12-2027": "2027-12-04",
    "4.12.2027": "2027-12-04",
    "29/2": "2028-02-29",  # the next one there is
    "2027-03-01": "2027-03-01",
}


def test_a_date_that_cannot_be_read_is_refused_in_dutch():
    import pytest

    from app.core.dates import parse_day
    from app.core.errors import InvalidInput
    from app.messages import describe

    for text in ("31/4", "4/13", "29/2/2027", "4/12/202", "4 december", "12"):
        with pytest.raises(InvalidInput) as refused:
            parse_day(text, "follow_up_due", dt.date(2026, 12, 2))
        assert describe(refused.value).startswith("De datum van de opvolging is geen geldige")
