"""Sync figures against one real server process on loopback with SQLite: a full push of 10k
notes, a full pull of them on a fresh second device, a no-op sync, and a load run of 200
simulated devices (each pushes 50 notes and pulls; 20 pairs of them write into a gezin they
share, so the server fans each note out to both) with a database check afterwards; sharing a
gezin of 2,000 notes with a colleague and rotating its key."""

from __future__ import annotations

import base64
import collections
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core import records  # noqa: E402
from app.services import enroll  # noqa: E402
from app.sync.engine import SyncReport  # noqa: E402
from app.sync.transport import ServerClient  # noqa: E402
from bench.vault_bench import _fill  # noqa: E402
from sync_server.models import Change, Record  # noqa: E402
from tests.server_process import ServerProcess  # noqa: E402

PASSPHRASE = "benchmark passphrase, fictional data"  # noqa: S105 - benchmark fixture
DEVICES = 200
NOTES_PER_DEVICE = 50
NOTES = 10_000  # in the full push and pull (the bytes per note count their whole traffic)
SHARED_NOTES = 2_000  # in the gezin shared with a colleague, then rotated
SHARED_PAIRS = 20  # pairs of load-run devices that write into one gezin they share
# The 200 devices start their sync at random moments within this window: 20 syncs/s, about
# 2.4 times the average of every outreacher in Flanders syncing every 10 minutes (8.3/s).
ARRIVAL_WINDOW = 10.0


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _timed_sync(app) -> tuple[float, SyncReport]:
    start = time.perf_counter()
    report = app.sync()
    return time.perf_counter() - start, report


def full_push_and_pull(server: ServerProcess, root: Path) -> None:
    rng = random.Random(7)
    phone = enroll(root / "phone", PASSPHRASE, server.url, server.user("bench1"))
    cases = [phone.add_case(f"Gezin Bench {i}") for i in range(40)]
    _fill(phone.vault, cases, NOTES, rng)
    push, pushed = _timed_sync(phone)
    print(f"sync_full_push_10k: {push:.2f} s")
    print(f"sync_bytes_per_note_up: {pushed.bytes_up / NOTES / 1000:.2f} KB")
    echo, echoed = _timed_sync(phone)
    print(f"sync_after_push: {echo * 1000:.1f} ms")
    print(f"sync_after_push_down: {echoed.bytes_down / 1000:.1f} KB")
    tablet = enroll(root / "tablet", PASSPHRASE, server.url, server.code("bench1"))
    pull, pulled = _timed_sync(tablet)
    assert len(tablet.notes()) == NOTES
    print(f"sync_full_pull_10k: {pull:.2f} s")
    print(f"sync_bytes_per_note_down: {pulled.bytes_down / NOTES / 1000:.2f} KB")
    noop = [_timed(phone.sync) for _ in range(20)]
    print(f"sync_noop_p50: {statistics.median(noop) * 1000:.1f} ms")
    print(f"sync_noop_max: {max(noop) * 1000:.1f} ms")
    phone.close(), tablet.close()


def sharing(server: ServerProcess, root: Path) -> None:
    """Share a gezin of 2,000 notes (until the colleague's phone has them all), then stop
    sharing with them (a key rotation: a new epoch, nothing re-encrypted)."""
    team = "Team Bench Delen"
    a = enroll(root / "share-a", PASSPHRASE, server.url, server.user("share_a", team=team))
    b = enroll(root / "share-b", PASSPHRASE, server.url, server.user("share_b", team=team))
    a.sync(), b.sync(), a.sync()
    a.verify_colleague("share_b", b.my_fingerprint())
    b.verify_colleague("share_a", a.my_fingerprint())
    case_id = a.add_case("Gezin Bench Delen")
    _fill(a.vault, [case_id], SHARED_NOTES, random.Random(11))
    a.sync(), b.sync()
    start = time.perf_counter()
    a.share_case(case_id, "share_b")
    a.sync()
    b.sync()
    shared = time.perf_counter() - start
    assert len(b.notes(case_id)) == SHARED_NOTES
    print(f"share_2000: {shared:.2f} s")
    start = time.perf_counter()
    a.unshare_case(case_id, "share_b")
    a.sync()
    b.sync()
    rotated = time.perf_counter() - start
    assert b.case_sharing(case_id).members == ("share_a",)
    print(f"key_rotation_2000: {rotated:.2f} s")
    a.close(), b.close()


def _fake_note(device_id: str, n: int, case_id: str | None = None) -> dict:
    """A protocol-valid sealed note; the server cannot tell random bytes from ciphertext."""
    return {
        "fmt": 1,
        "id": records.new_id(),
        "kind": "note",
        "case_id": case_id or records.new_id(),
        "rev": 1,
        "base_rev": 0,
        "device_id": device_id,
        "hlc": f"{1790000000000 + n:015d}-00000-abcdef01",
        "deleted": False,
        "key": "case",
        "kv": 1,
        "meta": {
            "day": "2026-11-20",
            "contact": "informeel",
            "domains": ["wonen"],
            "barriers": [],
            "setting": "schoolpoort",
        },
        "payload": base64.b64encode(os.urandom(600)).decode(),
    }


