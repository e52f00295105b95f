"""Signalen (notes without a gezin) linked to a gezin, and two gezinnen merged into one: in
the vault, through the CLI, and across a real sync server to a second phone."""

from __future__ import annotations

import json

import pytest

from app.core.errors import InvalidInput
from app.vault.sealing import CASE_SCOPE, USER_SCOPE
from tests.conftest import MARKER
from tests.test_cli import run
from tests.test_sync_e2e import device, new_login


def test_a_signaal_linked_to_a_gezin_is_sealed_under_the_gezins_key(app):
    signaal = app.add_note(None, f"Mama aan de poort {MARKER}", domains=["wonen"])
    other = app.add_note(None, "nog een signaal")
    assert {n.id for n in app.signalen()} == {other, signaal}
    assert app.vault.seal(app.vault.get("note", signaal))["key"] == USER_SCOPE
    gezin = app.add_case("Gezin Poort")
    app.link_signaal(signaal, gezin)
    assert [n.id for n in app.signalen()] == [other]
    linked = app.note(signaal)
    assert (linked.case_id, linked.text, linked.domains) == (
        gezin,
        f"Mama aan de poort {MARKER}",
        ("wonen",),
    )
    assert [n.id for n in app.notes(gezin)] == [signaal]
    sealed = app.vault.seal(app.vault.get("note", signaal))
    assert (sealed["key"], sealed["case_id"]) == (CASE_SCOPE, gezin)
    with pytest.raises(InvalidInput):
        app.link_signaal(signaal, gezin)  # already a note of a gezin
    new_case = app.link_signaal_to_new_case(other, "Gezin Nieuw")
    assert app.case(new_case).name == "Gezin Nieuw" and app.note(other).case_id == new_case
    assert app.signalen() == []


def test_two_gezinnen_of_one_family_merge_keeping_everything(app):
    kept = app.add_case("Gezin Janssens", members=[{"name": "Mira"}], strengths=["koken"])
    twin = app.add_case("Mama Janssens (schoolpoort)", members=[{"name": "Mira"}, {"name": "Tom"}])
    app.edit_case(twin, needs={"wonen": "vocht"})
    a = app.add_note(kept, "eerste contact thuis")
    b = app.add_note(twin, "aan de schoolpoort", follow_up={"what": "terugbellen", "due": None})
    person = app.add_person(twin, "Oma", sector="familie")
    app.set_right(kept, "huursubsidie", status="niet_bekeken")
    app.set_right(twin, "huursubsidie", status="besproken", who="ik")
    app.set_right(twin, "verwarmingstoelage", status="mogelijk")
    app.save_rights_profile(twin, {"single_parent": True}, [])
    app.merge_cases(kept, twin)

    assert [c.id for c in app.cases()] == [kept]
    case = app.case(kept)
    assert [m.name for m in case.members] == ["Mira", "Tom"]
    assert case.strengths == ("koken",) and case.needs == {"wonen": "vocht"}
    assert [(m.case_id, m.name) for m in case.merged] == [(twin, "Mama Janssens (schoolpoort)")]
    assert {n.id for n in app.notes(kept)} == {a, b}
    assert app.person(person).case_id == kept
    checks = {c.right: c for c in app.right_checks(kept)}
    assert set(checks) == {"huursubsidie", "verwarmingstoelage"}
    assert (checks["huursubsidie"].status, checks["huursubsidie"].who) == ("besproken", "ik")
    assert app.rights_profile(kept)["profile"] == {"single_parent": True}
    kinds = [e.kind for e in app.timeline(kept)]
    assert "merged" in kinds and kinds.count("note") == 2
    with pytest.raises(InvalidInput):
        app.merge_cases(kept, kept)


def test_cli_signaal_list_link_case_list_and_merge(tmp_path):
    data = tmp_path / "cli"
    assert run(data, "init").returncode == 0
    first = run(data, "case", "add", "--name", "Gezin Een").stdout.strip()
    second = run(data, "case", "add", "--name", "Gezin Twee").stdout.strip()
    note = run(data, "note", "add", "--text", "signaal aan de poort", "--json")
    signaal = json.loads(note.stdout)["id"]
    listed = json.loads(run(data, "signaal", "list", "--json").stdout)
    assert [set(s) for s in listed] == [{"id", "text", "created_at"}]
    assert listed[0]["id"] == signaal and listed[0]["text"] == "signaal aan de poort"
    assert run(data, "signaal", "link", signaal, "--case", second).returncode == 0
    assert json.loads(run(data, "signaal", "list", "--json").stdout) == []
    cases = json.loads(run(data, "case", "list", "--json").stdout)
    assert {c["id"]: c["shared_with"] for c in cases} == {first: [], second: []}
    assert set(cases[0]) == {"id", "name", "phase", "status", "shared_with"}
    assert run(data, "case", "merge", "--into", first, "--from", second).returncode == 0
    cases = json.loads(run(data, "case", "list", "--json").stdout)
    assert [c["id"] for c in cases] == [first]
    notes = json.loads(run(data, "note", "list", "--case", first, "--json").stdout)
    assert [n["id"] for n in notes] == [signaal]
    missing = run(data, "signaal", "link", signaal, "--case", "nope")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr


