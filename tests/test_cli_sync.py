"""The `enroll` and `sync` commands and the server's admin commands, as real processes,
with the real KDF cost; plain HTTP on loopback and HTTPS with the organisation's certificate."""

import json
import subprocess
import sys

import pytest

from app.sync.enrolment import fingerprint_of
from tests.conftest import PASSPHRASE, REPO
from tests.server_process import ServerProcess
from tests.test_cli import one_line_error, run
from tests.tls import self_signed


def admin(server, *args):
    result = subprocess.run(
        [sys.executable, "-m", "sync_server", "--db", server.db_url, "admin", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-server")
    proc = ServerProcess(f"sqlite:///{root / 'd.db'}", root / "log").start()
    admin(proc, "create-team", "Team Cli")
    yield proc
    proc.stop()
    proc.db.dispose()


def test_enroll_sync_second_device_revoke(server, tmp_path):
    code = admin(server, "create-user", "cli1", "--team", "Team Cli", "--role", "outreacher")[-1]
    phone = tmp_path / "phone"
    assert run(phone, "enroll", "--server", server.url, "--code", code).returncode == 0
    case_id = run(phone, "case", "add", "--name", "Gezin Cli").stdout.strip()
    run(phone, "note", "add", "--case", case_id, "--text", "via de cli", "--domain", "werk")
    report = json.loads(run(phone, "sync", "--json").stdout)
    # case key, gezin, note and the account's identity (made at its first sync)
    assert report == {"pushed": 4, "pulled": 0, "conflicts": 0, "pending": 0}

    tablet = tmp_path / "tablet"
    code = admin(server, "enrol-code", "cli1")[-1]
    assert run(tablet, "enroll", "--server", server.url, "--code", code).returncode == 0
    assert json.loads(run(tablet, "sync", "--json").stdout)["pulled"] == 4
    listed = json.loads(run(tablet, "note", "list", "--json").stdout)
    assert [n["text"] for n in listed] == ["via de cli"]

    devices = json.loads("\n".join(admin(server, "list-devices", "--json")))
    mine = [d for d in devices if d["user"] == "cli1"]
    assert len(mine) == 2 and all(d["last_sync"] for d in mine)

    tablet_id = next(d["id"] for d in mine if d["name"] == "toestel" and d["id"] != "")
    admin(server, "revoke-device", tablet_id)
    revoked = [run(p, "sync", "--json") for p in (phone, tablet)]
    wiped = [p for p, r in zip((phone, tablet), revoked, strict=True) if r.returncode == 5]
    assert len(wiped) == 1 and not (wiped[0] / "vault.json").exists()
    assert "ingetrokken" in one_line_error(revoked[[phone, tablet].index(wiped[0])], 5)


def test_server_down_is_exit_4_and_capture_goes_on(server, tmp_path):
    code = admin(server, "create-user", "cli2", "--team", "Team Cli", "--role", "outreacher")[-1]
    phone = tmp_path / "phone"
    run(phone, "enroll", "--server", server.url, "--code", code)
    server.kill()
    try:
        case_id = run(phone, "case", "add", "--name", "Offline").stdout.strip()
        assert (
            run(phone, "note", "add", "--case", case_id, "--text", "zonder server").returncode == 0
        )
        line = one_line_error(run(phone, "sync", "--json"), 4)
        assert "niet bereikbaar" in line
    finally:
        server.start()
    assert json.loads(run(phone, "sync", "--json").stdout)["pushed"] == 4  # with the identity


def test_bad_codes_and_insecure_urls(server, tmp_path):
    line = one_line_error(
        run(tmp_path / "x", "enroll", "--server", server.url, "--code", "AAAA-BBBB"), 5
    )
    assert "code of wachtzin" in line and "accepted" not in line
    line = one_line_error(
        run(tmp_path / "y", "enroll", "--server", "http://example.org", "--code", "AAAA"), 2
    )
    assert "https" in line


def test_https_with_the_organisations_certificate(tmp_path):
    cert, key = self_signed(tmp_path)
    proc = ServerProcess(f"sqlite:///{tmp_path / 'tls.db'}", tmp_path / "log", tls=(cert, key))
    proc.start()
    try:
        code = proc.user("tls1")
        # Without the organisation's certificate the phone refuses the server.
        one_line_error(run(tmp_path / "a", "enroll", "--server", proc.url, "--code", code), 4)
        one_line_error(
            run(
                tmp_path / "b",
                "enroll",
                "--server",
                proc.url,
                "--code",
                code,
                "--ca",
                str(cert),
                "--fingerprint",
                "00" * 32,
            ),
            4,
        )
        ok = run(
            tmp_path / "c",
            "enroll",
            "--server",
            proc.url,
            "--code",
            code,
            "--ca",
            str(cert),
            "--fingerprint",
            fingerprint_of(cert.read_bytes()),
        )
        assert ok.returncode == 0, ok.stderr
        assert json.loads(run(tmp_path / "c", "sync", "--json").stdout)["pending"] == 0
    finally:
        proc.stop()
        proc.db.dispose()


def test_admin_errors_are_one_line(server):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sync_server",
            "--db",
            server.db_url,
            "admin",
            "create-user",
            "x",
            "--team",
            "Bestaat Niet",
            "--role",
            "outreacher",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert PASSPHRASE not in result.stderr


def test_a_right_set_on_two_devices_is_a_conflict_settled_from_the_cli(server, tmp_path):
    code = admin(server, "create-user", "cli3", "--team", "Team Cli", "--role", "outreacher")[-1]
    phone, tablet = tmp_path / "phone", tmp_path / "tablet"
    assert run(phone, "enroll", "--server", server.url, "--code", code).returncode == 0
    case_id = run(phone, "case", "add", "--name", "Gezin Rechten").stdout.strip()
    right = ["rights", "set", "--case", case_id, "--right", "verhoogde_tegemoetkoming"]
    assert run(phone, *right, "--status", "mogelijk").returncode == 0
    run(phone, "sync", "--json")
    code = admin(server, "enrol-code", "cli3")[-1]
    assert run(tablet, "enroll", "--server", server.url, "--code", code).returncode == 0
    run(tablet, "sync", "--json")

    def status(device):
        exported = json.loads(run(device, "export", "--case", case_id, "--format", "json").stdout)
        [check] = exported["right_checks"]
        return check["right"], check["status"]

    for keep, kept in (("mine", "toegekend"), ("theirs", "besproken")):
        run(phone, *right, "--status", "besproken" if keep == "theirs" else "aangevraagd")
        run(tablet, *right, "--status", "toegekend" if keep == "mine" else "geweigerd")
        run(phone, "sync", "--json")
        assert json.loads(run(tablet, "sync", "--json").stdout)["conflicts"] == 1
        [conflict] = json.loads(run(tablet, "conflicts", "list", "--json").stdout)
        assert set(conflict) == {"id", "kind", "record_id", "field"}
        assert (conflict["kind"], conflict["field"]) == ("right_check", "status")
        assert run(tablet, "conflicts", "resolve", conflict["id"], "--keep", keep).returncode == 0
        assert json.loads(run(tablet, "conflicts", "list", "--json").stdout) == []
        assert status(tablet) == ("verhoogde_tegemoetkoming", kept)
        run(tablet, "sync", "--json"), run(phone, "sync", "--json")
        assert status(phone) == ("verhoogde_tegemoetkoming", kept)

    bad = run(tablet, "conflicts", "resolve", "x", "--keep", "both")
    assert bad.returncode == 2 and bad.stdout == ""
