"""One sync round: pull what changed, merge it with local edits, push the outbox.

Durability rules (docs/sync-protocol.md): a pulled page, the records merged from
it and the new cursor are stored in one vault frame, so an interrupted pull
resumes exactly where it stopped; an outbox entry is cleared (acknowledged) only
when the server accepted that revision. Nothing here blocks an event loop: the
UI runs `sync()` in a worker thread.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from app.core import records
from app.core.errors import DeviceRevoked, ServerRejected, UntrustedAnswer, VaultCorrupt
from app.core.records import Record
from app.sync import catalogue, protocol
from app.sync.merge import merge
from app.sync.transport import ServerClient
from app.vault import Vault
from app.vault.sealing import CASE_KEY_KIND

CONFLICT_KIND = "conflict"
LOCAL_KINDS = frozenset({CONFLICT_KIND})  # never leave the phone
_PUSH_ORDER = {CASE_KEY_KIND: 0, "case": 1}


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    pending: int = 0
    catalogue: str | None = None  # "updated", or why an offered catalogue was refused
    bytes_up: int = 0  # request bodies on the wire
    bytes_down: int = 0  # response bodies on the wire

    def as_dict(self) -> dict[str, int]:
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "conflicts": self.conflicts,
            "pending": self.pending,
        }


def pending(vault: Vault) -> list[Record]:
    """The outbox: records whose newest revision the server has not acknowledged."""
    refused = vault.local("refused", {})
    out = [r for r in vault.unsynced(skip_kinds=LOCAL_KINDS) if r.id not in refused]
    return sorted(out, key=lambda r: (_PUSH_ORDER.get(r.kind, 2), r.hlc))


class SyncEngine:
    def __init__(
        self,
        vault: Vault,
        client: ServerClient,
        batch: int = protocol.DEFAULT_BATCH,
        page: int = protocol.DEFAULT_PAGE,
    ) -> None:
        self.vault = vault
        self.client = client
        self.batch = batch
        self.page = page
        self.right_ids: frozenset[str] | None = None

    def sync(self) -> SyncReport:
        report = SyncReport()
        try:
            self._refresh_catalogue(report)
            for _round in range(4):
                self._pull(report)
                if not self._push(report):
                    break
            report.pending = len(pending(self.vault))
            self.client.status(report.pending)
        except ServerRejected as exc:
            if exc.details.get("wipe"):
                self._wipe()
            raise
        finally:
            report.bytes_up, report.bytes_down = self.client.bytes_sent, self.client.bytes_received
        self.vault.update_local({"set": {"last_sync": _now()}})
        return report

    # ---- catalogue -------------------------------------------------------------------

    def _refresh_catalogue(self, report: SyncReport) -> None:
        """Take the organisation's newer signed catalogue, if it offers one; one that fails
        verification is refused (the reason is kept) and the previous one stays in use."""
        key = (self.vault.local("server") or {}).get("catalogue_key")
        current = catalogue.in_use(self.vault.local("catalogue"))
        self.right_ids = catalogue.allowed_right_ids(current)
        if not key:
            return
        offered = self.client.catalogue(current["version"])
        if not offered:
            return
        try:
            newer = catalogue.accept(offered, key, current)
        except UntrustedAnswer as exc:
            report.catalogue = str(exc)
            self.vault.update_local({"set": {"catalogue_refused": str(exc)}})
            return
        if newer is not None:
            stored = {"text": offered["text"], "signature": offered["signature"]}
            self.vault.update_local({"set": {"catalogue": stored, "catalogue_refused": None}})
            self.right_ids = catalogue.allowed_right_ids(newer)
            report.catalogue = "updated"

    # ---- push ------------------------------------------------------------------------

    def _push(self, report: SyncReport) -> bool:
        """Push the outbox in batches; True if another pull-and-push round is needed.

        The next batch is sealed on a worker thread while the current one is on the wire.
        """
        outbox = pending(self.vault)
        batches = [outbox[i : i + self.batch] for i in range(0, len(outbox), self.batch)]
        conflicted = False
        with ThreadPoolExecutor(max_workers=1) as sealer:
            upcoming = sealer.submit(self._seal, batches[0]) if batches else None
            for number, batch in enumerate(batches):
                assert upcoming is not None
                sealed = upcoming.result()
                if number + 1 < len(batches):
                    upcoming = sealer.submit(self._seal, batches[number + 1])
                for part in _by_size(sealed):
                    results = self.client.push(part)
                    conflicted |= self._acknowledge(batch, results, report)
        return conflicted

    def _seal(self, batch: list[Record]) -> list[dict[str, Any]]:
        return [self.vault.seal(r) for r in batch]

    def _acknowledge(self, batch: list[Record], results: list[dict], report: SyncReport) -> bool:
        """Record what the server accepted, in one vault frame; True if another round is
        needed (a conflict, or an edit made meanwhile that is now the next revision)."""
        by_id = {r.id: r for r in batch}
        acked: dict[str, list] = {}
        bases: dict[str, Any] = {}
        refused: dict[str, int] = {}
        done: list[str] = []
        rebased: list[Record] = []
        conflicted = False
        for result in results:
            record = by_id.get(result["id"])
            if record is None:
                continue
            if result["status"] == "accepted":
                acked[record.id] = [record.rev, record.hlc]
                current = self.vault.latest(record.id)
                if current is not None and current.hlc != record.hlc:
                    # Edited again while on the wire: that edit becomes the next revision.
                    rebased.append(_rebase(current, record))
                    bases[record.id] = records.to_dict(record)
                else:
                    done.append(record.id)
                report.pushed += 1
            elif result["status"] == "conflict":
                conflicted = True
            else:
                refused[record.id] = record.rev  # its id belongs to someone else: keep it here
        patch: dict[str, Any] = {
            "merge": {"acked": acked, "bases": bases, "refused": refused},
            "drop": {"bases": done},
        }
        self.vault.put_many(rebased, patch, from_server=True)
        return conflicted or bool(rebased)

    # ---- pull ------------------------------------------------------------------------

    def _pull(self, report: SyncReport) -> None:
        while True:
            cursor = self.vault.local("cursor", 0)
            page = self.client.pull(cursor, self.page)
            self._apply_page(page, report)
            if not page["has_more"]:
                return

    def _apply_page(self, page: dict[str, Any], report: SyncReport) -> None:
        sealed = page["records"]
        # Case keys first (in their own frame): later records of the page need them to open.
        keys = [s for s in sealed if s.get("kind") == CASE_KEY_KIND]
        if keys:
            self._store(keys, report, cursor=None)
        self._store(
            [s for s in sealed if s.get("kind") != CASE_KEY_KIND],
            report,
            cursor=page["next_cursor"],
        )

    def _store(self, sealed: list[dict[str, Any]], report: SyncReport, cursor: int | None) -> None:
        acked = self.vault.local("acked", {})
        to_put: list[Record] = []
        ack: dict[str, list] = {}
        new_bases: dict[str, Any] = {}
        drop: list[str] = []
        for item in sealed:
            try:
                protocol.check_record(item, self.right_ids)
            except protocol.ProtocolError as exc:
                raise UntrustedAnswer(f"server record refused ({exc})") from None
            known = acked.get(item["id"], [0, ""])[0]
            if item["rev"] < known:
                raise UntrustedAnswer("server answer goes back in time (rollback)")
            if item["rev"] == known:
                continue  # already have it (often our own push, echoed back)
            try:
                remote = self.vault.unseal(item)
            except VaultCorrupt as exc:
                raise UntrustedAnswer(f"server record refused ({exc})") from None
            local = self.vault.latest(remote.id)
            ack[remote.id] = [remote.rev, remote.hlc]
            report.pulled += 1
            if local is None or self.vault.is_synced(local):
                to_put.append(remote)  # nothing local to keep: take the server's
                drop.append(remote.id)
            elif local.rev == remote.rev and local.hlc == remote.hlc:
                drop.append(remote.id)  # our own push, whose answer we never heard
            elif remote.device_id == self.vault.device_id:
                # An earlier push of ours, since edited again here: the local version wins.
                to_put.append(_rebase(local, remote))
                new_bases[remote.id] = records.to_dict(remote)
            else:
                merged, conflicts = self._merge(local, remote)
                to_put += [merged, *conflicts]
                new_bases[remote.id] = records.to_dict(remote)
                report.conflicts += len(conflicts)
            self.vault.observe(remote.hlc)
        patch: dict[str, Any] = {
            "merge": {"acked": ack, "bases": new_bases},
            "drop": {"bases": drop},
        }
        if cursor is not None:
            patch["set"] = {"cursor": cursor}
        self.vault.put_many(to_put, patch, from_server=True)

    def _merge(self, local: Record, remote: Record) -> tuple[Record, list[Record]]:
        base = self.vault.local("bases", {}).get(local.id)
        result = merge(base, records.to_dict(local), records.to_dict(remote), local.kind)
        device, stamp = self.vault.device_id, self.vault.tick()
        if result.deleted:
            merged = records.tombstone(remote, device, stamp)
        else:
            merged = records.revise(remote, result.data, dict(remote.meta), device, stamp)
            merged = Record(
                **{
                    **records.to_dict(merged),
                    "meta": _meta_of(local, remote, result),
                    "case_id": _case_of(base, local, remote),
                }
            )
        conflicts = [
            records.create(
                CONFLICT_KIND,
                local.case_id,
                {
                    "record_id": local.id,
                    "record_kind": local.kind,
                    "field": name,
                    "local": mine,
                    "remote": theirs,
                    "at": _now(),
                },
                {},
                device,
                self.vault.tick(),
            )
            for name, mine, theirs in result.conflicts
        ]
        return merged, conflicts

    def _wipe(self) -> None:
        unsynced = len(pending(self.vault))
        self.vault.wipe()
        raise DeviceRevoked(unsynced)


def _by_size(sealed: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split a batch so that no request body nears the server's size limit."""
    parts: list[list[dict[str, Any]]] = [[]]
    size = 0
    for item in sealed:
        weight = len(item["payload"]) + 600
        if parts[-1] and size + weight > protocol.TARGET_BODY_BYTES:
            parts.append([])
            size = 0
        parts[-1].append(item)
        size += weight
    return [p for p in parts if p]


