"""Date fields in a real browser: a day typed the way people write it ('4/12') is read, and one
that cannot be read is said on the field itself, with what was typed still there.
Screenshots go to test-artifacts/dates/."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core import localtime

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
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

DUE = "Tegen wanneer? (DD-MM-JJJJ)"
UNREADABLE = "De datum van de opvolging is geen geldige datum"


def test_a_short_date_is_read_and_a_wrong_one_is_said_on_its_field(browser, tmp_path):
    tomorrow = localtime.today() + dt.timedelta(days=1)

    def seed(vault):
        return vault.add_case("Gezin Datum (fictief)")

    with seeded_app(browser, tmp_path, "dates", seed) as (page, case_id):
        tap(page, "tab", "Gezinnen")
        tap(page, "button", "Gezin Datum (fictief)", exact=False)
        tap(page, "button", "Nieuwe notitie")
        tap(page, "radio", "Schoolpoort")
        type_in(page, "Wat gebeurde er?", "Kort gesprek over de huur")
        tap(page, "switch", "Opvolging toevoegen")
        type_in(page, "Wat moet er gebeuren?", "Huisbezoek plannen")
        type_in(page, DUE, "31/4")
        tap(page, "button", "Opslaan")
        said = page.get_by_text(UNREADABLE, exact=False)
        expect(said).to_have_count(1, timeout=10_000)  # on the field, not also in a bar
        expect(said).to_be_visible()
        box, under = field(page, DUE).bounding_box(), said.bounding_box()
        assert box and under and box["y"] < under["y"] < box["y"] + box["height"], (box, under)
        assert field(page, DUE).input_value() == "31/4"  # nothing typed is lost
        shot(page, "01_unreadable_on_the_field", folder="dates")

        type_in(page, DUE, f"{tomorrow.day}/{tomorrow.month}")
        expect(said).to_have_count(0, timeout=10_000)  # typing again takes the old error away
        tap(page, "button", "Opslaan")
        expect(page.get_by_text("Kort gesprek over de huur")).to_be_visible(timeout=10_000)
    check = saved_vault(tmp_path, "dates")
    (note,) = check.notes(case_id)
    assert note.follow_up is not None and note.follow_up.due == tomorrow.isoformat()
    check.close()
