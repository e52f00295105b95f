"""The gezin's quick actions and the capture form, as a new worker meets them, in a real
browser at phone width: a one-tap action says what it saved and can be undone, a place
never changes the contact kind out of sight, and a failed visit can carry a word.
Screenshots go to test-artifacts/ui/ (names start with quick_)."""

from __future__ import annotations

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
)

require_chromium()

G = "Gezin Verbeke (fictief)"
CALLED = "Vroeg om terug te bellen"


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
