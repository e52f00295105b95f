"""`dichtbij note list / show / edit / delete / done` (CONTRACT.md, the outreacher's day),
run as real subprocesses."""

import json

import pytest

from tests.test_cli import one_line_error, run


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("cli-notes") / "vault"
    assert run(data_dir, "init").returncode == 0
    case_id = run(data_dir, "case", "add", "--name", "Gezin Notities").stdout.strip()
    return data_dir, case_id


def add(data_dir, *args):
    result = run(data_dir, "note", "add", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["id"]


def listed(data_dir, case_id):
    result = run(data_dir, "note", "list", "--case", case_id, "--json")
    assert result.returncode == 0, result.stderr
    return {n["id"]: n for n in json.loads(result.stdout)}


def test_list_carries_kind_contact_barriers_and_follow_up(vault):
    data_dir, case_id = vault
    plain = add(
        data_dir,
        "--case",
        case_id,
        "--text",
        "Aan de poort",
        "--setting",
        "schoolpoort",
        "--barrier",
        "digitaal",
        "--follow-up",
        "Huurdersbond bellen",
        "--who",
        "Sara",
        "--due",
        "2027-03-01",
    )
    attempt = add(data_dir, "--case", case_id, "--attempt", "niet_thuis")
    talk = add(data_dir, "--case", case_id, "--text", "Gesprek", "--contact", "gesprek")
    notes = listed(data_dir, case_id)
    first = notes[plain]
    assert {"id", "case_id", "text", "domains", "setting", "created_at"} <= set(first)
    assert (first["kind"], first["contact"], first["barriers"]) == (
        "note",
        "informeel",
        ["digitaal"],
    )
    assert first["follow_up"] == {
        "what": "Huurdersbond bellen",
        "who": "Sara",
        "due": "2027-03-01",
        "done_at": None,
    }
    assert (notes[attempt]["kind"], notes[attempt]["contact"]) == ("attempt", "poging")
    assert notes[attempt]["follow_up"] is None
    assert (notes[talk]["kind"], notes[talk]["contact"]) == ("note", "gesprek")


def test_show_edit_done_and_delete(vault):
    data_dir, case_id = vault
    note_id = add(
        data_dir,
        "--case",
        case_id,
        "--text",
        "Eerste versie",
        "--domain",
        "wonen",
        "--follow-up",
        "OCMW mailen",
    )
    edited = run(
        data_dir,
        "note",
        "edit",
        note_id,
        "--text",
        "Tweede versie",
        "--domain",
        "schulden",
        "--domain",
        "inkomen",
        "--setting",
        "huisbezoek",
        "--barrier",
        "wachtlijst",
    )
    assert edited.returncode == 0, edited.stderr
    shown = json.loads(run(data_dir, "note", "show", note_id, "--json").stdout)
    assert shown["text"] == "Tweede versie"
    assert shown["domains"] == ["schulden", "inkomen"]
    assert (shown["setting"], shown["barriers"]) == ("huisbezoek", ["wachtlijst"])
    assert shown["follow_up"]["what"] == "OCMW mailen" and shown["follow_up"]["done_at"] is None

    assert run(data_dir, "note", "done", note_id).returncode == 0
    done = json.loads(run(data_dir, "note", "show", note_id, "--json").stdout)
    assert done["follow_up"]["done_at"] and done["follow_up_done"] is True
    assert (
        listed(data_dir, case_id)[note_id]["follow_up"]["done_at"] == done["follow_up"]["done_at"]
    )

    assert run(data_dir, "note", "delete", note_id).returncode == 0
    assert note_id not in listed(data_dir, case_id)
    gone = run(data_dir, "note", "show", note_id, "--json")
    assert "gevonden" in one_line_error(gone, 2)


def test_show_has_the_check_in_answers_and_scores(tmp_path):
    from app.services import open_vault
    from tests.conftest import FAST_KDF, PASSPHRASE

    with open_vault(tmp_path / "v", PASSPHRASE, create=True, kdf=FAST_KDF) as app:
        case_id = app.add_case("Gezin Check-in")
        note_id = app.add_note(
            case_id,
            contact="check_in",
            check_in={"how": "Rustig", "agreed": "Samen naar het OCMW", "draaglast": 7},
        )
    shown = json.loads(run(tmp_path / "v", "note", "show", note_id, "--json").stdout)
    assert shown["kind"] == "check_in"
    assert shown["check_in"]["how"] == "Rustig"
    assert shown["check_in"]["agreed"] == "Samen naar het OCMW"
    assert (shown["check_in"]["draagkracht"], shown["check_in"]["draaglast"]) == (None, 7)


@pytest.mark.parametrize(
    "args",
    [
        ("note", "edit", "no-such-note", "--text", "x"),
        ("note", "delete", "no-such-note"),
        ("note", "done", "no-such-note"),
        ("note", "show", "no-such-note", "--json"),
    ],
)
def test_unknown_notes_are_one_dutch_line_and_exit_2(vault, args):
    data_dir, _ = vault
    assert "Geen notitie gevonden" in one_line_error(run(data_dir, *args), 2)


def test_bad_edits_and_a_done_without_follow_up_exit_2(vault):
    data_dir, case_id = vault
    note_id = add(data_dir, "--case", case_id, "--text", "Zonder opvolging")
    one_line_error(run(data_dir, "note", "edit", note_id, "--domain", "nope"), 2)
    one_line_error(run(data_dir, "note", "edit", note_id, "--text", ""), 2)
    one_line_error(run(data_dir, "note", "done", note_id), 2)
    shown = json.loads(run(data_dir, "note", "show", note_id, "--json").stdout)
    assert (shown["text"], shown["domains"]) == ("Zonder opvolging", [])
