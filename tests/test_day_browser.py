"""A worker's day in a real browser: quick notes that never leak into the next one, a
check-in read back, a note opened, edited, deleted and brought back, a follow-up ticked
off. Screenshots go to test-artifacts/ui/ (names start with day_)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time

import pytest

from app.core import localtime

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import (  # noqa: E402
    field,
    into_view,
    look,
    require_chromium,
    rest,
    saved_vault,
    seeded_app,
    shot,
    tap,
    type_in,
)

require_chromium()

A = "Gezin Aerts (fictief)"
B = "Gezin Bosmans (fictief)"
TEXT_A = "Mama vertelt aan de poort over vocht in de slaapkamer"
FOLLOW_A = "Huurdersbond bellen voor Aerts"


class Taps:
    """Counts the worker's taps (typing into a field counts as the tap that focuses it)."""

    def __init__(self, page) -> None:
        self.page, self.count = page, 0

    def tap(self, role: str, name: str, **options) -> None:
        self.count += 1
        tap(self.page, role, name, **options)

    def type(self, label: str, text: str) -> None:
        self.count += 1
        type_in(self.page, label, text)


def two_gezinnen(vault):
    return vault.add_case(A), vault.add_case(B)


def assert_clean(page, preselected: str | None) -> None:
    """Nothing of an earlier note on the capture form."""
    expect(field(page, "Wat gebeurde er?")).to_have_value("")
    for role, chip in (("radio", "Schoolpoort"), ("checkbox", "Wonen")):
        expect(page.get_by_role(role, name=chip, exact=True)).not_to_be_checked()
    expect(page.get_by_role("switch", name="Opvolging toevoegen")).not_to_be_checked()
    expect(page.get_by_text(FOLLOW_A)).to_have_count(0)
    for name in (A, B):
        gezin = page.get_by_role("radio", name=name, exact=True)  # Voor wie?: one answer
        if name == preselected:
            expect(gezin).to_be_checked()
        else:
            expect(gezin).not_to_be_checked()


def bosmans_seen_last(vault):
    """Two gezinnen, B with a note of yesterday: by activity B came first, until A's note."""
    case_a, case_b = two_gezinnen(vault)
    vault.add_note(case_b, "Eerder contact met Bosmans")
    return case_a, case_b


def yesterday_ticking():
    """A clock for the seed: yesterday, a minute later at every reading."""
    start, minutes = dt.datetime.now(dt.UTC) - dt.timedelta(days=1), itertools.count()
    return lambda: start + dt.timedelta(minutes=next(minutes))


def gezin_order(page) -> list[str]:
    """The gezinnen under "Voor wie?" in reading order."""
    boxes = {n: page.get_by_role("radio", name=n, exact=True).bounding_box() for n in (A, B)}
    return sorted(boxes, key=lambda n: (round(boxes[n]["y"]), boxes[n]["x"]))


