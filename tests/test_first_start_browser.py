"""The first start in a real browser: choosing the passphrase explains itself. The meter says
what the rule says, a refusal is read whole under the field, and it goes once the worker types
something else. Screenshots go to test-artifacts/first-start/."""

from __future__ import annotations

import pytest

from app.messages import WEAK_PASSPHRASE
from tests.conftest import PASSPHRASE

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import AppProcess, open_page, require_chromium, shot, tap, type_in  # noqa: E402

require_chromium()

KNOWN = "Wachtwoord123!"  # 14 characters, on the list of passphrases guessed first


def test_a_known_passphrase_is_named_so_and_the_refusal_reads_whole_then_goes(browser, tmp_path):
    app = AppProcess(tmp_path / "phone", tmp_path / "app.log").start()
    try:
        page = open_page(browser, app.url)
        page.get_by_role("textbox", name="Wachtzin", exact=True).wait_for(timeout=60_000)
        type_in(page, "Wachtzin", KNOWN)
        # long enough, yet refused as known: the meter says so, not "te kort"
        expect(page.get_by_text("te bekend", exact=True)).to_be_visible(timeout=10_000)
        type_in(page, "Herhaal de wachtzin", KNOWN)
        tap(page, "button", "Kluis aanmaken")
        refusal = page.get_by_text(WEAK_PASSPHRASE["common"], exact=True)
        expect(refusal).to_be_visible(timeout=30_000)
        shot(page, "01_known_refused", folder="first-start")
        box, line = refusal.bounding_box(), page.get_by_text("te bekend", exact=True).bounding_box()
        assert box and line and box["height"] >= 2 * line["height"], (box, line)  # wrapped

        type_in(page, "Wachtzin", PASSPHRASE)
        expect(refusal).to_have_count(0, timeout=10_000)
        expect(page.get_by_text("te bekend", exact=True)).to_have_count(0)
        shot(page, "02_strong_typed", folder="first-start")
    finally:
        app.stop()
