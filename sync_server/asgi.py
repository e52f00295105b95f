"""Small pieces shared by the server's ASGI middlewares (intake limits, compression): hand
a body already read on to the app, and answer a refusal as the API's JSON problem."""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

#: (status, error, detail, Retry-After seconds or 0)
Refusal = tuple[int, str, str, int]

BUSY: Refusal = (503, "busy", "too many uploads at once: try again", 2)


def replay(first: Message) -> Receive:
    """A `receive` that gives the app the one body message read already, then a disconnect."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return first
        return {"type": "http.disconnect"}

    return receive


async def answer(scope: Scope, send: Send, what: Refusal) -> None:
    status, error, detail, retry = what
    headers = {"Retry-After": str(retry)} if retry else {}
    response = JSONResponse({"error": error, "detail": detail}, status, headers=headers)
    await response(scope, _nothing, send)


async def _nothing() -> Message:
    return {"type": "http.disconnect"}