def test_a_saved_note_leaves_nothing_in_the_next_one(browser, tmp_path):
    with seeded_app(browser, tmp_path, "clean", bosmans_seen_last, now=yesterday_ticking()) as (
        page,
        (case_a, case_b),
    ):
        # the quick path: known gezin + setting + one domain + text + Opslaan
        worker = Taps(page)
        worker.tap("tab", "Notitie")
        order = gezin_order(page)
        worker.tap("radio", A)
        worker.type("Wat gebeurde er?", TEXT_A)
        worker.tap("radio", "Schoolpoort")
        worker.tap("checkbox", "Wonen")
        quick_path = worker.count + 1
        tap(page, "switch", "Opvolging toevoegen")
        shot(page, "day_01_capture_a")
        type_in(page, "Wat moet er gebeuren?", FOLLOW_A)
        tap(page, "button", "Opslaan", wait=False)  # at once: the draft write is still waiting
        expect(page.get_by_text(TEXT_A)).to_be_visible(timeout=10_000)
        assert quick_path <= 6

        # straight on to a note for gezin B, from B's own screen
        tap(page, "tab", "Gezinnen")
        tap(page, "button", B, exact=False)
        tap(page, "button", "Nieuwe notitie")
        assert_clean(page, preselected=B)
        shot(page, "day_02_capture_b_clean")
        time.sleep(1.5)  # longer than the draft's debounce
        tap(page, "tab", "Notitie")
        assert_clean(page, preselected=None)
        # the gezinnen keep their places after a save (they moved: a tap by habit hit another)
        assert gezin_order(page) == order == [A, B]
        tap(page, "tab", "Gezinnen")
        tap(page, "button", B, exact=False)
        tap(page, "button", "Nieuwe notitie")
        assert_clean(page, preselected=B)
        type_in(page, "Wat gebeurde er?", "Korte babbel met papa Bosmans")
        # called away before Opslaan: what was typed is kept, for this gezin's form only
        tap(page, "tab", "Gezinnen")
        tap(page, "tab", "Notitie")
        assert_clean(page, preselected=None)
        tap(page, "tab", "Gezinnen")
        tap(page, "button", B, exact=False)
        tap(page, "button", "Nieuwe notitie")
        kept = page.get_by_text("Niet bewaarde invoer van daarnet staat er terug.")
        expect(kept).to_be_visible(timeout=10_000)
        expect(page.get_by_role("radio", name=B, exact=True)).to_be_checked()
        shot(page, "day_02b_kept_on_leave")
        tap(page, "button", "Opslaan", wait=False)
        expect(page.get_by_text("Korte babbel met papa Bosmans")).to_be_visible(timeout=10_000)
        shot(page, "day_03_b_saved")

    check = saved_vault(tmp_path, "clean")
    [note_b] = [n for n in check.notes(case_b) if n.text.startswith("Korte babbel")]
    assert (note_b.domains, note_b.setting, note_b.follow_up) == ((), None, None)
    [note_a] = check.notes(case_a)
    assert note_a.domains == ("wonen",) and note_a.follow_up.what == FOLLOW_A
    assert note_a.contact == "informeel" and note_a.setting == "schoolpoort"
    assert check.vault.local("drafts") in (None, {})  # the saved notes left no draft behind
    check.close()


C = "Gezin Claes (fictief)"
HOME_VISIT = "Vocht in de badkamer besproken met mama Claes"
ENDING = "EINDE-VAN-HET-LANGE-VERSLAG"


def one_gezin_with_notes(vault):
    case_id = vault.add_case(C)
    long_note = vault.add_note(case_id, "Lang verslag van het huisbezoek. " * 150 + ENDING)
    note_id = vault.add_note(
        case_id,
        HOME_VISIT,
        setting="huisbezoek",
        contact="gesprek",
        domains=["wonen"],
        barriers=["wachtlijst"],
        follow_up={"what": "Huurdersbond bellen", "who": "Sara", "due": "2026-12-03"},
    )
    return case_id, note_id, long_note


def gap(above, below) -> float:
    """How far `below` sits under `above`: it changes when something between them moves."""
    return below.bounding_box()["y"] - above.bounding_box()["y"]


