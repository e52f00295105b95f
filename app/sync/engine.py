"""One sync round: pull what changed, merge it with local edits, push the outbox.

Durability rules (docs/sync-protocol.md): a pulled page, the records merged from
it and the new cursor are stored in one vault frame, so an interrupted pull
resumes exactly where it stopped; an outbox entry is cleared (acknowledged) only
when the server accepted that revision. Nothing here blocks an event loop: the
UI runs `sync()` in a worker thread.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from app.core import kinds, records
from app.core.errors import (
    DeviceRevoked,
    DichtbijError,
    ServerRejected,
    ServerUnreachable,
    UntrustedAnswer,
    VaultCorrupt,
)
from app.core.records import Record
from app.sync import catalogue, protocol
from app.sync.merge import merge
from app.sync.transport import ServerClient
from app.vault import Vault
from app.vault.sealing import CASE_KEY_KIND, MEMBERSHIP_KIND

CONFLICT_KIND = "conflict"
QUARANTINE = "quarantine"  # local state: record id → a record this phone cannot open
QUARANTINE_KEEP_BYTES = 64 * 1024  # sealed copies up to this size are kept to retry
LOCAL_KINDS = frozenset({CONFLICT_KIND})  # never leave the phone
IDENTITY_KIND = kinds.IDENTITY_KIND.name
INTENTS = "membership_intents"  # local state: our membership changes that lost a race
# Membership entries first: the server takes records under a new key epoch only after it.
_PUSH_ORDER = {MEMBERSHIP_KIND: 0, CASE_KEY_KIND: 1, "case": 2}
_ID_LIKE = re.compile(r"^[0-9a-z.-]{1,64}$")


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    pending: int = 0
    catalogue: str | None = None  # "updated", or why an offered catalogue was refused
    quarantined: int = 0  # records set aside in this sync: they cannot be opened here
    bytes_up: int = 0  # request bodies on the wire
    bytes_down: int = 0  # response bodies on the wire
    team_version: str | None = None  # the pull's digest of the team list (None: not said)

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
    return sorted(out, key=lambda r: (_PUSH_ORDER.get(r.kind, 3), r.hlc))


class SyncEngine:
    def __init__(
        self,
        vault: Vault,
        client: ServerClient,
        batch: int = protocol.DEFAULT_BATCH,
        page: int = protocol.DEFAULT_PAGE,
        on_membership: Callable[[], None] | None = None,
    ) -> None:
        """`on_membership`: called when membership entries came in or were accepted, so the
        team layer folds the logs again and holds the keys they open (app/team/sharing.py)."""
        self.vault = vault
        self.on_membership = on_membership
        self.client = client
        self.batch = batch
        self.page = page
        self.right_ids: frozenset[str] | None = None
        self._outbox_was_empty = False

    def sync(self) -> SyncReport:
        """Pull, merge, push; a pull that fails does not hold back the push (the error is
        raised after it)."""
        report = SyncReport()
        # the client may live across syncs: this sync's bytes are what it adds now
        sent, received = self.client.bytes_sent, self.client.bytes_received
        try:
            self._refresh_catalogue(report)
            for _round in range(4):
                pull_error = self._pull_or_error(report)
                again = self._push(report)
                if pull_error is not None:
                    raise pull_error
                if not again:
                    break
            report.pending = 0 if self._outbox_was_empty else len(pending(self.vault))
            # The server keeps the outbox size for the supervisor's data-at-risk view: tell
            # it only when it changed (a sync with nothing to do makes one request: the pull).
            told = self.vault.local("reported_pending")
            if told != report.pending:
                self.client.status(report.pending)
        except ServerRejected as exc:
            if exc.details.get("wipe"):
                self._wipe()
            raise
        finally:
            report.bytes_up = self.client.bytes_sent - sent
            report.bytes_down = self.client.bytes_received - received
        self._note_sync(report, told)
        return report

    def _note_sync(self, report: SyncReport, told: Any) -> None:
        """Store `last_sync`; a sync that changed nothing writes it at most once a minute
        (Meer shows it to the minute), so it costs no fsync."""
        now = _now()
        last = self.vault.local("last_sync") or ""
        quiet = not (report.pushed or report.pulled or report.quarantined) and told == 0
        if quiet and report.pending == 0 and last[:16] == now[:16]:
            return
        self.vault.update_local({"set": {"last_sync": now, "reported_pending": report.pending}})

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
        self._outbox_was_empty = not outbox
        conflicted = False
        if any(r.kind == MEMBERSHIP_KIND for r in outbox):
            conflicted = self._push_entries(report)
            outbox = [r for r in pending(self.vault) if r.kind != MEMBERSHIP_KIND]
        batches = [outbox[i : i + self.batch] for i in range(0, len(outbox), self.batch)]
        with ThreadPoolExecutor(max_workers=1) as sealer:
            upcoming = sealer.submit(self._seal, batches[0]) if batches else None
            for number, batch in enumerate(batches):
                assert upcoming is not None
                sealed = upcoming.result()
                if number + 1 < len(batches):
                    upcoming = sealer.submit(self._seal, batches[number + 1])
                for part in _by_size(sealed):
                    since = self.vault.local("cursor", 0)
                    answer = self.client.push_answer(part, since)
                    cursor = answer.get("next_cursor")
                    # Past our own push when nothing else came in since the last pull (no echo).
                    valid = isinstance(cursor, int) and not isinstance(cursor, bool)
                    after = cursor if valid and cursor > since else None
                    conflicted |= self._acknowledge(batch, answer["results"], report, after)
        return conflicted

    def _push_entries(self, report: SyncReport) -> bool:
        """Membership entries go alone and first (records are sealed under the keys of the
        entries the server took), and one epoch of a gezin at a time: an entry built on one
        that lost its epoch must not reach the server (it is made again on top of the
        winner after the pull). True if one lost (another round is needed)."""
        blocked: set[str | None] = set()
        conflicted = False
        while True:
            first: dict[str | None, Record] = {}
            for r in pending(self.vault):
                if r.kind == MEMBERSHIP_KIND and r.case_id not in blocked:
                    held = first.get(r.case_id)
                    if held is None or _epoch(r) < _epoch(held):
                        first[r.case_id] = r
            if not first:
                break
            batch = list(first.values())
            answer = self.client.push_answer(self._seal(batch))
            conflicted |= self._acknowledge(batch, answer["results"], report)
            by_id = {r.id: r for r in batch}
            for result in answer["results"]:
                if result["status"] != "accepted" and result["id"] in by_id:
                    blocked.add(by_id[result["id"]].case_id)
            blocked |= {r.case_id for r in batch if r.id not in self.vault.local("acked", {})}
        self._membership_changed()
        return conflicted

    def _seal(self, batch: list[Record]) -> list[dict[str, Any]]:
        return [self.vault.seal(r) for r in batch]

    def _acknowledge(
        self,
        batch: list[Record],
        results: list[dict],
        report: SyncReport,
        cursor: int | None = None,
    ) -> bool:
        """Record what the server accepted (and the pull cursor past it), in one vault frame;
        True if another round is needed (a conflict, or an edit made meanwhile that is now
        the next revision)."""
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
            "drop": {"bases": done, QUARANTINE: list(acked)},
        }
        if cursor is not None:
            patch["set"] = {"cursor": cursor}
        self.vault.put_many(rebased, patch, from_server=True)
        return conflicted or bool(rebased)

    # ---- pull ------------------------------------------------------------------------

    def _pull_or_error(self, report: SyncReport) -> DichtbijError | None:
        """Pull; an error is handed back so that the push still runs. A revoked device
        (wipe) is not: it must stop at once."""
        try:
            self._pull(report)
        except ServerUnreachable as exc:
            if exc.details.get("hung"):
                raise  # a server that says nothing at all would make the push wait as long
            return exc
        except ServerRejected as exc:
            if exc.details.get("wipe"):
                raise
            return exc
        except DichtbijError as exc:
            return exc
        return None

    def _pull(self, report: SyncReport) -> None:
        """Page after page until `has_more` is false. A server that keeps saying `has_more`
        is not followed for ever: an empty page, a cursor that does not advance, or
        MAX_PAGES pages end this pull (the next sync goes on from the stored cursor)."""
        for _ in range(protocol.MAX_PAGES):
            cursor = self.vault.local("cursor", 0)
            page = self.client.pull(cursor, self.page)
            try:
                protocol.check_page(page)
            except protocol.ProtocolError as exc:
                raise UntrustedAnswer(f"server page refused ({exc})") from None
            if page.get("team_version") is not None:  # on the last page
                report.team_version = page["team_version"]
            advanced = page["next_cursor"] > cursor
            if page["records"] or advanced:
                self._apply_page(page, report, page["next_cursor"] if advanced else None)
            if not (page["has_more"] and page["records"] and advanced):
                break
        self._retry_quarantine(report)

    def _apply_page(self, page: dict[str, Any], report: SyncReport, cursor: int | None) -> None:
        sealed = page["records"]
        # Case keys and membership entries first (in their own frames): later records of
        # the page need the keys they hold to open.
        first = (CASE_KEY_KIND, MEMBERSHIP_KIND)
        keys = [s for s in sealed if s.get("kind") == CASE_KEY_KIND]
        if keys:
            self._store(keys, report, cursor=None)
        entries = [s for s in sealed if s.get("kind") == MEMBERSHIP_KIND]
        if entries:
            self._store(entries, report, cursor=None)
            self._membership_changed()
        self._store([s for s in sealed if s.get("kind") not in first], report, cursor)

    def _membership_changed(self) -> None:
        if self.on_membership is not None:
            self.on_membership()

    def _retry_quarantine(self, report: SyncReport) -> None:
        """Records set aside earlier may open now (a case key arrived later): try once."""
        kept = self.vault.local(QUARANTINE, {})
        sealed = [entry["sealed"] for entry in kept.values() if entry.get("sealed")]
        if sealed:
            keys = [s for s in sealed if s.get("kind") == CASE_KEY_KIND]
            for part in (keys, [s for s in sealed if s.get("kind") != CASE_KEY_KIND]):
                if part:
                    self._store(part, report, cursor=None, retry=True)

    def _store(
        self,
        sealed: list[dict[str, Any]],
        report: SyncReport,
        cursor: int | None,
        retry: bool = False,
    ) -> None:
        """One page's records, merges, acknowledgements and cursor in one vault frame.
        A record that cannot be opened is set aside (QUARANTINE) and the rest goes on."""
        acked = self.vault.local("acked", {})
        kept = self.vault.local(QUARANTINE, {})
        to_put: list[Record] = []
        ack: dict[str, list] = {}
        new_bases: dict[str, Any] = {}
        drop: list[str] = []
        set_aside: dict[str, Any] = {}
        opened: list[str] = []
        intents: dict[str, Any] = {}
        set_aside_entries: dict[str, int] = {}
        for item in sealed:
            if not isinstance(item, dict) or not _ID_LIKE.match(str(item.get("id"))):
                raise UntrustedAnswer("server record refused (no record id)")
            try:
                protocol.check_record(item, self.right_ids)
                known = acked.get(item["id"], [0, ""])[0]
                if retry and item["rev"] <= known:
                    opened.append(item["id"])  # a later revision arrived meanwhile
                    continue
                if item["rev"] < known:
                    raise UntrustedAnswer("server answer goes back in time (rollback)")
                if item["rev"] == known:
                    continue  # already have it (often our own push, echoed back)
                remote = self.vault.unseal(item)
            except (protocol.ProtocolError, VaultCorrupt) as exc:
                entry = _quarantined(item, exc, kept.get(item["id"]))
                if entry != kept.get(item["id"]):
                    set_aside[item["id"]] = entry
                    report.quarantined += not retry
                local = self.vault.latest(item["id"])
                if (
                    local is not None
                    and not self.vault.is_synced(local)
                    and _fits(item)
                    and local.rev <= item["rev"]
                ):
                    # Our unsent edit goes on top of the revision that cannot be opened.
                    to_put.append(_renumber(local, item["rev"]))
                continue
            if remote.id in kept:
                opened.append(remote.id)
            local = self.vault.latest(remote.id)
            ack[remote.id] = [remote.rev, remote.hlc]
            report.pulled += 1
            if local is None or self.vault.is_synced(local):
                to_put.append(remote)  # nothing local to keep: take the server's
                drop.append(remote.id)
            elif remote.kind == MEMBERSHIP_KIND:
                # A colleague's entry took this epoch first: theirs stands (entries are never
                # merged). Ours, and those of ours built on it, are set aside (never pushed)
                # and made again on top of the winner by the team layer, if still needed.
                to_put.append(remote)
                drop.append(remote.id)
                if local.hlc != remote.hlc:
                    for stale in self._built_on(local):
                        intents[stale.id] = {
                            "case_id": stale.case_id,
                            "action": stale.data.get("action"),
                            "subject": stale.data.get("subject"),
                            "epoch": _epoch(stale),
                        }
                        if stale.id != remote.id:
                            set_aside_entries[stale.id] = stale.rev
            elif remote.kind == IDENTITY_KIND:
                # Two phones of a new account each made an identity: the one the server took
                # first stands (only its keys get published); ours is dropped, never merged.
                to_put.append(remote)
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
        if not (to_put or ack or new_bases or drop or set_aside or opened or cursor is not None):
            return  # nothing new: no frame (an empty page must not cost an fsync)
        patch: dict[str, Any] = {
            "merge": {
                "acked": ack,
                "bases": new_bases,
                QUARANTINE: set_aside,
                INTENTS: intents,
                "refused": set_aside_entries,
            },
            "drop": {"bases": drop, QUARANTINE: opened},
        }
        if cursor is not None:
            patch["set"] = {"cursor": cursor}
        self.vault.put_many(to_put, patch, from_server=True)

    def _built_on(self, entry: Record) -> list[Record]:
        """Our unsent entry and our unsent entries of the same gezin after it."""
        later = [
            r
            for r in self.vault.find(MEMBERSHIP_KIND)
            if r.case_id == entry.case_id
            and _epoch(r) > _epoch(entry)
            and not self.vault.is_synced(r)
        ]
        return [entry, *sorted(later, key=_epoch)]

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


def _epoch(entry: Record) -> int:
    epoch = entry.data.get("epoch")
    return epoch if isinstance(epoch, int) else 0


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
    return _renumber(local, remote.rev)


def _renumber(local: Record, on_top_of: int) -> Record:
    return Record(**{**records.to_dict(local), "rev": on_top_of + 1, "base_rev": on_top_of})


def _fits(item: dict[str, Any]) -> bool:
    return isinstance(item.get("rev"), int) and 0 < item["rev"] < 2**31 - 1


def _quarantined(item: dict[str, Any], error: Exception, before: Any) -> dict[str, Any]:
    """What is kept of a record that cannot be opened: never content, only the envelope
    codes, the reason, and (while small) the sealed copy itself, to retry it later."""
    keep = len(json.dumps(item)) <= QUARANTINE_KEEP_BYTES
    return {
        "kind": str(item.get("kind"))[:32],
        "rev": item.get("rev") if _fits(item) else None,
        "reason": str(error)[:120],
        "at": before["at"] if before and before.get("rev") == item.get("rev") else _now(),
        "sealed": item if keep else None,
    }


def _case_of(base: dict[str, Any] | None, local: Record, remote: Record) -> str | None:
    """A record moved to another gezin here (a signaal linked, two gezinnen merged) stays
    moved when the other device edited it meanwhile; otherwise the other device's gezin."""
    before = remote.case_id if base is None else base.get("case_id")
    return local.case_id if local.case_id != before else remote.case_id


def _meta_of(local: Record, remote: Record, result: Any) -> dict[str, Any]:
    """Metadata follows the merged content: recompute it with the kind's own rules."""
    kind = kinds.get(local.kind)
    if kind is None or kind.load is None:
        return dict(remote.meta)
    return kind.codes_of(local.id, local.case_id, result.data)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
