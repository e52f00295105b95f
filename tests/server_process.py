"""A real sync server process on loopback for tests: start, wait for /health, kill."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from sync_server import accounts
from sync_server.db import Database, upgrade

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    def __init__(
        self,
        db_url: str,
        log: Path,
        tls: tuple[Path, Path] | None = None,
        options: tuple[str, ...] = (),
    ) -> None:
        self.db_url = db_url
        self.options = options  # further `serve` options
        self.port = free_port()
        self.log = log
        self.tls = tls
        self.proc: subprocess.Popen | None = None
        self.db = Database(db_url)
        upgrade(self.db.engine)

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        host = "localhost" if self.tls else "127.0.0.1"
        return f"{scheme}://{host}:{self.port}"

    def start(self) -> ServerProcess:
        args = [
            sys.executable,
            "-m",
            "sync_server",
            "--db",
            self.db_url,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *self.options,
        ]
        if self.tls:
            args += ["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(args, cwd=REPO, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                verify = str(self.tls[0]) if self.tls else True
                if requests.get(self.url + "/health", timeout=1, verify=verify).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, like a crash or a pulled plug."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None

    def user(self, login: str, team: str = "Team Test", role: str = "outreacher") -> str:
        """Create (team and) user; return a one-time enrolment code."""
        with self.db.transaction() as session:
            from sqlalchemy import select

            from sync_server.models import Team

            if session.scalar(select(Team).where(Team.name == team)) is None:
                accounts.create_team(session, team)
            _, code = accounts.create_user(session, login, team, role)
        return code

    def code(self, login: str) -> str:
        with self.db.transaction() as session:
            return accounts.new_enrolment_code(session, login)
