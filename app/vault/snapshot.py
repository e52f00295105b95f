"""Encrypted snapshots of the whole vault, replaced atomically; the journal restarts after each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.core.errors import VaultCorrupt
from app.vault import fileheader
from app.vault.atomic import write_atomic
from app.vault.crypto import Aead, AuthenticationFailed
from app.vault.fileheader import FileHeader

MAGIC = b"DBJ-SNAP"
FILE_NAME = "snapshot.bin"


def write(path: Path, aead: Aead, header: FileHeader, body: dict[str, Any]) -> int:
    head = header.pack()
    plaintext = json.dumps(body, separators=(",", ":")).encode("utf-8")
    data = head + aead.seal(plaintext, head)
    write_atomic(path, data)
    return len(data)


def read(path: Path, aead: Aead, vault_id: bytes) -> tuple[FileHeader, dict[str, Any], int]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise VaultCorrupt("snapshot missing") from None
    header = fileheader.unpack(data, MAGIC, vault_id)
    head = data[: fileheader.SIZE]
    try:
        plaintext = aead.open(data[fileheader.SIZE :], head)
    except AuthenticationFailed:
        raise VaultCorrupt("snapshot failed authentication") from None
    return header, json.loads(plaintext), len(data)
