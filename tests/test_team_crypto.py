"""The phone's sharing primitives: veiligheidsnummers, identities and wrapped keys."""

import re

import pytest

from app.core.errors import GrantRefused, InvalidInput, VaultCorrupt
from app.messages import describe
from app.team import safety
from app.team.grants import unwrap, wrap
from app.team.identity import Identity, PublicKeys

# ---- veiligheidsnummer ---------------------------------------------------------------------

# libsignal's own test vector (rust/protocol/src/fingerprint.rs, fingerprint_test_v1): the
# displayable fingerprint of Alice and Bob is the sorted pair of their 30-digit halves.
ALICE_KEY = bytes.fromhex("0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868")
BOB_KEY = bytes.fromhex("05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b")
SIGNAL_DISPLAY = "300354477692869396892869876765458257569162576843440918079131"


def test_the_iterated_hash_is_signals():
    halves = [
        "".join(safety.encoded_chunks(safety.iterated_hash(ident, key), 6))
        for ident, key in ((b"+14152222222", ALICE_KEY), (b"+14153333333", BOB_KEY))
    ]
    assert "".join(sorted(halves)) == SIGNAL_DISPLAY


# Computed once with this module and frozen: a change of the algorithm breaks every
# verification a worker already did, so it must show up here.
FROZEN = [
    (
        "an.peeters",
        bytes(range(32)),
        bytes(range(32, 64)),
        "01058 51265 90320 91396 67017 52663 28602 65726 11712 01991 72583 63513",
    ),
    (
        "bert",
        bytes(32),
        bytes(32),
        "76286 91321 14225 75812 96076 36600 98070 55712 60982 42352 74574 90401",
    ),
    (
        "an.peeters",
        bytes(range(32, 64)),
        bytes(range(32)),
        "27329 89988 84316 27005 88290 11262 02190 60509 01025 92368 38979 19937",
    ),
]


@pytest.mark.parametrize(("login", "ed", "x", "number"), FROZEN)
def test_safety_number_frozen_vectors(login, ed, x, number):
    assert safety.safety_number(login, ed, x) == number


def test_safety_number_is_12_groups_of_5_digits():
    keys = Identity.new().public("an")
    assert re.fullmatch(r"[0-9]{5}( [0-9]{5}){11}", keys.number())


def test_any_change_of_login_or_key_changes_the_number():
    one, other = Identity.new(), Identity.new()
    base = one.public("an").number()
    assert PublicKeys("an", other.x25519_public, one.ed25519_public).number() != base
    assert PublicKeys("an", one.x25519_public, other.ed25519_public).number() != base
    assert one.public("an2").number() != base
    # swapping the two keys is another key material too
    assert PublicKeys("an", one.ed25519_public, one.x25519_public).number() != base


def test_both_parties_compute_the_same_number():
    """A's own number (from her private keys) equals what B computes from the keys the
    server handed him; a key the server substituted gives another number (MITM caught)."""
    a = Identity.new()
    mine = a.public("an").number()
    received = PublicKeys.from_wire(a.public("an").to_wire())
    assert received.number() == mine
    forged = Identity.new()
    substituted = PublicKeys.from_wire({"login": "an", **_keys(forged)})
    assert not safety.same_number(substituted.number(), mine)


def test_digits_and_comparison_of_what_a_person_typed():
    number = Identity.new().public("an").number()
    typed = number.replace(" ", "-")
    assert safety.digits_of(typed) == number.replace(" ", "")
    assert safety.same_number(typed, number)
    assert safety.same_number(" " + number.replace(" ", "") + ".", number)
    off_by_one = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not safety.same_number(off_by_one, number)
    assert not safety.same_number(number[:-6], number[:-6])  # both too short
    assert not safety.same_number("", "")


def test_qr_code_is_an_svg_of_the_digits():
    import segno

    number = Identity.new().public("an").number()
    svg = safety.qr_svg(number)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    # the same content in numeric mode gives the same symbol: the code holds only the digits
    expected = segno.make_qr(safety.digits_of(number), error="m")
    assert expected.mode == "numeric"
    assert svg == expected.svg_inline(scale=4, border=4, dark="#000", light="#fff")


