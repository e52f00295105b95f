"""Wrapping a key for one colleague: the shape of HPKE base mode (RFC 9180) from the
primitives the phone already has, no new ones.

A fresh ephemeral X25519 key pair meets the recipient's public key; the shared secret
goes through HKDF-SHA256 (salt: ephemeral ‖ recipient public key, info: LABEL ‖ context)
to an AES-256-GCM key; a random 96-bit nonce; the context is also the associated data.
Blob: ephemeral public key (32) ‖ nonce (12) ‖ ciphertext with its tag. The context
names what the key is for (the gezin, the epoch, the recipient's login), so a grant
copied to another gezin, epoch or person does not open.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.core.errors import GrantRefused
from app.team.identity import Identity

LABEL = b"dichtbij grant v1\x00"
PUBLIC_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16


def _key(shared: bytes, ephemeral: bytes, recipient: bytes, context: bytes) -> bytes:
    # HKDF-SHA256 directly (as app/vault/crypto.py does): the vault imports this package.
    kdf = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=LABEL + context
    )
    return kdf.derive(shared)


def wrap(plaintext: bytes, recipient_x25519: bytes, context: bytes) -> bytes:
    """`plaintext` readable only with the private key of `recipient_x25519`, for `context`."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_x25519))
    key = _key(shared, ephemeral_public, recipient_x25519, context)
    nonce = os.urandom(NONCE_BYTES)
    return ephemeral_public + nonce + AESGCM(key).encrypt(nonce, plaintext, context)


def unwrap(blob: bytes, identity: Identity, context: bytes) -> bytes:
    """The wrapped plaintext; GrantRefused when it is not for this identity and context,
    or was altered."""
    if len(blob) < PUBLIC_BYTES + NONCE_BYTES + TAG_BYTES:
        raise GrantRefused("grant too short")
    ephemeral = blob[:PUBLIC_BYTES]
    nonce = blob[PUBLIC_BYTES : PUBLIC_BYTES + NONCE_BYTES]
    try:
        shared = identity.exchange(ephemeral)
        key = _key(shared, ephemeral, identity.x25519_public, context)
        return AESGCM(key).decrypt(nonce, blob[PUBLIC_BYTES + NONCE_BYTES :], context)
    except (InvalidTag, ValueError):
        raise GrantRefused("grant does not open") from None
