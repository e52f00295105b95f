"""No plaintext at rest or in logs: a marker written everywhere is never found on disk."""

import logging
import tempfile

import pytest

from app.services import open_vault
from tests.conftest import FAST_KDF, MARKER, PASSPHRASE


def _grep(root, needles):
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [(path.name, n) for n in needles if n in data]
    return hits


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Point every temp file of the flow at a folder we can inspect afterwards."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


def test_marker_never_on_disk_or_in_logs(vault_dir, private_tmp, caplog):
    caplog.set_level(logging.DEBUG)
    app = open_vault(vault_dir, PASSPHRASE, create=True, kdf=FAST_KDF, journal_min=1024)
    case_id = app.add_case(
        f"Gezin {MARKER}",
        members=[{"name": f"Kind {MARKER}", "relation": MARKER}],
        reach=[{"channel": "whatsapp", "value": MARKER}],
        strengths=[MARKER],
        needs={"wonen": MARKER},
    )
    for i in range(30):  # enough to force snapshots too
        app.add_note(
            case_id,
            f"{MARKER} notitie {i}",
            domains=["wonen"],
            follow_up={"what": MARKER, "who": MARKER, "due": "2026-12-01"},
        )
    app.add_note(case_id, MARKER, visibility="memo")
    app.add_note(None, f"signaal {MARKER}")
    app.add_note(case_id, contact="check_in", check_in={"how": MARKER, "draagkracht": 3})
    app.set_status(case_id, "lager_pitje", revisit="2027-01-10")
    assert any(MARKER in n.text for n in app.notes())  # it is really there, decrypted
    user_key = app.vault._keys.user_key
    app.lock()
    app.unlock(PASSPHRASE)
    app.close()
    app = open_vault(vault_dir, PASSPHRASE)
    app.export_case(case_id)
    app.close()

    needles = [MARKER.encode(), MARKER.encode("utf-16-le"), PASSPHRASE.encode(), user_key]
    assert _grep(vault_dir, needles) == []
    assert _grep(private_tmp, needles) == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (MARKER, PASSPHRASE, user_key.hex()):
        assert secret not in logged


def test_metadata_that_would_leave_the_phone_holds_no_content(app):
    case_id = app.add_case(f"Gezin {MARKER}", members=[{"name": MARKER}])
    note_id = app.add_note(
        case_id,
        MARKER,
        domains=["schulden"],
        setting="straat",
        barriers=["digitaal"],
        follow_up={"what": MARKER, "who": MARKER},
    )
    for record_id in (case_id, note_id):
        sealed = app.vault.sealed(record_id)
        plaintext_part = {k: v for k, v in sealed.items() if k != "payload"}
        assert MARKER not in repr(plaintext_part)
