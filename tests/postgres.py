"""A throwaway PostgreSQL cluster for the tests (Debian's postgresql package), on loopback."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.server_process import free_port


def find_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class Cluster:
    def __init__(self) -> None:
        bindir = find_bin()
        if bindir is None:
            raise FileNotFoundError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="dichtbij-pg-"))
        self.port = free_port()
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    def start(self) -> Cluster:
        data = self.dir / "data"
        self._run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ]
        )
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._run(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(self.dir / "log"),
                "-w",
                "start",
            ]
        )
        return self

    def stop(self) -> None:
        subprocess.run(
            self._as
            + [str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        for _ in range(50):
            try:
                with psycopg.connect(
                    f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                    autocommit=True,
                ) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                return self.url(name)
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not accept connections")

    def _run(self, args: list[str]) -> None:
        result = subprocess.run(self._as + args, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {result.stderr[-1000:]}")
