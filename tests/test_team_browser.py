"""Team work in a real browser at phone width: Meer → Collega's, a colleague compared in
person and verified, and a wrong number refused on the field. Screenshots go to
test-artifacts/ui/team_*.png."""

from __future__ import annotations

import contextlib
import re

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import (  # noqa: E402
    AppProcess,
    field,
    open_page,
    require_chromium,
    shot,
    tap,
    type_in,
    unlock,
)
from tests.test_sharing import worker  # noqa: E402

require_chromium()


@contextlib.contextmanager
def unlocked_app(browser, tmp_path, login: str):
    """The app on `login`'s enrolled phone (closed in-process first), unlocked in the browser."""
    app = AppProcess(tmp_path / f"{login}-phone", tmp_path / f"{login}.log").start()
    try:
        page = open_page(browser, app.url)
        field(page, "Wachtzin").wait_for(timeout=60_000)
        unlock(page)
        yield page
    finally:
        app.stop()


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    """One database is enough for screens (the sharing itself runs on both in test_sharing)."""
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'dichtbij.db'}"


def test_a_colleague_is_compared_in_person_and_verified(browser, server, tmp_path):
    a = worker(server, tmp_path, "anna_scherm", "Team Scherm")
    b = worker(server, tmp_path, "bert_scherm", "Team Scherm")
    for phone in (a, b, a):
        phone.sync()
    mine, theirs = a.my_fingerprint(), b.my_fingerprint()
    a.close()
    b.close()
    with unlocked_app(browser, tmp_path, "anna_scherm") as page:
        tap(page, "tab", "Meer")
        tap(page, "button", "Collega's en veiligheidsnummers", exact=False)
        expect(page.get_by_text(re.compile(f"Veiligheidsnummer {mine}"))).to_have_count(1)
        colleague = page.get_by_role("button", name=re.compile("bert_scherm"))
        expect(colleague).to_contain_text("Nog niet geverifieerd")
        expect(page.get_by_text("Je ziet nog geen teamgegevens", exact=False)).to_be_visible()
        shot(page, "team_01_colleagues")
        tap(page, "button", "bert_scherm", exact=False)
        expect(page.get_by_text(re.compile(f"Veiligheidsnummer {theirs}"))).to_have_count(1)
        wrong = "1" * 60
        type_in(page, "Of typ de cijfers die bert_scherm voorleest", wrong)
        tap(page, "button", "Cijfers nakijken")
        expect(page.get_by_text("Het veiligheidsnummer klopt niet", exact=False)).to_be_visible(
            timeout=10_000
        )
        shot(page, "team_02_mismatch")
        tap(page, "button", "Komt overeen")
        expect(page.get_by_text("Je vergeleek dit nummer samen met", exact=False)).to_be_visible(
            timeout=10_000
        )
        shot(page, "team_03_verified")
        tap(page, "button", "Terug")
        expect(page.get_by_role("button", name=re.compile("bert_scherm"))).to_contain_text(
            "Geverifieerd", timeout=10_000
        )