def test_a_note_read_back_changed_ticked_off_deleted_and_brought_back(browser, tmp_path):
    with seeded_app(browser, tmp_path, "life", one_gezin_with_notes) as (page, seeded):
        case_id, note_id, long_note = seeded
        # a follow-up day in the past is asked about; Morgen is one tap
        tap(page, "tab", "Notitie")
        tap(page, "radio", C)
        type_in(page, "Wat gebeurde er?", "Papa vraagt hulp bij de energiefactuur")
        tap(page, "switch", "Opvolging toevoegen")
        type_in(page, "Wat moet er gebeuren?", "Factuur samen nakijken")
        type_in(page, "Tegen wanneer? (DD-MM-JJJJ)", "01-01-2020")
        tap(page, "button", "Opslaan")
        expect(page.get_by_text("Datum in het verleden")).to_be_visible(timeout=10_000)
        shot(page, "day_03b_past_day_question")
        tap(page, "button", "Andere datum")
        tap(page, "button", "Morgen")
        tap(page, "button", "Opslaan")
        expect(page.get_by_text("Papa vraagt hulp bij de energiefactuur").first).to_be_visible(
            timeout=10_000
        )
        # a check-in after a car ride, read back with its scores
        tap(page, "tab", "Notitie")
        tap(page, "radio", C)
        tap(page, "button", "Check-in")
        type_in(page, "Hoe ging het?", "Rustige rit, ze vertelde veel")
        expect(page.get_by_text("Draagkracht: niet ingevuld")).to_be_visible()
        # one tap on a number sets the score; nothing below moves when Leegmaken appears
        scale = page.get_by_role("group", name="Draagkracht")
        above, below = (
            field(page, "Wat spraken we af?"),
            scale.get_by_role("button", name="0", exact=True),
        )
        seven = scale.get_by_role("button", name="7", exact=True)
        into_view(seven)
        before = gap(above, below)
        seven.click()
        rest(page)
        expect(page.get_by_text("Draagkracht: 7")).to_be_visible(timeout=10_000)
        kracht = 7
        expect(page.get_by_role("button", name="Leegmaken")).to_have_count(1)
        assert gap(above, below) == before
        expect(page.get_by_text("Draaglast: niet ingevuld")).to_be_visible()
        shot(page, "day_04_check_in")
        tap(page, "button", "Opslaan", wait=False)
        scores = f"Draagkracht {kracht} · draaglast niet ingevuld"
        expect(page.get_by_text(scores, exact=False).first).to_be_visible(timeout=10_000)
        expect(page.get_by_text("Draagkracht en draaglast", exact=True)).to_be_visible()
        shot(page, "day_05_check_in_in_timeline")

        # a long note is collapsed; Meer tonen shows it whole
        expect(page.get_by_text(ENDING, exact=False)).to_have_count(0)
        tap(page, "button", "Meer tonen")
        expect(page.get_by_text(ENDING, exact=False).first).to_be_attached(timeout=10_000)
        shot(page, "day_06_long_note_open")

        # open a note: every field
        tap(page, "button", HOME_VISIT, exact=False)
        expect(page.get_by_text("Huurdersbond bellen", exact=False).first).to_be_visible(
            timeout=10_000
        )
        for shown in ("Gesprek (gepland)", "Huisbezoek", "Wachtlijst", "Nog te doen"):
            expect(page.get_by_text(shown, exact=False).first).to_be_visible()
        shot(page, "day_07_note_open")

        # tick off its follow-up
        tap(page, "button", "Afvinken")
        expect(page.get_by_text("Afgevinkt op", exact=False).first).to_be_visible(timeout=10_000)
        shot(page, "day_08_ticked_off")

        # ticked off by mistake: the follow-up is open again (and back on Vandaag), then done
        tap(page, "button", "Opvolging weer openzetten")
        expect(page.get_by_text("De opvolging staat weer open", exact=False)).to_be_visible(
            timeout=10_000
        )
        expect(page.get_by_text("Nog te doen", exact=False).first).to_be_visible()
        expect(page.get_by_text("Afgevinkt op", exact=False)).to_have_count(0)
        shot(page, "day_08b_reopened")
        tap(page, "button", "Afvinken")
        expect(page.get_by_text("Afgevinkt op", exact=False).first).to_be_visible(timeout=10_000)

        # change it
        tap(page, "button", "Aanpassen")
        expect(page.get_by_role("heading", name="Notitie aanpassen")).to_be_visible(timeout=10_000)
        expect(page.get_by_role("checkbox", name="Wachtlijst")).to_be_checked()
        expect(page.get_by_role("radio", name="Huisbezoek")).to_be_checked()
        type_in(page, "Wat gebeurde er?", HOME_VISIT + " en de huisbaas")
        tap(page, "checkbox", "Kosten")
        shot(page, "day_09_edit")
        tap(page, "button", "Opslaan")
        expect(page.get_by_text(HOME_VISIT + " en de huisbaas").first).to_be_visible(timeout=10_000)
        expect(page.get_by_text("Afgevinkt op", exact=False).first).to_be_visible()
        shot(page, "day_10_edited")

        # delete it, and bring it back
        tap(page, "button", "Verwijderen")
        snack = page.get_by_role("group", name="Notitie verwijderd")
        expect(snack.get_by_role("button", name="Ongedaan maken")).to_be_visible(timeout=10_000)
        expect(page.get_by_text(HOME_VISIT, exact=False)).to_have_count(0)
        shot(page, "day_11_deleted")
        tap(page, "button", "Ongedaan maken")
        expect(page.get_by_text(HOME_VISIT + " en de huisbaas", exact=False).first).to_be_visible(
            timeout=10_000
        )
        shot(page, "day_12_undone")

    check = saved_vault(tmp_path, "life")
    notes = {n.text: n for n in check.notes(case_id)}
    back = notes[HOME_VISIT + " en de huisbaas"]
    assert back.barriers == ("wachtlijst", "kosten") and back.follow_up.done_at
    assert note_id not in {n.id for n in notes.values()}  # the delete itself stays
    [check_in] = [n for n in notes.values() if n.check_in]
    assert (check_in.check_in.draagkracht, check_in.check_in.draaglast) == (kracht, None)
    assert check_in.check_in.how == "Rustige rit, ze vertelde veel"
    assert long_note in {n.id for n in notes.values()}
    energy = notes["Papa vraagt hulp bij de energiefactuur"].follow_up
    assert energy.what == "Factuur samen nakijken" and energy.due > localtime.today().isoformat()
    check.close()


