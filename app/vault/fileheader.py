"""The 34-byte plaintext preamble of the journal and snapshot files.

It is authenticated as associated data of everything after it, so a journal or
snapshot cannot be moved to another vault, generation or format unnoticed.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from app.core.errors import VaultCorrupt
from app.vault.format import supported

_LAYOUT = struct.Struct("!8sHQ16s")
SIZE = _LAYOUT.size


@dataclass(frozen=True)
class FileHeader:
    magic: bytes
    format: int
    generation: int
    vault_id: bytes

    def pack(self) -> bytes:
        return _LAYOUT.pack(self.magic, self.format, self.generation, self.vault_id)


def unpack(data: bytes, magic: bytes, vault_id: bytes) -> FileHeader:
    if len(data) < SIZE:
        raise VaultCorrupt(f"{magic.decode()} file too short")
    found = FileHeader(*_LAYOUT.unpack_from(data))
    if found.magic != magic or found.vault_id != vault_id:
        raise VaultCorrupt(f"{magic.decode()} file belongs to another vault")
    if not supported(found.format):
        # vault.json already passed its format check, so a mismatch here is damage.
        raise VaultCorrupt(f"{magic.decode()} file has format {found.format}")
    return found
