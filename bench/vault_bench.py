"""Vault figures: durable note save at 1k and 20k notes against an SQLite WAL insert with
synchronous=FULL on the same disk, unlock + load of 20k notes with the KDF's share,
and the peak memory of a process holding the unlocked 20k-note vault.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.core import notes as note_rules
from app.core import records
from app.services import open_vault
from app.vault import Vault, keys

PASSPHRASE = "benchmark passphrase, fictional data"  # noqa: S105 - benchmark fixture
SAMPLES = 300
CASES = 40
WORDS = [
    "gesprek",
    "schoolpoort",
    "mama",
    "kinderen",
    "huur",
    "energie",
    "afspraak",
    "ocmw",
    "school",
    "toeslag",
    "brief",
    "wachtlijst",
    "buurvrouw",
    "vervoer",
    "dokter",
    "formulier",
    "uitleg",
    "samen",
    "bellen",
    "volgende",
    "week",
]


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(20, 70)))


def _fill(vault: Vault, case_ids: list[str], target: int, rng: random.Random) -> None:
    """Bring the vault to `target` notes in batches (one journal frame per batch)."""
    have = vault.count("note")
    while have < target:
        batch = []
        for _ in range(min(500, target - have)):
            case_id = rng.choice(case_ids)
            stamp = "2026-01-05T09:00:00+00:00"
            note = note_rules.new_note(
                records.new_id(),
                case_id,
                stamp,
                text=_text(rng),
                domains=rng.sample(["wonen", "inkomen", "kinderen", "werk"], 2),
                setting="huisbezoek",
            )
            batch.append(
                records.create(
                    "note",
                    case_id,
                    note.to_data(),
                    note_rules.note_meta(note),
                    vault.device_id,
                    vault.tick(),
                    note.id,
                )
            )
        vault.put_many(batch)
        have += len(batch)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _save_latencies(app, case_ids: list[str], rng: random.Random) -> list[float]:
    times = []
    for _ in range(SAMPLES):
        text = _text(rng)
        case_id = rng.choice(case_ids)
        start = time.perf_counter()
        app.add_note(case_id, text, domains=["wonen"], setting="schoolpoort")
        times.append(time.perf_counter() - start)
    return times


def _sqlite_latencies(path: Path, rows: int, rng: random.Random) -> list[float]:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE IF NOT EXISTS note (id TEXT PRIMARY KEY, case_id TEXT, body BLOB)")
    have = con.execute("SELECT count(*) FROM note").fetchone()[0]
    with con:
        con.executemany(
            "INSERT INTO note VALUES (?, ?, ?)",
            ((records.new_id(), "c", os.urandom(700)) for _ in range(rows - have)),
        )
    times = []
    for _ in range(SAMPLES):
        body = _text(rng).encode() + os.urandom(200)
        start = time.perf_counter()
        with con:
            con.execute("INSERT INTO note VALUES (?, ?, ?)", (records.new_id(), "c", body))
        times.append(time.perf_counter() - start)
    con.close()
    return times


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


_RSS_CHILD = """
import sys
from pathlib import Path
from app.vault import Vault, keys

def kib(field):
    return int(open("/proc/self/status").read().split(field + ":")[1].split()[0])

vault = Vault.open_locked(Path(sys.argv[1]))
user_key = vault.check_passphrase(sys.argv[2])  # the KDF: 128 MiB of scrypt memory
kdf_peak = kib("VmHWM")
open("/proc/self/clear_refs", "w").write("5")  # reset the high-water mark (Linux)
vault._load(keys.UserKeys(user_key))
assert vault.count("note") >= 20000
load_peak, steady = kib("VmHWM"), kib("VmRSS")
open("/proc/self/clear_refs", "w").write("5")
vault.compact()
print(kdf_peak, load_peak, steady, kib("VmHWM"))
"""


def _rss_child(vault_dir: Path) -> tuple[float, ...]:
    """RSS (MiB) of a fresh process: peak in the KDF, peak loading 20k notes, after loading,
    and peak while writing a snapshot of them.

    Read from /proc (VmHWM), which unlike ru_maxrss does not inherit this
    process's own peak across fork+exec.
    """
    out = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(vault_dir), PASSPHRASE],
        capture_output=True,
        text=True,
        check=True,
    )
    return tuple(int(v) / 1024 for v in out.stdout.split())


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="dichtbij-bench-", dir=os.environ.get("BENCH_DIR", ".")))
    rng = random.Random(42)
    try:
        vault_dir = root / "vault"
        app = open_vault(vault_dir, PASSPHRASE, create=True)
        case_ids = [app.add_case(f"Gezin Bench {i}") for i in range(CASES)]
        results = {}
        for size in (1_000, 20_000):
            _fill(app.vault, case_ids, size, rng)
            ours = _save_latencies(app, case_ids, rng)
            theirs = _sqlite_latencies(root / "sqlite.db", size, rng)
            results[size] = (ours, theirs)
            label = f"{size // 1000}k"
            print(f"vault_note_save_p50_at_{label}: {_ms(_pct(ours, 0.50))}")
            print(f"vault_note_save_p95_at_{label}: {_ms(_pct(ours, 0.95))}")
            print(f"vault_note_save_max_at_{label}: {_ms(max(ours))}")
            print(f"sqlite_wal_full_insert_p50_at_{label}: {_ms(_pct(theirs, 0.50))}")
            print(f"sqlite_wal_full_insert_p95_at_{label}: {_ms(_pct(theirs, 0.95))}")
            ratio = _pct(ours, 0.95) / _pct(theirs, 0.95)
            print(f"vault_vs_sqlite_p95_ratio_at_{label}: {ratio:.2f} x")
        growth = _pct(results[20_000][0], 0.95) / _pct(results[1_000][0], 0.95)
        print(f"vault_note_save_p95_growth_1k_to_20k: {growth:.2f} x")
        notes_total = app.vault.count("note")
        app.close()

        params = Vault.open_locked(vault_dir)
        kdf = params._header.kdf
        params.close()
        kdf_times, open_times = [], []
        for _ in range(3):
            start = time.perf_counter()
            keys.derive_from_passphrase(PASSPHRASE, kdf)
            kdf_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            app = open_vault(vault_dir, PASSPHRASE)
            open_times.append(time.perf_counter() - start)
            app.close()
        kdf_s, open_s = statistics.median(kdf_times), statistics.median(open_times)
        print(f"vault_notes_loaded: {notes_total} notes")
        print(f"vault_unlock_and_load_20k: {_ms(open_s)}")
        print(f"vault_unlock_kdf_share: {_ms(kdf_s)}")
        print(f"vault_unlock_and_load_20k_without_kdf: {_ms(open_s - kdf_s)}")
        kdf_peak, load_peak, steady, compact_peak = _rss_child(vault_dir)
        print(f"vault_peak_rss_during_kdf: {kdf_peak:.1f} MiB")
        print(f"vault_peak_rss_loading_20k: {load_peak:.1f} MiB")
        print(f"vault_rss_20k_unlocked: {steady:.1f} MiB")
        print(f"vault_peak_rss_snapshot_20k: {compact_peak:.1f} MiB")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
