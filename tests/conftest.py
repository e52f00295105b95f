"""Shared fixtures. Vaults made here use a cheap Scrypt cost so hundreds can be opened;
the production cost (N=2^17) is exercised by the CLI tests and the benchmark."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.services import Services, open_vault

PASSPHRASE = "correct horse battery staple"
FAST_KDF = {"n": 1024, "r": 8, "p": 1}
# A string that must never be found on disk, in logs or on the server.
MARKER = "ZQXJ-marker-7731"

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("DICHTBIJ_TEST_ARTIFACTS", REPO / "test-artifacts"))


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def app(vault_dir: Path):
    services = open_vault(vault_dir, PASSPHRASE, create=True, kdf=FAST_KDF)
    yield services
    services.close()


def reopen(vault_dir: Path, **options) -> Services:
    return open_vault(vault_dir, PASSPHRASE, **options)


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL cluster for the whole run, or a skip that says why there is none."""
    from tests.postgres import Cluster

    try:
        cluster = Cluster().start()
    except (FileNotFoundError, RuntimeError) as exc:
        if os.environ.get("CI") and os.geteuid() == 0:
            raise  # CI runs as root and installs PostgreSQL: a failure here is real
        pytest.skip(f"no PostgreSQL: {exc}")
    yield cluster
    cluster.stop()


_databases = iter(range(10**6))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request, tmp_path_factory):
    """The same tests on SQLite (a temp file) and on PostgreSQL (a fresh database)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'dichtbij.db'}"
    cluster = request.getfixturevalue("postgres")
    return cluster.create_database(f"test_{next(_databases)}")


@pytest.fixture
def postgres_dump(request):
    """All bytes the server database holds: the SQLite files, or a pg_dump of the database."""

    def dump(url: str) -> bytes:
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            files = [path, path.with_name(path.name + "-wal")]
            return b"".join(p.read_bytes() for p in files if p.exists())
        import subprocess

        cluster = request.getfixturevalue("postgres")
        database = url.rsplit("/", 1)[1]
        args = [
            str(cluster.bin / "pg_dump"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            database,
        ]
        return subprocess.run(args, capture_output=True, check=True).stdout

    return dump


@pytest.fixture(scope="module")
def server(db_url, tmp_path_factory):
    """A real sync server process on loopback, on SQLite or PostgreSQL (see `db_url`)."""
    from tests.server_process import ServerProcess

    proc = ServerProcess(db_url, tmp_path_factory.mktemp("server") / "server.log").start()
    yield proc
    proc.stop()
    proc.db.dispose()


@pytest.fixture(autouse=True)
def _close_pages_of_the_test(request):
    """Pages a test opened are closed after it; a module's own page (a module fixture,
    opened before) stays."""
    if "browser" not in request.fixturenames:
        yield
        return
    from tests.browser import OPENED, close_opened

    keep = len(OPENED)
    yield
    close_opened(keep)


@pytest.fixture(scope="module")
def browser():
    """One headless Debian chromium for a test module (tests/browser.py drives it)."""
    from tests.browser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def demo_dashboard(tmp_path_factory):
    """A server process on the demo team of `admin seed-demo`: (server, login, password)."""
    import subprocess
    import sys

    from tests.server_process import REPO, ServerProcess

    root = tmp_path_factory.mktemp("demo-dashboard")
    url = f"sqlite:///{root / 'server.db'}"
    seeded = subprocess.run(
        [sys.executable, "-m", "sync_server", "--db", url, "admin", "seed-demo"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    login, password = seeded.stdout.strip().splitlines()[-1].split(" ")
    server = ServerProcess(url, root / "server.log").start()
    yield server, login, password
    server.stop()
    server.db.dispose()
