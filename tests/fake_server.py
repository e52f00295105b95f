"""A tiny misbehaving sync server, run as its own process on loopback (`python -m
tests.fake_server MODE PORT`): a real HTTP server speaking just enough of the protocol to
show how the phone copes with answers the real server never gives.

Modes: `endless` (every pull says has_more, the cursor stays), `endless-empty` (has_more
with empty pages, the cursor creeps on), `pull-fails` (every pull is a 500). Pushes are
accepted. `GET /counts` tells the test how many pulls and pushed records it saw. After
LIMIT pulls it gives in (has_more false), so a phone that never stops still ends.
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from tests.server_process import free_port

LIMIT = 200


class Counts:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pulls = 0
        self.pushed = 0


def handler(mode: str, counts: Counts) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:  # quiet
            pass

        def _send(self, status: int, body: object | None = None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            url = urlparse(self.path)
            if url.path == "/health":
                return self._send(200, {"status": "ok"})
            if url.path == "/counts":
                return self._send(200, {"pulls": counts.pulls, "pushed": counts.pushed})
            if url.path == "/v1/catalogue":
                return self._send(204)
            if url.path != "/v1/pull":
                return self._send(404, {"error": "not_found", "detail": "Not Found"})
            since = int(parse_qs(url.query).get("since", ["0"])[0])
            with counts.lock:
                counts.pulls += 1
                given_in = counts.pulls >= LIMIT
            if mode == "pull-fails":
                return self._send(500, {"error": "database", "detail": "damaged page"})
            cursor = since + 1 if mode == "endless-empty" else since
            self._send(200, {"records": [], "next_cursor": cursor, "has_more": not given_in})

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/v1/status":
                return self._send(204)
            if self.path != "/v1/push":
                return self._send(404, {"error": "not_found", "detail": "Not Found"})
            batch = json.loads(body)["records"]
            with counts.lock:
                counts.pushed += len(batch)
            results = [{"id": r["id"], "status": "accepted", "rev": r["rev"]} for r in batch]
            self._send(200, {"results": results})

    return Handler


class FakeServer:
    """Start `python -m tests.fake_server` as a process; stop it by its pid."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeServer:
        import subprocess
        import time

        import requests

        root = Path(__file__).resolve().parents[1]
        args = [sys.executable, "-m", "tests.fake_server", self.mode, str(self.port)]
        self.proc = subprocess.Popen(args, cwd=root)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/health", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("fake server did not start")

    def counts(self) -> dict[str, int]:
        import requests

        return requests.get(self.url + "/counts", timeout=5).json()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


if __name__ == "__main__":
    mode, port = sys.argv[1], int(sys.argv[2])
    server = ThreadingHTTPServer(("127.0.0.1", port), handler(mode, Counts()))
    server.serve_forever()
