"""Text that is not valid Unicode is refused at the door; a stored value from an older build
never stops sealing; control and bidi characters never reach a terminal raw."""

import json
import subprocess
import sys

import pytest

from app.cli import build_parser, main
from app.core import records
from app.core.errors import InvalidInput, NotFound
from app.messages import describe
from app.services import enroll
from tests.conftest import FAST_KDF, PASSPHRASE, REPO

LONE = "kapot \udcff tekst"  # what the bytes b"kapot \xff tekst" become on a command line


def _old_build_note(app, case_id, text):
    """A note as a build before this check could store it (the vault's own door is passed
    the way records from the server pass it)."""
    note = records.create(
        "note",
        case_id,
        {"text": text, "created_at": "2026-11-20T09:00:00+00:00", "domains": []},
        {"day": "2026-11-20", "contact": "informeel"},
        app.device_id,
        app.vault.tick(),
    )
    app.vault.put_many([note], from_server=True)
    return note.id


def test_text_that_is_not_unicode_is_refused_with_a_clear_message(app):
    case_id = app.add_case("Gezin Tekst")
    for call in (
        lambda: app.add_note(case_id, LONE),
        lambda: app.add_case(LONE),
        lambda: app.add_note(case_id, "goed", follow_up={"what": LONE}),
    ):
        with pytest.raises(InvalidInput) as refused:
            call()
        assert refused.value.problem == "not_unicode"
        assert "ongeldige UTF-8" in describe(refused.value)
    note_id = app.add_note(case_id, "goed")
    with pytest.raises(InvalidInput):
        app.edit_note(note_id, text=LONE)
    # The vault's last door, for any field a rule might miss.
    stray = records.create("note", case_id, {"x": LONE}, {}, app.device_id, app.vault.tick())
    with pytest.raises(InvalidInput):
        app.vault.put(stray)
    assert [n.text for n in app.notes()] == ["goed"]


def test_a_stored_value_from_an_older_build_is_sealed_and_opens_unchanged(app):
    case_id = app.add_case("Gezin Oud")
    note_id = _old_build_note(app, case_id, LONE)
    sealed = app.vault.seal(app.vault.latest(note_id))  # before: UnicodeEncodeError
    assert app.vault.unseal(sealed).data["text"] == LONE


def test_a_stored_bad_value_does_not_stop_the_sync(server, tmp_path):
    phone = enroll(tmp_path / "phone", PASSPHRASE, server.url, server.user("badtext"), kdf=FAST_KDF)
    case_id = phone.add_case("Gezin Sync Oud")
    note_id = _old_build_note(phone, case_id, LONE)
    phone.add_note(case_id, "daarna geschreven")
    assert phone.sync().pending == 0  # before: every sync failed and nothing was pushed
    tablet = enroll(
        tmp_path / "tablet", PASSPHRASE, server.url, server.code("badtext"), kdf=FAST_KDF
    )
    tablet.sync()
    assert tablet.note(note_id).text == LONE
    phone.close(), tablet.close()


def test_invalid_utf8_on_the_command_line_is_exit_2(tmp_path):
    data = tmp_path / "vault"
    env = {"DICHTBIJ_PASSPHRASE": PASSPHRASE, "PATH": "/usr/bin:/bin"}
    cli = [sys.executable, "-m", "app", "--data", str(data)]
    assert subprocess.run([*cli, "init"], cwd=REPO, env=env, timeout=60).returncode == 0
    for args in (
        [b"case", b"add", b"--name", b"Gezin \xff"],
        [b"note", b"add", b"--text", b"kapot \xed\xa0\x80 tekst"],  # an encoded surrogate
    ):
        done = subprocess.run([*cli, *args], cwd=REPO, env=env, capture_output=True, timeout=60)
        assert done.returncode == 2, done.stderr
        assert "ongeldige UTF-8" in done.stderr.decode() and done.stdout == b""


def test_control_and_bidi_characters_are_escaped_in_lists_and_refused_in_names(
    app, vault_dir, capsys, monkeypatch
):
    monkeypatch.setenv("DICHTBIJ_PASSPHRASE", PASSPHRASE)
    case_id = app.add_case("Gezin Escape")
    app.add_note(case_id, "rood \x1b[31m en \u202eomgekeerd")
    _old_build_note(app, None, "oud \x9b2J signaal")
    for name in ("Gezin \u202eesacsE", "Gezin \x1b]0;titel\x07", "Twee\nregels"):
        with pytest.raises(InvalidInput) as refused:
            app.add_case(name)
        assert refused.value.problem == "control_characters"
    assert main(["--data", str(vault_dir), "note", "list"]) == 0
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "\u202e" not in shown and "\x9b" not in shown
    assert "\\x1b[31m" in shown and "\\u202e" in shown and "\\x9b" in shown
    assert main(["--data", str(vault_dir), "note", "list", "--json"]) == 0
    listed = capsys.readouterr().out
    assert "\u202e" not in listed and "\x9b" not in listed
    assert {n["text"] for n in json.loads(listed)} >= {"rood \x1b[31m en \u202eomgekeerd"}
    from app.core.text import printable

    assert printable("a\u2066b\udcffc") == "a\\u2066b\\udcffc"


def test_not_found_is_bad_input_and_note_list_of_an_unknown_case_fails_like_export(
    app, vault_dir, capsys, monkeypatch
):
    monkeypatch.setenv("DICHTBIJ_PASSPHRASE", PASSPHRASE)
    unknown = records.new_id()
    with pytest.raises(NotFound):
        app.notes(unknown)
    codes = []
    for verb in (["note", "list", "--case", unknown, "--json"], ["export", "--case", unknown]):
        codes.append(main(["--data", str(vault_dir), *verb]))
        out, err = capsys.readouterr()
        assert out == "" and f"Geen gezin gevonden met id {unknown}" in err
    assert codes == [2, 2]


def test_data_is_accepted_before_or_after_the_verb_for_every_verb(
    app, vault_dir, capsys, monkeypatch
):
    def leaves(parser, path=()):
        found = False
        for action in parser._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                found = True
                for name, sub in action.choices.items():
                    yield from leaves(sub, (*path, name))
        if not found:
            yield path, parser

    for path, parser in leaves(build_parser()):
        flags = {f for a in parser._actions for f in a.option_strings}
        assert "--data" in flags, path
    monkeypatch.setenv("DICHTBIJ_PASSPHRASE", PASSPHRASE)
    app.add_case("Gezin Na")
    assert main(["case", "list", "--data", str(vault_dir), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["name"] == "Gezin Na"
    done = subprocess.run(
        [sys.executable, "-m", "app", "app", "--data", str(vault_dir), "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr  # before: "unrecognized arguments"
