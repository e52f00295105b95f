"""What one screen (one Flet page) knows: the open vault, lock state, inactivity, sync.

Views never touch the vault directly: they call `services` through `blocking`,
which runs the call on a worker thread so the event loop (and the UI) never stalls.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.core.errors import DichtbijError, ServerUnreachable
from app.messages import describe
from app.ui.drafts import Drafts
from app.ui.strings import T
from app.ui.sync_status import headline

if TYPE_CHECKING:  # the vault loads with the first unlock (or ahead: start.warm_up)
    from app.core.network import Node
    from app.core.network_layout import Layout
    from app.services import Services
    from app.vault.keystore import Keystore

log = logging.getLogger(__name__)
R = TypeVar("R")

AUTO_LOCK_SECONDS = 5 * 60


class UiSession:
    def __init__(
        self,
        data_dir: Path,
        auto_lock: float = AUTO_LOCK_SECONDS,
        keystore: Keystore | None = None,
        allow_weak_keystore: bool = False,
    ) -> None:
        self.data_dir = data_dir
        self.auto_lock = auto_lock
        self.keystore = keystore  # None: no safe place for a PIN's device secret here
        self.allow_weak_keystore = allow_weak_keystore  # development and tests only
        self.use_passphrase = False  # the worker chose the passphrase over the PIN
        self.services: Services | None = None
        # Loads the other screens' code once, at the first unlock (set by the shell).
        self.screens_loader: Callable[[], None] | None = None
        # The vault is shared by every browser tab of a web build (one per directory per
        # process): this session counts as unlocked only once it gave the PIN or passphrase
        # itself, never because another tab did.
        self.unlocked_here = False
        self.hidden = False
        self.hidden_from: str | None = None  # the route "Verder" returns to after Verberg
        self.closed = False  # the browser tab or window went away: background work stops
        self.last_activity = time.monotonic()
        self.sync_error: str | None = None  # why the last sync failed; None after a success
        self.sync_result = ""  # what the last successful sync moved
        self.syncing = False
        self.pulled = self.pushed = 0  # what the last sync moved: a screen may be stale
        self.online: bool | None = None  # the server answered its last health check
        self.keep_open: str | None = None  # a section to show expanded after the next rebuild
        self.listeners: list[Callable[[], Any]] = []
        self.map: tuple[tuple, Layout] | None = None  # the last netwerkkaart layout, and its key
        self.drafts = Drafts(lambda: self.app)  # half-written forms
        self.deleted_note: Any = None  # offered back (Ongedaan maken) on its gezin's screen

    # ---- state -----------------------------------------------------------------------

    @property
    def has_vault(self) -> bool:
        return (self.data_dir / "vault.json").exists()

    @property
    def unlocked(self) -> bool:
        return self.services is not None and not self.services.locked and self.unlocked_here

    def touch(self) -> None:
        """Any interaction postpones the inactivity lock."""
        self.last_activity = time.monotonic()

    @property
    def app(self) -> Services:
        if self.services is None:
            raise RuntimeError("locked")
        return self.services

    # ---- blocking work off the event loop ----------------------------------------------

    async def blocking(self, call: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        self.touch()
        return await asyncio.to_thread(call, *args, **kwargs)

    # ---- lock ------------------------------------------------------------------------

    @property
    def pin_offered(self) -> bool:
        """Unlock with the PIN: a keystore exists, a PIN is set, and the worker did not ask
        for the passphrase instead."""
        return (
            self.keystore is not None
            and self.services is not None
            and self.services.has_pin
            and not self.use_passphrase
        )

    async def hold(self) -> None:
        """At start: hold the (locked) vault so a PIN can open it."""
        if self.keystore is not None and self.has_vault and self.services is None:
            self.services = await self.blocking(_open_locked, self.data_dir)

    async def unlock_with_pin(self, pin: str) -> None:
        assert self.services is not None and self.keystore is not None
        await self.blocking(self.services.unlock_with_pin, pin, self.keystore)
        await self._opened()

    async def set_pin(self, pin: str) -> None:
        assert self.keystore is not None
        await self.blocking(
            self.app.set_pin, pin, self.keystore, allow_weak_keystore=self.allow_weak_keystore
        )

    async def remove_pin(self) -> None:
        assert self.keystore is not None
        await self.blocking(self.app.remove_pin, self.keystore)

    async def create(self, passphrase: str) -> None:
        self.services = await self.blocking(_open_vault, self.data_dir, passphrase, True)
        await self._opened()

    async def unlock(self, passphrase: str) -> None:
        if self.services is not None:
            await self.blocking(self.services.unlock, passphrase)
        else:
            self.services = await self.blocking(_open_vault, self.data_dir, passphrase)
        await self._opened()

    async def _opened(self) -> None:
        self.unlocked_here = True
        if self.screens_loader is not None:  # while the worker waits anyway (a spinner)
            loader, self.screens_loader = self.screens_loader, None
            await self.blocking(loader)

    def lock(self) -> None:
        """Keys and decrypted records leave memory; the screen shows the lock."""
        if self.services is not None:
            self.services.lock()
        self.unlocked_here = False
        self.map = None  # it holds names
        self.drafts.forget()  # written to the vault before the lock (Ui.lock)
        self.deleted_note = None
        self.use_passphrase = False  # next time the PIN is offered again

    def map_layout(self, nodes: list[Node]) -> Layout:
        """The netwerkkaart's layout, reused until someone is added, removed, renamed or
        moved: it depends on nothing else, so a changed tie or note need not lay out a
        30-person map again on the event loop."""
        key = tuple(sorted((n.id, n.name, n.sector, n.ring, n.organisation) for n in nodes))
        if self.map is None or self.map[0] != key:
            from app.core.network_layout import layout

            self.map = (key, layout(nodes))
        return self.map[1]

    def close(self) -> None:
        if self.services is not None:
            self.services.close()
            self.services = None

    def idle_too_long(self) -> bool:
        return self.unlocked and time.monotonic() - self.last_activity > self.auto_lock

    # ---- sync ------------------------------------------------------------------------

    async def sync(self) -> str:
        """One sync round; returns the sentence for the status line (sync_status.headline)."""
        self.syncing = True
        try:
            report = await self.app.sync_async()
            self.sync_error, self.online = None, True
            self.pulled, self.pushed = report.pulled, report.pushed
            self.sync_result = T["sync_result"].format(pushed=report.pushed, pulled=report.pulled)
        except ServerUnreachable as exc:
            self.sync_error, self.online = describe(exc), False
        except DichtbijError as exc:
            self.sync_error = describe(exc)
        finally:
            self.syncing = False
        if self.services is None or self.services.locked:
            return self.sync_error or ""
        status = self.app.sync_status()
        return headline(status["pending"], status["last_sync"], self.sync_error)


# The vault and its crypto load with the first unlock, on the worker thread that opens it:
# neither before the web server answers nor on the event loop.


def _open_locked(data_dir: Path) -> Services:
    from app.services import open_locked

    return open_locked(data_dir)


def _open_vault(data_dir: Path, passphrase: str, create: bool = False) -> Services:
    from app.services import open_vault

    return open_vault(data_dir, passphrase, create)
