"""A note's whole life through the services: opened, edited, its follow-up ticked off (with
the time), deleted and brought back; an edit and a tick-off on two phones merge."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core import records
from app.core.notes import capture_kind, summary
from app.services import open_vault
from app.sync.merge import merge
from tests.conftest import FAST_KDF, PASSPHRASE


def clock(start=dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)):
    moments = (start + dt.timedelta(minutes=i) for i in range(10_000))
    return lambda: next(moments)


def test_ticking_off_records_when_and_a_second_tick_keeps_the_first_time(tmp_path):
    with open_vault(tmp_path / "v", PASSPHRASE, create=True, kdf=FAST_KDF, now=clock()) as app:
        case_id = app.add_case("Gezin Vink")
        note_id = app.add_note(case_id, "Poort", follow_up={"what": "Bellen", "due": "2026-12-01"})
        app.complete_follow_up(note_id)
        done = app.note(note_id).follow_up
        assert done.done and done.done_at and done.done_at.startswith("2026-11-30T09:")
        app.complete_follow_up(note_id)
        assert app.note(note_id).follow_up.done_at == done.done_at
        app.reopen_follow_up(note_id)
        assert (app.note(note_id).follow_up.done, app.note(note_id).follow_up.done_at) == (
            False,
            None,
        )
        assert summary(app.note(note_id))["follow_up"]["done_at"] is None


def test_a_deleted_note_comes_back_whole_with_undo(tmp_path):
    with open_vault(tmp_path / "v", PASSPHRASE, create=True, kdf=FAST_KDF) as app:
        case_id = app.add_case("Gezin Terug")
        note_id = app.add_note(
            case_id,
            "Lange notitie",
            domains=["wonen"],
            setting="huisbezoek",
            contact="gesprek",
            barriers=["wachtlijst"],
            follow_up={"what": "Huurdersbond", "who": "Sara"},
        )
        before = app.note(note_id)
        app.delete_note(note_id)
        assert app.notes(case_id) == []
        back = app.restore_note(before)
        [again] = app.notes(case_id)
        assert again.id == back
        assert summary(again) == {**summary(before), "id": back}
        assert capture_kind(again) == "note"


def test_an_edit_here_and_a_tick_off_there_merge_without_a_conflict():
    base_note = {
        "text": "Eerste versie",
        "follow_up": {"what": "Bellen", "who": "", "due": None, "done": False, "done_at": None},
    }
    here = {**base_note, "text": "Tweede versie"}
    there = {
        **base_note,
        "follow_up": {**base_note["follow_up"], "done": True, "done_at": "2026-11-30T10:00:00Z"},
    }

    def record(data):
        return records.to_dict(records.create("note", "c", data, {}, "d", "h", "n"))

    merged = merge(record(base_note), record(here), record(there), "note")
    assert merged.conflicts == []
    assert merged.data["text"] == "Tweede versie"
    assert merged.data["follow_up"]["done"] is True
    assert merged.data["follow_up"]["done_at"] == "2026-11-30T10:00:00Z"


def test_a_long_note_is_previewed_at_a_word_and_a_short_one_whole():
    from app.core.timeline import preview

    assert preview("Kort.") == ("Kort.", False)
    long = "woord " * 1000
    short, cut = preview(long)
    assert cut and len(short) <= 282 and short.endswith(" …") and "woor …" not in short


def test_the_chart_has_the_last_check_ins_with_a_score_oldest_first(tmp_path):
    from app.core.timeline import scores_over_time

    with open_vault(tmp_path / "v", PASSPHRASE, create=True, kdf=FAST_KDF, now=clock()) as app:
        case_id = app.add_case("Gezin Grafiek")
        app.add_note(case_id, contact="check_in", check_in={"how": "geen scores"})
        for kracht in range(14):
            app.add_note(case_id, contact="check_in", check_in={"draagkracht": kracht % 11})
        app.add_note(case_id, "gewone notitie")
        points = scores_over_time(app.notes(case_id))
    assert len(points) == 12
    assert [p.draagkracht for p in points] == [2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 2]
    assert all(p.draaglast is None for p in points)


def test_an_edit_form_holds_the_note_and_keeps_a_done_follow_up(tmp_path):
    from app.ui.capture_form import CaptureForm

    with open_vault(tmp_path / "v", PASSPHRASE, create=True, kdf=FAST_KDF, now=clock()) as app:
        case_id = app.add_case("Gezin Edit")
        note_id = app.add_note(
            case_id,
            "Eerst",
            setting="huisbezoek",
            contact="gesprek",
            domains=["wonen"],
            barriers=["taal"],
            follow_up={"what": "Bellen", "who": "Sara", "due": "2026-12-02"},
        )
        app.complete_follow_up(note_id)
        note = app.note(note_id)
        form = CaptureForm.restore_edit(note, None)
        assert (form.text, form.setting, form.shown_contact) == ("Eerst", "huisbezoek", "gesprek")
        assert (form.domains, form.barriers, form.what, form.due) == (
            ["wonen"],
            ["taal"],
            "Bellen",
            "2026-12-02",
        )
        assert form.name != CaptureForm.draft_name(case_id)
        form.text = "Daarna"
        form.toggle_barrier("kosten")
        app.edit_note(note_id, **form.edit_fields())
        changed = app.note(note_id)
        assert (changed.text, changed.barriers) == ("Daarna", ("taal", "kosten"))
        assert changed.follow_up.done and changed.follow_up.done_at == note.follow_up.done_at
        # a draft of other changes to this note is restored; a draft for another note is not
        draft = {**form.to_draft(), "text": "Nog later"}
        assert CaptureForm.restore_edit(changed, draft).text == "Nog later"
        assert CaptureForm.restore_edit(changed, {**draft, "editing": "other"}).text == "Daarna"
        form.follow_up = False
        app.edit_note(note_id, **form.edit_fields())
        assert app.note(note_id).follow_up is None


def test_an_edited_attempt_keeps_its_kind(tmp_path):
    from app.ui.capture_form import CaptureForm

    with open_vault(tmp_path / "v", PASSPHRASE, create=True, kdf=FAST_KDF) as app:
        case_id = app.add_case("Gezin Poging")
        note_id = app.add_note(case_id, contact="poging", attempt_reason="niet_thuis")
        form = CaptureForm.from_note(app.note(note_id))
        assert form.mode == "attempt"
        form.pick_reason("geen_antwoord")
        form.pick_setting("huisbezoek")
        app.edit_note(note_id, **form.edit_fields())
        note = app.note(note_id)
        assert (note.contact, note.attempt_reason, note.setting) == (
            "poging",
            "geen_antwoord",
            "huisbezoek",
        )


def test_a_failed_attempt_carries_a_word_that_can_be_changed(tmp_path):
    from app.ui.capture_form import CaptureForm

    with open_vault(tmp_path / "v", PASSPHRASE, create=True, kdf=FAST_KDF) as app:
        case_id = app.add_case("Gezin Poging")
        form = CaptureForm.fresh(case_id)
        form.mode, form.attempt_note = "attempt", "Briefje in de bus gestoken"
        target, fields = form.attempt_fields("niet_thuis")
        note_id = app.add_note(target, **fields)
        assert app.note(note_id).text == "Briefje in de bus gestoken"
        edit = CaptureForm.from_note(app.note(note_id))
        assert (edit.attempt_note, edit.mode) == ("Briefje in de bus gestoken", "attempt")
        edit.attempt_note = "Briefje bij de buren"
        app.edit_note(note_id, **edit.edit_fields())
        assert app.note(note_id).text == "Briefje bij de buren"


def test_a_new_gezin_is_made_with_its_first_note_and_not_without_it(tmp_path):
    from app.core.errors import InvalidInput
    from app.ui.capture_form import CaptureForm

    with open_vault(tmp_path / "v", PASSPHRASE, create=True, kdf=FAST_KDF) as app:
        form = CaptureForm.fresh(None)
        form.pick_new_gezin()
        form.new_name, form.text = "Gezin Poort (fictief)", "Mama vraagt naar de opvang"
        case_id, text, fields = form.note_fields()
        assert case_id is None and not form.signaal
        with pytest.raises(InvalidInput):  # no words: neither the note nor the gezin
            app.add_case_with_note(form.new_name, "", **fields)
        assert app.cases() == []
        case_id, note_id = app.add_case_with_note(form.new_name, text, **fields)
        assert app.case(case_id).name == "Gezin Poort (fictief)"
        assert [n.id for n in app.notes(case_id)] == [note_id]
        form.pick_case(case_id)
        assert not form.new_gezin
