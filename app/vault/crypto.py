"""The only primitives the phone uses: AES-256-GCM, HKDF-SHA256, Scrypt, os.urandom.

Flet's mobile wheels of `cryptography` (43.x, OpenSSL 3.0) lack Argon2id and
AES-GCM-SIV, so nothing else may appear here. Nonces are 96-bit random; with at
most a few million seals per key the collision risk stays far below 2^-32.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
SALT_BYTES = 16


class AuthenticationFailed(Exception):
    """Ciphertext, nonce or associated data were altered, or the key is wrong."""


def random_bytes(n: int) -> bytes:
    return os.urandom(n)


def hkdf(key: bytes, info: bytes, salt: bytes | None = None, length: int = KEY_BYTES) -> bytes:
    """Derive an independent sub-key per purpose, labelled by `info`."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(key)


@dataclass(frozen=True)
class ScryptParams:
    n: int
    r: int
    p: int
    salt: bytes

    # Accepted range when reading a header: below is too weak to ship, above would
    # let a tampered header make unlocking take minutes or exhaust a phone's memory.
    MIN_LOG2_N = 10
    MAX_LOG2_N = 20
    MAX_MEMORY = 256 * 1024 * 1024  # scrypt needs 128 · r · N bytes

    def to_json(self) -> dict:
        data = asdict(self)
        data["salt"] = b64encode(self.salt)
        return {"alg": "scrypt", **data}

    @classmethod
    def from_json(cls, raw: dict) -> ScryptParams:
        if raw.get("alg") != "scrypt":
            raise ValueError("unsupported kdf")
        params = cls(int(raw["n"]), int(raw["r"]), int(raw["p"]), b64decode(raw["salt"]))
        params.check()
        return params

    def check(self) -> None:
        log2 = self.n.bit_length() - 1
        if self.n != 1 << log2 or not self.MIN_LOG2_N <= log2 <= self.MAX_LOG2_N:
            raise ValueError("scrypt n out of range")
        if not (1 <= self.r <= 16 and 1 <= self.p <= 4 and len(self.salt) == SALT_BYTES):
            raise ValueError("scrypt r, p or salt out of range")
        if 128 * self.r * self.n > self.MAX_MEMORY:
            raise ValueError("scrypt memory cost out of range")


def scrypt(secret: bytes, params: ScryptParams, length: int = KEY_BYTES) -> bytes:
    kdf = Scrypt(salt=params.salt, length=length, n=params.n, r=params.r, p=params.p)
    return kdf.derive(secret)


class Aead:
    """AES-256-GCM under one key: `seal` returns nonce ‖ ciphertext ‖ tag."""

    __slots__ = ("_aesgcm", "_key")

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("AES-256-GCM needs a 32-byte key")
        self._key = key
        self._aesgcm = AESGCM(key)

    @property
    def key(self) -> bytes:
        """The raw key (a gezin's epoch keys are handed to a colleague, wrapped)."""
        return self._key

    def seal(self, plaintext: bytes, associated_data: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aesgcm.encrypt(nonce, plaintext, associated_data)

    def seal_stream(self, chunks: Iterable[bytes], associated_data: bytes) -> Iterator[bytes]:
        """The same nonce ‖ ciphertext ‖ tag as `seal`, produced piece by piece.

        For snapshots of tens of MB: plaintext and ciphertext never sit in memory whole.
        """
        nonce = os.urandom(NONCE_BYTES)
        encryptor = Cipher(algorithms.AES(self._key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(associated_data)
        yield nonce
        for chunk in chunks:
            yield encryptor.update(chunk)
        yield encryptor.finalize()
        yield encryptor.tag

    def open(self, blob: bytes | memoryview, associated_data: bytes) -> bytes:
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise AuthenticationFailed("too short")
        try:
            return self._aesgcm.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], associated_data)
        except InvalidTag:
            raise AuthenticationFailed("authentication failed") from None


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
