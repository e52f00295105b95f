"""Sync that tells the truth: a hung server is reported within 20 s, the status line never
says 'gesynchroniseerd' while items wait, and reachability is checked with back-off."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest

from app.core.errors import ServerUnreachable
from app.sync.transport import ServerClient

REPORTED_WITHIN = 20.0  # seconds: the promise to the worker waiting on "Nu synchroniseren"


@contextlib.contextmanager
def hung_server():
    """A real loopback socket that accepts every connection and never answers a byte."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                held.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def outcome(call) -> BaseException | None:
    """What `call` raised, or a failure when it was still waiting after REPORTED_WITHIN s."""
    found: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            found.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            found.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(REPORTED_WITHIN)
    if worker.is_alive():
        pytest.fail(f"a hung server was still not reported after {REPORTED_WITHIN:.0f} s")
    return found[0]


def test_a_hung_server_is_reported_by_the_client_and_by_a_sync(app):
    with hung_server() as url:
        client = ServerClient(url, credential="x" * 32)
        assert isinstance(outcome(lambda: client.pull(0, 10)), ServerUnreachable)
        assert client.health() is False
        client.close()
        app.vault.update_local({"set": {"server": {"url": url, "credential": "x" * 32}}})
        app.add_note(app.add_case("Gezin Wacht"), "wacht op de server")
        assert isinstance(outcome(app.sync), ServerUnreachable)
        assert app.sync_status()["pending"] == 3


def test_the_status_never_says_synchronised_while_items_wait():
    from app.ui.sync_status import headline

    assert "gesynchroniseerd" in headline(0, "2026-12-01T08:00:00+00:00", None).lower()
    for line in (
        headline(2, "2026-12-01T08:00:00+00:00", None),
        headline(2, None, None),
        headline(1, "2026-12-01T08:00:00+00:00", "De server is niet bereikbaar."),
    ):
        assert "gesynchroniseerd" not in line.lower() and "wachtend" in line
    assert "niet bereikbaar" in headline(1, None, "De server is niet bereikbaar.")


def test_reachability_backs_off_while_the_server_is_away():
    from app.ui.sync_status import OFFLINE_MAX, ONLINE_EVERY, next_check

    waits = [next_check(False, n) for n in range(1, 9)]
    assert waits == sorted(waits) and waits[0] >= 10 and waits[-1] == OFFLINE_MAX
    assert next_check(True, 0) == ONLINE_EVERY >= 30  # no tight polling
