"""The supervisor view's counting, by hand: Belgian days (also across DST changes), ISO
weeks and months, every figure from a known set of metadata, and small-number hiding."""

from __future__ import annotations

import datetime as dt
import random
import re
from zoneinfo import ZoneInfo

import pytest

from app.core import cases, notes
from app.core.localtime import brussels, day_of_millis, local_day, summer_time
from app.sync.protocol import ProtocolError, check_meta
from sync_server.dashboard import facts, figures
from sync_server.dashboard.charts import bar_chart
from sync_server.dashboard.figures import CaseFact, NoteFact, OtherFact, RightFact
from sync_server.dashboard.markup import esc, render
from sync_server.dashboard.periods import BadPeriod, containing, parse, trail
from sync_server.dashboard.tables import Count, Mean, Ratio, Table, Text

BRUSSELS = ZoneInfo("Europe/Brussels")


# ---- Belgian time without a tz database -------------------------------------------------


def test_brussels_offset_matches_the_tz_database_around_every_change():
    for year in range(2000, 2041):
        for change in summer_time(year):
            for minutes in range(-180, 181, 15):
                moment = change + dt.timedelta(minutes=minutes)
                expected = moment.astimezone(BRUSSELS)
                assert brussels(moment).utcoffset() == expected.utcoffset(), moment
                assert brussels(moment).replace(tzinfo=None) == expected.replace(tzinfo=None)


def test_brussels_offset_matches_the_tz_database_at_random_moments():
    rng = random.Random(5)
    start = dt.datetime(1997, 1, 1, tzinfo=dt.UTC)
    for _ in range(5000):
        moment = start + dt.timedelta(seconds=rng.randrange(45 * 365 * 86400))
        assert brussels(moment).utcoffset() == moment.astimezone(BRUSSELS).utcoffset()


@pytest.mark.parametrize(
    ("stamp", "day"),
    [
        ("2026-03-29T00:30:00+00:00", "2026-03-29"),  # 01:30 CET, before the change
        ("2026-03-29T21:30:00+00:00", "2026-03-29"),  # 23:30 CEST, Sunday of the change
        ("2026-03-29T22:30:00+00:00", "2026-03-30"),  # 00:30 CEST: Monday, next ISO week
        ("2026-10-31T22:30:00+00:00", "2026-10-31"),  # 23:30 CET: still October
        ("2026-10-31T23:30:00+00:00", "2026-11-01"),  # 00:30 CET: November
        ("2026-12-31T23:00:00+00:00", "2027-01-01"),  # midnight on New Year
        ("2026-07-01", "2026-07-01"),
    ],
)
def test_local_day(stamp, day):
    assert local_day(stamp) == day


def test_clock_stamp_day_is_belgian():
    moment = dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC)
    assert day_of_millis(int(moment.timestamp() * 1000)) == "2026-11-01"


# ---- what the phone sends -----------------------------------------------------------------


def test_note_meta_day_is_belgian_and_check_in_scores_travel():
    note = notes.new_note(
        "n1",
        "c1",
        "2026-03-29T22:30:00+00:00",
        contact="check_in",
        check_in={"how": "geheim", "draagkracht": 6, "draaglast": 4},
    )
    meta = notes.note_meta(note)
    assert meta["day"] == "2026-03-30"
    assert (meta["draagkracht"], meta["draaglast"], meta["check_in"]) == (6, 4, True)
    check_meta("note", meta, False)
    without = notes.note_meta(notes.new_note("n2", "c1", "2026-03-02T08:30:00+00:00", text="x"))
    assert "draagkracht" not in without and "draaglast" not in without


def test_case_meta_has_opened_and_closed_days():
    case = cases.new_case("c1", "Gezin X", "2026-03-31T22:30:00+00:00")
    assert cases.case_meta(case)["opened"] == "2026-04-01"
    assert "closed" not in cases.case_meta(case)
    case = cases.change_status(case, "afgesloten", "2026-10-31T23:30:00+00:00")
    meta = cases.case_meta(case)
    assert meta == {
        "phase": "eerste_onthaal",
        "status": "afgesloten",
        "opened": "2026-04-01",
        "closed": "2026-11-01",
    }
    check_meta("case", meta, False)


@pytest.mark.parametrize(
    ("kind", "meta"),
    [
        ("note", {"draagkracht": 11}),
        ("note", {"draaglast": -1}),
        ("note", {"draagkracht": True}),
        ("note", {"draaglast": "5"}),
        ("case", {"opened": "2026-02-30"}),
        ("case", {"closed": "gisteren"}),
    ],
)
def test_protocol_refuses_bad_new_codes(kind, meta):
    with pytest.raises(ProtocolError):
        check_meta(kind, meta, False)


