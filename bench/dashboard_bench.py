"""Supervisor pages against a real server process with 50 outreachers × one year of activity
(about 100k metadata records), on SQLite and on PostgreSQL: the server time of every page
(its Server-Timing header), worst of 5 loads after a first one. Target: ≤ 300 ms."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sync_server import accounts  # noqa: E402
from sync_server.dashboard import auth  # noqa: E402
from sync_server.dashboard.seed import populate  # noqa: E402
from sync_server.db import Database, upgrade  # noqa: E402
from sync_server.models import Fact, Record  # noqa: E402
from tests.dashboard import WebClient  # noqa: E402
from tests.server_process import ServerProcess  # noqa: E402

WORKERS = 50
RATE = 7.6  # notes per working day and worker: with gezinnen and rights ≈ 2,000 records each
RUNS = 5
PASSWORD = "benchmark wachtwoord, fictief"  # noqa: S105 - benchmark fixture
PAGES = {
    "overview": ("/dashboard", {}),
    "activity_week": ("/dashboard", {"periode": "week"}),
    "activity_worker": ("/dashboard", {"medewerker": "bench.w07"}),
    "cases_rights": ("/dashboard/gezinnen", {}),
    "devices": ("/dashboard/toestellen", {}),
    "barriers": ("/dashboard/drempels", {}),
    "barriers_week": ("/dashboard/drempels", {"periode": "week"}),
    "barrier_report": ("/dashboard/drempels/rapport", {}),
    "csv_trend": ("/dashboard/csv/activiteit/verloop", {}),
}


def seed(url: str, name: str) -> None:
    db = Database(url)
    upgrade(db.engine)
    started = time.perf_counter()
    with db.transaction() as session:
        accounts.create_team(session, "Benchteam")
        accounts.create_user(session, "bench.coach", "Benchteam", "supervisor")
        auth.set_password_directly(session, "bench.coach", PASSWORD)
        workers = [(f"bench.w{i:02d}", RATE) for i in range(WORKERS)]
        populate(session, "Benchteam", workers, seed=7)
    seeded = time.perf_counter() - started
    with db.transaction() as session:
        records = session.scalar(select(func.count()).select_from(Record))
        facts = session.scalar(select(func.count()).select_from(Fact))
    if db.is_postgres:  # what autovacuum does on a live server, done now
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE")
            )
    db.dispose()
    print(f"dashboard_records_{name}: {records} records ({facts} facts)")
    print(f"dashboard_seed_{name}: {seeded:.1f} s")


def measure(url: str, name: str, root: Path) -> None:
    server = ServerProcess(url, root / f"server-{name}.log").start()
    try:
        web = WebClient(server.url)
        assert web.login("bench.coach", PASSWORD).status_code == 303
        for page, (path, params) in PAGES.items():
            times = []
            for _ in range(RUNS + 1):
                answer = web.get(path, **params)
                assert answer.status_code == 200, (page, answer.status_code)
                timing = re.search(r"dur=([0-9.]+)", answer.headers["server-timing"])
                times.append(float(timing.group(1)))
            first, warm = times[0], times[1:]
            print(
                f"dashboard_{page}_{name}: {max(warm):.0f} ms"
                f"  (median {statistics.median(warm):.0f} ms, first load {first:.0f} ms)"
            )
    finally:
        server.stop()
        server.db.dispose()


def main() -> None:
    root = Path(
        tempfile.mkdtemp(prefix="dichtbij-dashbench-", dir=os.environ.get("BENCH_DIR", "."))
    )
    try:
        sqlite = f"sqlite:///{root / 'server.db'}"
        seed(sqlite, "sqlite")
        measure(sqlite, "sqlite", root)
        try:
            from tests.postgres import Cluster

            cluster = Cluster().start()
        except (FileNotFoundError, RuntimeError) as exc:
            print(f"dashboard_postgresql: skipped ({exc})")
            return
        try:
            url = cluster.create_database("dashbench")
            seed(url, "postgresql")
            measure(url, "postgresql", root)
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
