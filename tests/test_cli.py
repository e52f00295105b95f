"""The `dichtbij` CLI contract (CONTRACT.md), run as real subprocesses with the real KDF cost."""

import json
import os
import subprocess
import sys

import pytest

from app.core.localtime import clock
from tests.conftest import MARKER, PASSPHRASE, REPO

BIN = [sys.executable, "-m", "app"]
RIGHT = ["rights", "set", "--case", "CASE", "--right"]


def run(data_dir, *args, passphrase=PASSPHRASE, stdin=subprocess.DEVNULL, env=None):
    env = {k: v for k, v in {**os.environ, **(env or {})}.items() if k != "DICHTBIJ_PASSPHRASE"}
    if passphrase is not None:
        env["DICHTBIJ_PASSPHRASE"] = passphrase
    return subprocess.run(
        [*BIN, "--data", str(data_dir), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        stdin=stdin,
        timeout=60,
    )


def one_line_error(result, code):
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def snapshot_files(data_dir):
    return {p.name: p.read_bytes() for p in data_dir.iterdir() if p.name != ".lock"}


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("cli") / "vault"
    assert run(data_dir, "init").returncode == 0
    case_id = run(data_dir, "case", "add", "--name", "Gezin Cli").stdout.strip()
    return data_dir, case_id


def test_init_case_note_list_export(vault):
    data_dir, case_id = vault
    assert len(case_id) == 36
    added = run(data_dir, "case", "add", "--name", "Gezin Json", "--json")
    assert set(json.loads(added.stdout)) == {"id"}
    note = run(
        data_dir,
        "note",
        "add",
        "--case",
        case_id,
        "--text",
        f"Gesprek {MARKER}",
        "--domain",
        "wonen",
        "--domain",
        "energie",
        "--setting",
        "huisbezoek",
        "--json",
    )
    assert note.returncode == 0, note.stderr
    note_id = json.loads(note.stdout)["id"]
    listed = json.loads(run(data_dir, "note", "list", "--case", case_id, "--json").stdout)
    assert listed[0] == {
        "id": note_id,
        "case_id": case_id,
        "text": f"Gesprek {MARKER}",
        "domains": ["wonen", "energie"],
        "setting": "huisbezoek",
        "created_at": listed[0]["created_at"],
        "kind": "note",
        "contact": "informeel",
        "barriers": [],
        "follow_up": None,
    }
    exported = json.loads(run(data_dir, "export", "--case", case_id, "--format", "json").stdout)
    assert exported["case"]["name"] == "Gezin Cli"
    assert [n["text"] for n in exported["notes"]] == [f"Gesprek {MARKER}"]
    assert exported["format"] == "dichtbij-export"
    # People read the plain list on Belgian clocks, whatever zone the machine is set to.
    shown = run(data_dir, "note", "list", "--case", case_id, env={"TZ": "America/New_York"})
    assert shown.stdout.split("  ")[0] == clock(listed[0]["created_at"])


def test_wrong_passphrase_exits_3(vault):
    data_dir, _ = vault
    line = one_line_error(run(data_dir, "note", "list", "--json", passphrase="fout fout fout"), 3)
    assert "wachtzin" in line


@pytest.mark.parametrize(
    "args,code,words",
    [
        (
            ["note", "add", "--case", "CASE", "--text", "x", "--domain", "huisvesting"],
            2,
            "huisvesting",
        ),
        (["note", "add", "--case", "CASE", "--text", "   "], 2, "leeg"),
        (["note", "add", "--case", "CASE", "--text", "x", "--due", "2026-01-01"], 2, "opvolging"),
        (
            [
                "note",
                "add",
                "--case",
                "CASE",
                "--text",
                "x",
                "--follow-up",
                "bellen",
                "--due",
                "morgen",
            ],
            2,
            "datum",
        ),
        (["note", "add", "--case", "no-such-case", "--text", "x"], 2, "gezin"),
        (["note", "add", "--case", "CASE", "--attempt", "weg"], 2, "weg"),
        (["export", "--case", "CASE", "--format", "pdf"], 2, "pdf"),
        (["case", "add"], 2, "--name"),
        (["bogus"], 2, "bogus"),
        ([*RIGHT, "verhoogde_tegemoetkoming", "--status", "klaar"], 2, "klaar"),
        ([*RIGHT, "geen_recht", "--status", "mogelijk"], 2, "geen_recht"),
        (["conflicts", "resolve", "no-such", "--keep", "mine"], 2, "conflict"),
        (["conflicts", "resolve", "x", "--keep", "both"], 2, "both"),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(vault, args, code, words):
    data_dir, case_id = vault
    before = snapshot_files(data_dir)
    line = one_line_error(run(data_dir, *[case_id if a == "CASE" else a for a in args]), code)
    assert words in line
    assert snapshot_files(data_dir) == before


def test_init_twice_overwrites_nothing(vault):
    data_dir, _ = vault
    before = snapshot_files(data_dir)
    line = one_line_error(run(data_dir, "init"), 1)
    assert "bestaat" in line
    assert snapshot_files(data_dir) == before


def test_weak_passphrase_is_refused_at_init(tmp_path):
    line = one_line_error(run(tmp_path / "v", "init", passphrase="kort"), 2)
    assert "12 tekens" in line
    assert not (tmp_path / "v" / "vault.json").exists()


def test_no_passphrase_and_no_terminal_is_a_usage_error(vault):
    data_dir, _ = vault
    line = one_line_error(run(data_dir, "note", "list", "--json", passphrase=None), 2)
    assert "DICHTBIJ_PASSPHRASE" in line


def test_missing_and_corrupt_vaults(tmp_path, vault):
    one_line_error(run(tmp_path / "nothing", "note", "list", "--json"), 1)
    data_dir, _ = vault
    broken = tmp_path / "broken"
    broken.mkdir()
    for name, data in snapshot_files(data_dir).items():
        (broken / name).write_bytes(data)
    snap = broken / "snapshot.bin"
    snap.write_bytes(snap.read_bytes()[:-3] + b"abc")
    line = one_line_error(run(broken, "note", "list", "--json"), 1)
    assert "beschadigd" in line and MARKER not in line


def test_help_teaches(tmp_path):
    result = run(tmp_path, "note", "add", "--help")
    assert result.returncode == 0
    assert "--domain" in result.stdout and "levensdomein" in result.stdout


def test_console_script_is_installed():
    script = os.path.join(os.path.dirname(sys.executable), "dichtbij")
    assert os.access(script, os.X_OK)


def test_rights_set_shows_in_the_export_and_no_conflicts_is_an_empty_list(vault):
    data_dir, case_id = vault
    right = "verhoogde_tegemoetkoming"
    done = run(
        data_dir, *[case_id if a == "CASE" else a for a in RIGHT], right, "--status", "besproken"
    )
    assert done.returncode == 0, done.stderr
    exported = json.loads(run(data_dir, "export", "--case", case_id, "--format", "json").stdout)
    assert [(c["right"], c["status"]) for c in exported["right_checks"]] == [(right, "besproken")]
    assert {"case", "notes", "right_checks", "rights_profile", "network"} <= set(exported)
    assert json.loads(run(data_dir, "conflicts", "list", "--json").stdout) == []
