"""The method's steps on the gezin screen, in a real browser at phone width: the phase card,
how to reach the gezin (channels, best moment, aangemeld door), one-tap terugbellen onto
Vandaag, a failed attempt that offers a retry or a lager pitje, and a note on a new
levensdomein that offers to go back to vraagverduidelijking."""

from __future__ import annotations

import re

import pytest

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import settle  # noqa: E402
from tests.test_ui_browser import (  # noqa: E402,F401 - the module's browser fixture
    _open_vault,
    browser,
    seeded_app,
    shot,
    tap,
    type_in,
)


def _seed(vault):
    case_id = vault.add_case("Gezin Bereik (fictief)")
    vault.set_phase(case_id, "uitvoering")
    vault.add_note(case_id, "Over de school", domains=["kinderen"])
    return case_id


def test_reach_terugbellen_phase_card_and_offers_after_a_note(browser, tmp_path):  # noqa: F811
    with seeded_app(browser, tmp_path, "method", _seed) as (page, case_id):
        tap(page, "tab", "Gezinnen")
        tap(page, "button", "Gezin Bereik (fictief)", exact=False)
        expect(page.get_by_text("Uitvoering: wat vraagt de methode hier?")).to_be_visible(
            timeout=10_000
        )
        shot(page, "40_phase_card")
        tap(page, "button", "Hoe bereik je dit gezin?", exact=False)
        expect(page.get_by_role("checkbox", name="WhatsApp")).to_be_visible(timeout=10_000)
        settle()  # the tile is still opening
        tap(page, "checkbox", "WhatsApp")
        type_in(page, "Nummer of wie (bv. de juf, de buurvrouw)", "0470 12 34 56")
        tap(page, "button", "Manier toevoegen")
        expect(page.get_by_text("WhatsApp: 0470 12 34 56")).to_be_visible(timeout=10_000)
        type_in(page, "Beste moment (bv. na 16 uur)", "na 16 uur")
        tap(page, "button", "Moment bewaren")
        tap(page, "checkbox", "School")
        expect(page.get_by_text("WhatsApp · na 16 uur")).to_be_visible(timeout=10_000)
        shot(page, "41_reach")
        tap(page, "button", "Terugbellen")
        expect(page.get_by_text("Vroeg om terug te bellen").first).to_be_visible(timeout=10_000)
        tap(page, "tab", "Vandaag")
        call = page.get_by_role("button", name=re.compile(r"^Terugbellen Gezin Bereik"))
        expect(call).to_be_visible(timeout=10_000)
        shot(page, "42_today_call_back")

        # a failed attempt: the client wants no contact now → a lager pitje until the retry
        tap(page, "tab", "Gezinnen")
        tap(page, "button", "Gezin Bereik (fictief)", exact=False)
        tap(page, "button", "Nieuwe notitie")
        tap(page, "button", "Poging", exact=False)
        tap(page, "button", "Wil nu geen contact")
        expect(page.get_by_text("Geef niet op")).to_be_visible(timeout=10_000)
        shot(page, "43_attempt_offer")
        tap(page, "button", re.compile(r"^Lager pitje tot "), exact=False)
        expect(page.get_by_text("Staat op Vandaag voor", exact=False)).to_be_visible(timeout=10_000)

        # a note on a levensdomein new to this gezin: back to vraagverduidelijking?
        tap(page, "button", "Nieuwe notitie")
        tap(page, "checkbox", "Veiligheid (geweld in het gezin)")
        type_in(page, "Wat gebeurde er?", "Mama vertelt over ruzies thuis")
        tap(page, "button", "Opslaan")
        expect(page.get_by_text("Vraagverduidelijking hernemen?")).to_be_visible(timeout=10_000)
        shot(page, "44_reclarify_offer")
        tap(page, "button", "Ja, terug naar vraagverduidelijking")
        expect(page.get_by_text("Vraagverduidelijking: wat vraagt de methode hier?")).to_be_visible(
            timeout=10_000
        )
    check = _open_vault(tmp_path, "method")
    case = check.case(case_id)
    assert [(r.channel, r.value) for r in case.reach] == [("whatsapp", "0470 12 34 56")]
    assert (case.best_moment, case.referred_by) == ("na 16 uur", "school")
    assert (case.status, case.phase) == ("lager_pitje", "vraagverduidelijking")
    [attempt] = [n for n in check.notes(case_id) if n.contact == "poging"]
    assert attempt.follow_up is not None and attempt.follow_up.due == case.revisit
    check.close()
