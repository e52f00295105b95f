"""The veiligheidsnummer: 60 digits a person compares to know a colleague's keys are real.

After Signal's safety numbers (libsignal `rust/protocol/src/fingerprint.rs`,
`NumericFingerprintGenerator` in the Java library): version 0 as two bytes, then
5200 rounds of SHA-512, each over the previous hash ‖ the key material (the first
round over version ‖ key material ‖ identifier ‖ key material). Signal shows 30 digits
per party; Dichtbij shows one account's number, so it takes 60 bytes of the final
hash: 12 chunks of 5 bytes, each a big-endian number modulo 100000, 5 digits.
The key material is ed25519 ‖ x25519 (both public keys), the identifier the login.
"""

from __future__ import annotations

import hashlib
import hmac

VERSION = b"\x00\x00"
ITERATIONS = 5200
GROUPS = 12
DIGITS = 5 * GROUPS


def iterated_hash(identifier: bytes, key: bytes, iterations: int = ITERATIONS) -> bytes:
    """Signal's fingerprint hash of one party (64 bytes)."""
    digest = hashlib.sha512(VERSION + key + identifier + key).digest()
    for _ in range(1, iterations):
        digest = hashlib.sha512(digest + key).digest()
    return digest


def encoded_chunks(digest: bytes, count: int) -> list[str]:
    """`count` groups of 5 digits: 5 bytes each, big-endian, modulo 100000."""
    return [
        f"{int.from_bytes(digest[i * 5 : i * 5 + 5], 'big') % 100_000:05d}" for i in range(count)
    ]


def safety_number(login: str, ed25519: bytes, x25519: bytes) -> str:
    """The account's veiligheidsnummer: 12 groups of 5 digits joined by single spaces."""
    digest = iterated_hash(login.encode("utf-8"), ed25519 + x25519)
    return " ".join(encoded_chunks(digest, GROUPS))


def digits_of(text: str) -> str:
    """Only the digits 0-9 of what a person typed (spaces, dashes and dots dropped)."""
    return "".join(c for c in text if "0" <= c <= "9")


def same_number(a: str, b: str) -> bool:
    """Whether two numbers are the same 60 digits, however they were spaced; compared in
    constant time."""
    left, right = digits_of(a), digits_of(b)
    if len(left) != DIGITS or len(right) != DIGITS:
        return False
    return hmac.compare_digest(left.encode("ascii"), right.encode("ascii"))


def qr_svg(number: str) -> str:
    """An SVG of a QR code holding the 60 digits (numeric mode), for a scanner."""
    import segno  # only the screen that shows the code needs it, not the vault

    code = segno.make_qr(digits_of(number), error="m")
    return str(code.svg_inline(scale=4, border=4, dark="#000", light="#fff"))
