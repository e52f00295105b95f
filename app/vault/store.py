"""The vault: opens, unlocks, stores and locks the encrypted records of one device.

Open = read the snapshot + replay the journal's valid frames into the in-memory
index. Save = one journal frame, fsync'd, then the index. When the journal grows
past a share of the snapshot it is folded into a new snapshot, so replay stays
short and a save stays O(1) apart from the occasional snapshot.
Everything on disk is AES-256-GCM under the storage key; sealing a record under
its case key for sync happens on the way out (`seal`) and in (`unseal`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tinydb.queries import QueryLike

from app.core import hlc as hlc_mod
from app.core.errors import (
    InvalidInput,
    PinBackoff,
    PinDisabled,
    StorageFull,
    VaultCorrupt,
    VaultExists,
    VaultLocked,
    VaultMissing,
    WrongPassphrase,
)
from app.core.passphrase import is_valid_pin
from app.core.records import Record, from_dict, to_dict
from app.core.text import check_unicode
from app.vault import header as header_mod
from app.vault import journal, keys, sealing, snapshot
from app.vault.crypto import Aead, AuthenticationFailed, b64decode, b64encode
from app.vault.fileheader import FileHeader
from app.vault.filelock import FileLock
from app.vault.format import CURRENT_FORMAT, migrate
from app.vault.index import Index
from app.vault.keystore import Keystore
from app.vault.sealing import CASE_KEY_KIND, KeyRing

log = logging.getLogger(__name__)

PIN_BACKOFF_BASE = 5.0  # seconds after the first wrong PIN; doubles each time
PIN_BACKOFF_MAX = 15 * 60.0


class Vault:
    """One open vault directory. Use `Vault.create` or `Vault.open`; thread-safe."""

    def __init__(
        self,
        data_dir: Path,
        lock: FileLock,
        *,
        journal_min: int = 256 * 1024,
        journal_max: int = 4 * 1024 * 1024,
        repair: bool = False,
        max_pin_failures: int = 5,
    ) -> None:
        self.data_dir = data_dir
        self._file_lock = lock
        self._mutex = threading.RLock()
        self._header = header_mod.load(data_dir)
        self._journal_min = journal_min
        self._journal_max = journal_max
        self._repair = repair
        self._max_pin_failures = max_pin_failures
        self._keys: keys.UserKeys | None = None
        self._ring: KeyRing | None = None
        self._index = Index()
        self._local: dict[str, Any] = {}
        self._writer: journal.JournalWriter | None = None
        self._generation = 0
        # Bumped by every change of the records or the local state in memory: the outbox
        # is kept for as long as it stays the same (an idle sync reads it twice).
        self._changes = 0
        self._outbox: tuple[tuple[int, frozenset[str]], list[dict[str, Any]]] | None = None
        self._snapshot_size = 0
        self._compact_after = 0  # after a failed snapshot: the journal size to try again at
        #: "disk_full" (or "write_failed") while the last snapshot could not be written
        self.storage_warning: str | None = None
        self._clock = hlc_mod.HybridClock(self._header.device_id[:8])
        #: what opening had to repair or migrate, for the UI to mention (never content)
        self.open_report: dict[str, Any] = {}

    # ---- lifecycle -------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        data_dir: Path,
        passphrase: str,
        *,
        user_key: bytes | None = None,
        kdf: dict[str, int] | None = None,
        **options: Any,
    ) -> Vault:
        """A new empty vault: a fresh random user key, or the given one (a further device)."""
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = FileLock(data_dir)
        try:
            if header_mod.exists(data_dir):
                raise VaultExists("a vault already exists in this directory")
            user_key = user_key or keys.new_user_key()
            params = keys.new_kdf_params(**(kdf or keys.PASSPHRASE_KDF))
            vault_id = keys.new_user_key()[:16]
            draft = header_mod.new_header(params, b"", vault_id)
            kek = keys.derive_from_passphrase(passphrase, params).kek
            head = header_mod.Header(
                vault_id, draft.device_id, params, Aead(kek).seal(user_key, draft.wrap_ad())
            )
            user = keys.UserKeys(user_key)
            # Snapshot and journal first, header last: a vault exists once all three do.
            snap = FileHeader(snapshot.MAGIC, CURRENT_FORMAT, 1, vault_id)
            snapshot.write(data_dir / snapshot.FILE_NAME, user.storage, snap, [], {})
            jheader = FileHeader(journal.MAGIC, CURRENT_FORMAT, 1, vault_id)
            journal.create(data_dir / journal.FILE_NAME, user.storage, jheader)
            header_mod.save(data_dir, head)
            vault = cls(data_dir, lock, **options)
            vault._load(user)
            return vault
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open_locked(cls, data_dir: Path, **options: Any) -> Vault:
        """Hold the vault (and its file lock) without unlocking, e.g. to unlock with a PIN."""
        if not header_mod.exists(data_dir):
            raise VaultMissing("no vault in this directory")
        lock = FileLock(data_dir)
        try:
            return cls(data_dir, lock, **options)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open(cls, data_dir: Path, passphrase: str, **options: Any) -> Vault:
        """Open and unlock; a wrong passphrase raises WrongPassphrase and reads no record."""
        vault = cls.open_locked(data_dir, **options)
        try:
            vault.unlock(passphrase)
            return vault
        except BaseException:
            vault.close()
            raise

    @property
    def locked(self) -> bool:
        return self._keys is None

    @property
    def device_id(self) -> str:
        return self._header.device_id

    @property
    def has_pin(self) -> bool:
        return self._header.pin is not None

    def check_passphrase(self, passphrase: str) -> bytes:
        """The user key if `passphrase` unwraps it, else WrongPassphrase. Slow (KDF)."""
        head = self._header
        kek = keys.derive_from_passphrase(passphrase, head.kdf).kek
        try:
            return Aead(kek).open(head.wrapped_user_key, head.wrap_ad())
        except AuthenticationFailed:
            raise WrongPassphrase("wrong passphrase", tried="passphrase") from None

    def unlock(self, passphrase: str) -> None:
        user_key = self.check_passphrase(passphrase)
        with self._mutex:
            if self.locked:
                self._load(keys.UserKeys(user_key))

    def lock(self) -> None:
        """Drop every key and decrypted record from memory; the file lock stays held."""
        with self._mutex:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
            if self._ring is not None:
                self._ring.clear()
            self._ring = None
            self._keys = None
            self._index.clear()
            self._local = {}
            self._outbox = None  # decrypted records too
            self._changes += 1

    def close(self) -> None:
        with self._mutex:
            self.lock()
            self._file_lock.release()

    # ---- PIN -------------------------------------------------------------------------

    def set_pin(
        self,
        pin: str,
        keystore: Keystore,
        *,
        kdf: dict[str, int] | None = None,
        allow_weak_keystore: bool = False,
    ) -> None:
        """Wrap a local copy of the user key under PIN + a new random device secret.

        A 6-digit PIN is only as strong as the place the device secret is kept, so a
        keystore that is not hardware-backed is refused unless explicitly allowed (dev, CI).
        """
        if not (pin.isascii() and is_valid_pin(pin)):
            raise InvalidInput("pin", "too_short")
        if not keystore.hardware_backed and not allow_weak_keystore:
            raise InvalidInput("keystore", "not_secure")
        with self._mutex:
            user = self._require_keys()
            ref = keys.new_user_key()[:12].hex()
            secret = keys.new_user_key()
            params = keys.new_kdf_params(**(kdf or keys.PIN_KDF))
            pin_key = keys.derive_from_pin(pin, secret, params)
            wrapped = Aead(pin_key).seal(user.user_key, self._header.pin_ad(params, ref))
            keystore.put(ref, secret)
            old = self._header.pin
            self._save_header(self._header.with_pin(header_mod.PinEnvelope(params, wrapped, ref)))
            if old is not None:
                keystore.delete(old.keystore_ref)

    def unlock_with_pin(self, pin: str, keystore: Keystore, now: float | None = None) -> None:
        """PIN + device secret from the keystore; wrong PINs back off, then disable the PIN."""
        now = time.time() if now is None else now
        with self._mutex:
            env = self._header.pin
            if env is None:
                raise PinDisabled("no PIN set")
            if now < env.not_before:
                raise PinBackoff(env.not_before - now)
            secret = keystore.get(env.keystore_ref)
            if secret is None:
                self._drop_pin(keystore)
                raise PinDisabled("device secret missing from keystore")
            user_key = None
            if pin.isascii():
                pin_key = keys.derive_from_pin(pin, secret, env.kdf)
                with contextlib.suppress(AuthenticationFailed):
                    ad = self._header.pin_ad(env.kdf, env.keystore_ref)
                    user_key = Aead(pin_key).open(env.wrapped, ad)
            if user_key is None:
                self._count_wrong_pin(env, keystore, now)
                raise WrongPassphrase("wrong PIN", tried="pin")
            if env.failures:
                reset = header_mod.PinEnvelope(env.kdf, env.wrapped, env.keystore_ref)
                self._save_header(self._header.with_pin(reset))
            if self.locked:
                self._load(keys.UserKeys(user_key))

    def remove_pin(self, keystore: Keystore) -> None:
        with self._mutex:
            self._drop_pin(keystore)

    def _count_wrong_pin(self, env: header_mod.PinEnvelope, keystore: Keystore, now: float) -> None:
        failures = env.failures + 1
        if failures >= self._max_pin_failures:
            self._drop_pin(keystore)
            raise PinDisabled("too many wrong PINs")
        wait = min(PIN_BACKOFF_BASE * 2 ** (failures - 1), PIN_BACKOFF_MAX)
        counted = header_mod.PinEnvelope(
            env.kdf, env.wrapped, env.keystore_ref, failures, now + wait
        )
        self._save_header(self._header.with_pin(counted))

    def _drop_pin(self, keystore: Keystore) -> None:
        env = self._header.pin
        if env is not None:
            keystore.delete(env.keystore_ref)
            self._save_header(self._header.with_pin(None))

    # ---- records ---------------------------------------------------------------------

    def tick(self) -> str:
        """A fresh hybrid-logical-clock stamp for a change made on this device."""
        return self._clock.tick()

    def observe(self, stamp: str) -> None:
        """Fold in a clock stamp seen on a record from another device."""
        self._clock.observe(stamp)

    def put(self, record: Record) -> None:
        self.put_many([record])

    def put_many(
        self,
        records: Iterable[Record],
        local: dict[str, Any] | None = None,
        *,
        from_server: bool = False,
    ) -> None:
        """Durable when it returns: the records, any new case keys and a patch of the local
        state, all in one fsync'd frame.

        A local edit of a record that is in sync with the server first keeps the synced
        version as the *base* that a later conflict merge needs; `from_server` skips that.
        """
        with self._mutex:
            ring = self._require_ring()
            batch = list(records)
            # A gezin new on this phone gets its case key (epoch 1). Never for what came from
            # the server (a colleague's gezin: its keys come from its membership log) nor for
            # a membership entry (signed, not sealed).
            new_keys = [
                self._new_case_key(case_id)
                for case_id in dict.fromkeys(
                    r.case_id for r in batch if r.kind != sealing.MEMBERSHIP_KIND
                )
                if case_id is not None
                and not from_server
                and case_id not in ring.case_keys
                and not any(r.kind == CASE_KEY_KIND and r.case_id == case_id for r in batch)
            ]
            docs = [to_dict(r) for r in [*new_keys, *batch]]
            patch = dict(local or {})
            if not from_server:
                # The last door: no text that is not valid Unicode is ever stored (sealing
                # it for sync would fail). Services refuse it per field before this.
                check_unicode(docs, "input")
                bases = self._bases_for(docs)
                if bases:
                    patch.setdefault("merge", {}).setdefault("bases", {}).update(bases)
            frame: dict[str, Any] = {"put": docs}
            if patch:
                frame["local"] = patch
            self._append(json.dumps(frame, separators=(",", ":")).encode("utf-8"))
            for doc in docs:
                self._apply(doc, ring)
                self._clock.observe(doc["hlc"])
            if patch:
                self._apply_local(patch, ring)
            self._maybe_compact()

    def update_local(self, patch: dict[str, Any]) -> None:
        """Durably change device-local state (sync settings, cursor, acknowledgements).

        `patch` = {"set": {key: value}, "merge": {key: {sub: value}}, "drop": {key: [sub]}}.
        """
        self.put_many([], patch)

    def local(self, key: str, default: Any = None) -> Any:
        """Device-local state that never syncs (kept encrypted like everything else)."""
        with self._mutex:
            self._require_ring()
            return self._local.get(key, default)

    def set_account_key(self, account_key: bytes) -> None:
        """The user key of the account, when this vault was created before enrolment with
        a key of its own: user-scoped records are sealed under the account's key."""
        self.update_local({"set": {"account_key": b64encode(account_key)}})

    def wipe(self) -> None:
        """Destroy this vault: the header (the only copy of the wrapped key) is overwritten
        first, so even a copy of the rest can never be decrypted again."""
        with self._mutex:
            self.lock()
            header_path = self.data_dir / header_mod.FILE_NAME
            size = header_path.stat().st_size if header_path.exists() else 0
            for name in (header_mod.FILE_NAME, snapshot.FILE_NAME, journal.FILE_NAME):
                path = self.data_dir / name
                if path.exists():
                    with open(path, "r+b") as handle:
                        handle.write(b"\0" * (size if name == header_mod.FILE_NAME else 4096))
                        handle.flush()
                        os.fsync(handle.fileno())
                    path.unlink()
            self._file_lock.release()

    def get(self, kind: str, record_id: str) -> Record | None:
        """A live record, or None (missing or deleted)."""
        with self._mutex:
            self._require_ring()
            doc = self._index.get(kind, record_id)
            return from_dict(doc) if doc is not None else None

    def latest(self, record_id: str) -> Record | None:
        """The newest revision of any record, tombstones included (for sync)."""
        with self._mutex:
            self._require_ring()
            doc = self._index.latest(record_id)
            return from_dict(doc) if doc is not None else None

    def find(self, kind: str, cond: QueryLike | None = None) -> list[Record]:
        with self._mutex:
            self._require_ring()
            return [from_dict(doc) for doc in self._index.find(kind, cond)]

    def all_records(self) -> list[Record]:
        """Newest revision of every record, tombstones included (the sync outbox scans it)."""
        with self._mutex:
            self._require_ring()
            return [from_dict(doc) for doc in self._index.everything()]

    def unsynced(self, skip_kinds: frozenset[str] = frozenset()) -> list[Record]:
        """Records whose newest revision the server has not acknowledged: the sync outbox."""
        with self._mutex:
            self._require_ring()
            key = (self._changes, skip_kinds)
            if self._outbox is None or self._outbox[0] != key:
                acked = self._local.get("acked", {})
                none = (None, None)
                docs = []
                for doc in self._index.everything():  # a scan of every record: kept lean
                    rev, hlc = acked.get(doc["id"], none)
                    if (rev != doc["rev"] or hlc != doc["hlc"]) and doc["kind"] not in skip_kinds:
                        docs.append(doc)
                self._outbox = (key, docs)
            return [from_dict(doc) for doc in self._outbox[1]]

    def is_synced(self, record: Record) -> bool:
        """True if the server acknowledged exactly this revision (same rev and clock stamp)."""
        with self._mutex:
            return self._synced(record)

    def account_key(self) -> bytes:
        """The account's user key: escrowed at enrolment, shared by all the user's devices."""
        with self._mutex:
            user = self._require_keys()
            stored = self._local.get("account_key")
            return b64decode(stored) if stored else user.user_key

    def count(self, kind: str) -> int:
        with self._mutex:
            self._require_ring()
            return self._index.count(kind)

    def seal(self, record: Record) -> dict[str, Any]:
        """The record as it leaves the phone: payload sealed under its case or user key."""
        with self._mutex:
            return sealing.seal(record, self._require_ring())

    def sealed(self, record_id: str) -> dict[str, Any] | None:
        """The newest revision of a stored record, sealed for sync."""
        record = self.latest(record_id)
        return None if record is None else self.seal(record)

    def unseal(self, sealed: dict[str, Any]) -> Record:
        """Open a record that came from the server; VaultCorrupt if it fails authentication."""
        with self._mutex:
            return sealing.unseal(sealed, self._require_ring())

    def add_case_keys(self, case_id: str, epoch_keys: Mapping[int, bytes]) -> None:
        """Hold further key epochs of a gezin (from its checked membership log) until the
        vault locks; the team layer adds them again after every unlock. New records of
        the gezin are sealed under the newest epoch held."""
        with self._mutex:
            ring = self._require_ring()
            for epoch, key in epoch_keys.items():
                ring.add(case_id, epoch, key)

    def case_keys(self, case_id: str) -> dict[int, bytes]:
        """Every key epoch held for a gezin (its `case_key` is epoch 1), oldest first."""
        with self._mutex:
            return self._require_ring().keys(case_id)

    def compact(self) -> None:
        """Fold the journal into a new snapshot now."""
        with self._mutex, _storage_errors():
            self._write_snapshot(self._require_keys())

    # ---- internals -------------------------------------------------------------------

    def _require_keys(self) -> keys.UserKeys:
        if self._keys is None:
            raise VaultLocked("vault is locked")
        return self._keys

    def _require_ring(self) -> KeyRing:
        if self._ring is None:
            raise VaultLocked("vault is locked")
        return self._ring

    def _new_case_key(self, case_id: str) -> Record:
        # Id derived from the case: one case key record per case, whichever device adds to it.
        return Record(
            id=f"{case_id}.key",
            kind=CASE_KEY_KIND,
            case_id=case_id,
            rev=1,
            base_rev=0,
            device_id=self.device_id,
            hlc=self.tick(),
            data={"key": b64encode(keys.new_case_key()), "v": 1},
        )

    def _bases_for(self, docs: list[dict[str, Any]]) -> dict[str, Any]:
        bases = self._local.get("bases", {})
        found = {}
        for doc in docs:
            previous = self._index.latest(doc["id"])
            if previous is not None and doc["id"] not in bases and self._synced(previous):
                found[doc["id"]] = dict(previous)
        return found

    def _synced(self, doc: dict[str, Any] | Record) -> bool:
        raw = doc if isinstance(doc, dict) else to_dict(doc)
        return self._local.get("acked", {}).get(raw["id"]) == [raw["rev"], raw["hlc"]]

    def _apply_local(self, patch: dict[str, Any], ring: KeyRing) -> None:
        self._changes += 1
        for key, value in patch.get("set", {}).items():
            self._local[key] = value
        for key, values in patch.get("merge", {}).items():
            self._local.setdefault(key, {}).update(values)
        for key, subkeys in patch.get("drop", {}).items():
            target = self._local.get(key, {})
            for sub in subkeys:
                target.pop(sub, None)
        if "account_key" in patch.get("set", {}):
            ring.user_seal = _account_seal(self._local["account_key"])

    def _apply(self, doc: dict[str, Any], ring: KeyRing) -> None:
        self._changes += 1
        self._index.put(doc)
        if doc["kind"] == CASE_KEY_KIND and not doc["deleted"]:
            ring.add(doc["case_id"], 1, b64decode(doc["data"]["key"]))

    def _save_header(self, head: header_mod.Header) -> None:
        header_mod.save(self.data_dir, head)
        self._header = head

    def _load(self, user: keys.UserKeys) -> None:
        vault_id = self._header.vault_id
        snap_path = self.data_dir / snapshot.FILE_NAME
        snap_header, body, self._snapshot_size = snapshot.read(snap_path, user.storage, vault_id)
        self._changes += 1
        self._generation = snap_header.generation
        report: dict[str, Any] = {}
        jpath = self.data_dir / journal.FILE_NAME
        replay = self._read_journal(jpath, user, report)
        try:
            fmt = min(snap_header.format, replay.header.format)
            docs = body["records"]
            local = body.get("local", {})
            parsed = [json.loads(p) for p in replay.payloads]
            frames = [f.get("put", []) for f in parsed]
            if fmt < CURRENT_FORMAT:
                docs = [migrate(d, fmt) for d in docs]
                frames = [[migrate(d, fmt) for d in frame] for frame in frames]
                report["migrated_from"] = fmt
            ring = KeyRing(user.user_seal)
            self._index.clear()
            self._index.load(docs)
            for doc in docs:
                if doc["kind"] == CASE_KEY_KIND and not doc["deleted"]:
                    ring.add(doc["case_id"], 1, b64decode(doc["data"]["key"]))
            self._local = local
            if "account_key" in local:
                ring.user_seal = _account_seal(local["account_key"])
            for frame, whole in zip(frames, parsed, strict=True):
                for doc in frame:
                    self._apply(doc, ring)
                if "local" in whole:
                    self._apply_local(whole["local"], ring)
            latest = max((d["hlc"] for d in docs), default=None)
            for frame in frames:
                for doc in frame:
                    latest = max(latest or doc["hlc"], doc["hlc"])
        except (KeyError, TypeError, ValueError) as exc:
            self._index.clear()
            self._local = {}
            raise VaultCorrupt(f"vault records malformed ({type(exc).__name__})") from None
        if latest:
            self._clock.observe(latest)
        if replay.torn_bytes:
            report["discarded_tail_bytes"] = replay.torn_bytes
            log.warning("vault: discarded an unfinished last change (%d bytes)", replay.torn_bytes)
        self._keys, self._ring = user, ring
        self._writer = journal.JournalWriter(
            jpath, user.storage, replay.header, len(replay.payloads), replay.valid_length
        )
        self.open_report = report
        if "migrated_from" in report:
            self._write_snapshot(user)
        if self._header.format != CURRENT_FORMAT:
            # Also finishes a migration that crashed after its snapshot was written.
            self._save_header(dataclasses.replace(self._header, format=CURRENT_FORMAT))

    def _read_journal(self, jpath: Path, user: keys.UserKeys, report: dict) -> journal.Replay:
        vault_id = self._header.vault_id
        replay = journal.read(jpath, user.storage, vault_id, allow_damaged_tail=self._repair)
        generation = replay.header.generation
        if generation == self._generation:
            return replay
        if generation == self._generation - 1 and not replay.torn_bytes:
            # A crash between a new snapshot and its new journal: those frames are all in the
            # snapshot already. Start the journal of the snapshot's generation.
            jheader = FileHeader(journal.MAGIC, CURRENT_FORMAT, self._generation, vault_id)
            length = journal.create(jpath, user.storage, jheader)
            report["finished_interrupted_snapshot"] = True
            return journal.Replay(jheader, [], length, 0)
        raise VaultCorrupt("journal does not belong to the snapshot")

    def _append(self, payload: bytes) -> None:
        """One frame, durable when this returns; a full disk is StorageFull and nothing is
        written (a partial frame is cut off again)."""
        with _storage_errors():
            if self._writer is None:  # a snapshot was written but its journal was not
                self._start_journal(self._require_keys())
            assert self._writer is not None
            self._writer.append(payload)

    def _maybe_compact(self) -> None:
        """Fold the journal into a snapshot when it has grown. The change that triggers it is
        durable already, so a failure here (a full disk) is only a warning: the journal
        keeps everything and the snapshot is tried again after some more growth."""
        if self._writer is None:
            return
        # Snapshot when the journal outgrows half the snapshot: amortised O(1) per save,
        # capped so that replay at the next unlock stays short.
        limit = min(max(self._snapshot_size // 2, self._journal_min), self._journal_max)
        if self._writer.size <= max(limit, self._compact_after):
            return
        try:
            self._write_snapshot(self._require_keys())
        except OSError as exc:
            self.storage_warning = "disk_full" if exc.errno in _FULL else "write_failed"
            log.warning(
                "vault: snapshot not written (%s); kept in the journal, retried later",
                errno.errorcode.get(exc.errno or 0, "OSError"),
            )
            grown = self._writer.size if self._writer is not None else 0
            self._compact_after = grown + max(self._journal_min // 4, 1)
        else:
            self.storage_warning = None
            self._compact_after = 0

    def _write_snapshot(self, user: keys.UserKeys) -> None:
        if self._writer is None:
            # The last snapshot's journal is still to be started: without it a newer
            # snapshot would not match the journal on disk.
            self._start_journal(user)
        vault_id = self._header.vault_id
        generation = self._generation + 1
        self._snapshot_size = snapshot.write(
            self.data_dir / snapshot.FILE_NAME,
            user.storage,
            FileHeader(snapshot.MAGIC, CURRENT_FORMAT, generation, vault_id),
            self._index.everything(),
            self._local,
        )
        # From here the snapshot holds everything; the old journal must take no more frames
        # (at the next open it counts as the snapshot's predecessor and is dropped). A crash,
        # or a full disk, before the new journal is in place leaves the old one, which
        # `_read_journal` recognises by its generation; `_append` starts it at the next save.
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._generation = generation
        self._start_journal(user)

    def _start_journal(self, user: keys.UserKeys) -> None:
        jheader = FileHeader(journal.MAGIC, CURRENT_FORMAT, self._generation, self._header.vault_id)
        jpath = self.data_dir / journal.FILE_NAME
        length = journal.create(jpath, user.storage, jheader)
        self._writer = journal.JournalWriter(jpath, user.storage, jheader, 0, length)


_FULL = (errno.ENOSPC, errno.EDQUOT)


@contextlib.contextmanager
def _storage_errors() -> Iterator[None]:
    """A full disk becomes StorageFull (its own sentence); other I/O errors pass unchanged."""
    try:
        yield
    except OSError as exc:
        if exc.errno in _FULL:
            raise StorageFull("no space left on the device") from None
        raise


def _account_seal(account_key_b64: str) -> Aead:
    return keys.UserKeys(b64decode(account_key_b64)).user_seal