def _rebase(local: Record, remote: Record) -> Record:
    return Record(**{**records.to_dict(local), "rev": remote.rev + 1, "base_rev": remote.rev})


def _case_of(base: dict[str, Any] | None, local: Record, remote: Record) -> str | None:
    """A record moved to another gezin here (a signaal linked, two gezinnen merged) stays
    moved when the other device edited it meanwhile; otherwise the other device's gezin."""
    before = remote.case_id if base is None else base.get("case_id")
    return local.case_id if local.case_id != before else remote.case_id


def _meta_of(local: Record, remote: Record, result: Any) -> dict[str, Any]:
    """Metadata follows the merged content: recompute it with the record's own rules."""
    from app.core import cases, network, network_snapshot, notes

    if local.kind == network.KIND:
        return network.node_meta(network.Node.from_data(local.id, local.case_id or "", result.data))
    if local.kind == network_snapshot.KIND:
        snapshot = network_snapshot.Snapshot.from_data(local.id, local.case_id or "", result.data)
        return network_snapshot.snapshot_meta(snapshot)
    if local.kind == "case":
        return cases.case_meta(cases.Case.from_data(local.id, result.data))
    if local.kind == "note":
        return notes.note_meta(notes.Note.from_data(local.id, local.case_id, result.data))
    return dict(remote.meta)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
