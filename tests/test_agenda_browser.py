"""The outreacher's day in a real browser at phone width: Vandaag the next morning with every
kind of item, ticking one off, a signaal linked to a gezin, a netwerkkaart person kept
across a tab switch. Screenshots go to test-artifacts/ui/agenda_*.png."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import ARTIFACTS, PASSPHRASE

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import chromium, require_chromium, settle  # noqa: E402
from tests.test_ui_browser import seeded_app, tap  # noqa: E402

require_chromium()

SHOTS = ARTIFACTS / "ui"


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        yield browser


def shot(page, name: str) -> None:
    settle()
    page.screenshot(path=str(SHOTS / f"agenda_{name}.png"))


def _open(tmp_path, name):
    from app.services import open_vault

    return open_vault(tmp_path / name, PASSPHRASE)


def test_vandaag_the_next_morning(browser, tmp_path):
    today = dt.date.today()
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)

    def day(offset: int) -> str:
        return (today + dt.timedelta(days=offset)).isoformat()

    def seed(vault):
        gezin = vault.add_case("Gezin Agenda (fictief)")
        for what, due in (
            ("Huurdersbond bellen", day(0)),
            ("Attest OCMW binnenbrengen", day(-2)),
            ("Huisbezoek plannen", day(3)),
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
            "Zonder datum (1)",
            "Eens vragen naar de fiets",
            "Lager pitje: terug opnemen",
        ):
            expect(page.get_by_text(text, exact=False).first).to_be_visible(timeout=10_000)
        shot(page, "01_vandaag")
        # tick off the overdue one: the first "Afvinken" belongs to the first item
        tap(page, "button", "Afvinken")
        expect(page.get_by_text("Attest OCMW binnenbrengen")).to_have_count(0, timeout=10_000)
        shot(page, "02_ticked_off")
    check = _open(tmp_path, "agenda")
    done = [n for n in check.notes(gezin) if n.follow_up and n.follow_up.done]
    assert [n.follow_up.what for n in done] == ["Attest OCMW binnenbrengen"]
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
        expect(page.get_by_text("Bij welk gezin hoort dit?")).to_be_visible(timeout=10_000)
        shot(page, "03_signaal_link")
        tap(page, "button", "Gezin Poort (fictief)")
        expect(page.get_by_text("Tijdlijn")).to_be_visible(timeout=10_000)
        expect(page.get_by_text("Mama met kinderwagen", exact=False)).to_be_visible()
        tap(page, "button", "Samenvoegen met een ander gezin")
        tap(page, "button", "Mama Poort (schoolpoort)")
        tap(page, "button", "Samenvoegen")
        expect(page.get_by_text("Samengevoegd met Mama Poort (schoolpoort)")).to_be_visible(
            timeout=10_000
        )
        expect(page.get_by_text("Eerder al gezien aan de schoolpoort")).to_be_visible()
        shot(page, "04_merged")
    check = _open(tmp_path, "signaal")
    assert [c.id for c in check.cases()] == [gezin] and check.signalen() == []
    assert len(check.notes(gezin)) == 2
    check.close()
