"""View logic without a browser: formatting and the route table."""

import datetime as dt
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

from app.core.passphrase import MIN_CHARS, refusal, strength
from app.ui import format as fmt
from app.ui.strings import T, strength_label
from tests.conftest import PASSPHRASE

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_times_show_in_local_time_in_dutch():
    assert fmt.when("2026-11-22T17:20:00+00:00", BRUSSELS, 2026) == "22 nov 18:20"  # UTC+1
    assert fmt.when("2026-07-01T17:20:00+00:00", BRUSSELS, 2026) == "1 jul 19:20"  # UTC+2
    assert fmt.when("2025-07-01T17:20:00+00:00", BRUSSELS, 2026) == "1 jul 2025 19:20"
    assert fmt.day("2026-03-05") == "5 mrt 2026"


def test_a_recent_moment_reads_with_a_near_day_on_belgian_clocks():
    today = dt.date(2026, 12, 2)
    assert fmt.moment("2026-12-02T09:42:10+00:00", today) == "vandaag 10:42"
    assert fmt.moment("2026-12-01T17:20:00+00:00", today) == "gisteren 18:20"
    assert fmt.moment("2026-11-20T08:05:00+00:00", today) == "20 nov 2026 09:05"


def test_the_server_is_named_by_its_host():
    assert fmt.host("https://sync.voorbeeld.be:8443/api") == "sync.voorbeeld.be"
    assert fmt.host("http://127.0.0.1:8000") == "127.0.0.1"


def test_strength_labels_cover_every_score():
    assert [strength_label(s) for s in range(5)] == ["te kort", "zwak", "redelijk", "goed", "sterk"]
    assert strength_label(9) == "sterk"


def test_the_meter_says_why_the_rule_refuses():
    # 13 characters is long enough: a known passphrase is "te bekend", never "te kort"
    said = {p: strength_label(strength(p), refusal(p)) for p in ("kort", "Wachtwoord123", "x" * 13)}
    assert said == {"kort": "te kort", "Wachtwoord123": "te bekend", "x" * 13: "te eentonig"}
    assert strength_label(strength(PASSPHRASE), refusal(PASSPHRASE)) in ("goed", "sterk")
    assert f"Minstens {MIN_CHARS} tekens" in T["setup_intro"].format(chars=MIN_CHARS, words=4)


def test_every_string_is_dutch_text_and_placeholders_fill():
    assert all(isinstance(v, str) and v.strip() for v in T.values())
    assert T["sync_pending"].format(pending=3) == "3 wachtend"
    assert T["attempts"].format(attempts=2, contacts=5).startswith("Aanklampen: 2")
    assert dt.date.today()  # the module imports cleanly without Flet running


def test_the_netwerkkaart_layout_is_reused_until_someone_moves_and_forgotten_on_lock(tmp_path):
    from app.core.network import edit_node, new_node
    from app.ui.session import UiSession

    at = "2026-03-01T10:00:00+00:00"
    nodes = [
        new_node("a", "case", at, name="Oma Mia", sector="familie", ring=1),
        new_node("b", "case", at, name="Buurvrouw Els", sector="informeel", ring=2),
    ]
    session = UiSession(tmp_path)
    first = session.map_layout(nodes)
    calmer = [edit_node(nodes[0], tie="steunend", note="belt elke week"), nodes[1]]
    assert session.map_layout(calmer) is first  # a tie or a note does not move anyone
    moved = [edit_node(nodes[0], ring=3), nodes[1]]
    assert session.map_layout(moved) is not first
    assert session.map_layout(moved).nodes["a"] != first.nodes["a"]
    session.lock()
    assert session.map is None  # the names go with the keys


def test_counts_read_as_dutch_one_and_many():
    from app.ui.strings import counted

    assert counted(1, "poging") == "1 poging" and counted(2, "poging") == "2 pogingen"
    assert counted(0, "conflict") == "0 conflicten" and counted(1, "conflict") == "1 conflict"
    assert counted(1, "persoon") == "1 persoon of dienst"
    assert T["attempts"].format(attempts=counted(1, "poging"), contacts=counted(1, "contact")) == (
        "Aanklampen: 1 poging, 1 contact"
    )


def test_every_route_builds_its_address_and_finds_its_view_again():
    """One table of addresses: a link built with url() opens the view it names, with the
    arguments that view needs, and the bottom bar marks the tab the screen belongs to."""
    import inspect

    from app.ui import routes

    for route in routes.table():
        accepted = inspect.signature(route.view).parameters
        needed = [n for n, p in accepted.items() if n != "ui" and p.default is p.empty]
        needed += [n for n in accepted if "{" + n + "}" in route.pattern and n not in needed]
        address = routes.url(route.name, **{name: f"x-{name}" for name in needed})
        found, arguments = routes.find(address)
        assert found is route, address
        assert arguments == {name: f"x-{name}" for name in needed}
    assert routes.url("capture", origin="g1") == "/notitie?gezin=g1"
    assert routes.find("/notitie?bewerk=n1")[1] == {"editing": "n1"}
    assert routes.find("/netwerk/g1/vergelijk?van=a&tot=b")[1] == {
        "case_id": "g1",
        "before": "a",
        "after": "b",
    }
    assert (
        routes.tab_of("/notitie/n1") == routes.CASES and routes.tab_of("/notitie") == routes.CAPTURE
    )
    assert routes.tab_of("/conflicten") == routes.MORE and routes.tab_of("/bestaat-niet") == 0
    assert routes.find("/gezin/")[0].name == "today"  # an empty part is no address


