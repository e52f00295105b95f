"""Secrets the server hands out or checks: device credentials, enrolment codes, authenticators.

High-entropy secrets (credentials ≥ 256 bits, codes 80 bits) are stored as SHA-256;
the login authenticator is re-hashed with Argon2id (server-side wheels have it).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # Argon2id, library defaults (RFC 9106 low-memory profile)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 16  # 16 × 5 bits = 80 bits
CODE_LIFETIME = dt.timedelta(days=7)


def new_credential() -> str:
    return "dbj_" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def hash_authenticator(authenticator: bytes) -> str:
    return _hasher.hash(authenticator)


def check_authenticator(stored: str, authenticator: bytes) -> bool:
    try:
        return _hasher.verify(stored, authenticator)
    except (VerificationError, InvalidHashError):
        return False
