"""The supervisor pages on a real server process (SQLite and PostgreSQL): figures from notes
a real phone vault synced, exactly as counted by hand (Belgian days, DST weeks, month
ends); who may see what; CSRF, session fixation, back-off; CSV; data at risk; seed-demo."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from app.services import enroll
from sync_server.dashboard import auth, figures, queries
from sync_server.dashboard.periods import parse, trail
from sync_server.models import AuditEntry, Device, Team, User, WebPassword, WebSession
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.dashboard import PAGES, WebClient
from tests.server_process import REPO

PASSWORD = "een lang genoeg wachtwoord"

# sara's notes: (UTC moment, copies, case, fields). The comments give the Belgian day.
EVENTS = [
    (
        "2026-03-23T08:00:00",
        3,
        "A",
        dict(contact="gesprek", setting="huisbezoek", domains=["wonen", "inkomen"]),
    ),  # Mon 23/3, W13
    (
        "2026-03-29T21:30:00",
        4,
        "B",
        dict(setting="schoolpoort", domains=["wonen"], barriers=["wachtlijst"]),
    ),  # Sun 29/3 23:30 CEST, W13
    (
        "2026-03-29T22:30:00",
        5,
        "A",
        dict(contact="poging", attempt_reason="niet_thuis", setting="huisbezoek"),
    ),  # Mon 30/3 00:30, W14
    (
        "2026-03-31T22:30:00",
        6,
        "B",
        dict(setting="straat", domains=["werk"], barriers=["digitaal"]),
    ),  # Wed 1/4 00:30, W14, April
    (
        "2026-03-28T23:30:00",
        3,
        "A",
        dict(contact="gesprek", setting="kantoor", domains=["gezin"]),
    ),  # Sun 29/3 00:30 CET, W13
    ("2026-03-25T12:00:00", 3, None, dict(setting="straat")),  # signalen, W13
    ("2026-10-24T22:30:00", 3, "A", dict(setting="straat")),  # Sun 25/10 00:30 CEST, W43
    ("2026-10-25T23:30:00", 4, "A", dict(setting="schoolpoort")),  # Mon 26/10 00:30 CET, W44
    ("2026-10-31T23:30:00", 3, "A", dict(contact="gesprek")),  # Sun 1/11 00:30 CET, November
    (
        "2026-10-31T22:30:00",
        5,
        "A",
        dict(contact="check_in", setting="autorit", check_in={"draagkracht": 7, "draaglast": 3}),
    ),
    # ^ Sat 31/10 23:30 CET: October (with summer time it would wrongly be November)
]
CASES = {"A": "2026-03-02T09:00:00", "B": "2026-03-29T21:30:00", "C": "2026-03-31T22:30:00"}


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def world(server, tmp_path_factory):
    root = tmp_path_factory.mktemp("dashboard")
    for login, team, role in [
        ("coach.noord", "Team Noord", "supervisor"),
        ("coach.zuid", "Team Zuid", "supervisor"),
        ("beheer", "Team Noord", "admin"),
    ]:
        answer = WebClient(server.url).activate(login, server.user(login, team, role), PASSWORD)
        assert answer.status_code == 200, answer.text
    clock = {"now": utc("2026-03-02T09:00:00")}
    sara = enroll(
        root / "sara",
        PASSPHRASE,
        server.url,
        server.user("sara", "Team Noord"),
        kdf=FAST_KDF,
        now=lambda: clock["now"],
    )
    ids = {}
    for key, moment in CASES.items():
        clock["now"] = utc(moment)
        ids[key] = sara.add_case(f"Gezin {key}")
    for moment, copies, case, fields in EVENTS:
        clock["now"] = utc(moment)
        for _ in range(copies):
            sara.add_note(ids[case] if case else None, "iets", **fields)
    clock["now"] = utc("2026-04-30T22:30:00")  # 1 May in Belgium
    sara.set_status(ids["A"], "afgesloten")
    sara.set_right(ids["B"], "leefloon", status="toegekend")
    sara.sync()
    sara.close()
    tom = enroll(
        root / "tom",
        PASSPHRASE,
        server.url,
        server.user("tom", "Team Noord"),
        kdf=FAST_KDF,
        now=lambda: utc("2026-03-10T10:00:00"),
    )
    for _ in range(3):
        tom.add_note(None, "iets", setting="schoolpoort")
    tom.sync()
    tom.close()
    quinten = enroll(
        root / "quinten",
        PASSPHRASE,
        server.url,
        server.user("quinten", "Team Zuid"),
        kdf=FAST_KDF,
        now=lambda: utc("2026-03-11T10:00:00"),
    )
    for _ in range(5):
        quinten.add_note(None, "iets", setting="buurthuis")
    quinten.sync()
    quinten.close()
    with server.db.transaction() as session:
        teams = {t.name: t.id for t in session.scalars(select(Team))}
        users = {u.login: u.id for u in session.scalars(select(User))}
    return SimpleNamespace(teams=teams, users=users, cases=ids)


def logged_in(server, login, address=None) -> WebClient:
    client = WebClient(server.url, address)
    assert client.login(login, PASSWORD).status_code == 303
    return client


# ---- figures ---------------------------------------------------------------------------------


def test_figures_from_synced_metadata_equal_hand_counts(server, world):
    noord, sara = world.teams["Team Noord"], world.users["sara"]
    with server.db.transaction() as session:
        march = figures.activity(
            queries.note_facts(session, noord, sara, "2026-03-01", "2026-04-01")
        )
        october = figures.activity(
            queries.note_facts(session, noord, sara, "2026-10-01", "2026-11-01")
        )
        weeks = trail(parse("week", "2026-W14"), 2)
        by_week = figures.contact_trend(
            queries.contact_counts(session, noord, sara, weeks[0].first, weeks[-1].after), weeks
        )
        autumn = trail(parse("week", "2026-W44"), 2)
        by_autumn_week = figures.contact_trend(
            queries.contact_counts(session, noord, sara, autumn[0].first, autumn[-1].after),
            autumn,
        )
        months = trail(parse("maand", "2026-05"), 3)
        flow = figures.case_flow(queries.case_facts(session, noord, None), months)
        team = figures.activity(
            queries.note_facts(session, noord, None, "2026-03-01", "2026-04-01")
        )
    assert (march.contacts, march.attempts, march.signalen) == (13, 5, 3)
    assert march.cases == {world.cases["A"], world.cases["B"]}
    assert march.setting_contacts == {"huisbezoek": 3, "schoolpoort": 4, "kantoor": 3, "straat": 3}
    assert march.setting_attempts == {"huisbezoek": 5}
    assert march.by_domain == {"wonen": 7, "inkomen": 3, "gezin": 3}
    assert by_week == ([13, 6], [0, 5])  # W13, W14
    assert by_autumn_week == ([3, 12], [0, 0])  # W43, W44
    assert (october.contacts, october.check_ins) == (12, 5)
    assert (october.draagkracht, october.draaglast) == ([7] * 5, [3] * 5)
    assert (flow.opened, flow.closed) == ([2, 1, 0], [0, 0, 1])  # March, April, May
    assert (team.contacts, len(team.workers)) == (16, 2)  # quinten of Team Zuid is not in it


def test_csv_downloads_show_the_same_counts_with_small_ones_hidden(server, world):
    coach = logged_in(server, "coach.noord")
    weekly = coach.csv("activiteit", "verloop", periode="week", van="2026-W14", medewerker="sara")
    assert weekly[0] == ["Periode", "Contacten", "Pogingen"]
    assert weekly[-2][1:] == ["13", "< 3"] and weekly[-1][1:] == ["6", "5"]
    monthly = coach.csv("activiteit", "verloop", periode="maand", van="2026-04", medewerker="sara")
    assert monthly[-2][1:] == ["13", "5"] and monthly[-1][1:] == ["6", "< 3"]
    autumn = coach.csv("activiteit", "verloop", periode="week", van="2026-W44", medewerker="sara")
    assert autumn[-2][1:] == ["3", "< 3"] and autumn[-1][1:] == ["12", "< 3"]
    november = coach.csv("activiteit", "verloop", periode="maand", van="2026-11", medewerker="sara")
    assert november[-2][1:] == ["12", "< 3"] and november[-1][1:] == ["3", "< 3"]
    key = coach.table("activiteit", "kerncijfers", van="2026-10", medewerker="sara")
    assert key["Check-ins"] == ["5"]
    # No team average of scores: how many gezinnen moved, hidden below 3 like any count.
    assert "Gemiddelde draagkracht (0-10)" not in key
    assert key["Gezinnen met een hogere draagkracht"] == ["< 3"]
    assert key["Gezinnen met een lagere draaglast"] == ["< 3"]
    march = coach.table("activiteit", "kerncijfers", van="2026-03", medewerker="sara")
    assert march["Contacten"] == ["13"] and march["Aanklampen: pogingen zonder contact"] == ["5"]
    assert march["Actieve caseload (gezinnen met een notitie)"] == ["< 3"]
    assert march["Pogingen per contact"] == ["0.38"]
    places = coach.table("activiteit", "plaats", van="2026-03", medewerker="sara")
    assert places["Huisbezoek"] == ["3", "5"] and places["Schoolpoort"] == ["4", "< 3"]
    assert coach.table("activiteit", "levensdomeinen", van="2026-03", medewerker="sara")[
        "Wonen"
    ] == ["7"]
    people = coach.table("activiteit", "medewerkers", van="2026-03")
    assert people["sara"] == ["13", "5", "< 3"] and people["tom"] == ["3", "< 3", "< 3"]
    assert "quinten" not in people
    barriers = coach.table("drempels", "drempels-verloop", van="2026-04")
    assert barriers["Wachtlijst"][-2:] == ["4", "< 3"]
    assert barriers["Te gedigitaliseerd, geen pc"][-2:] == ["< 3", "6"]
    answer = coach.get("/dashboard/csv/activiteit/plaats", van="2026-03")
    assert 'filename="dichtbij-plaats-2026-03.csv"' in answer.headers["content-disposition"]
    assert coach.get("/dashboard/csv/activiteit/bestaat-niet").status_code == 404


def test_pages_render_with_charts_tables_and_no_small_numbers_in_the_clear(server, world):
    coach = logged_in(server, "coach.noord")
    for path in PAGES:
        for params in (
            {},
            {"periode": "week", "van": "2026-W14"},
            {"van": "2026-03", "medewerker": "sara"},
        ):
            page = coach.get("/dashboard" + path, **params)
            assert page.status_code == 200, (path, params, page.text[:300])
            assert page.headers["content-security-policy"].startswith("default-src 'none'")
            assert page.headers["cache-control"] == "no-store"
            assert "quinten" not in page.text
            if path != "/drempels/rapport":  # the report names no worker, only the team
                assert "sara" in page.text
    page = coach.get("/dashboard", van="2026-03", medewerker="sara").text
    assert '<svg class="chart"' in page and 'role="img"' in page and "<table" in page
    assert ">&lt; 3<" in page
    report = coach.get("/dashboard/drempels/rapport.txt", van="2026-04")
    assert report.status_code == 200 and "Wachtlijst: 4 notities" in report.text


def test_bad_choices_get_a_clear_400(server, world):
    coach = logged_in(server, "coach.noord")
    for params in (
        {"periode": "jaar"},
        {"van": "2026-W99", "periode": "week"},
        {"dagen": "0"},
        {"dagen": "veel"},
        {"medewerker": "quinten"},
    ):
        answer = coach.get("/dashboard", **params)
        assert answer.status_code == 400, params
        assert 'role="alert"' in answer.text


# ---- who may see what -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_and_sees_no_data(server, world):
    anonymous = WebClient(server.url)
    for path in [*PAGES, "/drempels/rapport.txt", "/csv/activiteit/kerncijfers"]:
        answer = anonymous.get("/dashboard" + path, team=world.teams["Team Noord"])
        assert answer.status_code == 303 and answer.headers["location"] == "/dashboard/login"
        assert "sara" not in answer.text and "13" not in answer.text
    assert "sara" not in anonymous.get("/dashboard/login").text


def test_supervisor_of_another_team_is_refused(server, world):
    coach = logged_in(server, "coach.zuid")
    noord = world.teams["Team Noord"]
    own = coach.get("/dashboard", van="2026-03")
    assert own.status_code == 200 and "Team Zuid" in own.text and "sara" not in own.text
    for path in PAGES:
        answer = coach.get("/dashboard" + path, team=noord)
        assert answer.status_code == 403 and "sara" not in answer.text
    assert coach.get("/dashboard/csv/activiteit/medewerkers", team=noord).status_code == 403
    assert coach.get("/dashboard", medewerker="sara").status_code == 400


def test_outreacher_is_refused(server, world):
    outsider = WebClient(server.url, "192.0.2.76")
    answer = outsider.activate("sara", server.code("sara"), PASSWORD)
    assert answer.status_code == 401  # a phone code sets no web password
    with server.db.transaction() as session:  # even with a password somehow set
        session.merge(
            WebPassword(user_id=world.users["sara"], password_hash=auth._hasher.hash(PASSWORD))
        )
    refused = WebClient(server.url, "192.0.2.77")
    answer = refused.login("sara", PASSWORD)
    assert answer.status_code == 401 and "dichtbij_sessie" not in refused.http.cookies
    assert refused.get("/dashboard").status_code == 303


def test_admin_sees_every_team_and_supervise_adds_one(server, world):
    admin = logged_in(server, "beheer")
    page = admin.get("/dashboard").text
    assert '<select id="kies-team" name="team">' in page and "Team Zuid" in page
    zuid = admin.get("/dashboard", team=world.teams["Team Zuid"], van="2026-03")
    assert zuid.status_code == 200 and "quinten" in zuid.text
    code = server.user("coach.extra", "Team Noord", "supervisor")
    assert WebClient(server.url).activate("coach.extra", code, PASSWORD).status_code == 200
    extra = logged_in(server, "coach.extra")
    assert extra.get("/dashboard", team=world.teams["Team Zuid"]).status_code == 403
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sync_server",
            "--db",
            server.db_url,
            "admin",
            "supervise",
            "coach.extra",
            "--team",
            "Team Zuid",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert extra.get("/dashboard", team=world.teams["Team Zuid"]).status_code == 200


# ---- web security -----------------------------------------------------------------------------


def test_activation_with_the_one_time_code(server, world):
    code = server.user("coach.nieuw", "Team Noord", "supervisor")
    web = WebClient(server.url, "192.0.2.50")
    assert (
        web.activate("coach.nieuw", code, PASSWORD, again="iets anders dan dat").status_code == 422
    )
    assert web.activate("coach.nieuw", code, "kort").status_code == 422
    assert web.activate("coach.zuid", code, PASSWORD).status_code == 401  # not their code
    time.sleep(1.1)  # the back-off of that failure
    assert web.activate("coach.nieuw", code, PASSWORD).status_code == 200  # still usable
    time.sleep(0.1)
    assert (
        WebClient(server.url, "192.0.2.51")
        .activate("coach.nieuw", code, PASSWORD + "!")
        .status_code
        == 401
    )  # used up
    assert logged_in(server, "coach.nieuw").get("/dashboard").status_code == 200


def test_login_cookie_is_httponly_strict_and_only_a_hash_is_stored(server, world):
    web = WebClient(server.url)
    answer = web.login("coach.noord", PASSWORD)
    assert answer.status_code == 303 and answer.headers["location"] == "/dashboard"
    cookie = next(
        c for c in answer.raw.headers.getlist("set-cookie") if c.startswith("dichtbij_sessie=")
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http is only served on loopback (docs/supervisor.md)
    token = web.http.cookies["dichtbij_sessie"]
    assert len(token) >= 43  # 256 bits
    with server.db.transaction() as session:
        hashes = set(session.scalars(select(WebSession.token_hash)))
        details = " ".join(e.detail for e in session.scalars(select(AuditEntry)))
    assert hashlib.sha256(token.encode()).hexdigest() in hashes and token not in hashes
    assert token not in details and PASSWORD not in details


def test_csrf_is_required_for_logout_and_login(server, world):
    web = logged_in(server, "coach.noord")
    token = web.csrf()
    assert web.post("/dashboard/logout", {}).status_code == 403
    assert web.post("/dashboard/logout", {"csrf": "0" * 64}).status_code == 403
    assert (
        web.post("/dashboard/logout", {"csrf": token}, Origin="http://evil.example").status_code
        == 403
    )
    assert (
        web.post(
            "/dashboard/logout", {"csrf": token}, **{"Sec-Fetch-Site": "cross-site"}
        ).status_code
        == 403
    )
    assert web.get("/dashboard").status_code == 200  # none of those logged out
    assert web.post("/dashboard/logout", {"csrf": token}).status_code == 303
    assert web.get("/dashboard").status_code == 303
    # Login: the form token must match this browser's form cookie.
    victim = WebClient(server.url)
    other_token = WebClient(server.url).form_token("/dashboard/login")
    victim.form_token("/dashboard/login")
    forged = victim.post(
        "/dashboard/login", {"form": other_token, "login": "coach.noord", "password": PASSWORD}
    )
    assert forged.status_code == 403 and "dichtbij_sessie" not in victim.http.cookies
    bare = WebClient(server.url)
    answer = bare.post("/dashboard/login", {"login": "coach.noord", "password": PASSWORD})
    assert answer.status_code == 403


def test_session_fixation_is_impossible(server, world):
    web = WebClient(server.url)
    planted = "attacker-chosen-session-id-0000000000000000"
    web.http.cookies.set("dichtbij_sessie", planted, domain="127.0.0.1", path="/")
    assert web.get("/dashboard").status_code == 303  # an unknown id is no session
    assert web.login("coach.noord", PASSWORD).status_code == 303
    first = web.http.cookies["dichtbij_sessie"]
    assert first != planted
    attacker = WebClient(server.url)
    attacker.http.cookies.set("dichtbij_sessie", planted, domain="127.0.0.1", path="/")
    assert attacker.get("/dashboard").status_code == 303
    assert web.login("coach.noord", PASSWORD).status_code == 303  # log in again: new id
    second = web.http.cookies["dichtbij_sessie"]
    assert second != first
    old = WebClient(server.url)
    old.http.cookies.set("dichtbij_sessie", first, domain="127.0.0.1", path="/")
    assert old.get("/dashboard").status_code == 303  # the earlier id was ended
    assert web.get("/dashboard").status_code == 200


def test_back_off_slows_the_guesser_not_the_supervisor_elsewhere(server, world):
    guesser = WebClient(server.url, "203.0.113.9")
    assert guesser.login("coach.noord", "fout wachtwoord 123").status_code == 401
    blocked = guesser.login("coach.noord", PASSWORD)  # even the right one, for now
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    assert "dichtbij_sessie" not in guesser.http.cookies
    assert logged_in(server, "coach.noord", "198.51.100.4").get("/dashboard").status_code == 200
    time.sleep(1.2)
    assert guesser.login("coach.noord", PASSWORD).status_code == 303
    with server.db.transaction() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry))]
    assert "web_login_failed" in actions and "web_login" in actions


# ---- data at risk, seed-demo ----------------------------------------------------------------


def test_devices_that_did_not_sync_are_listed_with_their_pending_count(server, world):
    now = dt.datetime.now(dt.UTC)
    with server.db.transaction() as session:
        session.execute(
            update(Device)
            .where(Device.user_id == world.users["sara"])
            .values(last_sync_at=now - dt.timedelta(days=10), pending=7)
        )
        session.execute(
            update(Device)
            .where(Device.user_id == world.users["tom"])
            .values(last_sync_at=now - dt.timedelta(days=3), pending=None)
        )
    coach = logged_in(server, "coach.noord")
    rows = coach.table("toestellen", "toestellen")
    assert rows["sara"][2:] == ["10", "7"]  # device name, last sync, days silent, pending
    assert "tom" not in rows
    assert coach.table("toestellen", "toestellen", dagen="2")["tom"][2:] == ["3", "onbekend"]
    assert "sara" not in coach.table("toestellen", "toestellen", dagen="30")
    page = coach.get("/dashboard/toestellen").text
    assert "Toestellen die 7 dagen of langer niet synchroniseerden" in page
    assert coach.get("/dashboard/toestellen", team=world.teams["Team Zuid"]).status_code == 403


def test_seed_demo_prints_the_supervisor_login_last(server, world):
    if not server.db_url.startswith("sqlite"):
        pytest.skip("seeding a year of demo activity once (on SQLite) is enough")

    def seed() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-m", "sync_server", "--db", server.db_url, "admin", "seed-demo"],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1].split(" ")

    login, password = seed()
    web = WebClient(server.url, "192.0.2.99")
    assert web.login(login, password).status_code == 303
    page = web.get("/dashboard").text
    assert "Demoteam (fictief)" in page and "dit team en al zijn cijfers zijn fictief" in page
    again_login, again = seed()  # a second run: a fresh password, the old one ends
    assert (again_login, again != password) == (login, True)
    assert web.get("/dashboard").status_code == 303
    assert WebClient(server.url, "192.0.2.98").login(login, again).status_code == 303
