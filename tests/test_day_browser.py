"""A worker's day in a real browser: quick notes that never leak into the next one, a
check-in read back, a note opened, edited, deleted and brought back, a follow-up ticked
off. Screenshots go to test-artifacts/ui/ (names start with day_)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tests.test_ui_browser import SHOTS, field, seeded_app, shot
from tests.test_ui_browser import tap as tap_now
from tests.test_ui_browser import type_in as type_now

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import chromium  # noqa: E402

A = "Gezin Aerts (fictief)"
B = "Gezin Bosmans (fictief)"
TEXT_A = "Mama vertelt aan de poort over vocht in de slaapkamer"
FOLLOW_A = "Huurdersbond bellen voor Aerts"


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        yield browser


def into_view(target) -> None:
    """Scroll a control below the fold into view, and let the scroll finish: a tap during
    Flutter's scroll lands on whatever was drawn there before."""
    box = target.bounding_box()
    if box is None or box["y"] < 60 or box["y"] + box["height"] > 800:
        target.scroll_into_view_if_needed()
        time.sleep(0.6)


def tap(page, role: str, name: str, exact: bool = True, wait: bool = True) -> None:
    into_view(page.get_by_role(role, name=name, exact=exact).first)
    tap_now(page, role, name, exact=exact, wait=wait)


def type_in(page, label: str, text: str) -> None:
    into_view(field(page, label))
    type_now(page, label, text)


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
    for chip in ("Schoolpoort", "Wonen"):
        expect(page.get_by_role("checkbox", name=chip, exact=True)).not_to_be_checked()
    expect(page.get_by_role("switch", name="Opvolging toevoegen")).not_to_be_checked()
    expect(page.get_by_text(FOLLOW_A)).to_have_count(0)
    for name in (A, B):
        gezin = page.get_by_role("checkbox", name=name, exact=True)
        if name == preselected:
            expect(gezin).to_be_checked()
        else:
            expect(gezin).not_to_be_checked()


def test_a_saved_note_leaves_nothing_in_the_next_one(browser, tmp_path):
    with seeded_app(browser, tmp_path, "clean", two_gezinnen) as (page, (case_a, case_b)):
        # the quick path: known gezin + setting + one domain + text + Opslaan
        worker = Taps(page)
        worker.tap("tab", "Notitie")
        worker.tap("checkbox", A)
        worker.type("Wat gebeurde er?", TEXT_A)
        worker.tap("checkbox", "Schoolpoort")
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
        tap(page, "tab", "Gezinnen")
        tap(page, "button", B, exact=False)
        tap(page, "button", "Nieuwe notitie")
        assert_clean(page, preselected=B)
        type_in(page, "Wat gebeurde er?", "Korte babbel met papa Bosmans")
        tap(page, "button", "Opslaan", wait=False)
        expect(page.get_by_text("Korte babbel met papa Bosmans")).to_be_visible(timeout=10_000)
        shot(page, "day_03_b_saved")

    from tests.test_ui_browser import _open_vault

    check = _open_vault(tmp_path, "clean")
    [note_b] = check.notes(case_b)
    assert (note_b.domains, note_b.setting, note_b.follow_up) == ((), None, None)
    [note_a] = check.notes(case_a)
    assert note_a.domains == ("wonen",) and note_a.follow_up.what == FOLLOW_A
    assert note_a.contact == "informeel" and note_a.setting == "schoolpoort"
    assert check.vault.local("drafts") in (None, {})  # the saved notes left no draft behind
    check.close()
    assert dt.date.today()
