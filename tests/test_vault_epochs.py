"""Case keys with epochs in the vault's key ring, and membership entries on the wire."""

import base64
import os
import uuid
from dataclasses import replace

import pytest

from app.core.errors import VaultCorrupt
from app.core.records import create
from app.sync import protocol
from app.team.identity import Identity
from app.team.membership import Entry, Log, make_entry
from app.vault import Vault
from app.vault.crypto import Aead
from app.vault.sealing import KeyRing, seal, unseal
from tests.conftest import FAST_KDF, PASSPHRASE

CASE = str(uuid.uuid4())


def _note(case_id, text, vault=None):
    device = vault.device_id if vault else str(uuid.uuid4())
    stamp = vault.tick() if vault else "000000000000001-00000-a"
    return create("note", case_id, {"text": text}, {}, device, stamp, str(uuid.uuid4()))


# ---- the key ring ------------------------------------------------------------------------------


def test_records_sealed_under_epoch_1_and_2_both_open_and_kv_is_the_newest():
    ring = KeyRing(Aead(bytes(32)))
    assert ring.epoch(CASE) == 0
    ring.add(CASE, 1, bytes([1]) * 32)
    old = seal(_note(CASE, "oud"), ring)
    assert (old["key"], old["kv"]) == ("case", 1)
    ring.add(CASE, 2, bytes([2]) * 32)
    assert ring.epoch(CASE) == 2
    new = seal(_note(CASE, "nieuw"), ring)
    assert new["kv"] == 2
    assert unseal(old, ring).data == {"text": "oud"}
    assert unseal(new, ring).data == {"text": "nieuw"}
    assert ring.keys(CASE) == {1: bytes([1]) * 32, 2: bytes([2]) * 32}
    # kv is bound: the same ciphertext claimed for the other epoch does not open
    with pytest.raises(VaultCorrupt):
        unseal({**new, "kv": 1}, ring)
    with pytest.raises(VaultCorrupt):
        unseal({**old, "kv": 2}, ring)
    # an epoch this phone does not hold (a removed colleague's phone) is VaultCorrupt
    with pytest.raises(VaultCorrupt):
        unseal({**new, "kv": 3}, ring)
    only_one = KeyRing(Aead(bytes(32)))
    only_one.add(CASE, 1, bytes([1]) * 32)
    with pytest.raises(VaultCorrupt):
        unseal(new, only_one)
    assert unseal(old, only_one).data == {"text": "oud"}
    with pytest.raises(ValueError):
        ring.add(CASE, 0, bytes(32))


def test_a_member_without_epoch_1_seals_under_the_newest():
    ring = KeyRing(Aead(bytes(32)))
    ring.add(CASE, 3, bytes([3]) * 32)
    ring.add(CASE, 2, bytes([2]) * 32)
    sealed = seal(_note(CASE, "x"), ring)
    assert sealed["kv"] == 3 and unseal(sealed, ring).data == {"text": "x"}


# ---- the vault ---------------------------------------------------------------------------------


@pytest.fixture
def vault(tmp_path):
    found = Vault.create(tmp_path / "v", PASSPHRASE, kdf=FAST_KDF)
    yield found
    found.close()


def test_vault_adds_and_reads_epoch_keys_until_it_locks(vault):
    vault.put(_note(CASE, "eerste", vault))
    [epoch_1] = vault.case_keys(CASE).values()
    assert list(vault.case_keys(CASE)) == [1]
    first = vault.sealed(vault.find("note")[0].id)
    assert first["kv"] == 1
    epoch_2 = os.urandom(32)
    vault.add_case_keys(CASE, {2: epoch_2})
    assert vault.case_keys(CASE) == {1: epoch_1, 2: epoch_2}
    second = vault.seal(_note(CASE, "tweede", vault))
    assert second["kv"] == 2
    assert vault.unseal(first).data == {"text": "eerste"}
    assert vault.unseal(second).data == {"text": "tweede"}
    # added epochs live in memory only: after a lock the team layer adds them again
    vault.lock()
    vault.unlock(PASSPHRASE)
    assert vault.case_keys(CASE) == {1: epoch_1}
    with pytest.raises(VaultCorrupt):
        vault.unseal(second)
    vault.add_case_keys(CASE, {2: epoch_2})
    assert vault.unseal(second).data == {"text": "tweede"}


def test_records_of_a_colleagues_gezin_from_the_server_mint_no_case_key(vault):
    """A colleague's gezin: its keys come from the membership log, never a key of our own."""
    theirs = str(uuid.uuid4())
    memo = create(
        "note", theirs, {"visibility": "memo"}, {}, vault.device_id, vault.tick(), str(uuid.uuid4())
    )
    vault.put_many([memo], from_server=True)
    assert vault.case_keys(theirs) == {}
    assert vault.find("case_key") == []
    key = os.urandom(32)
    vault.add_case_keys(theirs, {2: key})
    vault.put(_note(theirs, "mijn notitie bij hun gezin", vault))
    assert vault.find("case_key") == []
    assert vault.case_keys(theirs) == {2: key}


# ---- membership entries ------------------------------------------------------------------------


def _entry():
    an, bert = Identity.new(), Identity.new()
    directory = {"an": an.public("an"), "bert": bert.public("bert")}
    log = Log.gezin(CASE, "an")
    return make_entry(
        log, "add", "bert", an, "an", directory, os.urandom(32), {1: os.urandom(32)}, "2026-12-01"
    )


def _membership_record(entry, vault):
    return create(
        "membership",
        entry.case_id,
        entry.to_data(),
        {},
        vault.device_id,
        vault.tick(),
        entry.record_id(),
    )


def test_membership_entry_is_signed_not_sealed(vault):
    entry = _entry()
    record = _membership_record(entry, vault)
    vault.put(record)
    assert vault.find("case_key") == []  # an entry is not a gezin of our own
    sealed = vault.sealed(record.id)
    assert (sealed["key"], sealed["kv"]) == ("signed", 2)
    assert base64.b64decode(sealed["payload"]) == entry.payload()
    assert sealed["meta"] == entry.meta()
    protocol.check_record(sealed)  # what the server accepts
    opened = vault.unseal(sealed)
    assert Entry.from_data(opened.data) == entry
    assert (opened.id, opened.case_id, opened.kind) == (entry.record_id(), CASE, "membership")


@pytest.mark.parametrize(
    "change",
    [
        {"kv": 3},
        {"id": f"{CASE}.m3"},
        {"case_id": str(uuid.uuid4())},
        {"key": "case"},
        {"kind": "note"},
        {"payload": base64.b64encode(b'{"v": 1}').decode()},
        {"payload": "niet base64"},
    ],
)
def test_a_membership_record_that_does_not_match_its_entry_is_refused(vault, change):
    entry = _entry()
    sealed = vault.seal(_membership_record(entry, vault))
    with pytest.raises(VaultCorrupt):
        vault.unseal({**sealed, **change})


def test_membership_meta_from_the_server_must_match_the_entry(vault):
    entry = _entry()
    sealed = vault.seal(_membership_record(entry, vault))
    with pytest.raises(VaultCorrupt):
        vault.unseal({**sealed, "meta": {**sealed["meta"], "members": ["an"]}})
    # a tampered entry is still well-formed: the vault opens it, the team layer refuses it
    tampered = replace(entry, members=("an", "bert", "carla"))
    forged = {
        **sealed,
        "payload": base64.b64encode(tampered.payload()).decode(),
        "meta": tampered.meta(),
    }
    assert vault.unseal(forged).data["members"] == ["an", "bert", "carla"]
