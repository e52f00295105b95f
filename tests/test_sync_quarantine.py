"""A record the phone cannot open is set aside, and the sync goes on: against a real server
process, with the poisoned records pushed through a second, genuine credential."""

import base64
import itertools
import os

from app.core import records
from app.services import enroll
from app.sync.transport import ServerClient
from tests.conftest import FAST_KDF, PASSPHRASE

_logins = itertools.count()


def _device(server, tmp_path, login, name, first=False):
    code = server.user(login) if first else server.code(login)
    return enroll(tmp_path / name, PASSPHRASE, server.url, code, device_name=name, kdf=FAST_KDF)


def _poisoned(device_id: str, case_id: str, stamp: str) -> dict:
    """A protocol-valid note whose payload is no ciphertext of any key the phone holds."""
    return {
        "fmt": 1,
        "id": records.new_id(),
        "kind": "note",
        "case_id": case_id,
        "rev": 1,
        "base_rev": 0,
        "device_id": device_id,
        "hlc": stamp,
        "deleted": False,
        "meta": {"day": "2026-11-20", "contact": "informeel", "domains": ["wonen"]},
        "key": "case",
        "kv": 1,
        "payload": base64.b64encode(os.urandom(120)).decode(),
    }


def test_a_record_that_cannot_be_opened_is_set_aside_and_the_sync_goes_on(server, tmp_path):
    login = f"quarantine{next(_logins)}"
    phone = _device(server, tmp_path, login, "phone", first=True)
    case_id = phone.add_case("Gezin Quarantaine")
    phone.add_note(case_id, "voor de vergiftiging")
    phone.sync()

    # A second credential of the same account (a leaked one, or a buggy build) pushes a note
    # with a payload no key opens, and one sealed for a gezin this phone has no key for.
    leak = _device(server, tmp_path, login, "leak")
    leak.sync()
    state = leak.vault.local("server")
    client = ServerClient(server.url, credential=state["credential"], retries=0)
    bad = [
        _poisoned(leak.device_id, case_id, leak.vault.tick()),
        _poisoned(leak.device_id, records.new_id(), leak.vault.tick()),
    ]
    assert {r["status"] for r in client.push(bad)} == {"accepted"}
    client.close()
    leak.add_note(case_id, "na de vergiftiging, van het tweede toestel")
    leak.sync()
    leak.close()

    written_offline = phone.add_note(case_id, "nieuw op de gsm")
    report = phone.sync()  # before: UntrustedAnswer at every sync, and nothing pushed
    assert report.quarantined == 2
    assert phone.sync_status()["pending"] == 0
    texts = {n.text for n in phone.notes()}
    assert "na de vergiftiging, van het tweede toestel" in texts
    status = phone.sync_status()
    assert status["quarantined"] == 2
    assert {q["id"] for q in phone.quarantined()} == {r["id"] for r in bad}
    assert all(q["reason"] and q["kind"] == "note" for q in phone.quarantined())
    assert phone.sync().quarantined == 0  # set aside once, not again at every sync
    assert phone.sync_status()["quarantined"] == 2

    # A new phone of the worker receives everything that can be opened.
    fresh = _device(server, tmp_path, login, "fresh")
    assert fresh.sync().quarantined == 2
    assert written_offline in {n.id for n in fresh.notes()}
    assert {n.text for n in fresh.notes()} == texts
    phone.close(), fresh.close()


def test_an_unsent_edit_goes_on_top_of_a_revision_that_cannot_be_opened(server, tmp_path):
    login = f"quarantine{next(_logins)}"
    phone = _device(server, tmp_path, login, "phone", first=True)
    case_id = phone.add_case("Gezin Overschreven")
    note_id = phone.add_note(case_id, "versie 1")
    phone.sync()
    leak = _device(server, tmp_path, login, "leak")
    state = leak.vault.local("server")
    poisoned = _poisoned(leak.device_id, case_id, leak.vault.tick()) | {
        "id": note_id,
        "rev": 2,
        "base_rev": 1,
    }
    client = ServerClient(server.url, credential=state["credential"], retries=0)
    assert client.push([poisoned])[0]["status"] == "accepted"
    client.close()
    leak.close()

    phone.edit_note(note_id, text="versie 2, op de gsm")
    report = phone.sync()
    assert (report.quarantined, report.pending) == (1, 0)
    assert phone.sync_status()["quarantined"] == 0  # superseded by our own revision 3
    fresh = _device(server, tmp_path, login, "fresh")
    report = fresh.sync()
    assert report.quarantined == 0
    assert fresh.note(note_id).text == "versie 2, op de gsm"
    phone.close(), fresh.close()
