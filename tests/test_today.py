"""Vandaag as the day's agenda: sections, rights, time-outs, gezinnen not seen, and the
actions on an item (afvinken, move to another day)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core import cases, checklist, notes
from app.core.errors import InvalidInput
from app.core.today import sections, today_items

TODAY = dt.date(2026, 3, 10)  # a Tuesday


def _note(note_id, case_id, due, what="bellen", created="2026-03-09T09:00:00+00:00"):
    follow = {"what": what, "due": due} if what else None
    return notes.new_note(note_id, case_id, created, text="x", follow_up=follow)


def test_agenda_has_overdue_today_this_week_and_undated_sections():
    gezin = cases.new_case("c1", "Gezin Agenda", "2026-03-01T09:00:00+00:00")
    found = today_items(
        [gezin],
        [
            _note("late", "c1", "2026-03-09", "te laat"),
            _note("now", "c1", "2026-03-10", "vandaag"),
            _note("soon", "c1", "2026-03-16", "maandag"),
            _note("far", "c1", "2026-03-17", "volgende week"),
            _note("free", "c1", None, "ooit"),
            _note("anon", None, "2026-03-11", "signaal opvolgen"),
        ],
        TODAY,
    )
    assert [(s, [i.text for i in items]) for s, items in sections(found)] == [
        ("overdue", ["te laat"]),
        ("today", ["vandaag"]),
        ("week", ["signaal opvolgen", "maandag"]),
        ("later", ["volgende week"]),  # a week from today: it was on no screen but the timeline
        ("undated", ["ooit"]),
    ]
    assert [i.overdue for i in found] == [True, False, False, False, False, False]


def test_rights_next_steps_and_deadlines_time_outs_and_not_seen():
    active = cases.new_case("c1", "Gezin Recht", "2026-03-01T09:00:00+00:00")
    paused = cases.change_status(
        cases.new_case("c2", "Gezin Pauze", "2026-01-01T09:00:00+00:00"),
        "lager_pitje",
        "2026-02-01T09:00:00+00:00",
        revisit="2026-03-12",
    )
    quiet = cases.new_case("c3", "Gezin Stil", "2026-01-01T09:00:00+00:00")
    recent = cases.new_case("c4", "Gezin Recent", "2026-01-01T09:00:00+00:00")
    at = "2026-03-01T09:00:00+00:00"
    blank = checklist.RightCheck
    checks = [
        checklist.update(blank("r1", "c1", "verwarmingstoelage"), at, deadline="2026-03-20"),
        checklist.update(blank("r2", "c1", "huursubsidie"), at, follow_up="2026-03-10"),
        checklist.update(blank("r3", "c1", "leefloon"), at, deadline="2026-04-30"),  # far off
        checklist.update(
            blank("r4", "c1", "groeipakket"), at, status="aangevraagd", deadline="2026-03-11"
        ),  # applied for: the deadline is met
        checklist.update(
            blank("r5", "c1", "budgetbegeleiding"), at, status="toegekend", follow_up="2026-03-10"
        ),
    ]
    seen = [
        notes.new_note("n1", "c3", "2026-01-20T09:00:00+00:00", text="x"),
        notes.new_note(
            "n2", "c3", "2026-03-09T09:00:00+00:00", contact="poging", attempt_reason="niet_thuis"
        ),  # an attempt is not a contact
        notes.new_note("n3", "c4", "2026-03-01T09:00:00+00:00", text="x"),
    ]
    found = today_items([active, paused, quiet, recent], seen, TODAY, checks=checks)
    assert [(i.section, i.kind, i.case_id, i.text) for i in found] == [
        ("today", "right", "c1", "huursubsidie"),
        ("week", "time_out", "c2", ""),
        ("soon", "deadline", "c1", "verwarmingstoelage"),
        ("not_seen", "not_seen", "c3", ""),
    ]
    assert found[-1].day == "2026-01-20"
    # the setting: after one week already
    fewer = today_items([active, paused, quiet, recent], seen, TODAY, not_seen_weeks=1)
    assert {i.case_id for i in fewer if i.kind == "not_seen"} == {"c1", "c3", "c4"}


def test_an_item_put_off_stays_away_until_that_day():
    gezin = cases.new_case("c1", "Gezin Later", "2026-03-09T09:00:00+00:00")
    items = [_note("n1", "c1", "2026-03-10")]
    (item,) = today_items([gezin], items, TODAY)
    assert today_items([gezin], items, TODAY, snoozed={item.key: "2026-03-12"}) == []
    assert today_items([gezin], items, dt.date(2026, 3, 12), snoozed={item.key: "2026-03-12"})


def test_tick_off_and_move_through_the_services(app):
    today = app.local_today()
    gezin = app.add_case("Gezin Vinkje")
    due = app.add_note(gezin, "x", follow_up={"what": "OCMW bellen", "due": today.isoformat()})
    app.add_note(gezin, "y", follow_up={"what": "ooit", "due": None})
    app.set_right(gezin, "huursubsidie", status="mogelijk", follow_up=today.isoformat())
    app.set_right(gezin, "verwarmingstoelage", deadline=today.isoformat())
    paused = app.add_case("Gezin Pitje")
    app.set_status(paused, "lager_pitje", revisit=today.isoformat())
    agenda = {(i.kind, i.text): i for i in app.today()}
    assert set(agenda) == {
        ("follow_up", "OCMW bellen"),
        ("follow_up", "ooit"),
        ("right", "huursubsidie"),
        ("deadline", "verwarmingstoelage"),
        ("time_out", ""),
    }
    tomorrow = today + dt.timedelta(days=1)
    app.move_item(agenda[("follow_up", "OCMW bellen")], tomorrow)
    assert app.note(due).follow_up.due == tomorrow.isoformat()
    app.tick_off(agenda[("follow_up", "ooit")])
    app.tick_off(agenda[("right", "huursubsidie")])
    app.tick_off(agenda[("deadline", "verwarmingstoelage")])
    app.tick_off(agenda[("time_out", "")])
    left = [(i.section, i.kind, i.text) for i in app.today()]
    assert left == [("week", "follow_up", "OCMW bellen")]
    assert app.case(paused).status == "actief"
    statuses = {c.right: c.status for c in app.right_checks(gezin)}
    assert statuses["verwarmingstoelage"] == "aangevraagd"


def test_not_seen_weeks_is_a_setting_of_this_device(app):
    assert app.settings()["not_seen_weeks"] == 6
    app.set_not_seen_weeks("3")
    assert app.settings()["not_seen_weeks"] == 3
    for bad in ("0", "twee", 99):
        with pytest.raises(InvalidInput):
            app.set_not_seen_weeks(bad)


def test_every_tick_off_can_be_undone(app):
    today = app.local_today()
    gezin = app.add_case("Gezin Terug")
    app.add_note(gezin, "x", follow_up={"what": "bellen", "due": today.isoformat()})
    app.set_right(gezin, "huursubsidie", status="mogelijk", follow_up=today.isoformat())
    app.set_right(gezin, "verwarmingstoelage", status="besproken", deadline=today.isoformat())
    paused = app.add_case("Gezin Pauze")
    app.set_status(paused, "lager_pitje", revisit=today.isoformat())
    before = sorted((i.kind, i.text, i.day) for i in app.today())
    for item in app.today():
        undo = app.tick_off(item)
        assert item.key not in {i.key for i in app.today()}
        app.untick(item, undo)
    assert sorted((i.kind, i.text, i.day) for i in app.today()) == before
    assert {c.right: c.status for c in app.right_checks(gezin)}["verwarmingstoelage"] == "besproken"


def test_a_follow_up_says_for_whom_it_is(app):
    """A shared gezin's follow-ups can be meant for a colleague: Vandaag says who."""
    from app.ui.views.today import describe

    gezin = app.add_case("Gezin Duo")
    day = app.local_today().isoformat()
    app.add_note(gezin, "x", follow_up={"what": "Huisbezoek", "who": "bert", "due": day})
    app.add_note(gezin, "y", follow_up={"what": "Attest", "due": day})
    items = {i.text: i for i in app.today()}
    assert items["Huisbezoek"].who == "bert" and items["Attest"].who == ""
    assert describe(items["Huisbezoek"], {})[1].endswith("wie: bert")
    assert "wie:" not in describe(items["Attest"], {})[1]
