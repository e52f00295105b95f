"""One writer per vault: an exclusive advisory lock held while the vault is open."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from app.core.errors import VaultInUse

FILE_NAME = ".lock"


class FileLock:
    def __init__(self, data_dir: Path) -> None:
        self._fd = os.open(data_dir / FILE_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise VaultInUse("vault is open in another process") from None

    def release(self) -> None:
        if self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = -1
