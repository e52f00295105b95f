"""Half-written forms: in memory at once, in the vault (encrypted) shortly after the last change.

One writer per screen session. A draft that is saved or thrown away is dropped here and
in the vault, and no write still waiting can bring it back: the waiting write is
cancelled and one already under way is waited for before the vault copy is cleared.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)

DELAY = 0.8  # seconds after the last change: a killed app loses at most this much typing


class Drafts:
    def __init__(self, services: Any) -> None:
        self._services = services  # a callable returning the open Services
        self._unsaved: dict[str, dict[str, Any]] = {}
        self._timer: asyncio.Task | None = None
        self._writing = asyncio.Lock()

    def get(self, name: str) -> dict[str, Any] | None:
        if name in self._unsaved:
            return self._unsaved[name]
        return self._services().draft(name)

    def put(self, name: str, fields: dict[str, Any]) -> None:
        """Keep `fields` as the draft `name`; written to the vault after DELAY seconds."""
        self._unsaved[name] = fields
        self._cancel_timer()
        self._timer = asyncio.ensure_future(self._write_later())

    async def drop(self, name: str) -> None:
        """The form was saved or discarded: forget its draft everywhere."""
        self._unsaved.pop(name, None)
        async with self._writing:  # a write under way finishes first, then is undone
            await asyncio.to_thread(self._services().clear_draft, name)

    async def flush(self) -> None:
        """Write every unsaved draft now (before the vault locks)."""
        if self._timer is not asyncio.current_task():
            self._cancel_timer()
        async with self._writing:
            for name, fields in list(self._unsaved.items()):
                await asyncio.to_thread(self._services().save_draft, name, fields)
                if self._unsaved.get(name) is fields:
                    del self._unsaved[name]

    def forget(self) -> None:
        """On lock: nothing of a form stays in memory."""
        self._cancel_timer()
        self._unsaved.clear()

    async def _write_later(self) -> None:
        await asyncio.sleep(DELAY)
        try:
            await self.flush()
        except Exception:  # noqa: BLE001 - e.g. locked meanwhile; never a client's text in logs
            log.warning("draft not written")

    def _cancel_timer(self) -> None:
        if self._timer is not None and not self._timer.done():
            self._timer.cancel()
        self._timer = None
