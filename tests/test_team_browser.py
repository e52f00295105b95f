"""Team work in a real browser at phone width: Meer → Collega's, a colleague compared in
person and verified, and a wrong number refused on the field. Screenshots go to
test-artifacts/ui/team_*.png."""

from __future__ import annotations

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
    app = AppProcess(tmp_path / "anna_scherm-phone", tmp_path / "team.log").start()
    try:
        page = open_page(browser, app.url)
        field(page, "Wachtzin").wait_for(timeout=60_000)
        unlock(page)
        tap(page, "tab", "Meer")
        tap(page, "button", "Collega's en veiligheidsnummers", exact=False)
        expect(page.get_by_text(re.compile(f"Veiligheidsnummer {mine}"))).to_have_count(1)
        colleague = page.get_by_role("button", name=re.compile("bert_scherm"))
        expect(colleague).to_contain_text("Nog niet geverifieerd")
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
    finally:
        app.stop()
