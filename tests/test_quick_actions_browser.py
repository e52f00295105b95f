"""The gezin's quick actions and the capture form, as a new worker meets them, in a real
browser at phone width: a one-tap action says what it saved and can be undone, a place
never changes the contact kind out of sight, and a failed visit can carry a word.
Screenshots go to test-artifacts/ui/ (names start with quick_)."""

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
    shot,
    tap,
    type_in,
)

require_chromium()

G = "Gezin Verbeke (fictief)"
CALLED = "Vroeg om terug te bellen"
LETTER = "Briefje in de bus gestoken"


def test_a_stray_tap_on_terugbellen_is_named_and_undone(browser, tmp_path):
    with seeded_app(browser, tmp_path, "callback", lambda v: v.add_case(G)) as (page, case_id):
        tap(page, "tab", "Gezinnen")
        tap(page, "button", G, exact=False)
        reveal(page, "button", "Terugbellen")
        tap(page, "button", "Terugbellen")
        toast = page.get_by_role("group", name=f"Genoteerd: {CALLED.lower()}", exact=False)
        expect(toast.get_by_role("button", name="Ongedaan maken")).to_be_visible(timeout=10_000)
        shot(page, "quick_01_call_back_saved")
        tap(page, "button", "Ongedaan maken")
        expect(page.get_by_text("Terugbellen geschrapt").first).to_be_visible(timeout=10_000)
        expect(page.get_by_text(CALLED)).to_have_count(0)
    check = saved_vault(tmp_path, "callback")
    assert check.notes(case_id) == []  # no contact was counted
    check.close()


def test_a_place_never_changes_the_contact_kind_out_of_sight(browser, tmp_path):
    with seeded_app(browser, tmp_path, "kind", lambda v: v.add_case(G)) as (page, case_id):
        tap(page, "tab", "Notitie")
        tap(page, "radio", G)
        tap(page, "radio", "Telefoon")  # a phone call is not a planned conversation
        suggested = page.get_by_text("Soort contact: ", exact=False)
        expect(suggested).to_have_count(0)
        tap(page, "radio", "Huisbezoek")
        expect(suggested).to_have_text(
            "Soort contact: Gesprek (gepland) (past bij deze plaats; aanpassen kan onder "
            "Soort contact)"
        )
        box = suggested.bounding_box()
        assert box is not None and box["y"] >= 90 and box["y"] + box["height"] <= 800, box
        shot(page, "quick_02_place_suggests_kind")
        tap(page, "radio", "Telefoon")
        expect(suggested).to_have_count(0)
        type_in(page, "Wat gebeurde er?", "Mama belde over de opvang")
        tap(page, "button", "Opslaan")
        expect(page.get_by_text("Mama belde over de opvang").first).to_be_visible(timeout=10_000)
    check = saved_vault(tmp_path, "kind")
    [note] = check.notes(case_id)
    assert (note.setting, note.contact) == ("telefoon", "informeel")
    check.close()


def test_a_failed_visit_carries_a_word_typed_before_the_reason(browser, tmp_path):
    with seeded_app(browser, tmp_path, "word", lambda v: v.add_case(G)) as (page, case_id):
        tap(page, "tab", "Notitie")
        tap(page, "radio", G)
        tap(page, "button", "Poging")
        tap(page, "radio", "Huisbezoek")
        type_in(page, "Erbij (mag leeg, bv. briefje in de bus)", LETTER)
        shot(page, "quick_03_attempt_word")
        tap(page, "button", "Niet thuis")
        expect(page.get_by_text("Geef niet op")).to_be_visible(timeout=10_000)
        tap(page, "button", "Nee, dank je", wait=False)
        entry = page.get_by_role("button", name=re.compile(rf"^Poging.*Niet thuis.*{LETTER}"))
        expect(entry).to_be_visible(timeout=10_000)  # the timeline says it under the reason
        shot(page, "quick_04_attempt_word_on_timeline")
        tap(page, "button", re.compile(rf"^Poging.*{LETTER}"), exact=False)
        expect(page.get_by_text(LETTER)).to_be_visible(timeout=10_000)
    check = saved_vault(tmp_path, "word")
    [attempt] = check.notes(case_id)
    assert (attempt.attempt_reason, attempt.text) == ("niet_thuis", LETTER)
    check.close()


def test_scores_and_the_retry_offer_are_named_for_a_screen_reader(browser, tmp_path):
    with seeded_app(browser, tmp_path, "named", lambda v: v.add_case(G)) as (page, _case_id):
        tap(page, "tab", "Notitie")
        tap(page, "radio", G)
        tap(page, "button", "Check-in")
        for scale in ("Draagkracht", "Draaglast"):
            reveal(page, "button", "10")
            group = page.get_by_role("group", name=scale, exact=True)
            expect(group.get_by_role("button", name="7", exact=True)).to_have_count(1)
        tap(page, "button", "Poging")
        tap(page, "button", "Geen antwoord")
        # Flutter web names the dialog's own scope, inside the alertdialog element, by the
        # label a screen reader announces (without one, Android says "Melding")
        named = page.locator("[role=alertdialog] > [aria-label]")
        expect(named).to_have_attribute("aria-label", "Geef niet op", timeout=10_000)
        shot(page, "quick_05_retry_offer_named")


def test_a_note_for_a_gezin_not_yet_in_the_app_takes_one_screen(browser, tmp_path):
    new = "Gezin Poortmans (fictief)"
    with seeded_app(browser, tmp_path, "new", lambda v: v.add_case(G)) as (page, _case_id):
        tap(page, "tab", "Notitie")
        tap(page, "radio", "Nieuw gezin")
        type_in(page, "Naam van het nieuwe gezin", new)
        type_in(page, "Wat gebeurde er?", "Mama vraagt naar de opvang")
        tap(page, "radio", "Schoolpoort")
        shot(page, "quick_06_new_gezin")
        tap(page, "button", "Opslaan")
        expect(page.get_by_text("Mama vraagt naar de opvang").first).to_be_visible(timeout=10_000)
        expect(page.get_by_text(new).first).to_be_visible()  # the new gezin's own screen
    check = saved_vault(tmp_path, "new")
    [made] = [c for c in check.cases() if c.name == new]
    [note] = check.notes(made.id)
    assert (note.text, note.setting) == ("Mama vraagt naar de opvang", "schoolpoort")
    check.close()
