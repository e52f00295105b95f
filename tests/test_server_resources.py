"""What a client can make the server hold before it has proved who it is: bounded tests
against a real server process on loopback that print their figures (`name: value unit`).

The server must not read a body before the credential is checked, must hold at most its
body budget across all connections, and must answer 503 past its connection limit."""

import socket
import threading
import time
from pathlib import Path

import requests

from app.services import enroll
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.server_process import ServerProcess

MIB = 1024 * 1024


def rss(proc: ServerProcess, field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of the server process, in MiB."""
    for line in Path(f"/proc/{proc.proc.pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise AssertionError(field)


def head(proc, credential, length, path="/v1/push") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {credential}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def status_of(answer: bytes) -> str:
    return answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/") else "reset"


def upload(proc, credential, length, barrier=None, results=None) -> str:
    """Headers, half the body, (wait for the others), the rest; the status or `reset`.

    Everyone holds their half body a while after the last one arrived, so the server has
    seen every request while none is finished: a body finished early frees its share of
    the budget, and a request the server only reached then was rightly admitted."""
    chunk = b"x" * (256 * 1024)
    answer = b""
    with socket.create_connection(("127.0.0.1", proc.port), timeout=60) as sock:
        try:
            sock.sendall(head(proc, credential, length))
            sent = 0
            while sent < length // 2:
                sock.sendall(chunk[: min(len(chunk), length // 2 - sent)])
                sent += min(len(chunk), length // 2 - sent)
            if barrier is not None:
                barrier.wait(timeout=60)
                time.sleep(2)
            while sent < length:
                sock.sendall(chunk[: min(len(chunk), length - sent)])
                sent += min(len(chunk), length - sent)
        except OSError:
            pass  # the server answered early and closed: read what it said
        try:
            while len(answer) < 12:
                part = sock.recv(4096)
                if not part:
                    break
                answer += part
        except OSError:
            pass
    result = status_of(answer)
    if results is not None:
        results.append(result)
    return result


def run_all(count, target, *args) -> list[str]:
    results: list[str] = []
    barrier = threading.Barrier(count)
    threads = [
        threading.Thread(target=target, args=(*args, barrier, results)) for _ in range(count)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_bodies_are_not_read_before_the_credential_is_known(tmp_path):
    proc = ServerProcess(f"sqlite:///{tmp_path / 'd.db'}", tmp_path / "log").start()
    try:
        before = rss(proc, "VmRSS")
        results = run_all(40, upload, proc, "dbj_not-a-credential", 16 * MIB - 1)
        peak = rss(proc, "VmHWM")
        print(f"\nunauthenticated_uploads: {len(results)} connections of 16 MiB")
        print(f"server_rss_before: {before:.0f} MiB")
        print(f"server_rss_peak: {peak:.0f} MiB")
        assert len(results) == 40 and set(results) <= {"401", "reset"}, results
        assert "401" in results
        assert peak - before < 160, "the server held unauthenticated bodies"
    finally:
        proc.stop()
        proc.db.dispose()


def test_bodies_held_at_once_share_one_budget(tmp_path):
    proc = ServerProcess(
        f"sqlite:///{tmp_path / 'd.db'}", tmp_path / "log", options=("--body-budget", "16")
    ).start()
    try:
        phone = enroll(tmp_path / "p", PASSPHRASE, proc.url, proc.user("budget"), kdf=FAST_KDF)
        credential = phone.vault.local("server")["credential"]
        phone.close()
        before = rss(proc, "VmRSS")
        results = run_all(12, upload, proc, credential, 4 * MIB)
        peak = rss(proc, "VmHWM")
        admitted = [r for r in results if r not in ("503", "reset")]
        print(f"\nbudget_uploads: {len(results)} connections of 4 MiB, budget 16 MiB")
        print(f"budget_admitted: {len(admitted)} uploads")
        print(f"budget_refused_503: {results.count('503')} uploads")
        print(f"server_rss_before: {before:.0f} MiB")
        print(f"server_rss_peak: {peak:.0f} MiB")
        assert len(admitted) <= 4 and results.count("503") >= 1, results
        assert set(admitted) <= {"422"}, results  # admitted, read, and refused as bad JSON
        # Afterwards the budget is free again: a small push is read.
        answer = requests.post(
            proc.url + "/v1/push",
            json={"records": []},
            headers={"Authorization": f"Bearer {credential}"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
    finally:
        proc.stop()
        proc.db.dispose()


def test_past_the_connection_limit_a_request_gets_503(tmp_path):
    proc = ServerProcess(
        f"sqlite:///{tmp_path / 'd.db'}", tmp_path / "log", options=("--max-connections", "4")
    ).start()
    waiting = []
    try:
        for _ in range(4):  # connections that never finish their request
            sock = socket.create_connection(("127.0.0.1", proc.port), timeout=30)
            sock.sendall(head(proc, "x", 1000, "/dashboard/login"))
            waiting.append(sock)
        with socket.create_connection(("127.0.0.1", proc.port), timeout=30) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer = sock.recv(4096)
        print(f"\nconnection_limit_answer: {status_of(answer)} status")
        assert status_of(answer) == "503", answer[:200]
    finally:
        for sock in waiting:
            sock.close()
        proc.stop()
        proc.db.dispose()
