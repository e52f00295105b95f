"""The encrypted, crash-safe local store: journal + snapshots on disk, TinyDB in memory."""

from app.vault.store import Vault

__all__ = ["Vault"]