def test_a_gezin_is_shared_with_a_verified_colleague_and_stopped(browser, server, tmp_path):
    a = worker(server, tmp_path, "anna_deelt", "Team Delen")
    b = worker(server, tmp_path, "bert_leest", "Team Delen")
    for phone in (a, b, a):
        phone.sync()
    a.verify_colleague("bert_leest", b.my_fingerprint())
    b.verify_colleague("anna_deelt", a.my_fingerprint())
    case_id = a.add_case("Gezin Samen (fictief)")
    a.add_note(case_id, "Eerste huisbezoek samen gepland")
    a.close()
    with unlocked_app(browser, tmp_path, "anna_deelt") as page:
        tap(page, "tab", "Gezinnen")
        tap(page, "button", "Gezin Samen (fictief)", exact=False)
        tap(page, "button", "Delen met…")
        tap(page, "button", "Delen met bert_leest")
        confirm = page.get_by_role("button", name="Delen", exact=True)
        tap(page, "button", "Delen", until=confirm)
        expect(page.get_by_text("bert_leest", exact=True)).to_be_visible(timeout=10_000)
        shot(page, "team_04_shared")
        tap(page, "tab", "Meer")
        tap(page, "button", "Nu synchroniseren")
        expect(page.get_by_text("Gesynchroniseerd", exact=False).first).to_be_visible(
            timeout=30_000
        )
        b.sync()
        assert [n.text for n in b.notes(case_id)] == ["Eerste huisbezoek samen gepland"]
        b.add_note(case_id, "Bert ging mee op huisbezoek")
        b.sync()

        tap(page, "button", "Nu synchroniseren")
        expect(page.get_by_text("1 ontvangen", exact=False).first).to_be_visible(timeout=30_000)
        tap(page, "tab", "Gezinnen")
        tap(page, "button", "Gezin Samen (fictief)", exact=False)
        expect(page.get_by_text("Gedeeld met bert_leest")).to_be_visible(timeout=10_000)
        expect(page.get_by_text("door bert_leest", exact=False).first).to_be_visible()
        shot(page, "team_05a_by_colleague")
        tap(page, "button", "Delen met…")
        tap(page, "tab", "Meer")  # the team log started with the first verification
        tap(page, "button", "Collega's en veiligheidsnummers", exact=False)
        duo = page.get_by_role("switch", name="Nieuwe gezinnen delen met mijn duopartner(s)")
        tap(page, "switch", "Nieuwe gezinnen delen met mijn duopartner(s)", until=duo)
        expect(page.get_by_text("Bewaard voor het hele team.")).to_be_visible(timeout=10_000)
        shot(page, "team_05b_team_data")
        tap(page, "tab", "Gezinnen")
        tap(page, "button", "Gezin Samen (fictief)", exact=False)
        tap(page, "button", "Delen met…")
        tap(page, "button", "bert_leest: niet meer delen")
        expect(page.get_by_text("Wat bert_leest al zag, blijft", exact=False)).to_be_visible(
            timeout=10_000
        )
        shot(page, "team_05_stop_warning")
        stop = page.get_by_role("button", name="Niet meer delen", exact=True)
        tap(page, "button", "Niet meer delen", until=stop)
        expect(page.get_by_text("Delen met bert_leest")).to_be_visible(timeout=10_000)
    assert b.case_sharing(case_id).members  # B still holds what it saw
    b.close()


def test_a_changed_key_is_said_plainly_and_later_is_offered(browser, server, tmp_path):
    from sqlalchemy import update

    from app.team.identity import Identity
    from sync_server.models import User

    a = worker(server, tmp_path, "anna_wissel", "Team Wissel")
    b = worker(server, tmp_path, "bert_wissel", "Team Wissel")
    for phone in (a, b, a):
        phone.sync()
    a.verify_colleague("bert_wissel", b.my_fingerprint())
    b.close()
    other = Identity.new()  # B's keys as the server now gives them (a reset, or worse)
    with server.db.transaction() as session:
        session.execute(
            update(User)
            .where(User.login == "bert_wissel")
            .values(x25519_public=other.x25519_public, ed25519_public=other.ed25519_public)
        )
    a.sync()
    a.close()
    with unlocked_app(browser, tmp_path, "anna_wissel") as page:
        tap(page, "tab", "Meer")
        tap(page, "button", "Collega's en veiligheidsnummers", exact=False)
        colleague = page.get_by_role("button", name=re.compile("bert_wissel"))
        expect(colleague).to_contain_text("Veiligheidsnummer veranderd")
        tap(page, "button", "bert_wissel", exact=False)
        expect(
            page.get_by_text("Wat jullie al deelden, blijft leesbaar", exact=False)
        ).to_be_visible(timeout=10_000)
        shot(page, "team_06_changed_key")
        tap(page, "button", "Later")
        expect(page.get_by_role("button", name=re.compile("bert_wissel"))).to_be_visible(
            timeout=10_000
        )  # back on the list; sharing with bert_wissel stays blocked until compared again


def test_alone_in_the_team_is_said_as_such_not_sync_first(browser, server, tmp_path):
    solo = worker(server, tmp_path, "solo_scherm", "Team Alleen")
    solo.sync()
    solo.close()
    with unlocked_app(browser, tmp_path, "solo_scherm") as page:
        tap(page, "tab", "Meer")
        tap(page, "button", "Collega's en veiligheidsnummers", exact=False)
        said = page.get_by_text("Je bent nog de enige van Team Alleen op de server", exact=False)
        expect(said).to_be_visible(timeout=10_000)  # it said "synchroniseer eerst"
        expect(page.get_by_text("synchroniseer eerst", exact=False)).to_have_count(0)
