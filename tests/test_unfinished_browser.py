"""Unfinished work found again in a real browser: a note or a person left half written (a
phone call, another tab) is listed first on Vandaag and on its gezin's screen, without its
text, one tap from the form as it was left, and can be thrown away (and put back).
Screenshots go to test-artifacts/ui/ (names start with unfinished_)."""

from __future__ import annotations

import re

import pytest

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import (  # noqa: E402
    field,
    require_chromium,
    saved_vault,
    seeded_app,
    shot,
    tap,
    type_in,
)

require_chromium()

A = "Gezin Aerts (fictief)"
B = "Gezin Bosmans (fictief)"
NOTE = "Mama belt terug over de huurwaarborg QZX"
PERSON = "Buurvrouw Rita QZX"
SIGNAAL = "Papa aan de poort, geen naam gegeven QZX"
TODAY_AT = re.compile(r"Niet bewaard · vandaag \d\d:\d\d")


def two_gezinnen(vault):
    return vault.add_case(A), vault.add_case(B)


def test_vandaag_lists_unfinished_work_first_and_resumes_it(browser, tmp_path):
    with seeded_app(browser, tmp_path, "onaf", two_gezinnen) as (page, (case_a, case_b)):
        expect(page.get_by_text("Onafgewerkt", exact=False)).to_have_count(0)
        # a note for A, interrupted
        tap(page, "tab", "Gezinnen")
        tap(page, "button", A, exact=False)
        tap(page, "button", "Nieuwe notitie")
        type_in(page, "Wat gebeurde er?", NOTE)
        tap(page, "tab", "Vandaag")
        expect(page.get_by_text("Onafgewerkt (1)")).to_be_visible(timeout=10_000)
        expect(page.get_by_text(f"Notitie voor {A}")).to_be_visible()
        expect(page.get_by_text(TODAY_AT)).to_be_visible()
        # a person half added to B's netwerkkaart, and a first contact being written
        tap(page, "tab", "Gezinnen")
        tap(page, "button", B, exact=False)
        tap(page, "button", "Netwerkkaart")
        tap(page, "button", "Persoon toevoegen")
        type_in(page, "Naam of rol", PERSON)
        tap(page, "tab", "Notitie")
        tap(page, "radio", "Eerste contact (nog zonder naam)")
        type_in(page, "Wat gebeurde er?", SIGNAAL)
        tap(page, "tab", "Vandaag")
        expect(page.get_by_text("Onafgewerkt (3)")).to_be_visible(timeout=10_000)
        expect(page.get_by_text(f"Persoon toevoegen aan de netwerkkaart van {B}")).to_be_visible()
        expect(page.get_by_text("Eerste contact (nog zonder naam)", exact=False)).to_be_visible()
        content = page.content()
        assert "QZX" not in content  # what was typed is not shown over the shoulder
        shot(page, "unfinished_01_vandaag")

        # the newest first: the signaal, then the person; Weggooien the person, and undo it
        tap(page, "button", "Weggooien", exact=True)  # the signaal
        expect(page.get_by_text("Onafgewerkt (2)")).to_be_visible(timeout=10_000)
        tap(page, "button", "Ongedaan maken")
        expect(page.get_by_text("Onafgewerkt (3)")).to_be_visible(timeout=10_000)
        tap(page, "button", "Weggooien", exact=True)
        expect(page.get_by_text("Onafgewerkt (2)")).to_be_visible(timeout=10_000)
        expect(page.get_by_text("Eerste contact (nog zonder naam)", exact=False)).to_have_count(0)

        # one tap back into the person form, exactly as left
        tap(page, "button", "Verder schrijven", exact=True)
        expect(field(page, "Naam of rol")).to_have_value(PERSON, timeout=10_000)
        tap(page, "tab", "Vandaag")
        shot(page, "unfinished_02_two_left")
        tap(page, "button", f"Notitie voor {A}", exact=False)  # the item itself resumes too
        # (a multi-line field does not show its value to the page until focused)
        kept = page.get_by_text("Niet bewaarde invoer van daarnet staat er terug.")
        expect(kept).to_be_visible(timeout=10_000)
        expect(page.get_by_role("radio", name=A, exact=True)).to_be_checked()
        shot(page, "unfinished_03_resumed")
        tap(page, "button", "Opslaan", wait=False)
        expect(page.get_by_text(NOTE)).to_be_visible(timeout=10_000)
        tap(page, "tab", "Vandaag")
        expect(page.get_by_text("Onafgewerkt (1)")).to_be_visible(timeout=10_000)
    check = saved_vault(tmp_path, "onaf")
    assert [n.text for n in check.notes(case_a)] == [NOTE]
    assert check.draft("capture:tab") is None
    assert check.draft(f"person:{case_b}:nieuw")["name"] == PERSON
    check.close()


def test_the_gezin_screen_says_a_note_was_being_written(browser, tmp_path):
    with seeded_app(browser, tmp_path, "hier", two_gezinnen) as (page, (case_a, _case_b)):
        tap(page, "tab", "Gezinnen")
        tap(page, "button", A, exact=False)
        here = page.get_by_text(re.compile(r"Je was hier een notitie aan het schrijven"))
        expect(here).to_have_count(0)
        tap(page, "button", "Nieuwe notitie")
        type_in(page, "Wat gebeurde er?", NOTE)
        tap(page, "tab", "Gezinnen")
        tap(page, "button", A, exact=False)
        said = r"Je was hier een notitie aan het schrijven \(vandaag \d\d:\d\d\)"
        expect(page.get_by_text(re.compile(said))).to_be_visible(timeout=10_000)
        assert "QZX" not in page.content()
        shot(page, "unfinished_04_gezin")
        tap(page, "button", "Verder schrijven", exact=True)
        kept = page.get_by_text("Niet bewaarde invoer van daarnet staat er terug.")
        expect(kept).to_be_visible(timeout=10_000)
        tap(page, "tab", "Gezinnen")
        tap(page, "button", B, exact=False)  # another gezin: nothing of A's note
        expect(page.get_by_text("Netwerkkaart")).to_be_visible(timeout=10_000)
        expect(here).to_have_count(0)
        tap(page, "tab", "Gezinnen")
        tap(page, "button", A, exact=False)
        tap(page, "button", "Weggooien", exact=True)
        expect(here).to_have_count(0, timeout=10_000)
        tap(page, "button", "Ongedaan maken")
        expect(here).to_be_visible(timeout=10_000)
        tap(page, "button", "Weggooien", exact=True)
        expect(here).to_have_count(0, timeout=10_000)
    check = saved_vault(tmp_path, "hier")
    assert check.draft(f"capture:gezin:{case_a}") is None
    check.close()


def test_the_browsers_back_button_keeps_the_form_before_the_next_screen(browser, tmp_path):
    """Back in the browser (or Android's back) left the form without keeping its input: the
    next screen came before the draft and did not list it."""
    with seeded_app(browser, tmp_path, "terug", two_gezinnen) as (page, _ids):
        tap(page, "tab", "Gezinnen")
        tap(page, "button", A, exact=False)
        tap(page, "button", "Nieuwe notitie")
        type_in(page, "Wat gebeurde er?", NOTE)
        page.go_back()
        expect(
            page.get_by_text("Je was hier een notitie aan het schrijven", exact=False)
        ).to_be_visible(timeout=10_000)
        shot(page, "unfinished_05_after_back")
