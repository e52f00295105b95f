"""Where the field app keeps its data on each platform."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path


def default_data_dir() -> Path:
    """`FLET_APP_STORAGE_DATA` on a phone; a per-user folder on desktop."""
    for var in ("DICHTBIJ_DATA", "FLET_APP_STORAGE_DATA"):
        if os.environ.get(var):
            return Path(os.environ[var])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "dichtbij"


def dev_keystore_dir(data_dir: Path) -> Path:
    """Where `dichtbij app --dev-pin` keeps its device secrets: outside the data directory,
    so that a copy of that directory alone cannot be used to guess the PIN offline. One
    folder per data directory, under the user's config folder (`DICHTBIJ_DEV_KEYSTORE`
    overrides it). A keystore left in the data directory by an older build is moved out."""
    base = os.environ.get("DICHTBIJ_DEV_KEYSTORE")
    if base:
        where = Path(base)
    else:
        config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
        tag = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
        where = Path(config) / "dichtbij" / "dev-keystore" / tag
    old = Path(data_dir) / "dev-keystore"
    if old.is_dir() and not where.exists():
        where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.move(str(old), str(where))
    return where
