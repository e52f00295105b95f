"""On-disk format versions and the migration path between them.

A vault written by format N opens in every later app. To change the format:
bump CURRENT_FORMAT; add to MIGRATIONS a function that lifts one stored record
(`records.to_dict` form) from the previous format; add a golden vault of the
new format under tests/golden/ and keep the old golden vaults opening. Opening
an older vault lifts every record, writes a snapshot of the new format and
then records the new format in vault.json.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CURRENT_FORMAT = 1
OLDEST_FORMAT = 1

# from-format → function(record dict of that format) → record dict of from-format + 1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def migrate(doc: dict[str, Any], from_format: int) -> dict[str, Any]:
    for version in range(from_format, CURRENT_FORMAT):
        doc = MIGRATIONS[version](doc)
    return doc


def supported(fmt: int) -> bool:
    return OLDEST_FORMAT <= fmt <= CURRENT_FORMAT
