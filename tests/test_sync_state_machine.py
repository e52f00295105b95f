"""Random interleavings of edits on two devices of one worker, syncs, server crashes,
lost answers and replays must converge: nothing lost, nothing doubled, deletes stay deleted.
"""

import contextlib
import itertools
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from app.core.errors import NotFound, ServerUnreachable
from app.services import enroll
from app.sync.transport import ServerClient
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.server_process import ServerProcess

_logins = itertools.count()
SERVER: ServerProcess | None = None


@pytest.fixture(scope="module", autouse=True)
def shared_server(tmp_path_factory):
    global SERVER
    root = tmp_path_factory.mktemp("sm-server")
    SERVER = ServerProcess(f"sqlite:///{root / 'd.db'}", root / "log").start()
    yield
    SERVER.stop()
    SERVER.db.dispose()


class SyncMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        assert SERVER is not None
        if SERVER.proc is None:
            SERVER.start()
        self.dir = Path(tempfile.mkdtemp(prefix="dichtbij-sync-sm-"))
        login = f"sm{next(_logins)}"
        self.devices = [
            enroll(self.dir / "a", PASSPHRASE, SERVER.url, SERVER.user(login), kdf=FAST_KDF),
            enroll(self.dir / "b", PASSPHRASE, SERVER.url, SERVER.code(login), kdf=FAST_KDF),
        ]
        self.case = self.devices[0].add_case("Gezin Machine")
        self.devices[0].sync()
        self.devices[1].sync()
        self.written: dict[str, set[str]] = {}  # note id → every text ever written for it
        self.deleted: set[str] = set()
        self.counter = itertools.count()

    def teardown(self):
        for app in self.devices:
            app.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _ids(self, device):
        return sorted(n.id for n in self.devices[device].notes())

    @rule(device=st.integers(0, 1))
    def add_note(self, device):
        text = f"nieuw {next(self.counter)}"
        note_id = self.devices[device].add_note(self.case, text)
        self.written[note_id] = {text}

    @rule(device=st.integers(0, 1), pick=st.integers(0, 10**6))
    def edit_note(self, device, pick):
        ids = self._ids(device)
        if ids:
            note_id = ids[pick % len(ids)]
            text = f"bewerkt {next(self.counter)}"
            self.devices[device].edit_note(note_id, text=text)
            self.written[note_id].add(text)

    @rule(device=st.integers(0, 1), pick=st.integers(0, 10**6))
    def delete_note(self, device, pick):
        ids = self._ids(device)
        if ids:
            note_id = ids[pick % len(ids)]
            self.devices[device].delete_note(note_id)
            self.deleted.add(note_id)

    @rule(device=st.integers(0, 1))
    def sync(self, device):
        self.devices[device].sync()

    @rule(device=st.integers(0, 1))
    def lose_the_answer(self, device):
        """Push the outbox but drop the server's answer, as a broken connection would."""
        app = self.devices[device]
        state = app.vault.local("server")
        client = ServerClient(state["url"], credential=state["credential"])
        from app.sync.engine import pending

        outbox = pending(app.vault)
        with contextlib.suppress(Exception):
            client.push([app.vault.seal(r) for r in outbox[:200]])
        client.close()

    @precondition(lambda self: SERVER.proc is not None)
    @rule(device=st.integers(0, 1))
    def server_crash_during_sync(self, device):
        import threading

        worker = threading.Thread(target=lambda: _quietly(self.devices[device].sync))
        worker.start()
        SERVER.kill()
        worker.join()
        SERVER.start()

    @invariant()
    def every_note_text_is_one_that_was_written(self):
        for app in self.devices:
            for note in app.notes():
                assert note.text in self.written[note.id]

    def check_converged(self):
        for _ in range(3):
            for app in self.devices:
                app.sync()
        a, b = (sorted((n.id, n.text) for n in app.notes()) for app in self.devices)
        assert a == b
        ids = {note_id for note_id, _ in a}
        assert ids == set(self.written) - self.deleted  # nothing lost, deletes stay deleted
        for app in self.devices:
            assert app.sync_status()["pending"] == 0
            for note_id in self.deleted:
                with pytest.raises(NotFound):
                    app.note(note_id)

    @rule()
    def converge(self):
        self.check_converged()


def _quietly(call):
    with contextlib.suppress(ServerUnreachable):
        call()


class _Final(SyncMachine):
    def teardown(self):
        try:
            self.check_converged()
        finally:
            super().teardown()


# Eight runs of 25 steps (each with a few server kills) keep this near two minutes of the
# suite; every run of the suite draws new interleavings.
_Final.TestCase.settings = settings(
    max_examples=8,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSyncMachine = _Final.TestCase
