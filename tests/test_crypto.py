"""Known-answer tests through our own crypto module, nonce uniqueness, and record binding."""

import pytest

from app.core.errors import VaultCorrupt
from app.core.records import create
from app.vault.crypto import Aead, AuthenticationFailed, ScryptParams, hkdf, scrypt
from app.vault.sealing import KeyRing, seal, unseal

# RFC 7914, section 12.
SCRYPT_VECTORS = [
    (
        b"",
        b"",
        16,
        1,
        1,
        "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
        "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906",
    ),
    (
        b"password",
        b"NaCl",
        1024,
        8,
        16,
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
        "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
    ),
    (
        b"pleaseletmein",
        b"SodiumChloride",
        16384,
        8,
        1,
        "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
        "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887",
    ),
]


@pytest.mark.parametrize("password,salt,n,r,p,expected", SCRYPT_VECTORS)
def test_scrypt_rfc7914(password, salt, n, r, p, expected):
    assert scrypt(password, ScryptParams(n, r, p, salt), length=64).hex() == expected


def test_hkdf_rfc5869_case_1():
    okm = hkdf(
        bytes([0x0B] * 22),
        info=bytes(range(0xF0, 0xFA)),
        salt=bytes(range(0x0D)),
        length=42,
    )
    assert okm.hex() == (
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
    )


def test_aes_256_gcm_nist_vector_through_our_envelope_layout():
    # McGrew & Viega GCM spec, test case 14: zero key, zero IV, one zero block.
    blob = bytes(12) + bytes.fromhex(
        "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"
    )
    assert Aead(bytes(32)).open(blob, b"") == bytes(16)


def test_every_byte_of_a_sealed_blob_is_authenticated():
    aead = Aead(bytes(range(32)))
    blob = aead.seal(b"vertrouwelijk", b"ad")
    for i in range(len(blob)):
        flipped = bytearray(blob)
        flipped[i] ^= 0x01
        with pytest.raises(AuthenticationFailed):
            aead.open(bytes(flipped), b"ad")
    with pytest.raises(AuthenticationFailed):
        aead.open(blob, b"other ad")


def test_nonces_are_unique():
    aead = Aead(bytes(32))
    nonces = {aead.seal(b"x", b"")[:12] for _ in range(20_000)}
    assert len(nonces) == 20_000


def test_scrypt_params_out_of_range_are_refused_when_read():
    good = ScryptParams(2**15, 8, 1, bytes(16)).to_json()
    assert ScryptParams.from_json(good).n == 2**15
    for bad in (
        {**good, "n": 2**30},
        {**good, "n": 1000},
        {**good, "p": 64},
        {**good, "alg": "md5"},
    ):
        with pytest.raises(ValueError):
            ScryptParams.from_json(bad)


def _ring_and_notes():
    ring = KeyRing(Aead(bytes(32)))
    ring.add("case-a", 1, bytes([1]) * 32)
    ring.add("case-b", 1, bytes([2]) * 32)
    one = create("note", "case-a", {"text": "een"}, {}, "dev", "h1", "note-1")
    two = create("note", "case-a", {"text": "twee"}, {}, "dev", "h2", "note-2")
    return ring, seal(one, ring), seal(two, ring)


def test_swapping_ciphertexts_between_records_is_refused():
    ring, one, two = _ring_and_notes()
    assert unseal(one, ring).data == {"text": "een"}
    with pytest.raises(VaultCorrupt):
        unseal({**one, "payload": two["payload"]}, ring)


@pytest.mark.parametrize(
    "change",
    [{"rev": 2}, {"case_id": "case-b"}, {"kind": "case"}, {"id": "note-9"}, {"kv": 2}],
)
def test_ciphertext_replayed_under_other_fields_is_refused(change):
    ring, one, _ = _ring_and_notes()
    with pytest.raises(VaultCorrupt):
        unseal({**one, **change}, ring)


def test_memos_and_signalen_use_the_user_key_not_the_case_key():
    ring, _, _ = _ring_and_notes()
    memo = seal(create("note", "case-a", {"visibility": "memo"}, {}, "d", "h", "m"), ring)
    signaal = seal(create("note", None, {"text": "x"}, {}, "d", "h", "s"), ring)
    dossier = seal(create("note", "case-a", {"visibility": "dossier"}, {}, "d", "h", "x"), ring)
    assert (memo["key"], signaal["key"], dossier["key"]) == ("user", "user", "case")
    ring.case_keys.clear()  # a colleague holding only the case key could not read a memo
    assert unseal(memo, ring).data == {"visibility": "memo"}
