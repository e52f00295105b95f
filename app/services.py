"""The one facade the UI and the CLI use: gezinnen, notes and the vault's lifecycle.

Everything below it (core rules, the vault, later sync) stays hidden. Methods
are synchronous and may block (KDF, fsync): Flet handlers call them through
`asyncio.to_thread`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.core import cases as case_rules
from app.core import checklist, kinds, method, records
from app.core import notes as note_rules
from app.core.cases import Case
from app.core.checklist import RightCheck
from app.core.dates import parse_day
from app.core.errors import DeviceRevoked, InvalidInput, NotEnrolled, NotFound
from app.core.localtime import local_day
from app.core.localtime import today as local_today
from app.core.notes import Note
from app.core.passphrase import check_passphrase
from app.core.timeline import Event, attempt_ratio, timeline
from app.core.today import NOT_SEEN_WEEKS, today_items
from app.core.today import Item as TodayItem
from app.facade.netwerkkaart import Netwerkkaart
from app.facade.rights import Rights
from app.facade.signalen import Signalen
from app.sync import enrolment
from app.sync.engine import CONFLICT_KIND, QUARANTINE, SyncEngine, SyncReport, pending
from app.sync.transport import ServerClient, TlsConfig
from app.team.team_data import TeamData
from app.vault import Vault
from app.vault.index import where
from app.vault.keystore import Keystore

EXPORT_FORMAT = "dichtbij-export"
EXPORT_VERSION = 1


@dataclass
class _Shared:
    vault: Vault
    handles: int


# One open Vault per directory per process: two browser tabs of the web build
# share it instead of opening it twice (the file lock would refuse the second).
_open: dict[Path, _Shared] = {}
_open_mutex = threading.Lock()


def open_vault(
    data_dir: str | Path,
    passphrase: str,
    create: bool = False,
    *,
    kdf: dict[str, int] | None = None,
    now: Callable[[], dt.datetime] | None = None,
    user_key: bytes | None = None,
    **vault_options: Any,
) -> Services:
    """Open (or with `create=True`, create if missing) the vault in `data_dir`.

    A wrong passphrase raises WrongPassphrase before any record is read.
    """
    path = Path(data_dir).expanduser().resolve()
    with _open_mutex:
        shared = _open.get(path)
        if shared is not None:
            if shared.vault.locked:
                shared.vault.unlock(passphrase)
            else:
                shared.vault.check_passphrase(passphrase)
            shared.handles += 1
            return Services(shared.vault, path, now)
        if create and not (path / "vault.json").exists():
            check_passphrase(passphrase)
            vault = Vault.create(path, passphrase, user_key=user_key, kdf=kdf, **vault_options)
        else:
            vault = Vault.open(path, passphrase, **vault_options)
        _open[path] = _Shared(vault, 1)
        return Services(vault, path, now)


def open_locked(data_dir: str | Path, **vault_options: Any) -> Services:
    """Hold the vault without unlocking it, to unlock it with the PIN."""
    path = Path(data_dir).expanduser().resolve()
    with _open_mutex:
        shared = _open.get(path)
        if shared is None:
            shared = _open[path] = _Shared(Vault.open_locked(path, **vault_options), 0)
        shared.handles += 1
        return Services(shared.vault, path, None)


def enroll(
    data_dir: str | Path,
    passphrase: str,
    server: str,
    code: str,
    *,
    ca_file: str | None = None,
    fingerprint: str | None = None,
    device_name: str = "toestel",
    kdf: dict[str, int] | None = None,
    **vault_options: Any,
) -> Services:
    """Enrol this device with a one-time code; creates the vault when there is none.

    A vault used offline before keeps its data: it is pushed at the next sync.
    """
    handles: list[Services] = []

    def open_local(user_key: bytes | None) -> Vault:
        app = open_vault(
            data_dir, passphrase, create=True, kdf=kdf, user_key=user_key, **vault_options
        )
        handles.append(app)
        return app.vault

    tls = TlsConfig(ca_file=ca_file, fingerprint=fingerprint)
    try:
        enrolment.enrol(open_local, passphrase, server, code, tls, device_name, kdf)
    except BaseException:
        for app in handles:
            app.close()
        raise
    return handles[0]


def _release(path: Path, vault: Vault) -> None:
    with _open_mutex:
        shared = _open.get(path)
        if shared is None or shared.vault is not vault:
            return
        shared.handles -= 1
        if shared.handles == 0:
            del _open[path]
            vault.close()


def _forget(path: Path) -> None:
    with _open_mutex:
        _open.pop(path, None)


class Services(Netwerkkaart, Rights, Signalen, TeamData):
    """A handle on one open vault. `close()` releases it; the last handle closes the vault."""

    def __init__(self, vault: Vault, path: Path, now: Callable[[], dt.datetime] | None) -> None:
        self._vault = vault
        self._path = path
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._closed = False
        self._catalogue: tuple[str, dict[str, Any]] | None = None
        # The server's client between syncs, and what it was made for: its HTTP connection
        # stays open. Dropped with the lock, since it holds the device credential.
        self._client: ServerClient | None = None
        self._client_for: tuple[Any, ...] = ()
        self._sync_lock = threading.Lock()  # one sync at a time on this handle
        if not vault.locked:
            self.open_shared_keys()  # epoch keys live in memory only: again after each unlock

    # ---- lifecycle -------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self._vault.locked

    @property
    def vault(self) -> Vault:
        """For the sync layer and tests; the UI never needs it."""
        return self._vault

    def lock(self) -> None:
        self._drop_client()
        self._vault.lock()

    def unlock(self, passphrase: str) -> None:
        self._vault.unlock(passphrase)
        self.open_shared_keys()

    # ---- PIN -------------------------------------------------------------------------

    @property
    def has_pin(self) -> bool:
        return self._vault.has_pin

    def set_pin(self, pin: str, keystore: Keystore, allow_weak_keystore: bool = False) -> None:
        """A short daily PIN, only together with a device secret in `keystore` (slow: KDF)."""
        self._vault.set_pin(pin, keystore, allow_weak_keystore=allow_weak_keystore)

    def unlock_with_pin(self, pin: str, keystore: Keystore) -> None:
        self._vault.unlock_with_pin(pin, keystore)
        self.open_shared_keys()

    def remove_pin(self, keystore: Keystore) -> None:
        self._vault.remove_pin(keystore)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._drop_client()
            _release(self._path, self._vault)

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- gezinnen --------------------------------------------------------------------

    def add_case(self, name: str, **fields: Any) -> str:
        case_id = records.new_id()
        case = case_rules.new_case(case_id, name, self._stamp(), **fields)
        self._save_new(
            case_rules.KIND, case_id, case.to_data(), case_rules.case_meta(case), case_id
        )
        self._new_case_made(case_id)
        return case_id

    def cases(self, search: str = "") -> list[Case]:
        """All gezinnen, most recently touched first; `search` matches name or members."""
        found = [Case.from_data(r.id, r.data) for r in self._vault.find(case_rules.KIND)]
        needle = search.strip().casefold()
        if needle:
            found = [c for c in found if _matches(c, needle)]
        last_seen = self._last_activity()
        return sorted(found, key=lambda c: last_seen.get(c.id, c.created_at), reverse=True)

    def edit_case(self, case_id: str, **changes: Any) -> None:
        self._save_case(case_id, lambda case: case_rules.edit_case(case, **changes))

    def set_phase(self, case_id: str, phase: str) -> None:
        at = self._stamp()
        self._save_case(case_id, lambda case: case_rules.change_phase(case, phase, at))

    def set_status(self, case_id: str, status: str, revisit: str | None = None) -> None:
        at = self._stamp()
        self._save_case(case_id, lambda case: case_rules.change_status(case, status, at, revisit))

    # ---- steps of the method (assets/method.json) ------------------------------------

    def phase_guidance(self, case_id: str) -> method.Guidance:
        return method.guidance(self.case(case_id).phase, self.local_today())

    def attempt_offer(self, reason: str, setting: str | None = None) -> method.AttemptOffer:
        """After a failed attempt: 'opnieuw proberen op …', and maybe a lager pitje."""
        return method.after_attempt(reason, self.local_today(), setting)

    def take_attempt_offer(self, note_id: str, time_out: bool = False) -> None:
        """Put the offered retry on the attempt note; with `time_out` also set the gezin on
        a lager pitje until that day (the client may refuse help for now)."""
        note = self.note(note_id)
        offer = self.attempt_offer(note.attempt_reason or "", note.setting)
        self.edit_note(note_id, follow_up=offer.follow_up())
        if time_out and note.case_id:
            self.set_status(note.case_id, "lager_pitje", offer.due)

    def call_back(self, case_id: str) -> str:
        """One tap: the client asked to be called back; a note with a follow-up for today."""
        reach = self.case(case_id).reach
        fields = method.callback_note(reach[0].channel if reach else None, self.local_today())
        return self.add_note(case_id, **fields)

    def reclarify_offer(self, note_id: str) -> list[str]:
        """The levensdomeinen this note brings up that the gezin never had before, while it
        is past vraagverduidelijking (then 'vraagverduidelijking hernemen?' is offered)."""
        note = self.note(note_id)
        if note.case_id is None:
            return []
        case = self.case(note.case_id)
        known = set(case.needs)
        for other in self.notes(note.case_id):
            if other.id != note_id:
                known.update(other.domains)
        return method.reclarify(case.phase, known, note.domains)

    def delete_case(self, case_id: str) -> None:
        """Erase a gezin and every record that goes with it (tombstones, so the erasure
        syncs); which kinds go with their gezin is in app/core/kinds.py."""
        case_record = self._record(case_rules.KIND, case_id)
        in_case = where("case_id") == case_id
        doomed = [case_record]
        for kind in kinds.ALL:
            if kind.with_case and kind.name != case_rules.KIND:
                doomed += self._vault.find(kind.name, in_case)
        doomed += self._vault.find(CONFLICT_KIND, in_case)  # local copies of conflicting text
        drafts = {"drop": {"drafts": list(self._drafts_of(case_id))}}  # half-typed text too
        self._vault.put_many([self._tombstone(r) for r in doomed], drafts)

    # ---- notes -----------------------------------------------------------------------

    def add_note(self, case_id: str | None = None, text: str = "", **fields: Any) -> str:
        """Save a note durably; `case_id=None` records an anonymous signaal."""
        if case_id is not None:
            self._record(case_rules.KIND, case_id)
        note_id = records.new_id()
        fields.setdefault("by", self.my_login())
        note = note_rules.new_note(note_id, case_id, self._stamp(), text=text, **fields)
        self._save_new(
            note_rules.KIND, note_id, note.to_data(), note_rules.note_meta(note), case_id
        )
        return note_id

    def add_case_with_note(self, name: str, text: str = "", **fields: Any) -> tuple[str, str]:
        """A gezin met for the first time, with its first note (one screen at the school
        gate); both are checked first, so a refused note leaves no empty gezin behind."""
        at = self._stamp()
        case_rules.new_case("check", name, at)
        note_rules.new_note("check", "check", at, text=text, **fields)
        case_id = self.add_case(name)
        return case_id, self.add_note(case_id, text, **fields)

    def note(self, note_id: str) -> Note:
        record = self._record(note_rules.KIND, note_id)
        return Note.from_data(record.id, record.case_id, record.data)

    def notes(self, case_id: str | None = None) -> list[Note]:
        """Notes newest first, of one gezin (NotFound if there is no such gezin) or of all
        (signalen included)."""
        if case_id is not None:
            self._record(case_rules.KIND, case_id)
        cond = where("case_id") == case_id if case_id is not None else None
        found = [
            Note.from_data(r.id, r.case_id, r.data) for r in self._vault.find(note_rules.KIND, cond)
        ]
        return sorted(found, key=lambda n: (n.created_at, n.id), reverse=True)

    def edit_note(self, note_id: str, **changes: Any) -> None:
        self._save_note(note_id, lambda note: note_rules.edit_note(note, **changes))

    def complete_follow_up(self, note_id: str) -> None:
        """Afvinken: the note's follow-up is done, now."""
        at = self._stamp()
        self._save_note(note_id, lambda note: note_rules.complete_follow_up(note, at))

    def reopen_follow_up(self, note_id: str) -> None:
        self._save_note(note_id, note_rules.reopen_follow_up)

    def delete_note(self, note_id: str) -> None:
        self._vault.put(self._tombstone(self._record(note_rules.KIND, note_id)))

    def restore_note(self, note: Note) -> str:
        """Ongedaan maken after a delete: the note as it was, as a new record (the delete
        itself stays a tombstone, so an erasure that already synced is never revived)."""
        if note.case_id is not None:
            self._record(case_rules.KIND, note.case_id)
        note_id = records.new_id()
        meta = note_rules.note_meta(note)
        self._save_new(note_rules.KIND, note_id, note.to_data(), meta, note.case_id)
        return note_id

    def timeline(self, case_id: str) -> list[Event]:
        case = self.case(case_id)
        return timeline(case, self.notes(case_id), self.case_sharing(case_id).owner)

    def attempt_ratio(self, case_id: str) -> tuple[int, int]:
        return attempt_ratio(self.notes(case_id))

    # ---- conflicts -------------------------------------------------------------------

    def conflicts(self) -> list[records.Record]:
        """Values that two devices changed differently: the other device's value won in the
        record; the value typed here is kept in the conflict for the worker to settle."""
        return sorted(self._vault.find(CONFLICT_KIND), key=lambda r: r.data.get("at", ""))

    def resolve_conflict(self, conflict_id: str, keep_mine: bool) -> None:
        """Keep the value typed on this device (written back to the record), or the other
        one (already in the record; a kind may note the choice, e.g. in a right's history).
        A delete that won stays a delete."""
        conflict = self._record(CONFLICT_KIND, conflict_id)
        info = conflict.data
        done = [self._tombstone(conflict)]
        if info.get("field") not in (None, "deleted"):
            kind = kinds.of(info["record_kind"])
            record = self._vault.get(kind.name, info["record_id"])
            if record is None and keep_mine:
                raise NotFound(kind.name, info["record_id"])
            theirs = None if record is None else _at_path(record.data, info["field"])
            if record is not None and (keep_mine or theirs is not _MISSING):
                value = info["local"] if keep_mine else theirs
                data = kinds.with_value(kind, record.data, info["field"], value, self._stamp())
                if data != record.data:
                    meta = kind.codes_of(record.id, record.case_id, data)
                    done.insert(0, self._revise(record, data, meta))
        self._vault.put_many(done)

    # ---- vandaag and drafts -------------------------------------------------------------

    def today(self, day: dt.date | None = None) -> list[TodayItem]:
        """The day's agenda (app.core.today): dated items by section, undated follow-ups,
        gezinnen not seen for the weeks set in `settings`; items put off stay away."""
        day = day or self.local_today()
        checks = [
            RightCheck.from_data(r.id, r.case_id or "", r.data)
            for r in self._vault.find(checklist.KIND)
        ]
        weeks = self.settings()["not_seen_weeks"]
        snoozed = self._vault.local("snoozed") or {}
        cases = [Case.from_data(r.id, r.data) for r in self._vault.find(case_rules.KIND)]
        # Only notes with an open follow-up become Note objects; the rest only tell when a
        # gezin was last seen (a phone may hold thousands of notes).
        last: dict[str, str] = {}
        open_follow_ups: list[Note] = []
        for record in self._vault.find(note_rules.KIND):
            data = record.data
            if record.case_id and data.get("contact") != "poging":
                last[record.case_id] = max(last.get(record.case_id, ""), data["created_at"])
            follow = data.get("follow_up")
            if follow and not follow.get("done"):
                open_follow_ups.append(Note.from_data(record.id, record.case_id, data))
        seen = {case_id: local_day(at) for case_id, at in last.items()}
        return today_items(cases, open_follow_ups, day, weeks, checks, snoozed, seen)

    def local_today(self) -> dt.date:
        """Today on Belgian clocks (by the injected clock, if any)."""
        return local_today(self._now())

    def tick_off(self, item: TodayItem) -> dict[str, Any]:
        """Afvinken: the follow-up or next step is done, the deadline met (applied for), the
        time-out over; a gezin not seen for long is put off for the same number of weeks.
        Returns what `untick` needs to put the item back (Ongedaan maken)."""
        if item.kind == "follow_up" and item.note_id:
            self.complete_follow_up(item.note_id)
            return {}
        if item.kind == "right" and item.case_id:
            self.set_right(item.case_id, item.text, follow_up=None)
            return {"follow_up": item.day}
        if item.kind == "deadline" and item.case_id:
            record = self._vault.get(checklist.KIND, checklist.check_id(item.case_id, item.text))
            before = record.data.get("status") if record else None
            self.set_right(item.case_id, item.text, status="aangevraagd")
            return {"status": before}
        if item.kind == "time_out" and item.case_id:
            self.set_status(item.case_id, "actief")
            return {"revisit": item.day}
        weeks = self.settings()["not_seen_weeks"]
        later = self.local_today() + dt.timedelta(weeks=weeks)
        before = (self._vault.local("snoozed") or {}).get(item.key)
        self._snooze(item, later.isoformat())
        return {"snoozed": before}

    def untick(self, item: TodayItem, before: dict[str, Any]) -> None:
        """Undo `tick_off` with what it returned."""
        if item.kind == "follow_up" and item.note_id:
            self.reopen_follow_up(item.note_id)
        elif item.kind == "right" and item.case_id:
            self.set_right(item.case_id, item.text, follow_up=before.get("follow_up"))
        elif item.kind == "deadline" and item.case_id and before.get("status"):
            self.set_right(item.case_id, item.text, status=before["status"])
        elif item.kind == "time_out" and item.case_id:
            self.set_status(item.case_id, "lager_pitje", revisit=before.get("revisit"))
        elif item.kind == "not_seen":
            self._snooze(item, before.get("snoozed") or "")

    def move_item(self, item: TodayItem, day: str | dt.date) -> None:
        """Put an agenda item on another day (its due, next-step, deadline or revisit day)."""
        new_day = parse_day(day, "day")
        if new_day is None:
            raise InvalidInput("day", "empty")
        if item.kind == "follow_up" and item.note_id:
            follow = self.note(item.note_id).follow_up
            if follow is None:
                raise InvalidInput("follow_up", "none")
            moved = {"what": follow.what, "who": follow.who, "due": new_day}
            self.edit_note(item.note_id, follow_up=moved)
        elif item.kind == "right" and item.case_id:
            self.set_right(item.case_id, item.text, follow_up=new_day)
        elif item.kind == "deadline" and item.case_id:
            self.set_right(item.case_id, item.text, deadline=new_day)
        elif item.kind == "time_out" and item.case_id:
            self.set_status(item.case_id, "lager_pitje", revisit=new_day)
        else:
            self._snooze(item, new_day)

    def _snooze(self, item: TodayItem, day: str) -> None:
        # Device-local: putting off a reminder is the worker's own planning, not the file's.
        self._vault.update_local({"merge": {"snoozed": {item.key: day}}})

    def settings(self) -> dict[str, Any]:
        """This device's preferences (never synced): `not_seen_weeks` for Vandaag."""
        stored = self._vault.local("settings") or {}
        return {"not_seen_weeks": NOT_SEEN_WEEKS, **stored}

    def set_not_seen_weeks(self, weeks: int | str) -> None:
        try:
            value = int(weeks)
        except (TypeError, ValueError):
            raise InvalidInput("not_seen_weeks", "out_of_range", low=1, high=52) from None
        if not 1 <= value <= 52:
            raise InvalidInput("not_seen_weeks", "out_of_range", low=1, high=52)
        self._vault.update_local({"merge": {"settings": {"not_seen_weeks": value}}})

    # ---- sync ------------------------------------------------------------------------

    def sync(self) -> SyncReport:
        """Pull, merge, push. Blocks on the network: call it from a worker thread."""
        with self._sync_lock:
            return self._sync(self._server_client())

    def _server_client(self) -> ServerClient:
        """The enrolled server's client, kept from one sync to the next: a new session and
        TCP connection for every sync were a third of a sync with nothing to do."""
        server = self._vault.local("server")
        if not server:
            raise NotEnrolled("this vault was never enrolled")
        made_for = tuple(server.get(k) for k in ("url", "credential", "ca_file", "fingerprint"))
        if self._client is None or self._client_for != made_for:
            self._drop_client()
            tls = TlsConfig(server.get("ca_file"), server.get("fingerprint"))
            self._client = ServerClient(server["url"], tls, server["credential"])
            self._client_for = made_for
        return self._client

    def _drop_client(self) -> None:
        client, self._client, self._client_for = self._client, None, ()
        if client is not None:
            client.close()

    def _sync(self, client: ServerClient) -> SyncReport:
        try:
            self._sync_team_before(client)
            engine = SyncEngine(self._vault, client, on_membership=self.open_shared_keys)
            report = engine.sync()
            if self._follow_team(client, report.team_version):
                self.open_shared_keys()  # with the keys and rotations the team list brought
            self._sync_team_log()  # the team log, verified colleagues, rotations, duo shares
            # Records of a gezin merged away on another phone; an entry made again on top of
            # a colleague's (a lost race) after the last push.
            if self.follow_merges() or self._entries_pending():
                report = SyncEngine(self._vault, client, on_membership=self.open_shared_keys).sync()
            self._sync_team_after(client)
            return report
        except DeviceRevoked:
            self._drop_client()
            self._closed = True
            _forget(self._path)
            raise

    async def sync_async(self) -> SyncReport:
        """`sync` on a worker thread, for callers on an event loop (the Flet UI)."""
        return await asyncio.to_thread(self.sync)

    def server_reachable(self) -> bool:
        """A health check of the enrolled server (not just a network connection)."""
        server = self._vault.local("server")
        if not server:
            return False
        client = ServerClient(
            server["url"], TlsConfig(server.get("ca_file"), server.get("fingerprint"))
        )
        try:
            return client.health()
        finally:
            client.close()

    @property
    def enrolled(self) -> bool:
        """Linked to a server (cheap: every screen's app bar asks)."""
        return bool(self._vault.local("server"))

    def sync_status(self) -> dict[str, Any]:
        """What the sync badge shows: enrolled?, last sync, pending and conflict counts."""
        server = self._vault.local("server") or {}
        return {
            "enrolled": bool(server),
            "server": server.get("url"),
            "last_sync": self._vault.local("last_sync"),
            "pending": len(pending(self._vault)),
            "conflicts": self._vault.count(CONFLICT_KIND),
            "catalogue_refused": self._vault.local("catalogue_refused"),
            "quarantined": len(self._vault.local(QUARANTINE) or {}),
            # entries of a shared gezin's log this phone does not accept (case_sharing says why)
            "membership_refused": len(self._vault.local("membership_refused") or {}),
            "storage_warning": self._vault.storage_warning,
        }

    def quarantined(self) -> list[dict[str, Any]]:
        """Records from the server this phone cannot open (set aside, the sync went on):
        id, kind, revision, why and since when; never content."""
        kept = self._vault.local(QUARANTINE) or {}
        return [
            {"id": rid, **{k: entry.get(k) for k in ("kind", "rev", "reason", "at")}}
            for rid, entry in sorted(kept.items(), key=lambda item: item[1].get("at") or "")
        ]

    # ---- export ----------------------------------------------------------------------

    def export_case(self, case_id: str) -> dict[str, Any]:
        """The gezin's whole file, decrypted: for the client's right of access. Every kind
        that goes with the gezin has its section (app/core/kinds.py), plus the timeline."""
        self.case(case_id)
        out: dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": self._stamp(),
        }
        in_case = where("case_id") == case_id
        for kind in kinds.ALL:
            if kind.export is None:
                continue
            stored = (
                [self._record(kind.name, case_id)]
                if kind.name == case_rules.KIND
                else self._vault.find(kind.name, in_case)
            )
            found = [kind.model(r.id, r.case_id, r.data) for r in stored]
            items = [asdict(m) for m in kind.order(found)]
            out[kind.export] = (items[0] if items else None) if kind.single else items
        out["timeline"] = [asdict(e) for e in self.timeline(case_id)]
        return out

    # ---- internals -------------------------------------------------------------------

    def _save_case(self, case_id: str, change: Callable[[Case], Case]) -> None:
        record = self._record(case_rules.KIND, case_id)
        case = change(Case.from_data(case_id, record.data))
        self._vault.put(self._revise(record, case.to_data(), case_rules.case_meta(case)))

    def _save_note(self, note_id: str, change: Callable[[Note], Note]) -> None:
        record = self._record(note_rules.KIND, note_id)
        note = change(Note.from_data(record.id, record.case_id, record.data))
        self._vault.put(self._revise(record, note.to_data(), note_rules.note_meta(note)))

    def _last_activity(self) -> dict[str, str]:
        last: dict[str, str] = {}
        for record in self._vault.find(note_rules.KIND):
            at = record.data.get("created_at", "")
            if record.case_id and at > last.get(record.case_id, ""):
                last[record.case_id] = at
        return last


def _matches(case: Case, needle: str) -> bool:
    names = [case.name, *(m.name for m in case.members)]
    return any(needle in name.casefold() for name in names)


_MISSING = object()


def _at_path(data: dict[str, Any], path: str) -> Any:
    """The value at "text" or "needs.wonen" (`_MISSING` where there is none)."""
    value: Any = data
    for name in path.split("."):
        if not isinstance(value, dict) or name not in value:
            return _MISSING
        value = value[name]
    return value