def test_an_app_bar_title_fits_whole_words_and_shrinks_only_when_it_must():
    from app.ui.title_fit import fit, lines_needed, room

    beside_sync = room(412, back=True, enrolled=True, unlocked=True)
    assert fit("Vandaag", beside_sync).size == 22
    for title in (
        "Rechtenverkenner",
        "Eerste contacten (nog zonder naam)",
        "Netwerkkaart · Gezin Demo-Amrani (fictief)",
    ):
        shown = fit(title, beside_sync)
        assert lines_needed(title, shown.size, beside_sync) <= shown.lines <= 3, title
        assert shown.bar_height >= shown.lines * shown.size * 1.2
    assert lines_needed("Rechtenverkenner", 22, beside_sync) == 99  # broke mid-word before


def test_the_browser_confirming_an_address_compares_nothing_again(tmp_path):
    """`go` showed the screen already; the browser's answer (a route change) must not make
    Flet compare the whole screen again after the event, as it does when a handler updates
    nothing: 30–60 ms of CPU while the browser draws what was just sent."""
    import asyncio
    from types import SimpleNamespace

    import flet as ft

    from app.ui.session import UiSession
    from app.ui.shell import Ui

    async def answer(route: str) -> bool:
        ft.context.reset_auto_update()  # as Flet does for every event it dispatches
        ui = Ui(SimpleNamespace(route=route), UiSession(tmp_path))  # type: ignore[arg-type]
        ui.echoes.append(route)
        await ui.route_changed(route)
        return ft.context.auto_update_enabled()

    assert asyncio.run(answer("/gezinnen")) is False
    assert ft.context.auto_update_enabled()  # outside that event: untouched


def test_what_a_screen_adds_once_drawn_is_dropped_when_the_screen_goes(tmp_path):
    """A gezin's older timeline entries follow its first frame; locked or left before that,
    they must not land on whatever is on display then (the lock screen, another gezin)."""
    import asyncio
    from types import SimpleNamespace

    from app.ui.session import UiSession
    from app.ui.shell import Ui

    async def scenario() -> tuple[list[str], int]:
        loop = asyncio.get_running_loop()
        updates: list[int] = []
        page = SimpleNamespace(
            run_task=lambda fn: loop.create_task(fn()), update=lambda *_: updates.append(1)
        )
        session = UiSession(tmp_path)
        session.services, session.unlocked_here = SimpleNamespace(locked=False), True
        ui = Ui(page, session)  # type: ignore[arg-type]
        added: list[str] = []
        ui.after_drawn(lambda: added.append("drawn"), delay=0.01)
        await asyncio.sleep(0.05)
        ui.after_drawn(lambda: added.append("left"), delay=0.01)
        ui.drop_later()  # another screen is built
        await asyncio.sleep(0.05)
        ui.after_drawn(lambda: added.append("locked"), delay=0.01)
        session.services.locked = True  # the inactivity lock, before the screen is rebuilt
        await asyncio.sleep(0.05)
        session.services.locked, ui.redrawing = False, True
        ui.after_drawn(lambda: added.append("again"))  # the same screen built again: at once
        return added, len(updates)

    added, updates = asyncio.run(scenario())
    assert added == ["drawn", "again"]
    assert updates == 1  # the rebuild's own update sends "again" with the screen


def test_every_time_on_screen_is_belgian_whatever_the_machine_zone():
    # A phone or laptop set to UTC or New York still shows the Belgian clock, the same one
    # that half-written notes ('vandaag 11:39') and the note's calendar day use.
    probe = (
        "import datetime as dt; from app.ui import format as fmt;"
        "print(fmt.when('2026-12-02T10:39:00+00:00', this_year=2026));"
        "print(fmt.when('2026-07-01T23:30:00+00:00', this_year=2026));"
        "print(fmt.moment('2026-12-02T10:39:00+00:00', dt.date(2026, 12, 2)))"
    )
    for zone in ("UTC", "America/New_York", "Asia/Tokyo"):
        env = {**os.environ, "TZ": zone}
        shown = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
        ).stdout.split("\n")
        assert shown[:3] == ["2 dec 11:39", "2 jul 01:30", "vandaag 11:39"], zone