def nobody_home(page, screenshot: str | None = None) -> None:
    """A failed home visit at gezin C from Notitie: where first, then the reason (one tap
    saves it), up to the offer to try again."""
    tap(page, "tab", "Notitie")
    tap(page, "radio", C)
    tap(page, "button", "Poging")
    tap(page, "radio", "Huisbezoek")
    if screenshot:
        shot(page, screenshot)
    tap(page, "button", "Niet thuis")
    expect(page.get_by_text("Geef niet op")).to_be_visible(timeout=10_000)


def test_a_failed_attempt_says_where_and_can_be_undone_or_changed(browser, tmp_path):
    with seeded_app(browser, tmp_path, "attempt", lambda v: v.add_case(C)) as (page, case_id):
        # where first, then the reason: one tap saves; Ongedaan maken takes it back
        nobody_home(page, "day_13_attempt_where_first")
        tap(page, "button", "Nee, dank je", wait=False)
        snack = page.get_by_role("group", name="Poging genoteerd: Niet thuis")
        expect(snack.get_by_role("button", name="Ongedaan maken")).to_be_visible(timeout=10_000)
        shot(page, "day_14_attempt_noted_undo")
        tap(page, "button", "Ongedaan maken")
        expect(page.get_by_text("Poging geschrapt").first).to_be_visible(timeout=10_000)
        expect(page.get_by_text("Niet thuis")).to_have_count(0)

        # a second one, its place and reason changed afterwards on the note
        tap(page, "button", "Nieuwe notitie")
        tap(page, "button", "Poging")
        tap(page, "radio", "Schoolpoort")
        tap(page, "button", "Geen antwoord")
        tap(page, "button", "Nee, dank je", wait=False)
        noted = page.get_by_role("group", name=re.compile(r"^Poging genoteerd"))
        expect(noted).to_be_visible(timeout=10_000)  # a toast with an action is a named group
        tap(
            page,
            "button",
            re.compile(r"^Poging \(aanklampen, geen contact\) · Schoolpoort"),
            exact=False,
        )
        tap(page, "button", "Aanpassen")
        tap(page, "radio", "Huisbezoek")
        tap(page, "radio", "Deed niet open")
        tap(page, "button", "Opslaan")
        expect(page.get_by_text("Deed niet open").first).to_be_visible(timeout=10_000)

    check = saved_vault(tmp_path, "attempt")
    [attempt] = check.notes(case_id)
    assert (attempt.setting, attempt.attempt_reason) == ("huisbezoek", "deed_niet_open")
    check.close()


def to_the_end(page) -> None:
    for _ in range(8):
        page.mouse.move(206, 450)
        page.mouse.wheel(0, 2000)
        time.sleep(0.3)
    time.sleep(0.7)


def clear_of_the_button(page, last) -> list[str]:
    """At the end of the form the last control sits wholly above Opslaan."""
    to_the_end(page)
    button = page.get_by_role("button", name="Opslaan").bounding_box()
    box = last.bounding_box()
    if box["y"] + box["height"] <= button["y"]:
        return []
    return [f"{look(last)} ends at {box['y'] + box['height']}, Opslaan starts at {button['y']}"]


