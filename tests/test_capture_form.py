"""The capture form without a browser: its state object, and its drafts against a real vault.

A saved note must leave nothing behind for the next one (a privacy defect: one family's
details in another's file), whatever draft write was still waiting.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from app.core.contact import rules as contact_rules
from app.core.vocabulary import vocabulary
from app.ui import drafts as drafts_module
from app.ui.capture_form import CaptureForm, PickTargetFirst
from app.ui.drafts import Drafts


def test_a_form_from_a_gezin_preselects_that_gezin_and_nothing_else():
    form = CaptureForm.fresh("gezin-b")
    assert form.case_id == "gezin-b" and not form.signaal
    assert (form.setting, form.domains, form.barriers, form.text) == (None, [], [], "")
    assert not form.follow_up and form.draagkracht is None and not form.touched


def test_a_draft_is_only_restored_where_it_was_written():
    form = CaptureForm.fresh("gezin-a")
    form.text, form.follow_up, form.what = "Vocht in de slaapkamer", True, "Huurdersbond"
    form.toggle_domain("wonen")
    draft = form.to_draft()
    assert CaptureForm.restore("gezin-a", draft).text == "Vocht in de slaapkamer"
    for elsewhere in ("gezin-b", None):
        other = CaptureForm.restore(elsewhere, draft)
        assert other == CaptureForm.fresh(elsewhere)
    assert CaptureForm.draft_name("gezin-a") != CaptureForm.draft_name("gezin-b")
    assert CaptureForm.draft_name(None) != CaptureForm.draft_name("gezin-a")
    assert CaptureForm.restore(None, {"text": "a draft of an older version"}).text == ""


def test_only_the_current_mode_is_saved():
    form = CaptureForm.fresh("gezin-a")
    form.text = "getypt als notitie"
    form.mode = "check_in"
    form.how = "Rustig"
    case_id, text, fields = form.note_fields()
    assert (case_id, text, fields["contact"]) == ("gezin-a", "", "check_in")
    # untouched scores are absent, never a silent 5
    assert fields["check_in"]["draagkracht"] is None and fields["check_in"]["draaglast"] is None
    assert "follow_up" not in fields
    target, attempt = form.attempt_fields("niet_thuis")
    assert attempt == {
        "contact": "poging",
        "attempt_reason": "niet_thuis",
        "setting": None,
        "text": "",  # the note's text is no attempt's word
    }
    with pytest.raises(PickTargetFirst):
        CaptureForm.fresh(None).note_fields()


def test_the_contact_kind_follows_the_setting_until_the_worker_picks_one():
    form = CaptureForm.fresh("gezin-a")
    assert form.note_fields()[2]["contact"] == "informeel"
    form.pick_setting("huisbezoek")
    assert form.note_fields()[2]["contact"] == "gesprek"
    form.pick_contact("samen_op_pad")
    form.pick_setting("groepsaanbod")
    assert form.note_fields()[2]["contact"] == "samen_op_pad"


def test_a_place_that_changes_the_contact_kind_says_so_and_a_phone_call_changes_nothing():
    form = CaptureForm.fresh("gezin-a")
    form.pick_setting("telefoon")  # a call may be planned or not: it stays informeel
    assert (form.note_fields()[2]["contact"], form.suggestion) == ("informeel", None)
    form.pick_setting("huisbezoek")
    assert form.suggestion == "gesprek"  # shown under Waar?, not only on the chip far below
    form.pick_contact("informeel")  # the worker's own choice: no place changes it any more
    form.pick_setting("kantoor")
    assert (form.note_fields()[2]["contact"], form.suggestion) == ("informeel", None)


def test_contact_chips_are_the_contact_kinds_that_are_no_capture_mode():
    assert contact_rules().choices == ("informeel", "gesprek", "samen_op_pad", "overleg", "groep")
    settings = vocabulary("setting").codes
    assert all(contact_rules().suggested(s) in contact_rules().choices for s in settings)
    assert contact_rules().suggested(None) == "informeel"


def _run(coro):
    return asyncio.run(coro)


def test_a_dropped_draft_stays_dropped_after_the_debounce(app, monkeypatch):
    monkeypatch.setattr(drafts_module, "DELAY", 0.05)
    form = CaptureForm.fresh("gezin-a")
    form.text, form.follow_up, form.what = "Vocht", True, "Huurdersbond bellen"

    async def day() -> None:
        drafts = Drafts(lambda: app)
        drafts.put(form.name, form.to_draft())
        await drafts.drop(form.name)  # Opslaan, right after the last keystroke
        await asyncio.sleep(0.2)  # longer than the debounce
        assert drafts.get(form.name) is None

    _run(day())
    assert app.draft(form.name) is None


def test_a_draft_write_under_way_cannot_bring_a_saved_draft_back(app, monkeypatch):
    monkeypatch.setattr(drafts_module, "DELAY", 0.0)
    started = []

    class SlowVault:  # the real vault, whose draft write takes a while
        def __getattr__(self, name):
            return getattr(app, name)

        def save_draft(self, name, fields):
            started.append(name)
            time.sleep(0.2)
            app.save_draft(name, fields)

    form = CaptureForm.fresh(None)
    form.pick_case("gezin-a")
    form.text = "Vocht"

    async def day() -> None:
        drafts = Drafts(SlowVault)
        drafts.put(form.name, form.to_draft())
        while not started:
            await asyncio.sleep(0.01)
        await drafts.drop(form.name)

    _run(day())
    assert app.draft(form.name) is None


def test_a_draft_is_written_after_the_debounce_and_flushed_before_a_lock(app, monkeypatch):
    monkeypatch.setattr(drafts_module, "DELAY", 0.05)
    form = CaptureForm.fresh("gezin-a")
    form.text = "half geschreven"

    async def day() -> None:
        drafts = Drafts(lambda: app)
        drafts.put(form.name, form.to_draft())
        await asyncio.sleep(0.2)
        assert app.draft(form.name)["text"] == "half geschreven"
        form.text = "half geschreven, en meer"
        drafts.put(form.name, form.to_draft())
        await drafts.flush()
        drafts.forget()
        assert app.draft(form.name)["text"] == "half geschreven, en meer"

    _run(day())
