"""The vault: opens, unlocks, stores and locks the encrypted records of one device.

Open = read the snapshot + replay the journal's valid frames. Save = one
journal frame, fsync'd, then the in-memory index. When the journal grows past
a share of the snapshot it is folded into a new snapshot (amortised O(1) per save).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tinydb.queries import QueryLike

from app.core import hlc as hlc_mod
from app.core.errors import (
    PinBackoff,
    PinDisabled,
    VaultCorrupt,
    VaultExists,
    VaultLocked,
    VaultMissing,
    WrongPassphrase,
)
from app.core.records import Record
from app.vault import header as header_mod
from app.vault import journal, keys, snapshot
from app.vault.crypto import Aead, AuthenticationFailed, b64decode, b64encode
from app.vault.fileheader import FileHeader
from app.vault.filelock import FileLock
from app.vault.format import CURRENT_FORMAT, migrate_sealed
from app.vault.index import Index
from app.vault.keystore import Keystore
from app.vault.sealing import CASE_KEY_KIND, KeyRing, seal, unseal

log = logging.getLogger(__name__)

MAX_PIN_FAILURES = 5
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
    ) -> None:
        self.data_dir = data_dir
        self._file_lock = lock
        self._mutex = threading.RLock()
        self._header = header_mod.load(data_dir)
        self._journal_min = journal_min
        self._journal_max = journal_max
        self._repair = repair
        self._keys: keys.UserKeys | None = None
        self._ring: KeyRing | None = None
        self._index = Index()
        self._sealed: dict[str, dict[str, Any]] = {}
        self._writer: journal.JournalWriter | None = None
        self._generation = 0
        self._snapshot_size = 0
        self._clock = hlc_mod.HybridClock(self._header.device_id[:8])
        #: what opening had to repair, for the UI to mention (never content)
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
            return cls._initialise(data_dir, lock, passphrase, user_key, kdf, options)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _initialise(
        cls,
        data_dir: Path,
        lock: FileLock,
        passphrase: str,
        user_key: bytes,
        kdf: dict[str, int] | None,
        options: dict[str, Any],
    ) -> Vault:
        params = keys.new_kdf_params(**(kdf or keys.PASSPHRASE_KDF))
        vault_id = keys.new_user_key()[:16]
        draft = header_mod.new_header(params, b"", vault_id)
        kek = keys.derive_from_passphrase(passphrase, params).kek
        wrapped = Aead(kek).seal(user_key, draft.wrap_ad())
        head = header_mod.Header(vault_id, draft.device_id, params, wrapped)
        user = keys.UserKeys(user_key)
        # Snapshot and journal first, header last: a vault exists only once all three do.
        fh = FileHeader(snapshot.MAGIC, CURRENT_FORMAT, 1, vault_id)
        snapshot.write(data_dir / snapshot.FILE_NAME, user.storage, fh, {"records": []})
        jheader = FileHeader(journal.MAGIC, CURRENT_FORMAT, 1, vault_id)
        journal.create(data_dir / journal.FILE_NAME, user.storage, jheader)
        header_mod.save(data_dir, head)
        vault = cls(data_dir, lock, **options)
        vault._load(user)
        return vault

    @classmethod
    def open(cls, data_dir: Path, passphrase: str, **options: Any) -> Vault:
        """Open and unlock; a wrong passphrase raises WrongPassphrase and reads no record."""
        if not header_mod.exists(data_dir):
            raise VaultMissing("no vault in this directory")
        lock = FileLock(data_dir)
        try:
            vault = cls(data_dir, lock, **options)
            vault.unlock(passphrase)
            return vault
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open_locked(cls, data_dir: Path, **options: Any) -> Vault:
        """Hold the vault open but locked, e.g. to unlock later with a PIN."""
        if not header_mod.exists(data_dir):
            raise VaultMissing("no vault in this directory")
        lock = FileLock(data_dir)
        try:
            return cls(data_dir, lock, **options)
        except BaseException:
            lock.release()
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
            raise WrongPassphrase("wrong passphrase") from None

    def unlock(self, passphrase: str) -> None:
        user_key = self.check_passphrase(passphrase)
        with self._mutex:
            if self.locked:
                self._load(keys.UserKeys(user_key))

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
            pin_key = keys.derive_from_pin(pin, secret, env.kdf)
            try:
                user_key = Aead(pin_key).open(
                    env.wrapped, self._header.pin_ad(env.kdf, env.keystore_ref)
                )
            except AuthenticationFailed:
                failures = env.failures + 1
                if failures >= MAX_PIN_FAILURES:
                    self._drop_pin(keystore)
                    raise PinDisabled("too many wrong PINs") from None
                wait = min(PIN_BACKOFF_BASE * 2 ** (failures - 1), PIN_BACKOFF_MAX)
                self._save_header(
                    self._header.with_pin(
                        header_mod.PinEnvelope(
                            env.kdf, env.wrapped, env.keystore_ref, failures, now + wait
                        )
                    )
                )
                raise WrongPassphrase("wrong PIN") from None
            if env.failures:
                self._save_header(
                    self._header.with_pin(
                        header_mod.PinEnvelope(env.kdf, env.wrapped, env.keystore_ref)
                    )
                )
            if self.locked:
                self._load(keys.UserKeys(user_key))

    def set_pin(self, pin: str, keystore: Keystore, kdf: dict[str, int] | None = None) -> None:
        """Wrap a local copy of the user key under PIN + a new random device secret."""
        user = self._require_keys()
        with self._mutex:
            ref = keys.new_user_key()[:12].hex()
            secret = keys.new_user_key()
            keystore.put(ref, secret)
            params = keys.new_kdf_params(**(kdf or keys.PIN_KDF))
            pin_key = keys.derive_from_pin(pin, secret, params)
            wrapped = Aead(pin_key).seal(user.user_key, self._header.pin_ad(params, ref))
            old = self._header.pin
            self._save_header(self._header.with_pin(header_mod.PinEnvelope(params, wrapped, ref)))
            if old is not None:
                keystore.delete(old.keystore_ref)

    def remove_pin(self, keystore: Keystore) -> None:
        with self._mutex:
            self._drop_pin(keystore)

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
            self._sealed = {}

    def close(self) -> None:
        with self._mutex:
            self.lock()
            self._file_lock.release()

    # ---- records ---------------------------------------------------------------------

    def tick(self) -> str:
        """A fresh hybrid-logical-clock stamp for a change made on this device."""
        return self._clock.tick()

    def put(self, record: Record) -> None:
        self.put_many([record])

    def put_many(self, records: Iterable[Record]) -> None:
        """Durable when it returns: all records in one journal frame, fsync'd."""
        with self._mutex:
            ring = self._require_ring()
            batch = list(records)
            new_keys = [
                self._new_case_key(case_id)
                for case_id in dict.fromkeys(r.case_id for r in batch)
                if case_id is not None and case_id not in ring.case_keys
            ]
            batch = new_keys + batch
            assert self._writer is not None
            try:
                sealed = [seal(record, ring) for record in batch]
                payload = json.dumps({"put": sealed}, separators=(",", ":")).encode("utf-8")
                self._writer.append(payload)
            except BaseException:
                # Nothing reached the disk: forget keys that would otherwise seal lost records.
                for key_record in new_keys:
                    ring.case_keys.pop(key_record.case_id or "", None)
                raise
            for record, item in zip(batch, sealed, strict=True):
                self._sealed[record.id] = item
                if record.kind != CASE_KEY_KIND:
                    self._index.put(record)
                self._clock.observe(record.hlc)
            self._maybe_compact()

    def get(self, kind: str, record_id: str) -> Record | None:
        with self._mutex:
            self._require_ring()
            return self._index.get(kind, record_id)

    def find(self, kind: str, cond: QueryLike | None = None) -> list[Record]:
        with self._mutex:
            self._require_ring()
            return self._index.find(kind, cond)

    def count(self, kind: str) -> int:
        with self._mutex:
            self._require_ring()
            return self._index.count(kind)

    def sealed(self, record_id: str) -> dict[str, Any] | None:
        """The record as it is stored and synced (ciphertext payload), tombstones included."""
        with self._mutex:
            self._require_ring()
            return self._sealed.get(record_id)

    def compact(self) -> None:
        """Fold the journal into a new snapshot now."""
        with self._mutex:
            user = self._require_keys()
            self._write_snapshot(user)

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
        assert self._ring is not None
        key = keys.new_case_key()
        self._ring.case_keys[case_id] = Aead(key)
        # The case key record shares the case's id space but is a record of its own kind.
        return Record(
            id=f"{case_id}.key",
            kind=CASE_KEY_KIND,
            case_id=case_id,
            rev=1,
            base_rev=0,
            device_id=self.device_id,
            hlc=self.tick(),
            data={"key": b64encode(key), "v": 1},
        )

    def _save_header(self, head: header_mod.Header) -> None:
        header_mod.save(self.data_dir, head)
        self._header = head

    def _drop_pin(self, keystore: Keystore) -> None:
        env = self._header.pin
        if env is not None:
            keystore.delete(env.keystore_ref)
            self._save_header(self._header.with_pin(None))

    def _load(self, user: keys.UserKeys) -> None:
        vault_id = self._header.vault_id
        snap_path = self.data_dir / snapshot.FILE_NAME
        snap_header, body, self._snapshot_size = snapshot.read(snap_path, user.storage, vault_id)
        sealed: dict[str, dict[str, Any]] = {}
        for item in body.get("records", []):
            sealed[item["id"]] = item
        self._generation = snap_header.generation
        jpath = self.data_dir / journal.FILE_NAME
        report: dict[str, Any] = {}
        replay = self._read_journal(jpath, user)
        for payload in replay.payloads:
            for item in json.loads(payload)["put"]:
                sealed[item["id"]] = item
        if replay.torn_bytes:
            report["discarded_tail_bytes"] = replay.torn_bytes
            log.warning("vault: discarded an unfinished last change (%d bytes)", replay.torn_bytes)
        fmt = min(snap_header.format, replay.header.format)
        if fmt < CURRENT_FORMAT:
            sealed = {i: migrate_sealed(s, fmt) for i, s in sealed.items()}
            report["migrated_from"] = fmt

        ring = KeyRing(user.user_seal)
        records = self._decrypt_all(sealed, ring)
        self._keys, self._ring, self._sealed = user, ring, sealed
        self._index.clear()
        self._index.put_many([r for r in records if r.kind != CASE_KEY_KIND])
        latest = max((r.hlc for r in records), default=None)
        if latest:
            self._clock.observe(latest)
        self._writer = journal.JournalWriter(
            jpath, user.storage, replay.header, len(replay.payloads), replay.valid_length
        )
        self.open_report = report
        if "migrated_from" in report:
            self._write_snapshot(user)

    def _read_journal(self, jpath: Path, user: keys.UserKeys) -> journal.Replay:
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
            return journal.Replay(jheader, [], length, 0)
        raise VaultCorrupt("journal does not belong to the snapshot")

    @staticmethod
    def _decrypt_all(sealed: dict[str, dict[str, Any]], ring: KeyRing) -> list[Record]:
        records: list[Record] = []
        key_items = [s for s in sealed.values() if s["kind"] == CASE_KEY_KIND]
        for item in key_items:
            record = unseal(item, ring)
            records.append(record)
            if not record.deleted:
                ring.case_keys[record.case_id] = Aead(b64decode(record.data["key"]))
        for item in sealed.values():
            if item["kind"] != CASE_KEY_KIND:
                records.append(unseal(item, ring))
        return records

    def _maybe_compact(self) -> None:
        assert self._writer is not None
        limit = min(max(self._snapshot_size // 2, self._journal_min), self._journal_max)
        if self._writer.size > limit:
            self._write_snapshot(self._require_keys())

    def _write_snapshot(self, user: keys.UserKeys) -> None:
        vault_id = self._header.vault_id
        generation = self._generation + 1
        body = {"records": list(self._sealed.values())}
        self._snapshot_size = snapshot.write(
            self.data_dir / snapshot.FILE_NAME,
            user.storage,
            FileHeader(snapshot.MAGIC, CURRENT_FORMAT, generation, vault_id),
            body,
        )
        # From here the snapshot holds everything; a crash before the next line leaves a
        # stale journal that `_load` recognises by its older generation.
        jheader = FileHeader(journal.MAGIC, CURRENT_FORMAT, generation, vault_id)
        jpath = self.data_dir / journal.FILE_NAME
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        length = journal.create(jpath, user.storage, jheader)
        self._generation = generation
        self._writer = journal.JournalWriter(jpath, user.storage, jheader, 0, length)
