"""Which keystore holds the device secret behind the PIN, for this page.

On Android and iOS it is the platform keystore through flet-secure-storage
(Keystore-backed ciphers; Keychain item for this device only, never in a backup or
iCloud). In a browser or on a desktop there is none that beats the disk, so the PIN is
not offered and the passphrase unlocks. `--dev-pin` swaps in the file keystore for
development and tests: weaker by design (app/vault/keystore.py).
"""

from __future__ import annotations

import asyncio
import base64
import threading
from pathlib import Path
from typing import Any

import flet as ft

from app.vault.keystore import FileKeystore, Keystore

TIMEOUT = 15.0
_PREFIX = "dichtbij-"


class SecureStorageKeystore:
    """The Keystore protocol over flet-secure-storage's async calls.

    The vault asks for the secret from a worker thread (unlocking runs off the event
    loop); each call is handed to the page's loop and waited for there.
    """

    hardware_backed = True

    def __init__(self, storage: Any) -> None:
        """Create it on the page's event loop."""
        self._storage = storage
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()

    def _run(self, call: Any) -> Any:
        if threading.get_ident() == self._loop_thread:
            call.close()
            raise RuntimeError("the keystore is called from a worker thread, never the loop")
        return asyncio.run_coroutine_threadsafe(call, self._loop).result(TIMEOUT)

    def get(self, ref: str) -> bytes | None:
        value = self._run(self._storage.get(_PREFIX + ref))
        return base64.b64decode(value) if value else None

    def put(self, ref: str, secret: bytes) -> None:
        import flet_secure_storage as fss

        apple = fss.IOSOptions(
            accessibility=fss.KeychainAccessibility.UNLOCKED_THIS_DEVICE, synchronizable=False
        )
        value = base64.b64encode(secret).decode()
        self._run(self._storage.set(_PREFIX + ref, value, ios=apple))

    def delete(self, ref: str) -> None:
        self._run(self._storage.remove(_PREFIX + ref))


def for_page(page: ft.Page, dev_dir: Path | None) -> Keystore | None:
    """The page's keystore, or None when this platform has no safe one."""
    if dev_dir is not None:
        return FileKeystore(dev_dir)
    if page.web or page.platform not in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS):
        return None
    import flet_secure_storage as fss

    return SecureStorageKeystore(fss.SecureStorage())