# ---- weeks and months ---------------------------------------------------------------------


def test_iso_weeks_and_months():
    week = parse("week", "2026-W01")
    assert (week.first, week.after) == ("2025-12-29", "2026-01-05")  # 1 Jan 2026 is a Thursday
    assert parse("week", "2026-W53").first == "2026-12-28"  # 2026 has 53 ISO weeks
    with pytest.raises(BadPeriod):
        parse("week", "2025-W53")
    with pytest.raises(BadPeriod):
        parse("maand", "2026-13")
    dst = containing("week", dt.date(2026, 3, 29))  # the Sunday clocks go forward
    assert (dst.key, dst.first, dst.after) == ("2026-W13", "2026-03-23", "2026-03-30")
    assert containing("maand", dt.date(2024, 2, 29)).after == "2024-03-01"
    assert [p.key for p in trail(parse("maand", "2026-02"), 3)] == ["2025-12", "2026-01", "2026-02"]
    assert parse("week", "2026-W13").next().key == "2026-W14"
    assert parse("maand", "2026-01").previous().key == "2025-12"


# ---- figures from a known set of facts ------------------------------------------------------


def note(owner, case, day, contact="informeel", setting=None, reason=None, **extra):
    return NoteFact(
        owner,
        case,
        day,
        contact,
        setting,
        reason,
        extra.get("check_in", False),
        extra.get("draagkracht"),
        extra.get("draaglast"),
        " ".join(extra.get("domains", ())) or None,
        " ".join(extra.get("barriers", ())) or None,
    )


KNOWN = [
    note(1, "A", "2026-03-02", "gesprek", "huisbezoek", domains=["wonen", "inkomen"]),
    note(1, "A", "2026-03-03", "poging", "huisbezoek", "niet_thuis"),
    note(1, "A", "2026-03-04", "poging", "telefoon", "geen_antwoord"),
    note(1, "B", "2026-03-05", "informeel", "schoolpoort", domains=["kinderen"]),
    note(1, None, "2026-03-06", "informeel", "straat", domains=["wonen"]),
    note(2, "C", "2026-03-09", "check_in", "autorit", check_in=True, draagkracht=6, draaglast=4),
    note(2, "C", "2026-03-10", "check_in", "autorit", check_in=True, draagkracht=8),
    note(2, "A", "2026-03-11", "gesprek", "kantoor", domains=["wonen"], barriers=["wachtlijst"]),
    note(2, None, "2026-03-12", "poging", None, "afgezegd"),
]


def test_activity_equals_hand_counts():
    act = figures.activity(KNOWN)
    assert (act.contacts, act.attempts) == (6, 3)
    assert act.caseload == 3  # A, B, C: A counted once although two workers saw it
    assert act.signalen == 1  # the anonymous attempt is not a signaal
    assert act.check_ins == 2
    assert (act.draagkracht, act.draaglast) == ([6, 8], [4])
    assert act.kracht_moves == (1, 0) and act.last_moves == (0, 0)  # C: 6 then 8


def test_draagkracht_and_draaglast_are_told_as_gezinnen_that_moved_not_a_team_average():
    def check_in(case, day, kracht=None, last=None):
        return note(1, case, day, "check_in", check_in=True, draagkracht=kracht, draaglast=last)

    notes = [
        check_in("A", "2026-03-10", 7, 6),
        check_in("A", "2026-03-02", 4, 8),  # out of order: the first day counts as first
        check_in("B", "2026-03-03", 5, 5),
        check_in("B", "2026-03-09", 3, 5),
        check_in("C", "2026-03-04", 5),  # one score: no move
        check_in("D", "2026-03-05", None, 2),
        check_in("D", "2026-03-06", None, 4),
        check_in(None, "2026-03-06", 1),
    ]
    act = figures.activity(notes)
    assert act.kracht_moves == (1, 1)  # A up, B down
    assert act.last_moves == (1, 1)  # D up, A down


def test_contact_trend_puts_days_in_their_week_across_the_dst_change():
    weeks = trail(parse("week", "2026-W14"), 3)  # W12, W13, W14
    rows = [  # (day, notes, of which attempts)
        ("2026-03-16", 2, 0),  # W12 Monday
        ("2026-03-29", 4, 1),  # W13 Sunday, the day clocks go forward
        ("2026-03-30", 4, 0),  # W14 Monday
        ("2026-04-05", 5, 5),  # W14 Sunday
        ("2026-04-06", 7, 0),  # W15: outside the trail
        ("2026-03-15", 7, 2),  # W11: outside
    ]
    assert figures.contact_trend(rows, weeks) == ([2, 3, 4], [0, 1, 5])


