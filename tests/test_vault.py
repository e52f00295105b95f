"""The vault's behaviour through the facade and directly: open, lock, PIN, one writer."""

import subprocess
import sys
import textwrap
import zlib

import pytest

from app.core.errors import (
    NotFound,
    PinBackoff,
    PinDisabled,
    VaultCorrupt,
    VaultExists,
    VaultLocked,
    VaultMissing,
    WeakPassphrase,
    WrongPassphrase,
)
from app.messages import describe
from app.services import open_vault
from app.vault import Vault, journal
from app.vault.keystore import FileKeystore, MemoryKeystore
from tests.conftest import FAST_KDF, PASSPHRASE, REPO, reopen


def test_contract_facade_round_trip(vault_dir):
    app = open_vault(vault_dir, PASSPHRASE, create=True, kdf=FAST_KDF)
    case_id = app.add_case(name="Gezin Peeters")
    note_id = app.add_note(
        case_id=case_id, text="Eerste contact", domains=["wonen"], setting="schoolpoort"
    )
    app.close()
    app = open_vault(vault_dir, PASSPHRASE, create=False)
    notes = app.notes(case_id=None)
    assert [(n.id, n.text) for n in notes] == [(note_id, "Eerste contact")]
    assert notes[0]["text"] == "Eerste contact"
    assert app.case(case_id).name == "Gezin Peeters"
    app.close()


def test_wrong_passphrase_raises_before_reading_any_record(vault_dir, app):
    app.add_case("Gezin X")
    app.close()
    # Damage the snapshot: if opening read it, the error would be VaultCorrupt.
    snap = vault_dir / "snapshot.bin"
    snap.write_bytes(snap.read_bytes()[:-1] + b"\x00")
    with pytest.raises(WrongPassphrase) as wrong:
        open_vault(vault_dir, "not the right passphrase at all")
    assert describe(wrong.value) == "Die wachtzin klopt niet."  # no PIN here: no "pincode"
    with pytest.raises(VaultCorrupt):
        open_vault(vault_dir, PASSPHRASE)


def test_weak_passphrase_is_refused_and_nothing_is_created(vault_dir):
    with pytest.raises(WeakPassphrase):
        open_vault(vault_dir, "kort", create=True, kdf=FAST_KDF)
    assert not (vault_dir / "vault.json").exists()


def test_missing_and_existing_vaults(vault_dir, app):
    with pytest.raises(VaultMissing):
        open_vault(vault_dir.parent / "elsewhere", PASSPHRASE)
    app.close()
    with pytest.raises(VaultExists):
        Vault.create(vault_dir, PASSPHRASE, kdf=FAST_KDF)


def test_lock_drops_keys_and_records_and_unlock_restores(app):
    case_id = app.add_case("Gezin Lock")
    app.add_note(case_id, "iets")
    app.lock()
    assert app.locked
    with pytest.raises(VaultLocked):
        app.notes()
    with pytest.raises(VaultLocked):
        app.add_note(case_id, "na het vergrendelen")
    vault = app.vault
    assert vault._keys is None and vault._ring is None
    assert vault._index.find("note") == [] and list(vault._index.everything()) == []
    with pytest.raises(WrongPassphrase):
        app.unlock("wrong passphrase here")
    assert app.locked
    app.unlock(PASSPHRASE)
    assert [n.text for n in app.notes()] == ["iets"]


def test_same_process_shares_one_open_vault(vault_dir, app):
    second = reopen(vault_dir)
    assert second.vault is app.vault
    with pytest.raises(WrongPassphrase):
        open_vault(vault_dir, "fout fout fout fout")
    app.close()
    second.add_case("still open through the second handle")
    second.close()
    assert app.vault._file_lock._fd == -1  # the last handle closed it


