"""Crash-safe file writing: temp file, full sync, os.replace, sync of the directory."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

try:
    import fcntl

    _FULLFSYNC = getattr(fcntl, "F_FULLFSYNC", None)
except ImportError:  # pragma: no cover - not a POSIX system
    _FULLFSYNC = None


def sync_file(fd: int) -> None:
    """Flush to stable storage. On Apple platforms plain fsync leaves data in the drive cache."""
    if _FULLFSYNC is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, _FULLFSYNC)
            return
    os.fsync(fd)


def sync_data(fd: int) -> None:
    """Like `sync_file` for appends, where fdatasync suffices (the size is data)."""
    if _FULLFSYNC is not None:
        sync_file(fd)
    else:
        getattr(os, "fdatasync", os.fsync)(fd)


def sync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        sync_file(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, *chunks: bytes | Iterable[bytes]) -> int:
    """After this returns, `path` holds either the old bytes or the new ones, never a mix.

    Each argument is bytes or an iterable of bytes (written as it is produced).
    Returns the number of bytes written.
    """
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    size = 0
    try:
        try:
            for part in chunks:
                for chunk in [part] if isinstance(part, bytes) else part:
                    size += len(chunk)
                    view = memoryview(chunk)
                    while view:
                        view = view[os.write(fd, view) :]
            sync_file(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        # A full disk must not stay fuller: the unfinished temp file goes.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    sync_dir(path.parent)
    return size
