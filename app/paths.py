"""Where the field app keeps its data on each platform."""

from __future__ import annotations

import os
from pathlib import Path


def default_data_dir() -> Path:
    """`FLET_APP_STORAGE_DATA` on a phone; a per-user folder on desktop."""
    for var in ("DICHTBIJ_DATA", "FLET_APP_STORAGE_DATA"):
        if os.environ.get(var):
            return Path(os.environ[var])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "dichtbij"
