"""gzip on the wire for sync: pull pages go out compressed to a phone that accepts gzip,
and a push body may come in compressed (RFC 7694: every `/v1/` answer says
`Accept-Encoding: gzip`, and a phone compresses only after it has seen that).

Only these two paths: the dashboard's pages, which carry session secrets beside text an
attacker may choose, are never compressed (BREACH). An inflated body is held to the same
limit as a plain one (`MAX_BODY_BYTES`), and all bodies being inflated at one moment share
one budget, as the wire bytes do in `intake.py`.
"""

from __future__ import annotations

import zlib

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.sync import protocol
from sync_server import asgi

COMPRESSED_ANSWERS = ("/v1/pull",)
COMPRESSED_BODIES = ("/v1/push",)
DEFAULT_BUDGET = 64 * 1024 * 1024
ACCEPTS = (b"accept-encoding", b"gzip")


class WireCompression:
    def __init__(self, app: ASGIApp, budget: int = DEFAULT_BUDGET) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=1024, compresslevel=6)
        self.budget = budget
        self.inflating = 0  # bytes of inflated bodies held now (one event loop)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith("/v1/"):
            return await self.app(scope, receive, send)

        async def advertise(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), ACCEPTS]}
            await send(message)

        headers = dict(scope.get("headers", []))
        coding = headers.get(b"content-encoding", b"identity").strip().lower()
        if coding not in (b"identity", b""):
            if coding != b"gzip" or path not in COMPRESSED_BODIES:
                return await asgi.answer(scope, advertise, UNSUPPORTED)
            return await self._inflated(scope, receive, advertise, headers)
        inner = self.gzip if path in COMPRESSED_ANSWERS else self.app
        await inner(scope, receive, advertise)

    async def _inflated(self, scope: Scope, receive: Receive, send: Send, headers: dict) -> None:
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        limit = protocol.MAX_BODY_BYTES
        unpacker = zlib.decompressobj(wbits=31)  # gzip framing
        try:
            plain = unpacker.decompress(bytes(body), limit + 1)
        except zlib.error:
            return await asgi.answer(scope, send, NOT_GZIP)
        del body
        if len(plain) > limit or unpacker.unconsumed_tail:
            return await asgi.answer(scope, send, TOO_LARGE)
        if not unpacker.eof:
            return await asgi.answer(scope, send, NOT_GZIP)
        if self.inflating + len(plain) > self.budget:
            return await asgi.answer(scope, send, asgi.BUSY)
        self.inflating += len(plain)
        try:
            rest = [(k, v) for k, v in headers.items() if k not in _REPLACED]
            rest.append((b"content-length", str(len(plain)).encode()))
            inner = {**scope, "headers": rest}
            await self.app(inner, asgi.replay({"type": "http.request", "body": plain}), send)
        finally:
            self.inflating -= len(plain)


_REPLACED = (b"content-encoding", b"content-length", b"transfer-encoding")
UNSUPPORTED = (415, "unsupported_encoding", "request bodies may be gzip, on /v1/push only", 0)
NOT_GZIP = (400, "invalid", "request body is not valid gzip", 0)
TOO_LARGE = (413, "too_large", "request body too large once inflated", 0)
