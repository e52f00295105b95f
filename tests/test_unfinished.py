"""Unfinished work: every half-written form is named by kind, gezin and when, never by
what was typed, and can be thrown away and put back."""

from __future__ import annotations

import datetime as dt

from app.facade.drafts import Unfinished

MARKER = "ZQXJ half getypt"


def test_every_draft_is_named_by_kind_and_gezin_without_its_text(app):
    a, b = app.add_case("Gezin Aerts (fictief)"), app.add_case("Gezin Bosmans (fictief)")
    note = app.add_note(a, "Eerder bewaard")
    signaal = app.add_note(None, "Een eerste contact")
    person = app.add_person(b, "Oma", sector="familie")
    app.save_draft(f"capture:gezin:{a}", {"origin": a, "case_id": a, "text": MARKER})
    tab = {"origin": None, "case_id": None, "signaal": True, "text": MARKER}
    app.save_draft("capture:tab", tab)
    app.save_draft(f"capture:edit:{note}", {"editing": note, "case_id": a, "text": MARKER})
    app.save_draft(f"capture:edit:{signaal}", {"editing": signaal, "case_id": None})
    app.save_draft(f"person:{b}:nieuw", {"name": MARKER})
    app.save_draft(f"person:{b}:{person}", {"name": MARKER})

    found = {u.name: u for u in app.unfinished()}
    assert {(u.kind, u.case_name) for u in found.values()} == {
        ("note", "Gezin Aerts (fictief)"),
        ("signaal", ""),
        ("note_edit", "Gezin Aerts (fictief)"),
        ("signaal_edit", ""),
        ("person", "Gezin Bosmans (fictief)"),
        ("person_edit", "Gezin Bosmans (fictief)"),
    }
    assert found[f"capture:gezin:{a}"].origin == a
    assert found[f"capture:edit:{note}"].target == note
    assert found[f"person:{b}:{person}"].target == person
    assert all(u.kept_at for u in found.values())
    assert MARKER not in repr(list(found.values()))
    assert {u.name for u in app.unfinished(b)} == {f"person:{b}:nieuw", f"person:{b}:{person}"}
    # the stamp is beside the form, not in it: the form gets back exactly what it kept
    assert app.draft(f"capture:gezin:{a}") == {"origin": a, "case_id": a, "text": MARKER}


def test_the_last_kept_comes_first(vault_dir):
    from app.services import open_vault
    from tests.conftest import FAST_KDF, PASSPHRASE

    clock = [dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)]
    app = open_vault(vault_dir, PASSPHRASE, create=True, kdf=FAST_KDF, now=lambda: clock[0])
    try:
        a, b = app.add_case("Gezin Aerts (fictief)"), app.add_case("Gezin Bosmans (fictief)")
        app.save_draft(f"capture:gezin:{a}", {"origin": a, "case_id": a})
        clock[0] += dt.timedelta(minutes=5)
        app.save_draft(f"capture:gezin:{b}", {"origin": b, "case_id": b})
        assert [u.case_id for u in app.unfinished()] == [b, a]
        assert app.unfinished()[0].kept_at.startswith("2026-12-02T09:05")
    finally:
        app.close()


def test_a_draft_that_can_no_longer_be_resumed_is_left_out(app):
    a = app.add_case("Gezin Aerts (fictief)")
    note = app.add_note(a, "Eerder bewaard")
    person = app.add_person(a, "Oma", sector="familie")
    app.save_draft(f"capture:edit:{note}", {"editing": note, "case_id": a})
    app.save_draft(f"person:{a}:{person}", {"name": "Oma"})
    app.save_draft("capture:tab", {"origin": None, "case_id": "weg", "signaal": False})
    app.save_draft("iets:anders", {"x": 1})
    app.delete_note(note)
    app.remove_person(person)
    assert app.unfinished() == []


def test_thrown_away_and_put_back(app):
    a = app.add_case("Gezin Aerts (fictief)")
    app.save_draft(f"capture:gezin:{a}", {"origin": a, "case_id": a, "text": MARKER})
    [before] = app.unfinished()
    kept = app.throw_away(before.name)
    assert app.unfinished() == [] and app.draft(before.name) is None
    app.put_back(before.name, kept)
    assert app.unfinished() == [before]
    assert isinstance(before, Unfinished)
