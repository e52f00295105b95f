"""The outreacher's day in a real browser at phone width: Vandaag the next morning with every
kind of item, ticking one off, a signaal linked to a gezin, a netwerkkaart person kept
across a tab switch. Screenshots go to test-artifacts/ui/agenda_*.png."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core import localtime
from app.ui import format as fmt
from tests.conftest import PASSPHRASE

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import (  # noqa: E402
    field,
    into_view,
    require_chromium,
    saved_vault,
    seeded_app,
    settle,
    shot,
    tap,
    type_in,
)

require_chromium()


def snap(page, name: str) -> None:
    shot(page, f"agenda_{name}")


def test_vandaag_the_next_morning(browser, tmp_path):
    today = localtime.today()
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)

    def day(offset: int) -> str:
        return (today + dt.timedelta(days=offset)).isoformat()

    def seed(vault):
        gezin = vault.add_case("Gezin Agenda (fictief)")
        for what, due in (
            ("Huurdersbond bellen", day(0)),
            ("Attest OCMW binnenbrengen", day(-2)),
            ("Huisbezoek plannen", day(3)),
            ("Juf bellen over het rapport", day(7)),  # "Volgende week": it was on no list
            ("Eens vragen naar de fiets", None),
        ):
            vault.add_note(gezin, f"Contact over: {what}", follow_up={"what": what, "due": due})
        vault.set_right(gezin, "verwarmingstoelage", status="besproken", deadline=day(5))
        paused = vault.add_case("Gezin Pitje (fictief)")
        vault.set_status(paused, "lager_pitje", revisit=day(0))
        return gezin

    with seeded_app(browser, tmp_path, "agenda", seed, now=lambda: yesterday) as (page, gezin):
        for text in (
            "Te laat (1)",
            "Attest OCMW binnenbrengen",
            "Huurdersbond bellen",
            "Deze week (2)",
            "Huisbezoek plannen",
            "Termijn: Verwarmingstoelage",
            "Later (1)",
            "Juf bellen over het rapport",
            "Zonder datum (1)",
            "Eens vragen naar de fiets",
            "Lager pitje: terug opnemen",
        ):
            expect(page.get_by_text(text, exact=False).first).to_be_visible(timeout=10_000)
        # near days read as words, further ones as a date
        for when in ("vandaag", fmt.WEEKDAYS[(today + dt.timedelta(days=3)).weekday()]):
            expect(page.get_by_text(f"Gezin Agenda (fictief) · {when}")).to_be_visible()
        expect(page.get_by_text(f"Gezin Agenda (fictief) · {fmt.day(day(-2))}")).to_be_visible()
        snap(page, "01_vandaag")
        # tick off the overdue one: the first "Afvinken" belongs to the first item
        tap(page, "button", "Afvinken")
        expect(page.get_by_text("Attest OCMW binnenbrengen")).to_have_count(0, timeout=10_000)
        snap(page, "02_ticked_off")
        tap(page, "button", "Ongedaan maken")  # a slip of the thumb is put right
        expect(page.get_by_text("Attest OCMW binnenbrengen")).to_be_visible(timeout=10_000)
        tap(page, "button", "Afvinken")
        expect(page.get_by_text("Attest OCMW binnenbrengen")).to_have_count(0, timeout=10_000)
        # the offer names what it undoes, and stays on this screen: on another one it would
        # undo something out of view (a screen reader keeps it until dismissed)
        snack = page.get_by_role("group", name="Afgevinkt: Attest OCMW binnenbrengen")
        expect(snack.get_by_role("button", name="Ongedaan maken")).to_be_visible()
        tap(page, "tab", "Gezinnen")
        expect(page.get_by_role("button", name="Ongedaan maken")).to_have_count(0)
        tap(page, "tab", "Vandaag")
        # move today's follow-up to tomorrow: it leaves Vandaag for Deze week
        tap(page, "button", "Verzetten")
        expect(page.get_by_role("button", name="Morgen (", exact=False)).to_be_visible(
            timeout=10_000
        )
        snap(page, "02b_move_to")
        moved = page.get_by_text("Vandaag (1)")
        # the dialog may still be sliding in: a tap that changes nothing is made again
        tap(page, "button", "Morgen (", exact=False, until=moved)
        expect(moved).to_be_visible(timeout=10_000)
        expect(page.get_by_text("Deze week (3)")).to_be_visible()
        expect(page.get_by_text("Gezin Agenda (fictief) · morgen")).to_be_visible()
        snap(page, "02c_moved_to_morgen")
    check = saved_vault(tmp_path, "agenda")
    done = [n for n in check.notes(gezin) if n.follow_up and n.follow_up.done]
    assert [n.follow_up.what for n in done] == ["Attest OCMW binnenbrengen"]
    moved = [
        n.follow_up.due for n in check.notes(gezin) if n.follow_up.what == "Huurdersbond bellen"
    ]
    assert moved == [day(1)]
    check.close()


def test_a_signaal_linked_to_a_gezin_and_two_gezinnen_merged(browser, tmp_path):
    def seed(vault):
        vault.add_note(None, "Mama met kinderwagen aan de poort, vraagt naar huur")
        gezin = vault.add_case("Gezin Poort (fictief)")
        twin = vault.add_case("Mama Poort (schoolpoort)")
        vault.add_note(twin, "Eerder al gezien aan de schoolpoort")
        return gezin, twin

    with seeded_app(browser, tmp_path, "signaal", seed) as (page, (gezin, twin)):
        tap(page, "button", "Eerste contacten (nog zonder naam): 1", exact=False)
        tap(page, "button", "Mama met kinderwagen", exact=False)
        # (by role: the same words are also in the announcement of the new screen's title)
        expect(page.get_by_role("heading", name="Bij welk gezin hoort dit?")).to_be_visible(
            timeout=10_000
        )
        snap(page, "03_signaal_link")
        yes = page.get_by_role("button", name="Ja, koppelen")
        tap(page, "button", "Gezin Poort (fictief)", until=yes)  # asked first: no slip
        expect(
            page.get_by_text("Dit eerste contact bij Gezin Poort (fictief) zetten?")
        ).to_be_visible()
        tap(page, "button", "Ja, koppelen", until=yes)
        expect(page.get_by_text("Tijdlijn")).to_be_visible(timeout=10_000)
        snack = page.get_by_role("group", name="Eerste contact gekoppeld aan Gezin Poort (fictief)")
        undo = snack.get_by_role("button", name="Ongedaan maken")
        expect(undo).to_be_visible()
        tap(page, "button", "Ongedaan maken", until=undo)  # the wrong family after all
        # (by role: the same words are also in the announcement of the new screen's title)
        expect(page.get_by_role("heading", name="Bij welk gezin hoort dit?")).to_be_visible(
            timeout=10_000
        )
        tap(page, "button", "Gezin Poort (fictief)", until=yes)
        tap(page, "button", "Ja, koppelen", until=yes)
        expect(page.get_by_text("Tijdlijn")).to_be_visible(timeout=10_000)
        expect(page.get_by_role("button", name="Ongedaan maken")).to_be_visible()
        tap(page, "tab", "Vandaag")  # another screen: the offer goes with the gezin's screen
        expect(page.get_by_role("button", name="Ongedaan maken")).to_have_count(0)
        tap(page, "tab", "Gezinnen")
        tap(page, "button", "Gezin Poort (fictief)", exact=False)
        expect(page.get_by_text("Mama met kinderwagen", exact=False)).to_be_visible()
        tap(page, "button", "Samenvoegen met een ander gezin")
        tap(page, "button", "Mama Poort (schoolpoort)")
        tap(page, "button", "Samenvoegen")
        expect(page.get_by_text("Samengevoegd met Mama Poort (schoolpoort)")).to_be_visible(
            timeout=10_000
        )
        expect(page.get_by_text("Eerder al gezien aan de schoolpoort")).to_be_visible()
        snap(page, "04_merged")
    check = saved_vault(tmp_path, "signaal")
    assert [c.id for c in check.cases()] == [gezin] and check.signalen() == []
    assert len(check.notes(gezin)) == 2
    check.close()


def test_the_app_bar_says_offline_and_meer_tells_what_waits(browser, tmp_path):
    from app.services import enroll
    from tests.conftest import FAST_KDF
    from tests.server_process import ServerProcess

    server = ServerProcess(f"sqlite:///{tmp_path / 'server.db'}", tmp_path / "server.log").start()

    def seed(vault):
        code = server.user("agenda1")
        enroll(vault.vault.data_dir, PASSPHRASE, server.url, code, kdf=FAST_KDF).close()
        gezin = vault.add_case("Gezin Net (fictief)")
        vault.add_note(gezin, "x", follow_up={"what": "Mutualiteit bellen", "due": None})

    try:
        with seeded_app(browser, tmp_path, "net", seed) as (page, _):
            online = page.get_by_text("Online: de server is bereikbaar", exact=False)
            expect(online).to_be_visible(timeout=30_000)  # checked and synced at unlock
            expect(page.get_by_text("0 wachtend")).to_be_visible(timeout=30_000)
            # beside the sync state the title has about 140 px: a long word shrinks to fit
            # whole instead of breaking in the middle ("Rechtenverk / enner")
            tap(page, "tab", "Gezinnen")
            tap(page, "button", "Gezin Net (fictief)", exact=False)
            tap(page, "button", "Rechtenverkenner")
            tap(page, "button", "Rechten verkennen")
            title = page.get_by_role("heading", name="Rechtenverkenner")
            expect(title).to_be_visible(timeout=10_000)
            box = title.bounding_box()
            print(f"title height Rechtenverkenner: {box and box['height']:.0f} px")
            assert box is not None and box["height"] < 36, box  # one line
            snap(page, "04b_long_word_in_title")
            tap(page, "tab", "Vandaag")
            server.kill()
            tap(page, "button", "Afvinken")
            expect(page.get_by_text("1 wachtend")).to_be_visible(timeout=10_000)
            tap(page, "tab", "Meer")
            tap(page, "button", "Nu synchroniseren")
            expect(page.get_by_text("niet bereikbaar", exact=False).first).to_be_visible(
                timeout=25_000
            )
            expect(page.get_by_text("1 wachtend om te versturen", exact=False)).to_be_visible()
            expect(page.get_by_text("Offline: de server is niet", exact=False)).to_be_visible()
            assert "gesynchroniseerd." not in page.content().lower()
            snap(page, "05_offline_meer")
            # the server as a worker knows it; the whole address folded away for the helpdesk
            expect(
                page.get_by_text("Gekoppeld met de server van je organisatie (127.0.0.1)")
            ).to_be_visible()
            assert server.url not in page.content()
            snap(page, "05a_meer_host")
            tap(page, "button", "Details voor de helpdesk", exact=False)
            address = page.get_by_text(f"Volledig serveradres: {server.url}")
            into_view(address)
            expect(address).to_be_visible(timeout=10_000)
            snap(page, "05b_server_details")
            server.start()
            tap(page, "button", "Nu synchroniseren")
            expect(page.get_by_text("Alles is gesynchroniseerd.")).to_be_visible(timeout=25_000)
            expect(online).to_be_visible()
            snap(page, "06_online_again")
    finally:
        server.stop()
        server.db.dispose()


def test_lager_pitje_saves_with_a_button_and_asks_about_a_day_in_the_past(browser, tmp_path):
    long_name = "Gezin Van den Broucke-Vermeulen en kinderen (fictief)"

    def seed(vault):
        gezin = vault.add_case(long_name)
        vault.set_status(gezin, "lager_pitje", revisit="2020-01-01")
        return gezin

    with seeded_app(browser, tmp_path, "pitje", seed) as (page, gezin):
        tap(page, "tab", "Gezinnen")
        expect(field(page, "Zoek een gezin")).to_be_visible(timeout=10_000)
        snap(page, "06b_long_name_in_list")
        tap(page, "button", long_name, exact=False)
        expect(page.get_by_text(long_name, exact=True).first).to_be_visible(timeout=10_000)
        expect(page.get_by_text("Terug opnemen op 1 jan 2020")).to_be_visible()
        assert "2020-01-01" not in page.content()
        tap(page, "button", "Lager pitje bewaren")
        expect(page.get_by_text("ligt in het verleden", exact=False)).to_be_visible(timeout=10_000)
        snap(page, "07_past_question")
        tap(page, "button", "Andere datum")
        tap(page, "button", "Kies een datum: Terug opnemen op")
        expect(page.get_by_role("button", name="OK")).to_be_visible(timeout=10_000)
        snap(page, "08_date_picker")
        page.get_by_role("button", name="15", exact=False).first.click()
        tap(page, "button", "OK")
        tap(page, "button", "Lager pitje bewaren")  # the picked day, in the past: asked again
        expect(page.get_by_text("15 jan 2020 ligt in het verleden", exact=False)).to_be_visible(
            timeout=10_000
        )
        tap(page, "button", "Andere datum")
        tap(page, "button", "Morgen")
        snap(page, "09_lager_pitje_tomorrow")
        tap(page, "button", "Lager pitje bewaren")
        tomorrow = localtime.today() + dt.timedelta(days=1)
        expect(page.get_by_text(f"Terug opnemen op {tomorrow.day} ", exact=False)).to_be_visible(
            timeout=10_000
        )
    check = saved_vault(tmp_path, "pitje")
    case = check.case(gezin)
    assert (case.status, case.revisit) == ("lager_pitje", tomorrow.isoformat())
    check.close()


def test_a_half_filled_person_is_kept_across_a_tab_switch(browser, tmp_path):
    with seeded_app(browser, tmp_path, "person", lambda v: v.add_case("Gezin Kaart (fictief)")) as (
        page,
        gezin,
    ):
        tap(page, "tab", "Gezinnen")
        tap(page, "button", "Gezin Kaart (fictief)", exact=False)
        tap(page, "button", "Netwerkkaart")
        tap(page, "button", "Persoon toevoegen")
        type_in(page, "Naam of rol", "Buurvrouw Rita")
        tap(page, "radio", "Vrienden, buren, kennissen", exact=False)  # a sector: one answer
        tap(page, "tab", "Vandaag")  # interrupted before Opslaan
        tap(page, "tab", "Gezinnen")
        tap(page, "button", "Gezin Kaart (fictief)", exact=False)
        tap(page, "button", "Netwerkkaart")
        tap(page, "button", "Persoon toevoegen")
        expect(page.get_by_text("Niet bewaarde invoer van daarnet", exact=False)).to_be_visible(
            timeout=10_000
        )
        expect(field(page, "Naam of rol")).to_have_value("Buurvrouw Rita")
        snap(page, "10_person_kept")
        tap(page, "button", "Opslaan")
        expect(page.get_by_role("button", name="Buurvrouw Rita", exact=False).first).to_be_visible(
            timeout=10_000
        )
        tap(page, "button", "Persoon toevoegen")
        expect(field(page, "Naam of rol")).to_have_value("")  # saved: nothing left behind
    check = saved_vault(tmp_path, "person")
    assert [(n.name, n.sector) for n in check.network(gezin)] == [("Buurvrouw Rita", "informeel")]
    assert check.draft(f"person:{gezin}:nieuw") is None
    check.close()


def test_a_wrong_passphrase_stops_the_spinner_and_says_so_on_the_field(browser, tmp_path):
    from app.services import open_vault
    from tests.browser import AppProcess, open_page
    from tests.conftest import FAST_KDF

    open_vault(tmp_path / "wrong", PASSPHRASE, create=True, kdf=FAST_KDF).close()
    app = AppProcess(tmp_path / "wrong", tmp_path / "wrong.log").start()
    try:
        page = open_page(browser, app.url)
        field(page, "Wachtzin").wait_for(timeout=60_000)
        type_in(page, "Wachtzin", "een verkeerde wachtzin hier")
        tap(page, "button", "Ontgrendelen")
        expect(page.get_by_text("Die wachtzin klopt niet.").first).to_be_visible(timeout=15_000)
        expect(page.get_by_text("Bezig met ontgrendelen…")).to_have_count(0, timeout=10_000)
        settle(1.0)
        # said once, on the field; what was typed stays (selected) to fix a typo
        expect(page.get_by_text("Die wachtzin klopt niet.")).to_have_count(1)
        expect(field(page, "Wachtzin")).to_have_value("een verkeerde wachtzin hier")
        snap(page, "11_wrong_passphrase")
        type_in(page, "Wachtzin", PASSPHRASE)
        tap(page, "button", "Ontgrendelen")
        expect(page.get_by_role("tab", name="Vandaag")).to_be_visible(timeout=30_000)
    finally:
        app.stop()


def test_a_long_section_shows_the_rest_on_demand(browser, tmp_path):
    yesterday = localtime.today() - dt.timedelta(days=1)

    def seed(vault):
        gezin = vault.add_case("Gezin Veel (fictief)")
        for i in range(20):
            follow = {"what": f"Taak {i:02d}", "due": yesterday.isoformat()}
            vault.add_note(gezin, f"notitie {i}", follow_up=follow)

    with seeded_app(browser, tmp_path, "many", seed) as (page, _):
        expect(page.get_by_text("Te laat (20)")).to_be_visible(timeout=10_000)
        expect(page.get_by_role("button", name="Taak 14", exact=False)).to_have_count(1)
        expect(page.get_by_role("button", name="Taak 15", exact=False)).to_have_count(0)
        tap(page, "button", "Toon nog 5")
        expect(page.get_by_role("button", name="Taak 19", exact=False)).to_have_count(1)
