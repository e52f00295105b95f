"""The method's steps on the gezin screen, in a real browser at phone width: the phase card,
how to reach the gezin (channels, best moment, aangemeld door), one-tap terugbellen onto
Vandaag, a failed attempt that offers a retry or a lager pitje, and a note on a new
levensdomein that offers to go back to vraagverduidelijking."""

from __future__ import annotations

import re

import pytest

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import (  # noqa: E402
    require_chromium,
    reveal,
    saved_vault,
    seeded_app,
    settle,
    shot,
    tap,
    type_in,
)

require_chromium()


def _seed(vault):
    case_id = vault.add_case("Gezin Bereik (fictief)")
    vault.set_phase(case_id, "uitvoering")
    vault.add_note(case_id, "Over de school", domains=["kinderen"])
    return case_id


def test_reach_terugbellen_phase_card_and_offers_after_a_note(browser, tmp_path):
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
        reveal(page, "textbox", "Nummer of wie (bv. de juf, de buurvrouw)")
        type_in(page, "Nummer of wie (bv. de juf, de buurvrouw)", "0470 12 34 56")
        tap(page, "button", "Manier toevoegen")
        expect(page.get_by_text("WhatsApp: 0470 12 34 56", exact=True)).to_be_visible(
            timeout=10_000
        )
        reveal(page, "textbox", "Beste moment (bv. na 16 uur)")
        type_in(page, "Beste moment (bv. na 16 uur)", "na 16 uur")
        reveal(page, "button", "Moment bewaren")
        tap(page, "button", "Moment bewaren")
        reveal(page, "checkbox", "School")
        tap(page, "checkbox", "School")
        expect(page.get_by_text("WhatsApp · na 16 uur")).to_be_visible(timeout=10_000)
        shot(page, "41_reach")
        reveal(page, "button", "Terugbellen")
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
        toast = page.get_by_text("Staat op Vandaag voor", exact=False)
        # the dialog may still be sliding in: a tap that changes nothing is made again
        tap(page, "button", re.compile(r"^Lager pitje tot "), exact=False, until=toast)
        expect(toast.last).to_be_visible(timeout=10_000)
        expect(toast).to_have_count(0, timeout=15_000)  # a snackbar hides the page from tests

        # a note on a levensdomein new to this gezin: back to vraagverduidelijking?
        tap(page, "button", "Nieuwe notitie")
        tap(page, "button", "Notitie")  # the plain note, whatever mode the form remembered
        expect(page.get_by_role("textbox", name="Wat gebeurde er?")).to_be_visible(timeout=10_000)
        type_in(page, "Wat gebeurde er?", "Mama vertelt over ruzies thuis")
        reveal(page, "checkbox", "Veiligheid (geweld in het gezin)")
        tap(page, "checkbox", "Veiligheid (geweld in het gezin)")
        tap(page, "button", "Opslaan")
        expect(page.get_by_text("Vraagverduidelijking hernemen?")).to_be_visible(timeout=10_000)
        shot(page, "44_reclarify_offer")
        card = page.get_by_text("Vraagverduidelijking: wat vraagt de methode hier?")
        tap(page, "button", "Ja, terug naar vraagverduidelijking", until=card)
        expect(card).to_be_visible(timeout=10_000)
    check = saved_vault(tmp_path, "method")
    case = check.case(case_id)
    assert [(r.channel, r.value) for r in case.reach] == [("whatsapp", "0470 12 34 56")]
    assert (case.best_moment, case.referred_by) == ("na 16 uur", "school")
    assert (case.status, case.phase) == ("lager_pitje", "vraagverduidelijking")
    [attempt] = [n for n in check.notes(case_id) if n.contact == "poging"]
    assert attempt.follow_up is not None and attempt.follow_up.due == case.revisit
    check.close()


def test_netwerkvragen_are_framed_and_a_person_can_be_kept_out_of_sharing(browser, tmp_path):
    with seeded_app(browser, tmp_path, "framing", _seed) as (page, case_id):
        tap(page, "tab", "Gezinnen")
        tap(page, "button", "Gezin Bereik (fictief)", exact=False)
        tap(page, "button", "Nieuwe notitie")
        expect(page.get_by_text("Schrijf alsof de cliënt meeleest")).to_be_visible(timeout=10_000)
        shot(page, "44b_note_hint")
        tap(page, "tab", "Gezinnen")
        tap(page, "button", "Gezin Bereik (fictief)", exact=False)
        tap(page, "button", "Netwerkkaart")
        tap(page, "button", "Netwerkvragen")
        expect(page.get_by_text("Kader deze vragen voor de cliënt", exact=False)).to_be_visible(
            timeout=10_000
        )
        shot(page, "45_netwerkvragen_framed")
        tap(page, "button", "Klaar", exact=False)
        tap(page, "button", "Persoon toevoegen")
        type_in(page, "Naam of rol", "Buurvrouw Els")
        tap(page, "radio", "Vrienden, buren, kennissen")  # a sector: one answer
        tap(page, "switch", "Cliënt helpt deze persoon (iets terug kunnen geven)")
        tap(page, "switch", "Niet delen: blijft buiten elk overzicht dat gedeeld wordt")
        shot(page, "46_person_marks")
        tap(page, "button", "Opslaan")
        expect(page.get_by_text("1 persoon of dienst", exact=False)).to_be_visible(timeout=10_000)

        # the privacy notice, in plain words to read with the client
        tap(page, "tab", "Meer")
        reveal(page, "button", "Wat verlaat deze telefoon?")
        tap(page, "button", "Wat verlaat deze telefoon?")
        tap(page, "button", "Voor de cliënt", exact=False)
        expect(page.get_by_text("Wat schrijf ik over jou op", exact=False)).to_be_visible(
            timeout=10_000
        )
        shot(page, "47_privacy_for_client")
    check = saved_vault(tmp_path, "framing")
    [els] = check.network(case_id)
    assert (els.name, els.client_helps, els.not_shared) == ("Buurvrouw Els", True, True)
    check.close()
