"""Hybrid logical clock: timestamps that sort like wall time but never go backwards.

A device with a wrong clock (skew of days) still produces increasing stamps
after it has seen a later one; ties break on the device id.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

_WIDTH_MS = 15
_WIDTH_COUNTER = 5


def encode(wall_ms: int, counter: int, node: str) -> str:
    return f"{wall_ms:0{_WIDTH_MS}d}-{counter:0{_WIDTH_COUNTER}d}-{node}"


def decode(stamp: str) -> tuple[int, int, str]:
    wall, counter, node = stamp.split("-", 2)
    return int(wall), int(counter), node


class HybridClock:
    """Issues stamps for one device; `observe` folds in stamps seen from elsewhere."""

    def __init__(self, node: str, now: Callable[[], float] = time.time) -> None:
        self._node = node
        self._now = now
        self._wall = 0
        self._counter = 0
        self._mutex = threading.Lock()

    def tick(self) -> str:
        with self._mutex:
            physical = int(self._now() * 1000)
            if physical > self._wall:
                self._wall, self._counter = physical, 0
            else:
                self._counter += 1
            return encode(self._wall, self._counter, self._node)

    def observe(self, stamp: str) -> None:
        wall, counter, _ = decode(stamp)
        with self._mutex:
            if (wall, counter) > (self._wall, self._counter):
                self._wall, self._counter = wall, counter