def _shared_gezinnen(apps: list) -> dict[str, str]:
    """The first SHARED_PAIRS pairs of devices share one gezin each (verified, signed, synced):
    device id → the gezin its notes go into."""
    paired = apps[: 2 * SHARED_PAIRS]
    for app in paired + paired:  # identities published, then every colleague's keys read
        app.sync()
    gezin_of: dict[str, str] = {}
    for a, b in zip(paired[::2], paired[1::2], strict=True):
        a.verify_colleague(b.my_login(), b.my_fingerprint())
        case_id = a.add_case("Gezin Last (fictief)")
        a.share_case(case_id, b.my_login())
        a.sync()
        for app in (a, b):
            gezin_of[app.vault.local("server")["device_id"]] = case_id
    return gezin_of


def load_run(server: ServerProcess, root: Path) -> None:
    clients, apps = [], []
    for i in range(DEVICES):
        login = f"load{i}"
        app = enroll(
            root / login,
            PASSPHRASE,
            server.url,
            server.user(login, team="Team Load"),
            kdf={"n": 1024, "r": 8, "p": 1},
        )
        state = app.vault.local("server")
        clients.append(
            (
                state["device_id"],
                ServerClient(server.url, credential=state["credential"], retries=0),
            )
        )
        apps.append(app)
    gezin_of = _shared_gezinnen(apps)
    for app in apps:
        app.close()
    latencies: list[float] = []
    errors: list[str] = []
    pushed: set[str] = set()
    answered: set[str] = set()  # notes of pushes the server answered (a phone retries the rest)
    shared: set[str] = set()  # notes in a gezin two devices share: two feed rows each
    lock = threading.Lock()
    rng = random.Random(11)
    offsets = sorted(rng.uniform(0, ARRIVAL_WINDOW) for _ in clients)
    start = time.perf_counter()

    def device(offset: float, device_id: str, client: ServerClient) -> None:
        time.sleep(max(0.0, start + offset - time.perf_counter()))
        gezin = gezin_of.get(device_id)
        notes = [_fake_note(device_id, n, gezin) for n in range(NOTES_PER_DEVICE)]
        with lock:
            pushed.update(n["id"] for n in notes)
            if gezin:
                shared.update(n["id"] for n in notes)
        for name, call in (
            ("push", lambda: client.push(notes)),
            ("pull", lambda: client.pull(0, 500)),
        ):
            try:
                took = _timed(call)
                with lock:
                    latencies.append(took)
                    if name == "push":
                        answered.update(n["id"] for n in notes)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{name} {type(exc).__name__}")

    threads = [
        threading.Thread(target=device, args=(o, d, c))
        for o, (d, c) in zip(offsets, clients, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    with server.db.transaction() as session:
        stored = session.scalar(
            select(func.count()).select_from(Record).where(Record.id.in_(pushed))
        )
        feed = session.scalar(
            select(func.count(func.distinct(Change.record_id))).where(Change.record_id.in_(pushed))
        )
        kept = session.scalar(
            select(func.count()).select_from(Record).where(Record.id.in_(answered))
        )
        fanned = session.scalar(
            select(func.count()).select_from(Change).where(Change.record_id.in_(shared))
        )
    expected = DEVICES * NOTES_PER_DEVICE
    print(f"load_devices: {DEVICES} devices")
    print(f"load_arrival_rate: {DEVICES / ARRIVAL_WINDOW:.0f} syncs/s")
    print(f"load_requests: {len(latencies) + len(errors)} requests")
    print(f"load_throughput: {len(latencies) / elapsed:.1f} requests/s")
    print(f"load_latency_p50: {_pct(latencies, 0.5) * 1000:.1f} ms")
    print(f"load_latency_p95: {_pct(latencies, 0.95) * 1000:.1f} ms")
    kinds = ", ".join(f"{k} ×{n}" for k, n in sorted(collections.Counter(errors).items()))
    print(f"load_errors: {len(errors)} errors{f' ({kinds})' if kinds else ''}")
    print(f"load_records_stored: {stored} records (expected {expected})")
    print(f"load_answered_pushes_kept: {kept} of {len(answered)} records")
    print(f"load_shared_feed_rows: {fanned} rows for {len(shared)} shared notes (2 each)")
    # Every record of an answered push is stored, and in the feed (ids are unique: a push
    # repeated after a lost answer cannot store one twice).
    once = kept == len(answered) and feed == stored
    print(f"load_records_exactly_once: {'yes' if once else 'NO'}")
    for _, client in clients:
        client.close()


def main() -> None:
    root = Path(
        tempfile.mkdtemp(prefix="dichtbij-syncbench-", dir=os.environ.get("BENCH_DIR", "."))
    )
    server = ServerProcess(f"sqlite:///{root / 'server.db'}", root / "server.log").start()
    try:
        full_push_and_pull(server, root)
        sharing(server, root)
        load_run(server, root)
    finally:
        server.stop()
        server.db.dispose()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