# ---- identity ---------------------------------------------------------------------------------


def _keys(identity: Identity) -> dict[str, str]:
    wire = identity.public("x").to_wire()
    return {"x25519": wire["x25519"], "ed25519": wire["ed25519"]}


def test_identity_round_trips_and_signs():
    me = Identity.new()
    again = Identity.from_data(me.to_data())
    assert again == me
    assert again.x25519_public == me.x25519_public
    assert len(me.x25519) == len(me.ed25519) == 32
    signature = me.sign(b"bericht")
    keys = me.public("an")
    assert keys.verify(signature, b"bericht")
    assert not keys.verify(signature, b"Bericht")
    assert not keys.verify(signature[:-1] + bytes([signature[-1] ^ 1]), b"bericht")
    assert not Identity.new().public("an").verify(signature, b"bericht")
    assert not keys.verify(b"", b"bericht")


def test_identity_never_shows_its_keys():
    me = Identity.new()
    assert me.to_data()["x25519"] not in repr(me) and "x25519=" not in repr(me)


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"v": 1},
        {"v": 2, "x25519": "", "ed25519": ""},
        {"v": 1, "x25519": "AAAA", "ed25519": "AAAA"},
    ],
)
def test_malformed_identity_record_is_refused(bad):
    with pytest.raises(VaultCorrupt):
        Identity.from_data(bad)


@pytest.mark.parametrize(
    "change",
    [
        {"login": "een spatie"},
        {"login": ""},
        {"login": 7},
        {"x25519": "niet base64!"},
        {"x25519": "AAAA"},
        {"ed25519": "AAAA"},
        {"x25519": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},  # a low-order point
        {"x25519": None},
    ],
)
def test_bad_keys_from_the_server_are_refused(change):
    wire = {"login": "an", **_keys(Identity.new()), "extra": "ok"}
    PublicKeys.from_wire(wire)  # extra fields are fine
    with pytest.raises(InvalidInput) as refused:
        PublicKeys.from_wire({**wire, **change})
    assert (refused.value.field, refused.value.problem) == ("server", "bad_answer")
    assert "server" in describe(refused.value)
    with pytest.raises(InvalidInput):
        PublicKeys.from_wire({k: v for k, v in wire.items() if k != "ed25519"})
    with pytest.raises(InvalidInput):
        PublicKeys.from_wire(["an"])


# ---- grants -----------------------------------------------------------------------------------


def test_grant_round_trip():
    bob = Identity.new()
    key = bytes(range(32))
    blob = wrap(key, bob.x25519_public, b"gezin-1|2|bob")
    assert len(blob) == 32 + 12 + 32 + 16
    assert unwrap(blob, bob, b"gezin-1|2|bob") == key
    # a fresh ephemeral key and nonce every time
    assert wrap(key, bob.x25519_public, b"c") != wrap(key, bob.x25519_public, b"c")


def test_grant_refused_for_wrong_recipient_context_or_tampering():
    bob, carla = Identity.new(), Identity.new()
    blob = wrap(b"k" * 32, bob.x25519_public, b"ctx")
    with pytest.raises(GrantRefused):
        unwrap(blob, carla, b"ctx")
    with pytest.raises(GrantRefused):
        unwrap(blob, bob, b"ctx2")
    for i in (0, 31, 32, 43, 44, len(blob) - 1):
        flipped = bytearray(blob)
        flipped[i] ^= 1
        with pytest.raises(GrantRefused):
            unwrap(bytes(flipped), bob, b"ctx")
    with pytest.raises(GrantRefused):
        unwrap(blob[:59], bob, b"ctx")
    with pytest.raises(GrantRefused):
        unwrap(bytes(32) + blob[32:], bob, b"ctx")  # an all-zero (low-order) ephemeral key


def test_grant_refused_has_a_dutch_sentence():
    with pytest.raises(GrantRefused) as refused:
        unwrap(b"x" * 80, Identity.new(), b"ctx")
    assert "sleutel" in describe(refused.value)
