"""Random interleavings of sharing, stopping, writing and syncing on three phones (two of
the gezin's owner, one of a colleague) against a real server must end in one membership
log every phone accepts and one set of notes, with nothing the server took lost."""

import contextlib
import itertools
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from app.core.errors import MembershipRefused
from app.services import enroll
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.server_process import ServerProcess

_teams = itertools.count()
SERVER: ServerProcess | None = None
PHONES = ("anna", "tablet", "bert")


class SharingMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        assert SERVER is not None
        n = next(_teams)
        team = f"Team Machine {n}"
        self.anna, self.bert = f"anna{n}", f"bert{n}"
        self.dir = Path(tempfile.mkdtemp(prefix="dichtbij-share-sm-"))

        def phone(name, login, code):
            return enroll(self.dir / name, PASSPHRASE, SERVER.url, code, kdf=FAST_KDF)

        a = phone("anna", self.anna, SERVER.user(self.anna, team=team))
        b = phone("bert", self.bert, SERVER.user(self.bert, team=team))
        a.sync(), b.sync(), a.sync()
        a.verify_colleague(self.bert, b.my_fingerprint())
        b.verify_colleague(self.anna, a.my_fingerprint())
        self.case = a.add_case("Gezin Machine")
        a.sync()
        tablet = phone("tablet", self.anna, SERVER.code(self.anna))
        tablet.sync()
        self.phones = {"anna": a, "tablet": tablet, "bert": b}
        self.counter = itertools.count()
        self.written: dict[str, str] = {}  # note id → the phone that wrote it

    def teardown(self):
        try:
            self._converge()
        finally:
            for app in self.phones.values():
                app.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    @rule(actor=st.sampled_from(("anna", "tablet")))
    def share_or_stop(self, actor):
        app = self.phones[actor]
        try:
            if self.bert in app.case_sharing(self.case).members:
                app.unshare_case(self.case, self.bert)
            else:
                app.share_case(self.case, self.bert)
        except MembershipRefused:
            pass  # this phone's view is behind (e.g. an entry it has not pushed lost a race)

    @rule(actor=st.sampled_from(("anna", "tablet")))
    def hand_over(self, actor):
        app = self.phones[actor]
        with contextlib.suppress(MembershipRefused):  # B owns it, or this view is behind
            app.hand_over(self.case, self.bert)

    @rule()
    def bert_leaves(self):
        b = self.phones["bert"]
        with contextlib.suppress(MembershipRefused):
            if self.bert in b.case_sharing(self.case).members:
                b.unshare_case(self.case, self.bert)

    @rule(writer=st.sampled_from(PHONES))
    def write(self, writer):
        app = self.phones[writer]
        if not app.vault.case_keys(self.case) or app.vault.get("case", self.case) is None:
            return  # not (or not yet) readable on this phone
        if app.my_login() not in app.case_sharing(self.case).members:
            return
        note = app.add_note(self.case, f"{writer} {next(self.counter)}")
        self.written[note] = writer

    @rule(who=st.sampled_from(PHONES))
    def sync(self, who):
        self.phones[who].sync()

    def _converge(self):
        for _ in range(3):
            for app in self.phones.values():
                app.sync()
        views = {name: app.case_sharing(self.case) for name, app in self.phones.items()}
        b = self.phones["bert"]
        ever_shared = any(r.case_id == self.case for r in b.vault.find("membership"))
        readers = ("anna", "tablet", "bert") if ever_shared else ("anna", "tablet")
        logs = {(views[name].owner, views[name].members) for name in readers}
        assert len(logs) == 1, views  # one log, accepted by every phone that ever read it
        for name, app in self.phones.items():
            assert not app.vault.local("membership_refused"), name
            assert not app.vault.local("membership_intents"), name
            assert not app.sync_status()["pending"], name
        a, tablet = self.phones["anna"], self.phones["tablet"]
        assert a.vault.case_keys(self.case) == tablet.vault.case_keys(self.case)
        on_a = {n.id for n in a.notes(self.case)}
        assert on_a == {n.id for n in tablet.notes(self.case)}
        refused_by_server = set(b.vault.local("refused") or {})
        for note, writer in self.written.items():
            if writer != "bert" or note not in refused_by_server:
                assert note in on_a, (writer, note)  # nothing the server took is lost
        if self.bert in views["anna"].members:
            assert {n.id for n in b.notes(self.case)} == on_a


def test_sharing_machine(server):
    """On SQLite and on PostgreSQL (the `server` fixture runs both)."""
    global SERVER
    SERVER = server
    run_state_machine_as_test(
        SharingMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
