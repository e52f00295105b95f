"""Reproducible draws for the fictional demo team: the same seed gives the same team. A
SHA-256 counter stream (stdlib), so the server imports no `random` module anywhere. Not for
secrets: nothing drawn here is one, and every secret on the server comes from `secrets`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class Draws:
    """The few draws the demo seed needs, with the meaning `random.Random`'s have."""

    def __init__(self, seed: int | str) -> None:
        self._seed = str(seed).encode("utf-8")
        self._count = 0

    def _bits64(self) -> int:
        self._count += 1
        block = hashlib.sha256(self._seed + self._count.to_bytes(8, "big")).digest()
        return int.from_bytes(block[:8], "big")

    def random(self) -> float:
        """A float in [0, 1)."""
        return (self._bits64() >> 11) / 2**53

    def getrandbits(self, k: int) -> int:
        if not 0 < k <= 64:
            raise ValueError("between 1 and 64 bits")
        return self._bits64() >> (64 - k)

    def randint(self, low: int, high: int) -> int:
        """An int in [low, high], both included."""
        return low + int(self.random() * (high - low + 1))

    def choice(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def choices(self, items: Sequence[T], weights: Sequence[float]) -> list[T]:
        """One item, drawn with the given weights (a list, as `random.choices` gives)."""
        point, total = self.random() * sum(weights), 0.0
        for item, weight in zip(items, weights, strict=True):
            total += weight
            if point < total:
                return [item]
        return [items[-1]]

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        """`k` different items, in draw order."""
        pool = list(items)
        if not 0 <= k <= len(pool):
            raise ValueError("sample larger than the population")
        for i in range(k):
            j = i + int(self.random() * (len(pool) - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]
