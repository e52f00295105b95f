"""How much the server takes in before it knows who is sending: request bodies are read
only under three limits.

* A body-carrying `/v1/` call must show a known device credential before one byte of its
  body is read (enrolment excepted); unknown or missing: 401 at once.
* Only `/v1/push` may send up to `MAX_BODY_BYTES`; every other body (enrolment, status,
  dashboard forms) at most `SMALL_BODY`. Declared or chunked, over it: 413.
* All bodies being buffered at one moment share one budget; a body that does not fit
  gets 503 with `Retry-After` (the phone waits and tries once more).
"""

from __future__ import annotations

import time

import anyio
from sqlalchemy import select
from starlette.types import ASGIApp, Receive, Scope, Send

from app.sync import protocol
from sync_server import asgi, security
from sync_server.db import Database
from sync_server.models import Device

SMALL_BODY = 64 * 1024
LARGE_PATHS = ("/v1/push",)
OPEN_PATHS = ("/v1/enrol/begin", "/v1/enrol/complete")
DEFAULT_BUDGET = 64 * 1024 * 1024
KNOWN_FOR = 60.0  # seconds a credential seen in the database is let through unasked
KNOWN_MAX = 10_000


class Intake:
    def __init__(self, app: ASGIApp, db: Database, budget: int = DEFAULT_BUDGET) -> None:
        self.app, self.db, self.budget = app, db, budget
        self.buffered = 0  # bytes of bodies held now (one event loop: no lock needed)
        self.peak = 0
        self._known: dict[str, float] = {}  # credential digest → when last found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        path = scope["path"]
        limit = protocol.MAX_BODY_BYTES if path in LARGE_PATHS else SMALL_BODY
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await asgi.answer(scope, send, TOO_LARGE)
        guarded = path.startswith("/v1/") and path not in OPEN_PATHS
        if guarded and not await self._known_credential(headers.get(b"authorization", b"")):
            return await asgi.answer(scope, send, UNKNOWN)
        held = int(length) if length is not None else 0
        if not self._reserve(held):
            return await asgi.answer(scope, send, asgi.BUSY)
        try:
            body = bytearray()
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return await self.app(scope, asgi.replay(message), send)
                body += message.get("body", b"")
                if len(body) > limit:
                    return await asgi.answer(scope, send, TOO_LARGE)
                if len(body) > held:  # chunked, or more than declared
                    if not self._reserve(len(body) - held):
                        return await asgi.answer(scope, send, asgi.BUSY)
                    held = len(body)
                if not message.get("more_body", False):
                    break
            message = {"type": "http.request", "body": bytes(body)}
            del body
            await self.app(scope, asgi.replay(message), send)
        finally:
            self.buffered -= held

    def _reserve(self, size: int) -> bool:
        if size and self.buffered + size > self.budget:
            return False
        self.buffered += size
        self.peak = max(self.peak, self.buffered)
        return True

    async def _known_credential(self, authorization: bytes) -> bool:
        scheme, _, token = authorization.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        digest = security.digest(token.strip())
        now = time.monotonic()
        if now - self._known.get(digest, -KNOWN_FOR) < KNOWN_FOR:
            return True
        found = await anyio.to_thread.run_sync(self._lookup, digest)
        if found:
            if len(self._known) >= KNOWN_MAX:
                self._known.clear()
            self._known[digest] = now
        return found

    def _lookup(self, digest: str) -> bool:
        """Known (revoked too: the route tells a revoked phone to wipe itself)."""
        with self.db.engine.connect() as connection:
            found = connection.scalar(
                select(Device.id).where(Device.credential_hash == digest).limit(1)
            )
        return found is not None


TOO_LARGE = (413, "too_large", "request body too large", 0)
UNKNOWN = (401, "unauthorized", "missing or unknown device credential", 0)
