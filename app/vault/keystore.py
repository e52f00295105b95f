"""Where the random device secret behind the PIN lives.

On a phone that is the platform keystore (Android Keystore / iOS Keychain via
`flet-secure-storage`, wired in by the UI). `FileKeystore` is for desktop
development and CI only and is **weaker**: the secret sits in a file next to
the vault, so anyone who copies the data directory can brute-force a 6-digit
PIN offline. The PIN is therefore never offered with it outside development.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Protocol

from app.vault.atomic import write_atomic


class Keystore(Protocol):
    #: False for stores that do not protect the secret better than the disk does.
    hardware_backed: bool

    def get(self, ref: str) -> bytes | None: ...

    def put(self, ref: str, secret: bytes) -> None: ...

    def delete(self, ref: str) -> None: ...


class MemoryKeystore:
    """A keystore that forgets everything at exit: tests and the web demo."""

    hardware_backed = False

    def __init__(self) -> None:
        self._secrets: dict[str, bytes] = {}

    def get(self, ref: str) -> bytes | None:
        return self._secrets.get(ref)

    def put(self, ref: str, secret: bytes) -> None:
        self._secrets[ref] = secret

    def delete(self, ref: str) -> None:
        self._secrets.pop(ref, None)


class FileKeystore:
    """INSECURE stand-in for a platform keystore (desktop development, CI)."""

    hardware_backed = False

    def __init__(self, directory: Path) -> None:
        self._dir = directory
        self._dir.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _path(self, ref: str) -> Path:
        if not ref.isalnum():
            raise ValueError("keystore ref must be alphanumeric")
        return self._dir / f"{ref}.secret"

    def get(self, ref: str) -> bytes | None:
        try:
            return self._path(ref).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, ref: str, secret: bytes) -> None:
        write_atomic(self._path(ref), secret)

    def delete(self, ref: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(self._path(ref))