def test_case_flow_rights_referrals_snapshots_and_barriers():
    months = trail(parse("maand", "2026-04"), 2)  # March, April
    flow = figures.case_flow(
        [
            CaseFact(1, "A", "2026-03-01", "uitvoering", "actief", None),
            CaseFact(1, "B", "2026-03-31", "afsluiting", "afgesloten", "2026-04-01"),
            CaseFact(1, "C", "2026-04-30", "eerste_onthaal", "lager_pitje", None),
            CaseFact(2, "D", "2026-02-28", "nazorg", "afgesloten", "2026-03-15"),
            CaseFact(2, "E", None, "uitvoering", "actief", None),  # an old phone: no day
        ],
        months,
    )
    assert (flow.opened, flow.closed) == ([2, 1], [1, 1])
    assert flow.statuses == {"actief": 2, "afgesloten": 2, "lager_pitje": 1}
    assert flow.phases == {"uitvoering": 2, "eerste_onthaal": 1}

    april = months[1]
    checks = figures.rights(
        [
            RightFact(1, "2026-04-02", "leefloon", "toegekend"),
            RightFact(1, "2026-03-10", "leefloon", "toegekend"),
            RightFact(2, "2026-04-20", "schooltoeslag", "toegekend"),
            RightFact(2, "2026-04-21", "schooltoeslag", "aangevraagd"),
            RightFact(2, "2025-12-01", "leefloon", "geweigerd"),
        ],
        april,
        months,
    )
    assert checks.by_status == {"toegekend": 3, "aangevraagd": 1, "geweigerd": 1}
    assert checks.changed == {"toegekend": 2, "aangevraagd": 1}
    assert checks.granted == {"leefloon": 2, "schooltoeslag": 1}
    assert checks.granted_trend == [1, 2]

    refs = figures.referrals(
        [
            OtherFact(1, "referral", "2026-04-03", {"step": "afspraak", "outcome": "lopend"}),
            OtherFact(1, "referral", "2026-03-03", {"step": "nazorg", "outcome": "geslaagd"}),
            OtherFact(2, "referral", "2026-04-09", {"step": "afspraak"}),
        ],
        april,
    )
    assert (refs.by_step, refs.by_outcome) == (
        {"afspraak": 2, "nazorg": 1},
        {"lopend": 1, "geslaagd": 1},
    )
    assert (refs.in_period, refs.total) == (2, 3)
    snapshots = [OtherFact(1, "network_snapshot", d, {}) for d in ("2026-03-31", "2026-04-01")]
    assert figures.per_period(snapshots, months) == [1, 1]

    found = figures.barriers(
        [
            ("2026-03-02", "werk administratie", "digitaal"),
            ("2026-04-02", "werk", "digitaal wachtlijst"),
            ("2026-04-03", None, "wachtlijst"),
            ("2026-04-04", "wonen", None),
            ("2026-05-01", "werk", "digitaal"),  # after the range
        ],
        months,
    )
    assert found.trend == {"digitaal": [1, 1], "wachtlijst": [0, 2]}
    assert found.totals == {"digitaal": 2, "wachtlijst": 2}
    assert found.by_domain == {
        ("digitaal", "werk"): 2,
        ("digitaal", "administratie"): 1,
        ("wachtlijst", "werk"): 1,
    }
    assert found.notes == 3


# ---- the read model ----------------------------------------------------------------------


def _row(kind, meta, hlc="001774821600000-00000-abcdef01", deleted=False):
    return {
        "id": "r1",
        "team_id": 1,
        "owner_id": 2,
        "kind": kind,
        "case_id": "c1",
        "hlc": hlc,
        "deleted": deleted,
        "meta": meta,
    }


