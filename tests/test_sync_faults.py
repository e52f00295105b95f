"""Sync under failure: server killed mid-push and mid-pull, answers lost after commit,
replayed pushes, clock skew, weeks offline. Everything converges, nothing lost or doubled."""

import contextlib
import threading
import time

from sqlalchemy import func, select

from app.core.errors import ServerUnreachable
from app.services import enroll
from app.sync.transport import ServerClient
from sync_server.models import Change, Record
from tests.conftest import FAST_KDF, PASSPHRASE

_n = iter(range(10**6))


def pair(server, tmp_path):
    login = f"fault{next(_n)}"
    a = enroll(tmp_path / "a", PASSPHRASE, server.url, server.user(login), kdf=FAST_KDF)
    b = enroll(tmp_path / "b", PASSPHRASE, server.url, server.code(login), kdf=FAST_KDF)
    return a, b


def server_rows(server, owner_device):
    with server.db.transaction() as session:
        records = session.scalar(select(func.count()).select_from(Record))
        changes = session.scalar(select(func.count()).select_from(Change))
    return records, changes


def note_set(app):
    return sorted((n.id, n.text) for n in app.notes())


@contextlib.contextmanager
def crashed(server):
    """Whatever happens inside, the server is running again afterwards (other tests use it)."""
    try:
        yield
    finally:
        if server.proc is None or server.proc.poll() is not None:
            server.start()


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def _quietly(call):
    with contextlib.suppress(ServerUnreachable):
        call()


def pending_of(app):
    from app.sync.engine import pending

    return pending(app.vault)


def sync_until_quiet(*apps):
    for _ in range(3):
        for app in apps:
            app.sync()


def test_server_killed_mid_push_then_everything_arrives_once(server, tmp_path):
    a, b = pair(server, tmp_path)
    case_id = a.add_case("Gezin Kill")
    for i in range(1500):
        a.add_note(case_id, f"notitie {i}")
    errors = []

    def run():
        try:
            a.sync()
        except ServerUnreachable as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    with crashed(server):
        wait_for(lambda: server_rows(server, a)[0] > 0)  # the push is under way ...
        server.kill()  # ... and the server dies in the middle of it
        worker.join()
        assert errors, "the sync should have failed"
        assert len(pending_of(a)) > 0  # the outbox still holds what was not acknowledged
    sync_until_quiet(a, b)
    assert note_set(a) == note_set(b) and len(note_set(b)) == 1500
    assert a.sync_status()["pending"] == 0
    a.close(), b.close()


def test_server_killed_mid_pull_resumes_where_it_stopped(server, tmp_path):
    a, b = pair(server, tmp_path)
    case_id = a.add_case("Gezin Pull")
    for i in range(1500):
        a.add_note(case_id, f"n{i}")
    a.sync()
    b_sync = threading.Thread(target=lambda: _quietly(b.sync))
    b_sync.start()
    with crashed(server):
        wait_for(lambda: b.vault.local("cursor", 0) > 0)  # a first page is stored ...
        server.kill()  # ... and the server dies before the rest
        b_sync.join()
        assert 0 < len(b.notes()) < 1500
    b.sync()
    assert note_set(a) == note_set(b)
    assert len(b.notes()) == 1500
    a.close(), b.close()


def test_answer_lost_after_commit_and_replayed_push(server, tmp_path):
    a, b = pair(server, tmp_path)
    a.sync()  # the account's identity is made at its first sync: not part of the replay
    case_id = a.add_case("Gezin Replay")
    note_id = a.add_note(case_id, "een keer")
    server_state = a.vault.local("server")
    client = ServerClient(server_state["url"], credential=server_state["credential"])
    sealed = [a.vault.seal(r) for r in a.vault.all_records()]
    first = client.push(sealed)  # the server commits ...
    # ... and the phone never hears the answer: its outbox still holds everything.
    before = server_rows(server, a)
    again = client.push(sealed)  # a blind replay of the same request
    statuses = [r["status"] for r in first]
    assert statuses == [r["status"] for r in again] == ["accepted"] * len(sealed)
    assert server_rows(server, a) == before
    report = a.sync()  # the normal sync re-sends (re-sealed, fresh nonces): still once
    assert report.pending == 0 and server_rows(server, a) == before
    b.sync()
    assert [n.id for n in b.notes()] == [note_id]
    client.close(), a.close(), b.close()


def test_clock_skew_of_days_between_devices(server, tmp_path):
    a, b = pair(server, tmp_path)
    case_id = a.add_case("Gezin Skew")
    note_id = a.add_note(case_id, "start")
    sync_until_quiet(a, b)
    b.vault._clock._now = lambda: time.time() - 9 * 86400  # b's clock runs 9 days behind
    b.edit_note(note_id, text="later op b, met verkeerde klok")
    a.add_note(case_id, "op a")
    b.add_note(case_id, "op b")
    sync_until_quiet(a, b)
    assert note_set(a) == note_set(b) and len(note_set(a)) == 3
    assert a.note(note_id).text == "later op b, met verkeerde klok"
    a.close(), b.close()


def test_weeks_offline_with_2000_edits(server, tmp_path):
    a, b = pair(server, tmp_path)
    case_id = a.add_case("Gezin Offline")
    ids = [a.add_note(case_id, f"v1 {i}") for i in range(1000)]
    for i, note_id in enumerate(ids):
        a.edit_note(note_id, text=f"v2 {i}")
    sync_until_quiet(a, b)
    assert note_set(a) == note_set(b)
    assert {n.text for n in b.notes()} == {f"v2 {i}" for i in range(1000)}
    a.close(), b.close()