def over_the_scrolling(page, name: str) -> list[str]:
    """The button `name` lies over the screen's scrolling area: a field or chip that scrolls
    there is hidden under it (and a tap meant for it lands on the button)."""
    button = page.get_by_role("button", name=name, exact=True).bounding_box()
    areas_js = """[...document.querySelectorAll('flt-semantics')]
        .filter(e => getComputedStyle(e).overflowY === 'scroll')
        .map(e => { const r = e.getBoundingClientRect();
                    return {y: r.top, bottom: r.bottom, height: r.height}; })"""
    page.wait_for_function(f"{areas_js}.length > 0", timeout=10_000)  # drawn by then
    areas = page.evaluate(f"() => {areas_js}")
    area = max(areas, key=lambda a: a["height"])
    if button["y"] >= area["bottom"] - 0.5:
        return []
    return [
        f"{name} at {button['y']:.0f}–{button['y'] + button['height']:.0f} lies over the "
        f"scrolling area ({area['y']:.0f}–{area['bottom']:.0f})"
    ]


def test_nothing_scrolls_under_the_save_button(browser, tmp_path):
    def seed(vault):
        case_id = vault.add_case(C)
        return vault.add_note(
            case_id, "Even bijgepraat", contact="poging", attempt_reason="afgezegd"
        )

    with seeded_app(browser, tmp_path, "room", seed) as (page, attempt_id):
        covered = []
        tap(page, "tab", "Notitie")
        covered += over_the_scrolling(page, "Opslaan")
        for mode in ("Notitie", "Check-in"):
            tap(page, "button", mode)
            covered += clear_of_the_button(
                page, page.get_by_role("switch", name="Cliënt mag dit zien")
            )
        shot(page, "day_15_end_of_check_in")
        tap(page, "tab", "Gezinnen")
        tap(page, "button", C, exact=False)
        tap(page, "button", re.compile(r"^Poging \(aanklampen"), exact=False)
        tap(page, "button", "Aanpassen")
        covered += clear_of_the_button(page, page.get_by_role("radio", name="Verhuisd"))
        shot(page, "day_16_end_of_attempt_edit")
    assert not covered, "\n".join(covered)


def test_a_retry_on_vandaag_says_what_to_retry(browser, tmp_path):
    with seeded_app(browser, tmp_path, "retry", lambda v: v.add_case(C)) as (page, _case_id):
        nobody_home(page)
        toast = page.get_by_text("Staat op Vandaag voor", exact=False)
        tap(page, "button", re.compile(r"^Opnieuw proberen op "), exact=False, until=toast)
        tap(page, "tab", "Vandaag")
        expect(page.get_by_text("Opnieuw proberen: huisbezoek, niet thuis")).to_be_visible(
            timeout=10_000
        )
        shot(page, "day_15_retry_says_what")


def test_the_capture_form_shows_the_common_places_and_the_rest_on_request(browser, tmp_path):
    with seeded_app(browser, tmp_path, "places", lambda v: v.add_case(C)) as (page, _case_id):
        tap(page, "tab", "Notitie")
        expect(page.get_by_role("radio", name="Schoolpoort")).to_be_visible(timeout=10_000)
        shot(page, "day_16_places_first_screen")
        # six places, then the levensdomeinen start on the first screen, no scrolling (the
        # bar with Opslaan under the form takes a row that the floating button did not)
        first_domain = "Inkomen, uitkeringen en materiële hulp"
        expect(page.get_by_role("checkbox", name=first_domain)).to_be_in_viewport()
        expect(page.get_by_role("radio", name="Online")).to_have_count(0)
        tap(page, "button", "Poging")
        expect(page.get_by_role("button", name="Niet thuis")).to_be_in_viewport()  # saves
        shot(page, "day_17_attempt_first_screen")
        tap(page, "button", "Meer plaatsen…", until=page.get_by_role("radio", name="Online"))
        tap(page, "radio", "Online")
        expect(page.get_by_role("radio", name="Online")).to_be_checked()