def test_facts_keep_only_codes_and_belgian_days():
    fact = facts.derive(
        _row(
            "note",
            {
                "day": "2026-03-30",
                "contact": "poging",
                "attempt_reason": "niet_thuis",
                "domains": ["wonen", "werk"],
                "barriers": [],
                "check_in": True,
                "draagkracht": 5,
            },
        )
    )
    assert fact["day"] == "2026-03-30" and fact["domains"] == "wonen werk"
    assert fact["barriers"] is None and fact["check_in"] is True and fact["draagkracht"] == 5
    assert set(fact) == set(facts.COLUMNS)
    # 2026-10-31 23:30 UTC is 1 November in Belgium: a right counts on its last change.
    stamp = int(dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC).timestamp() * 1000)
    right = facts.derive(
        _row("right_check", {"right": "leefloon", "status": "toegekend"}, f"{stamp:015d}-00000-a")
    )
    assert (right["day"], right["right_id"], right["status"]) == (
        "2026-11-01",
        "leefloon",
        "toegekend",
    )
    case = facts.derive(
        _row(
            "case",
            {
                "phase": "nazorg",
                "status": "afgesloten",
                "opened": "2026-01-02",
                "closed": "2026-05-06",
            },
        )
    )
    assert (case["day"], case["closed"], case["phase"]) == ("2026-01-02", "2026-05-06", "nazorg")
    assert facts.derive(_row("note", {}, deleted=True)) is None
    assert facts.derive(_row("case_key", {})) is None
    referral = facts.derive(_row("referral", {"step": "afspraak"}, f"{stamp:015d}-00000-a"))
    assert referral["day"] == "2026-11-01" and referral["meta"] == {"step": "afspraak"}


# ---- what is shown --------------------------------------------------------------------------


def test_small_counts_are_hidden_and_figures_on_them_too():
    assert [Count(n).text() for n in (0, 1, 2, 3, 40)] == ["< 3", "< 3", "< 3", "3", "40"]
    assert Mean((6, 8)).text() == "< 3 metingen" and Mean((6, 8)).csv() == "< 3"
    assert Mean((6, 8, 7)).text() == "7,0" and Mean((6, 8, 7)).csv() == "7.0"
    assert Ratio(2, 10).csv() == "" and Ratio(10, 2).csv() == ""
    assert Ratio(3, 12).text() == "0,25"
    table = Table("t", "T", ["Wie", "Aantal"])
    table.add("=SOM(A1)", 2)
    table.add("sara", 5)
    assert table.csv_rows() == [["Wie", "Aantal"], ["'=SOM(A1)", "< 3"], ["sara", "5"]]
    assert Text("-1").csv() == "'-1"


def test_chart_draws_small_counts_as_hatched_and_never_tells_them():
    svg = bar_chart("c", "Contacten", ["W1", "W2", "W3"], [("Contacten", [1, 2, 9])])
    assert svg.count('class="hidden"') == 2 and svg.count('class="bar"') == 1
    assert "Contacten, W3: 9" in svg
    assert "W1: 1" not in svg and "W2: 2" not in svg and svg.count("W1: &lt; 3") == 1
    assert 'role="img"' in svg and "<title id=" in svg
    heights = re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg)
    assert heights[0] == heights[1]  # 1 and 2 look the same


def test_markup_escapes_everything_but_markup():
    assert esc("<script>") == "&lt;script&gt;"
    assert render("<p>{x}</p>", x='"><img src=x>') == "<p>&quot;&gt;&lt;img src=x&gt;</p>"
    assert render("<p>{x}</p>", x=esc("<b>")) == "<p>&lt;b&gt;</p>"  # not escaped twice


def test_the_dashboard_names_the_new_codes_of_the_method():
    from collections import Counter

    from sync_server.dashboard.tables import Table, add_counts

    reasons = add_counts(
        Table("x", "x", ["Reden", "Aantal"]),
        "attempt_reason",
        Counter({"wil_geen_contact": 4, "deed_niet_open": 3, "niet_thuis": 5}),
    )
    assert [row[0] for row in reasons.csv_rows()[1:]] == [
        "Niet thuis",
        "Deed niet open",
        "Wil nu geen contact",
    ]
    statuses = add_counts(
        Table("y", "y", ["Status", "Aantal"]),
        "right_status",
        Counter({"bezwaar_beroep": 3, "stopgezet": 6}),
    )
    assert [row[0] for row in statuses.csv_rows()[1:]] == ["Bezwaar of beroep", "Stopgezet"]


def test_the_demo_draws_are_reproducible_and_in_range():
    """The demo team's generator (no `random` module on the server): the same seed draws
    the same team; every draw stays in its range; a sample has no repeats."""
    from sync_server.dashboard.draws import Draws

    one, two = Draws(2026), Draws(2026)
    assert [one.random() for _ in range(50)] == [two.random() for _ in range(50)]
    draws = Draws("bereik")
    assert {draws.randint(0, 4) for _ in range(500)} == {0, 1, 2, 3, 4}
    assert all(0 <= draws.random() < 1 for _ in range(500))
    assert all(0 <= draws.getrandbits(48) < 2**48 for _ in range(100))
    assert {draws.choices("ab", [1, 0])[0] for _ in range(100)} == {"a"}
    picked = draws.sample(range(10), 10)
    assert sorted(picked) == list(range(10))
