"""Tampering: every flipped byte of the journal, snapshot or header is detected.

Opening refuses (VaultCorrupt) and never returns content that was not written;
only an explicit repair drops a damaged final frame.
"""

import pytest

from app.core.errors import VaultCorrupt
from app.services import open_vault
from app.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE


@pytest.fixture
def tampered_vault(vault_dir):
    """A vault whose state is split over a snapshot and a journal of three frames."""
    app = open_vault(vault_dir, PASSPHRASE, create=True, kdf=FAST_KDF)
    case_id = app.add_case("Gezin Tamper")
    app.add_note(case_id, "in de snapshot")
    app.vault.compact()
    app.add_note(case_id, "in het journaal 1")
    app.add_note(case_id, "in het journaal 2")
    app.add_note(case_id, "in het journaal 3")
    app.close()
    return vault_dir


def _state(vault_dir, **options):
    vault = Vault.open(vault_dir, PASSPHRASE, **options)
    try:
        texts = sorted(r.data["text"] for r in vault.find("note"))
        return texts, vault.open_report
    finally:
        vault.close()


def _flips(path):
    original = path.read_bytes()
    for i in range(len(original)):
        flipped = bytearray(original)
        flipped[i] ^= 0x04
        path.write_bytes(bytes(flipped))
        yield i
    path.write_bytes(original)


def test_every_journal_byte(tampered_vault):
    assert len(_state(tampered_vault)[0]) == 4
    for i in _flips(tampered_vault / "journal.bin"):
        with pytest.raises(VaultCorrupt):
            _state(tampered_vault)
            pytest.fail(f"flipped journal byte {i} was not detected")


def test_every_snapshot_byte(tampered_vault):
    for i in _flips(tampered_vault / "snapshot.bin"):
        with pytest.raises(VaultCorrupt):
            _state(tampered_vault)


def test_every_header_byte(tampered_vault):
    for i in _flips(tampered_vault / "vault.json"):
        with pytest.raises(VaultCorrupt):
            _state(tampered_vault)


def test_damaged_complete_last_frame_is_refused_unless_repair_is_asked(tampered_vault):
    path = tampered_vault / "journal.bin"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF  # the tag of the last frame
    path.write_bytes(bytes(data))
    with pytest.raises(VaultCorrupt):
        _state(tampered_vault)
    texts, report = _state(tampered_vault, repair=True)
    assert "in het journaal 3" not in texts and len(texts) == 3
    assert report["discarded_tail_bytes"] > 0
    texts, report = _state(tampered_vault)  # the repaired journal is clean again
    assert len(texts) == 3 and report == {}


def test_journal_of_another_vault_is_refused(tampered_vault, tmp_path):
    other = tmp_path / "other"
    app = open_vault(other, PASSPHRASE, create=True, kdf=FAST_KDF)
    app.add_case("Ander gezin")
    app.close()
    (tampered_vault / "journal.bin").write_bytes((other / "journal.bin").read_bytes())
    with pytest.raises(VaultCorrupt):
        _state(tampered_vault)


def test_zeros_left_by_a_power_loss_need_an_explicit_repair(tampered_vault):
    path = tampered_vault / "journal.bin"
    path.write_bytes(path.read_bytes() + bytes(200))
    with pytest.raises(VaultCorrupt):
        _state(tampered_vault)
    texts, report = _state(tampered_vault, repair=True)
    assert len(texts) == 4 and report["discarded_tail_bytes"] == 200
