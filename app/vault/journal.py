"""The append-only journal: one AEAD frame per change, fsync'd before a save is acknowledged.

Frame: u32 length ‖ u32 CRC-32 of that length ‖ nonce ‖ ciphertext ‖ tag. The
associated data is the file header, the frame's sequence number and its length,
so frames cannot be reordered, dropped from the middle, or moved between
journals. The CRC tells a damaged length prefix (refused) from a frame that a
crash left unfinished (its valid prefix points past the end of the file).
Frame 0, written with the file header when the journal is created, authenticates
the header itself. Only the *last* frame may be incomplete (a write cut short by
a crash): it is discarded and the file truncated before new frames go after it.
A complete frame that fails authentication means tampering or media failure and
the journal is refused, unless the caller explicitly asks to drop a damaged
final frame (`allow_damaged_tail`, the "repair" path after power loss).
"""

from __future__ import annotations

import contextlib
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import VaultCorrupt
from app.vault import fileheader
from app.vault.atomic import sync_data, write_atomic
from app.vault.crypto import NONCE_BYTES, TAG_BYTES, Aead, AuthenticationFailed
from app.vault.fileheader import FileHeader

MAGIC = b"DBJ-JRNL"
FILE_NAME = "journal.bin"
MAX_FRAME = 16 * 1024 * 1024
_PREFIX = struct.Struct("!II")  # length, crc32(length)
_SEQ = struct.Struct("!QI")


@dataclass
class Replay:
    header: FileHeader
    payloads: list[bytes]
    valid_length: int  # bytes up to the end of the last good frame
    torn_bytes: int  # bytes of a damaged final frame that were discarded


def _ad(header: bytes, seq: int, length: int) -> bytes:
    return header + _SEQ.pack(seq, length)


def read(path: Path, aead: Aead, vault_id: bytes, allow_damaged_tail: bool = False) -> Replay:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise VaultCorrupt("journal missing") from None
    header = fileheader.unpack(data, MAGIC, vault_id)
    head = data[: fileheader.SIZE]
    pos = _check_frame_zero(data, aead, head)
    payloads: list[bytes] = []
    while pos < len(data):
        remaining = len(data) - pos
        if remaining < _PREFIX.size:
            return Replay(header, payloads, pos, remaining)  # unfinished final frame
        try:
            length = _length(data, pos)
        except VaultCorrupt:
            if allow_damaged_tail:  # e.g. zeros left by a power loss where a frame began
                return Replay(header, payloads, pos, remaining)
            raise
        end = pos + _PREFIX.size + length
        if end > len(data):
            return Replay(header, payloads, pos, remaining)  # unfinished final frame
        blob = data[pos + _PREFIX.size : end]
        try:
            payloads.append(aead.open(blob, _ad(head, len(payloads) + 1, length)))
        except AuthenticationFailed:
            if allow_damaged_tail and end == len(data):
                return Replay(header, payloads, pos, remaining)
            raise VaultCorrupt("journal frame failed authentication") from None
        pos = end
    return Replay(header, payloads, pos, 0)


def _length(data: bytes, pos: int) -> int:
    length, check = _PREFIX.unpack_from(data, pos)
    if (
        check != zlib.crc32(data[pos : pos + 4])
        or not NONCE_BYTES + TAG_BYTES <= length <= MAX_FRAME
    ):
        raise VaultCorrupt("journal frame length damaged")
    return length


def _check_frame_zero(data: bytes, aead: Aead, head: bytes) -> int:
    """Verify the frame that authenticates the header; return where frame 1 starts."""
    start = fileheader.SIZE
    try:
        length = _length(data, start)
        end = start + _PREFIX.size + length
        if end > len(data) or aead.open(data[start + _PREFIX.size : end], _ad(head, 0, length)):
            raise VaultCorrupt("journal header damaged")
    except (struct.error, AuthenticationFailed):
        raise VaultCorrupt("journal header failed authentication") from None
    return end


def _frame(aead: Aead, head: bytes, seq: int, payload: bytes) -> bytes:
    length = len(payload) + NONCE_BYTES + TAG_BYTES
    prefix = struct.pack("!I", length)
    return (
        prefix + struct.pack("!I", zlib.crc32(prefix)) + aead.seal(payload, _ad(head, seq, length))
    )


class JournalWriter:
    """Appends frames to an open journal file; one writer per vault (see filelock)."""

    def __init__(self, path: Path, aead: Aead, header: FileHeader, frames: int, length: int):
        self._aead = aead
        self._head = header.pack()
        self._seq = frames
        self._fd = os.open(path, os.O_WRONLY)
        # Cut off a torn tail so new frames never follow garbage.
        os.ftruncate(self._fd, length)
        os.lseek(self._fd, length, os.SEEK_SET)
        sync_data(self._fd)
        self.size = length

    @property
    def frames(self) -> int:
        return self._seq

    def append(self, payload: bytes) -> None:
        """Returns only after the frame is on stable storage."""
        if len(payload) + NONCE_BYTES + TAG_BYTES > MAX_FRAME:
            raise ValueError("journal frame too large")
        seq = self._seq + 1
        frame = _frame(self._aead, self._head, seq, payload)
        try:
            view = memoryview(frame)
            while view:
                view = view[os.write(self._fd, view) :]
            sync_data(self._fd)
        except BaseException:
            # Disk full or I/O error: cut the partial frame so later frames never follow it.
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, self.size)
            with contextlib.suppress(OSError):
                os.lseek(self._fd, self.size, os.SEEK_SET)
            raise
        self._seq = seq
        self.size += len(frame)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def create(path: Path, aead: Aead, header: FileHeader) -> int:
    """A new, empty journal of `header.generation`, replacing any older one atomically.

    Returns its length in bytes (where frame 1 will go).
    """
    head = header.pack()
    data = head + _frame(aead, head, 0, b"")
    write_atomic(path, data)
    return len(data)
