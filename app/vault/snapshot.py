"""Encrypted snapshots of the whole vault, replaced atomically; the journal restarts after each."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from app.core.errors import VaultCorrupt
from app.vault import fileheader
from app.vault.atomic import write_atomic
from app.vault.crypto import Aead, AuthenticationFailed
from app.vault.fileheader import FileHeader

MAGIC = b"DBJ-SNAP"
FILE_NAME = "snapshot.bin"


CHUNK_RECORDS = 500


def write(
    path: Path,
    aead: Aead,
    header: FileHeader,
    records: Iterable[dict[str, Any]],
    local: dict[str, Any] | None = None,
) -> int:
    """Encrypt and write `{"records": [...], "local": {...}}` in chunks; returns the file size."""
    head = header.pack()
    return write_atomic(path, head, aead.seal_stream(_json_chunks(records, local or {}), head))


def _json_chunks(records: Iterable[dict[str, Any]], local: dict[str, Any]) -> Iterator[bytes]:
    """`{"records":[…],"local":{…}}` as a few hundred records of JSON at a time."""
    yield b'{"records":['
    batch: list[dict[str, Any]] = []
    first = True
    for record in records:
        batch.append(record)
        if len(batch) == CHUNK_RECORDS:
            yield _join(batch, first)
            batch, first = [], False
    if batch:
        yield _join(batch, first)
    yield b'],"local":' + json.dumps(local, separators=(",", ":")).encode("utf-8") + b"}"


def _join(batch: list[dict[str, Any]], first: bool) -> bytes:
    text = json.dumps(batch, separators=(",", ":"))[1:-1]
    return (text if first else "," + text).encode("utf-8")


def read(path: Path, aead: Aead, vault_id: bytes) -> tuple[FileHeader, dict[str, Any], int]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise VaultCorrupt("snapshot missing") from None
    header = fileheader.unpack(data, MAGIC, vault_id)
    head, size = data[: fileheader.SIZE], len(data)
    try:
        with memoryview(data) as view:  # no copy of a snapshot that may be tens of MB
            plaintext = aead.open(view[fileheader.SIZE :], head)
    except AuthenticationFailed:
        raise VaultCorrupt("snapshot failed authentication") from None
    del data
    try:
        return header, json.loads(plaintext), size
    except ValueError:
        raise VaultCorrupt("snapshot content malformed") from None
