"""Named errors a user can cause or meet; `app.messages` turns each into one Dutch sentence.

Messages here are English for logs and developers, and never contain client text
(names, note text): only codes, field names and counts.
"""

from __future__ import annotations


class DichtbijError(Exception):
    """Base of every error the app reports to a person instead of crashing."""

    exit_code = 1

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.details = details


class InvalidInput(DichtbijError):
    """Bad input from the user or a caller; nothing was written."""

    exit_code = 2

    def __init__(self, field: str, problem: str, **details: object) -> None:
        super().__init__(f"{field}: {problem}", field=field, problem=problem, **details)
        self.field = field
        self.problem = problem


class NotFound(DichtbijError):
    """A record that does not exist (or was deleted): bad input, like an unknown code."""

    exit_code = 2

    def __init__(self, kind: str, record_id: str) -> None:
        super().__init__(f"no {kind} with id {record_id}", kind=kind, record_id=record_id)
        self.kind = kind


class WrongPassphrase(DichtbijError):
    """The passphrase (or PIN) did not unlock the vault; nothing was read. `tried` says
    which it was ("passphrase" or "pin"), so the sentence names only that one."""

    exit_code = 3

    def __init__(self, message: str, tried: str | None = None) -> None:
        super().__init__(message, tried=tried)
        self.tried = tried


class PinDisabled(DichtbijError):
    """Too many wrong PINs, or no PIN set: the passphrase is required."""

    exit_code = 3


class PinBackoff(DichtbijError):
    """A wrong PIN was entered recently; the next try must wait."""

    exit_code = 3

    def __init__(self, wait_seconds: float) -> None:
        super().__init__(f"wait {wait_seconds:.0f} s before the next PIN", wait=wait_seconds)
        self.wait_seconds = wait_seconds


class VaultLocked(DichtbijError):
    """The vault is locked: its keys are not in memory."""

    exit_code = 3


class VaultInUse(DichtbijError):
    """Another process holds the vault open (single writer)."""


class VaultMissing(DichtbijError):
    """No vault exists in the data directory."""


class VaultExists(DichtbijError):
    """A vault already exists where a new one was to be created."""


class VaultCorrupt(DichtbijError):
    """A vault file failed authentication or cannot be parsed: refused, never mis-read."""


class StorageFull(DichtbijError):
    """The device's storage is full: the change was not saved (nothing half-written)."""


class UnsupportedFormat(DichtbijError):
    """The vault was written by a newer version of the app."""


class WeakPassphrase(InvalidInput):
    """The account passphrase is too weak to protect the vault offline. `reason`: "short",
    "repetitive", "common" or "blank"."""

    def __init__(self, reason: str = "short") -> None:
        super().__init__("passphrase", "too_weak", reason=reason)
        self.reason = reason


class ServerUnreachable(DichtbijError):
    """No answer from the sync server (offline, DNS, TLS, timeout or a server error)."""

    exit_code = 4


class ServerRejected(DichtbijError):
    """The server answered and said no (bad code, not allowed, too many attempts)."""

    exit_code = 5


class DeviceRevoked(ServerRejected):
    """An admin revoked this device: the local vault has been wiped."""

    def __init__(self, unsynced: int) -> None:
        super().__init__(f"device revoked; {unsynced} unsynced items were wiped", unsynced=unsynced)
        self.unsynced = unsynced


class NotEnrolled(DichtbijError):
    """Sync was asked for on a vault that was never enrolled with a server."""


class UntrustedAnswer(DichtbijError):
    """The server sent a record that fails authentication or goes back in time: refused."""


class GrantRefused(DichtbijError):
    """A wrapped key (a grant of a shared gezin or of the team) does not open with this
    account's key: not meant for it, for another gezin or epoch, or altered."""


class MembershipRefused(DichtbijError):
    """An entry of a membership log that this phone does not accept. `reason`:
    "malformed", "signature", "epoch", "prev", "signer", "members" or "unverified"
    (signed by a colleague this phone has not verified: held, not bad)."""

    REASONS = ("malformed", "signature", "epoch", "prev", "signer", "members", "unverified")

    def __init__(self, reason: str, **details: object) -> None:
        if reason not in self.REASONS:
            raise ValueError(f"unknown reason {reason}")
        super().__init__(f"membership entry refused: {reason}", reason=reason, **details)
        self.reason = reason
        if details.get("mine"):
            self.exit_code = 2  # a change this worker asked for that cannot be made
