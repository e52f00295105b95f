"""Payloads are compressed before they are encrypted, and records sealed before that still
open (app/vault/payload.py)."""

import hashlib
import json
import random

import pytest

from app.core.errors import VaultCorrupt
from app.vault import payload
from app.vault.crypto import b64decode, b64encode
from app.vault.sealing import associated_data
from bench.vault_bench import _text
from tests.conftest import REPO


def test_the_dictionary_is_frozen():
    # A changed dictionary would make every record compressed with it unreadable: a new
    # dictionary is a new file and a new first byte, never an edit of this one.
    data = (REPO / "assets" / "sync_dictionary_1.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == (
        "58debdae010c2dd62bedaab68a853373744bd6fb3ca205a81fb5d15b50086d53"
    )


def test_a_note_is_sealed_compressed_and_opens_unchanged(app):
    case_id = app.add_case("Gezin Klein")
    text = _text(random.Random(3))
    note_id = app.add_note(case_id, text, domains=["wonen"], setting="huisbezoek")
    record = app.vault.latest(note_id)
    sealed = app.vault.seal(record)
    plain = json.dumps(record.data, separators=(",", ":"), ensure_ascii=False).encode()
    # nonce 12 + tag 16 around a plaintext well under half the JSON
    assert len(b64decode(sealed["payload"])) - 28 < len(plain) * 0.6
    assert app.vault.unseal(sealed).data == record.data


def test_a_record_sealed_before_compression_still_opens(app):
    """The old payload: compact JSON in UTF-8, sealed under the same associated data."""
    case_id = app.add_case("Gezin Oud Formaat")
    note_id = app.add_note(case_id, "van vóór de compressie")
    record = app.vault.latest(note_id)
    sealed = app.vault.seal(record)
    old = json.dumps(record.data, separators=(",", ":"), ensure_ascii=False).encode()
    aead = app.vault._ring.aead(sealed["key"], sealed["case_id"])
    sealed["payload"] = b64encode(aead.seal(old, associated_data(sealed)))
    assert app.vault.unseal(sealed).data == record.data


def test_unknown_encodings_and_bombs_are_refused(app):
    case_id = app.add_case("Gezin Bom")
    sealed = app.vault.seal(app.vault.latest(app.add_note(case_id, "x")))
    aead = app.vault._ring.aead(sealed["key"], sealed["case_id"])
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = bytes([payload.DEFLATE_1]) + packer.compress(b"[" + b"0," * 9_000_000) + packer.flush()
    for plaintext in (b"\x07garbage", b"\x01not deflate", bomb):
        sealed["payload"] = b64encode(aead.seal(plaintext, associated_data(sealed)))
        with pytest.raises(VaultCorrupt):
            app.vault.unseal(sealed)
