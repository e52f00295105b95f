"""The key hierarchy (docs/storage-format.md): passphrase → Scrypt → HKDF → wraps the user key.

The user key never leaves the phone unwrapped; every other key is derived from it
by HKDF with its own label, or is a random case key wrapped under it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from app.vault.crypto import SALT_BYTES, Aead, ScryptParams, hkdf, random_bytes, scrypt

# Production parameters (ARCHITECTURE.md): about 0.5 s and 128 MiB on a 2-core machine.
PASSPHRASE_KDF = {"n": 2**17, "r": 8, "p": 1}
# The PIN is only ever combined with a device secret from the keystore, which carries
# the real entropy; scrypt here just slows guessing on an unlocked, stolen phone.
PIN_KDF = {"n": 2**15, "r": 8, "p": 1}

LABEL_KEK = b"dichtbij v1 passphrase key-encryption-key"
LABEL_AUTH = b"dichtbij v1 server login authenticator"
LABEL_PIN = b"dichtbij v1 pin key-encryption-key"
LABEL_STORAGE = b"dichtbij v1 local storage"
LABEL_USER_SEAL = b"dichtbij v1 user-sealed records"


def new_kdf_params(n: int, r: int, p: int) -> ScryptParams:
    params = ScryptParams(n=n, r=r, p=p, salt=random_bytes(SALT_BYTES))
    params.check()
    return params


def normalize(passphrase: str) -> bytes:
    """NFC so that the same passphrase typed on another keyboard derives the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


@dataclass(frozen=True)
class PassphraseKeys:
    kek: bytes
    authenticator: bytes


def derive_from_passphrase(passphrase: str, params: ScryptParams) -> PassphraseKeys:
    """Slow by design; callers on the event loop must run it in a thread."""
    stretched = scrypt(normalize(passphrase), params)
    return PassphraseKeys(kek=hkdf(stretched, LABEL_KEK), authenticator=hkdf(stretched, LABEL_AUTH))


def derive_from_pin(pin: str, device_secret: bytes, params: ScryptParams) -> bytes:
    stretched = scrypt(pin.encode("ascii"), params)
    return hkdf(stretched, LABEL_PIN, salt=device_secret)


class UserKeys:
    """Keys derived from the unwrapped user key, held only while the vault is unlocked."""

    __slots__ = ("user_key", "storage", "user_seal")

    def __init__(self, user_key: bytes) -> None:
        self.user_key = user_key
        self.storage = Aead(hkdf(user_key, LABEL_STORAGE))
        self.user_seal = Aead(hkdf(user_key, LABEL_USER_SEAL))


def new_user_key() -> bytes:
    return random_bytes(32)


def new_case_key() -> bytes:
    return random_bytes(32)