def test_another_process_gets_in_use(vault_dir, app):
    code = textwrap.dedent(
        f"""
        import sys
        from app.services import open_vault
        from app.core.errors import VaultInUse
        try:
            open_vault({str(vault_dir)!r}, {PASSPHRASE!r})
        except VaultInUse:
            sys.exit(7)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True)
    assert result.returncode == 7, result.stderr
    app.close()
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True)
    assert result.returncode == 0, result.stderr


def test_edit_delete_and_tombstones(app):
    case_id = app.add_case("Gezin Edit")
    note_id = app.add_note(case_id, "eerst")
    app.edit_note(note_id, text="daarna", domains=["werk"])
    assert app.note(note_id).text == "daarna"
    sealed = app.vault.sealed(note_id)
    # never synced: the edit replaces the pending revision instead of stacking one
    assert (sealed["rev"], sealed["base_rev"]) == (1, 0)
    app.delete_note(note_id)
    with pytest.raises(NotFound):
        app.note(note_id)
    tomb = app.vault.sealed(note_id)
    assert tomb["deleted"] and tomb["rev"] == 1 and tomb["meta"] == {}


def test_delete_case_erases_its_notes(app):
    keep = app.add_case("Blijft")
    gone = app.add_case("Weg")
    app.add_note(keep, "blijft")
    app.add_note(gone, "weg")
    app.delete_case(gone)
    assert [n.text for n in app.notes()] == ["blijft"]
    assert [c.name for c in app.cases()] == ["Blijft"]


def test_note_for_missing_case_writes_nothing(vault_dir, app):
    before = (vault_dir / "journal.bin").read_bytes()
    with pytest.raises(NotFound):
        app.add_note("no-such-case", "tekst")
    assert (vault_dir / "journal.bin").read_bytes() == before


def test_cases_are_recent_first_and_searchable(app):
    a = app.add_case("Gezin Aerts", members=[{"name": "Yasmina"}])
    b = app.add_case("Gezin Bosmans")
    app.add_note(a, "recent contact")
    assert [c.id for c in app.cases()][0] == a
    assert [c.id for c in app.cases("yasm")] == [a]
    assert [c.id for c in app.cases("BOS")] == [b]


def test_signaal_without_gezin(app):
    note_id = app.add_note(None, "Anonieme vraag aan de schoolpoort", setting="schoolpoort")
    assert app.note(note_id).case_id is None
    assert app.vault.sealed(note_id)["key"] == "user"


def test_compaction_keeps_everything_across_generations(vault_dir):
    app = open_vault(
        vault_dir, PASSPHRASE, create=True, kdf=FAST_KDF, journal_min=2048, journal_max=4096
    )
    case_id = app.add_case("Gezin Compact")
    ids = [app.add_note(case_id, f"notitie {i}") for i in range(60)]
    generation = app.vault._generation
    assert generation > 3
    app.close()
    app = reopen(vault_dir)
    assert {n.id for n in app.notes(case_id)} == set(ids)
    app.close()


def test_crash_between_snapshot_and_new_journal_recovers(vault_dir, app):
    case_id = app.add_case("Gezin Stale")
    ids = [app.add_note(case_id, f"n{i}") for i in range(3)]
    stale = (vault_dir / "journal.bin").read_bytes()
    app.vault.compact()
    app.close()
    # Simulate the crash: the new snapshot exists, the old journal is still there.
    (vault_dir / "journal.bin").write_bytes(stale)
    app = reopen(vault_dir)
    assert {n.id for n in app.notes()} == set(ids)
    app.add_note(case_id, "after recovery")
    app.close()
    app = reopen(vault_dir)
    assert len(app.notes()) == 4
    app.close()


def test_journal_from_another_generation_is_refused(vault_dir, app):
    app.add_case("Gezin Gen")
    old = (vault_dir / "journal.bin").read_bytes()
    app.vault.compact()
    app.add_case("Gezin Gen 2")
    app.vault.compact()
    app.close()
    (vault_dir / "journal.bin").write_bytes(old)  # two generations behind
    with pytest.raises(VaultCorrupt):
        reopen(vault_dir)


# ---- PIN --------------------------------------------------------------------------------


def _pin_vault(vault_dir, keystore):
    vault = Vault.create(vault_dir, PASSPHRASE, kdf=FAST_KDF)
    vault.set_pin("246810", keystore, kdf=FAST_KDF, allow_weak_keystore=True)
    vault.lock()
    return vault


@pytest.mark.parametrize("keystore_kind", ["memory", "file"])
def test_pin_unlocks_only_with_the_device_secret(vault_dir, tmp_path, keystore_kind):
    keystore = MemoryKeystore() if keystore_kind == "memory" else FileKeystore(tmp_path / "ks")
    vault = _pin_vault(vault_dir, keystore)
    vault.unlock_with_pin("246810", keystore)
    assert not vault.locked
    vault.lock()
    with pytest.raises(PinDisabled):
        vault.unlock_with_pin("246810", MemoryKeystore())  # secret gone: passphrase needed
    assert not vault.has_pin
    vault.close()


def test_wrong_pins_back_off_then_disable_the_pin(vault_dir):
    keystore = MemoryKeystore()
    vault = _pin_vault(vault_dir, keystore)
    now = 1_000_000.0
    with pytest.raises(WrongPassphrase) as wrong:
        vault.unlock_with_pin("000000", keystore, now=now)
    assert describe(wrong.value) == "Die pincode klopt niet."
    with pytest.raises(PinBackoff) as waiting:
        vault.unlock_with_pin("246810", keystore, now=now + 1)
    assert waiting.value.wait_seconds == pytest.approx(4.0)
    for attempt in range(3):
        now += 3600
        with pytest.raises(WrongPassphrase):
            vault.unlock_with_pin("111111", keystore, now=now)
    now += 3600
    with pytest.raises(PinDisabled):
        vault.unlock_with_pin("222222", keystore, now=now)
    assert not vault.has_pin and keystore.get("x") is None and keystore._secrets == {}
    with pytest.raises(PinDisabled):
        vault.unlock_with_pin("246810", keystore, now=now + 3600)
    vault.unlock(PASSPHRASE)
    assert not vault.locked
    vault.close()


def test_back_off_survives_a_restart(vault_dir):
    keystore = MemoryKeystore()
    vault = _pin_vault(vault_dir, keystore)
    now = 2_000_000.0
    with pytest.raises(WrongPassphrase):
        vault.unlock_with_pin("000000", keystore, now=now)
    vault.close()
    vault = Vault.open_locked(vault_dir)
    with pytest.raises(PinBackoff):
        vault.unlock_with_pin("246810", keystore, now=now + 1)
    vault.unlock_with_pin("246810", keystore, now=now + 10)
    vault.close()


def test_torn_tail_is_cut_before_new_frames(vault_dir, app):
    case_id = app.add_case("Gezin Torn")
    app.add_note(case_id, "heel")
    app.close()
    path = vault_dir / "journal.bin"
    prefix = (300).to_bytes(4, "big")
    prefix += zlib.crc32(prefix).to_bytes(4, "big")
    path.write_bytes(path.read_bytes() + prefix + b"unfinished")  # a frame cut short
    app = reopen(vault_dir)
    assert app.vault.open_report["discarded_tail_bytes"] == 18
    app.add_note(case_id, "na herstel")
    app.close()
    app = reopen(vault_dir)
    assert sorted(n.text for n in app.notes()) == ["heel", "na herstel"]
    assert app.vault.open_report == {}
    app.close()
    assert journal.MAGIC in path.read_bytes()[:8]


def test_drafts_survive_a_restart_and_are_encrypted(vault_dir, app):
    app.save_draft("note", {"text": "half geschreven ZQXJ", "domains": ["wonen"]})
    app.close()
    app = reopen(vault_dir)
    assert app.draft("note") == {"text": "half geschreven ZQXJ", "domains": ["wonen"]}
    app.clear_draft("note")
    assert app.draft("note") is None
    app.close()
    assert all(b"ZQXJ" not in p.read_bytes() for p in vault_dir.iterdir() if p.is_file())


def test_the_outbox_follows_every_change_also_when_read_again(vault_dir):
    """The outbox is kept between reads while nothing changes (an idle sync reads it twice);
    a new note, an acknowledgement, a lock and a reopen each show at once."""
    from app.sync.engine import pending

    app = open_vault(vault_dir, PASSPHRASE, create=True, kdf=FAST_KDF)
    vault = app.vault
    case_id = app.add_case(name="Gezin Uitgaand")
    first = {r.id for r in pending(vault)}
    assert first == {r.id for r in pending(vault)}
    note_id = app.add_note(case_id=case_id, text="Nog niet verstuurd")
    assert {r.id for r in pending(vault)} == first | {note_id}
    acked = {r.id: [r.rev, r.hlc] for r in pending(vault) if r.id != note_id}
    vault.update_local({"merge": {"acked": acked}})
    assert [r.id for r in pending(vault)] == [note_id]
    app.edit_note(note_id, text="Aangepast, nog niet verstuurd")
    assert [r.data["text"] for r in pending(vault)] == ["Aangepast, nog niet verstuurd"]
    app.lock()
    assert vault._outbox is None  # no decrypted record kept behind the lock
    app.unlock(PASSPHRASE)
    assert [r.id for r in pending(vault)] == [note_id]
    app.close()
    app = open_vault(vault_dir, PASSPHRASE, create=False)
    assert [r.id for r in app.vault.unsynced()] == [note_id]
    app.close()
