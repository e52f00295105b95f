"""On-disk format versions and the migration path between them.

A vault written by format N opens in every later app. To change the format:
bump CURRENT_FORMAT, add a function to RECORD_MIGRATIONS that lifts a sealed
record of the previous format (plaintext envelope fields only: payloads are
re-sealed by the vault after the lift), add a golden vault of the new format
under tests/golden/, and keep the old golden vaults opening.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CURRENT_FORMAT = 1
OLDEST_FORMAT = 1

# from-format → function(sealed record dict) → sealed record dict of from-format + 1
RECORD_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def migrate_sealed(sealed: dict[str, Any], from_format: int) -> dict[str, Any]:
    for version in range(from_format, CURRENT_FORMAT):
        sealed = RECORD_MIGRATIONS[version](sealed)
    return sealed