def test_link_and_merge_reach_the_second_phone_under_the_gezin(server, tmp_path):
    login = new_login()
    phone = device(server, tmp_path, login, "phone", first=True)
    signaal = phone.add_note(None, "signaal aan de poort")
    kept = phone.add_case("Gezin Eén")
    phone.sync()
    tablet = device(server, tmp_path, login, "tablet")
    twin = tablet.add_case("Gezin Eén (tablet)")
    on_tablet = tablet.add_note(twin, "op de tablet genoteerd")
    tablet.sync()

    phone.sync()
    phone.link_signaal(signaal, kept)
    phone.merge_cases(kept, twin)
    assert phone.sync().pending == 0
    tablet.sync()
    assert [c.id for c in tablet.cases()] == [kept]
    assert {n.id for n in tablet.notes(kept)} == {signaal, on_tablet}
    assert tablet.signalen() == []
    assert [m.case_id for m in tablet.case(kept).merged] == [twin]
    # what the server holds for the linked signaal is sealed under the gezin's key now
    with server.db.transaction() as session:
        from sync_server.models import Record

        row = session.get(Record, signaal)
        assert (row.case_id, row.key_scope) == (kept, CASE_SCOPE)
    phone.close(), tablet.close()


def test_a_link_survives_an_edit_of_the_signaal_on_the_other_phone(server, tmp_path):
    login = new_login()
    phone = device(server, tmp_path, login, "phone", first=True)
    signaal = phone.add_note(None, "signaal")
    phone.sync()
    tablet = device(server, tmp_path, login, "tablet")
    tablet.sync()
    gezin = phone.add_case("Gezin Later")
    phone.link_signaal(signaal, gezin)
    tablet.edit_note(signaal, text="signaal, aangevuld op de tablet")
    tablet.sync(), phone.sync(), tablet.sync()
    for app in (phone, tablet):
        note = app.note(signaal)
        assert note.case_id == gezin and note.text == "signaal, aangevuld op de tablet"
    phone.close(), tablet.close()


def test_a_note_written_offline_on_a_gezin_merged_elsewhere_follows_the_merge(server, tmp_path):
    login = new_login()
    phone = device(server, tmp_path, login, "phone", first=True)
    kept = phone.add_case("Gezin Blijft")
    twin = phone.add_case("Gezin Dubbel")
    phone.sync()
    tablet = device(server, tmp_path, login, "tablet")
    tablet.sync()
    late = tablet.add_note(twin, "offline genoteerd bij het dubbele gezin")  # not synced yet
    phone.merge_cases(kept, twin)
    phone.sync()
    tablet.sync()  # pulls the merge, moves its own note along, pushes it
    phone.sync()
    for app in (phone, tablet):
        assert [c.id for c in app.cases()] == [kept]
        assert [n.id for n in app.notes(kept)] == [late]
        assert app.sync_status()["pending"] == 0
    phone.close(), tablet.close()


def test_half_written_forms_follow_a_merge_and_go_with_a_deleted_gezin(app):
    """A draft of a gezin that merges moves to the gezin that stays; a draft of a gezin that is
    erased is erased with it (its text must not outlive the family's file)."""
    kept, twin = app.add_case("Gezin Aerts"), app.add_case("Mama Aerts (schoolpoort)")
    gone, other = app.add_case("Gezin Weg"), app.add_case("Gezin Blijft")
    note = app.add_note(gone, "al bewaard")
    app.save_draft(f"capture:gezin:{twin}", {"origin": twin, "case_id": twin, "text": "half"})
    app.save_draft(f"person:{twin}:nieuw", {"name": "Oma"})
    app.save_draft(f"capture:gezin:{gone}", {"origin": gone, "case_id": gone, "text": MARKER})
    app.save_draft("capture:tab", {"origin": None, "case_id": gone, "text": MARKER})
    app.save_draft(f"capture:edit:{note}", {"editing": note, "case_id": gone, "text": MARKER})
    app.save_draft(f"person:{gone}:nieuw", {"name": MARKER})
    app.save_draft(f"capture:gezin:{other}", {"origin": other, "case_id": other, "text": "blijft"})

    app.merge_cases(kept, twin)
    assert app.draft(f"capture:gezin:{kept}") == {"origin": kept, "case_id": kept, "text": "half"}
    assert app.draft(f"person:{kept}:nieuw") == {"name": "Oma"}
    assert app.draft(f"capture:gezin:{twin}") is None

    app.delete_case(gone)
    assert set(app.vault.local("drafts")) == {
        f"capture:gezin:{kept}",
        f"person:{kept}:nieuw",
        f"capture:gezin:{other}",
    }


def test_a_link_made_by_mistake_is_undone(app):
    """One wrong tap must not leave a confidential signaal in another family's file."""
    signaal = app.add_note(None, "Mama aan de poort")
    gezin = app.add_case("Gezin Verkeerd")
    app.link_signaal(signaal, gezin)
    app.unlink_signaal(signaal)
    assert app.notes(gezin) == [] and [n.id for n in app.signalen()] == [signaal]
    assert app.vault.seal(app.vault.get("note", signaal))["key"] == USER_SCOPE
    app.unlink_signaal(signaal)  # twice: nothing more happens
    assert [n.id for n in app.signalen()] == [signaal]
