"""The server side of sharing a gezin (docs/sharing.md), spoken to in raw HTTP against a
real server process on SQLite and on PostgreSQL: published keys and the team list,
authorisation by membership, membership entries by epoch, fan-out to every member, and
an admin removing someone."""

from __future__ import annotations

import base64
import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from app.team.identity import Identity, PublicKeys
from app.team.membership import Entry, Log, make_entry
from sync_server import team
from tests.conftest import MARKER

_teams = iter(range(10**6))


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


@dataclass
class Phone:
    """One enrolled device of one account, speaking raw HTTP."""

    url: str
    login: str
    credential: str
    device_id: str
    identity: Identity = field(default_factory=Identity.new)
    clock: int = 0
    cursor: int = 0
    seen: dict[str, dict[str, Any]] = field(default_factory=dict)

    def call(self, method: str, path: str, **options: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.credential}"}
        return requests.request(method, self.url + path, headers=headers, timeout=60, **options)

    def publish(self) -> requests.Response:
        keys = {
            "x25519": b64(self.identity.x25519_public),
            "ed25519": b64(self.identity.ed25519_public),
        }
        return self.call("PUT", "/v1/keys", json=keys)

    def team(self) -> dict[str, Any]:
        answer = self.call("GET", "/v1/team")
        assert answer.status_code == 200, answer.text
        return answer.json()

    def push(self, *records: dict[str, Any]) -> list[str]:
        answer = self.call("POST", "/v1/push", json={"records": list(records)})
        assert answer.status_code == 200, answer.text
        return [r["status"] for r in answer.json()["results"]]

    def pull(self) -> list[dict[str, Any]]:
        """Every record new in the feed since the last pull."""
        found = []
        while True:
            answer = self.call("GET", "/v1/pull", params={"since": self.cursor})
            assert answer.status_code == 200, answer.text
            page = answer.json()
            found += page["records"]
            self.cursor = page["next_cursor"]
            if not page["has_more"]:
                break
        for record in found:
            self.seen[record["id"]] = record
        return found

    def record(
        self,
        kind: str,
        case_id: str | None,
        record_id: str | None = None,
        rev: int = 1,
        key: str = "case",
        kv: int = 1,
        meta: dict[str, Any] | None = None,
        payload: bytes | None = None,
    ) -> dict[str, Any]:
        """A well-formed sealed record (its payload is opaque to the server anyway)."""
        self.clock += 1
        return {
            "fmt": 1,
            "id": record_id or str(uuid.uuid4()),
            "kind": kind,
            "case_id": case_id,
            "rev": rev,
            "base_rev": rev - 1,
            "device_id": self.device_id,
            "hlc": f"{1782856800000 + self.clock:015d}-00000-{self.device_id[:8]}",
            "deleted": False,
            "meta": meta or {},
            "key": key,
            "kv": kv,
            "payload": b64(payload or os.urandom(60)),
        }

    def entry(
        self, log: Log, action: str, subject: str, keys: dict[str, PublicKeys]
    ) -> tuple[Entry, dict[str, Any]]:
        """The next signed membership entry of `log` and its record."""
        made = make_entry(
            log, action, subject, self.identity, self.login, keys, os.urandom(32), {}, "2026-12-01"
        )
        record = self.record(
            "membership",
            log.case_id,
            made.record_id(),
            key="signed",
            kv=made.epoch,
            meta=made.meta(),
            payload=made.payload(),
        )
        return made, record


def enrol(server, login: str, team_name: str) -> Phone:
    code = server.user(login, team_name)
    body = {
        "code": code,
        "authenticator": b64(os.urandom(32)),
        "device_name": "testtoestel",
        "new_account": {
            "kdf": {"n": 1024, "r": 8, "p": 1},
            "envelope": "AAAA",
            "public_key": "AAAA",
            "wrapped_private_key": "AAAA",
        },
    }
    answer = requests.post(server.url + "/v1/enrol/complete", json=body, timeout=60)
    assert answer.status_code == 200, answer.text
    done = answer.json()
    return Phone(server.url, login, done["credential"], done["device_id"])


@pytest.fixture
def trio(server):
    """A and B in one team, C in another (fresh logins per test)."""
    n = next(_teams)
    a = enrol(server, f"a{n}", f"Team Deel {n}")
    b = enrol(server, f"b{n}", f"Team Deel {n}")
    c = enrol(server, f"c{n}", f"Team Ander {n}")
    for phone in (a, b, c):
        assert phone.publish().status_code == 200
    return a, b, c


def keys_of(*phones: Phone) -> dict[str, PublicKeys]:
    return {p.login: p.identity.public(p.login) for p in phones}


# ---- step 2: keys and the team list ------------------------------------------------------


def test_keys_are_published_once(server):
    n = next(_teams)
    phone = enrol(server, f"k{n}", f"Team Sleutel {n}")
    assert phone.publish().status_code == 200
    assert phone.publish().status_code == 200  # the same keys again
    other = Identity.new()
    changed = {"x25519": b64(other.x25519_public), "ed25519": b64(other.ed25519_public)}
    answer = phone.call("PUT", "/v1/keys", json=changed)
    assert answer.status_code == 409 and answer.json()["error"] == "keys_exist"
    team_list = phone.team()
    (me,) = team_list["members"]
    assert me["x25519"] == b64(phone.identity.x25519_public)
    assert me["ed25519"] == b64(phone.identity.ed25519_public)


def test_keys_of_the_wrong_size_or_low_order_are_refused(server):
    n = next(_teams)
    phone = enrol(server, f"l{n}", f"Team Laag {n}")
    good_x, good_ed = b64(phone.identity.x25519_public), b64(phone.identity.ed25519_public)
    identity_point = b64(b"\x01" + bytes(31))  # the neutral element of Edwards25519
    order_eight = bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")
    for body in (
        {"x25519": b64(bytes(31)), "ed25519": good_ed},
        {"x25519": good_x, "ed25519": b64(bytes(33))},
        {"x25519": "niet base64!", "ed25519": good_ed},
        {"x25519": b64(bytes(32)), "ed25519": good_ed},  # X25519 of order 1
        {"x25519": good_x, "ed25519": identity_point},
        {"x25519": good_x, "ed25519": b64(order_eight)},
    ):
        answer = phone.call("PUT", "/v1/keys", json=body)
        assert answer.status_code == 400, (body, answer.text)
        assert answer.json()["error"] == "bad_key" and answer.json()["detail"]
    assert phone.team()["members"][0]["x25519"] is None  # nothing was published


def test_small_order_edwards_points_are_recognised():
    assert not team._ed25519_usable(b"\x01" + bytes(31))
    assert not team._ed25519_usable(bytes(32))  # order 4
    assert team._ed25519_usable(Identity.new().ed25519_public)


def test_team_list_shape(server, trio):
    a, b, c = trio
    listed = a.team()
    assert set(listed) == {"team", "team_case", "me", "members", "rotate"}
    assert listed["me"] == a.login and listed["rotate"] == []
    assert [m["login"] for m in listed["members"]] == sorted([a.login, b.login])
    for member in listed["members"]:
        assert set(member) == {"login", "role", "x25519", "ed25519", "keys_at"}
        assert member["role"] == "outreacher" and member["keys_at"]
    assert str(uuid.UUID(listed["team_case"])) == listed["team_case"]
    assert b.team()["team_case"] == listed["team_case"]  # one log per team
    assert c.team()["team_case"] != listed["team_case"]
    assert [m["login"] for m in c.team()["members"]] == [c.login]


# ---- steps 3-5: authorisation by membership, entries by epoch, fan-out -------------------


def new_gezin(owner: Phone, notes: int = 0) -> tuple[str, list[dict[str, Any]]]:
    """A gezin pushed by `owner`: its case record, case key and `notes` notes (epoch 1)."""
    gezin = str(uuid.uuid4())
    records = [
        owner.record("case_key", gezin, f"{gezin}.key", key="user"),
        owner.record("case", gezin, gezin),
        *(owner.record("note", gezin) for _ in range(notes)),
    ]
    assert set(owner.push(*records)) == {"accepted"}
    return gezin, records


def share(owner: Phone, colleague: Phone, gezin: str) -> tuple[Log, dict[str, Any]]:
    """`owner` adds `colleague` to the gezin (epoch 2); the log after it and the record."""
    log = Log.gezin(gezin, owner.login)
    entry, record = owner.entry(log, "add", colleague.login, keys_of(owner, colleague))
    assert owner.push(record) == ["accepted"]
    return Log(gezin, entry.owner, entry.members, entry.epoch, entry.digest()), record


def ids(records: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in records]


def test_a_gezin_is_written_by_its_members_only(server, trio):
    a, b, c = trio
    gezin, records = new_gezin(a, notes=1)
    colleague, stranger = b.record("note", gezin), c.record("note", gezin)
    assert b.push(colleague) == ["refused"]
    assert c.push(stranger) == ["refused"]
    edit = {**records[2], "rev": 2, "base_rev": 1, "device_id": b.device_id}
    assert b.push(edit) == ["refused"]
    # The refusal says nothing more to someone of another team than to a colleague.
    answer = c.call("POST", "/v1/push", json={"records": [stranger]}).json()
    assert answer["results"] == [{"id": stranger["id"], "status": "refused", "rev": None}]
    assert b.pull() == [] and c.pull() == []
    assert ids(a.pull()) == ids(records)  # the owner's own, nothing of anyone else


def test_a_shared_gezin_reaches_every_member(server, trio):
    a, b, c = trio
    gezin, records = new_gezin(a, notes=3)
    a.pull()
    _, entry = share(a, b, gezin)
    # B catches up: the entry first (its keys open the rest), then the gezin's records;
    # never A's case key, which is A's own.
    caught = b.pull()
    assert ids(caught) == [entry["id"], *ids(records[1:])]
    theirs = b.record("note", gezin, kv=2)
    assert b.push(theirs) == ["accepted"]
    edit = {**records[2], "rev": 2, "base_rev": 1, "device_id": b.device_id, "kv": 2}
    assert b.push(edit) == ["accepted"]
    assert ids(a.pull()) == [entry["id"], theirs["id"], edit["id"]]
    assert a.seen[edit["id"]]["rev"] == 2
    mine = a.record("note", gezin, kv=2)
    assert a.push(mine) == ["accepted"]
    assert ids(b.pull()) == [theirs["id"], edit["id"], mine["id"]]
    assert c.pull() == []


def test_a_memo_stays_with_its_author(server, trio):
    a, b, _ = trio
    gezin, _ = new_gezin(a)
    share(a, b, gezin)
    b.pull()
    memo = a.record("note", gezin, key="user")
    assert a.push(memo) == ["accepted"]
    assert memo["id"] not in ids(b.pull())
    assert b.push({**memo, "rev": 2, "base_rev": 1, "device_id": b.device_id}) == ["refused"]
    # Nor can a colleague turn a shared note into a memo of their own.
    note = a.record("note", gezin, kv=2)
    assert a.push(note) == ["accepted"]
    private = {**note, "rev": 2, "base_rev": 1, "key": "user", "device_id": b.device_id}
    assert b.push(private) == ["refused"]


def test_records_under_a_key_epoch_still_to_come_are_refused(server, trio):
    a, b, _ = trio
    gezin, _ = new_gezin(a)
    assert a.push(a.record("note", gezin, kv=2)) == ["refused"]
    share(a, b, gezin)
    assert a.push(a.record("note", gezin, kv=2)) == ["accepted"]
    assert a.push(a.record("note", gezin, kv=1)) == ["accepted"]  # a phone not yet rotated
    assert b.push(b.record("note", gezin, kv=3)) == ["refused"]


def test_a_membership_entry_must_be_the_next_epoch(server, trio):
    a, b, _ = trio
    gezin, _ = new_gezin(a)
    log = Log(gezin, a.login, (a.login,), 2, None)  # as if epoch 2 had been accepted
    _, early = a.entry(log, "add", b.login, keys_of(a, b))
    assert a.push(early) == ["conflict"]
    _, wrong_id = a.entry(Log.gezin(gezin, a.login), "add", b.login, keys_of(a, b))
    wrong_id = {**wrong_id, "id": f"{gezin}.m9"}
    assert a.push(wrong_id) == ["refused"]
    log, entry = share(a, b, gezin)
    assert a.push(entry) == ["accepted"]  # a replay
    _, again = a.entry(Log.gezin(gezin, a.login), "add", b.login, keys_of(a, b))
    assert a.push(again) == ["conflict"]  # epoch 2 is taken


def test_members_in_an_entry_must_follow_from_the_gezin(server, trio):
    a, b, c = trio
    gezin, _ = new_gezin(a)
    # C is of another team: the phone would not, but a client could try.
    _, stranger = a.entry(Log.gezin(gezin, a.login), "add", c.login, keys_of(a, c))
    assert a.push(stranger) == ["refused"]
    _, entry = a.entry(Log.gezin(gezin, a.login), "add", b.login, keys_of(a, b))
    forged = {**entry, "meta": {**entry["meta"], "owner": b.login}}
    assert a.push(forged) == ["refused"]
    assert b.pull() == []


def test_two_racing_entries_of_one_epoch_one_wins(server, trio):
    import threading

    a, b, _ = trio
    gezin, _ = new_gezin(a)
    log, _ = share(a, b, gezin)
    _, handover = a.entry(log, "owner", b.login, keys_of(a, b))
    _, leaving = b.entry(log, "remove", b.login, keys_of(a, b))
    answers: dict[str, list[str]] = {}
    barrier = threading.Barrier(2)

    def send(phone: Phone, record: dict[str, Any]) -> None:
        barrier.wait()
        answers[phone.login] = phone.push(record)

    threads = [
        threading.Thread(target=send, args=(a, handover)),
        threading.Thread(target=send, args=(b, leaving)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers[a.login] + answers[b.login]) == ["accepted", "conflict"]
    winner = handover if answers[a.login] == ["accepted"] else leaving
    for phone in (a, b):
        phone.pull()
        assert [i for i in phone.seen if i.startswith(f"{gezin}.m3")] == [f"{gezin}.m3"]
        assert phone.seen[f"{gezin}.m3"]["payload"] == winner["payload"]


def test_someone_removed_gets_nothing_new(server, trio):
    a, b, _ = trio
    gezin, records = new_gezin(a, notes=2)
    log, _ = share(a, b, gezin)
    shared = b.record("note", gezin, kv=2)
    assert b.push(shared) == ["accepted"]
    b.pull()
    _, removal = a.entry(log, "remove", b.login, keys_of(a))
    assert a.push(removal) == ["accepted"]
    assert ids(b.pull()) == [removal["id"]]  # told they were removed, and nothing after
    later = a.record("note", gezin, kv=3)
    edited = {**records[2], "rev": 2, "base_rev": 1, "kv": 3}
    assert a.push(later, edited) == ["accepted", "accepted"]
    assert b.pull() == []
    assert b.push(b.record("note", gezin, kv=2)) == ["refused"]
    assert b.push({**shared, "rev": 2, "base_rev": 1}) == ["refused"]
    # A fresh phone of B gets the membership log, not the gezin's records.
    b.cursor = 0
    assert {r["kind"] for r in b.pull()} == {"membership"}


def test_the_team_log_starts_with_create(server, trio):
    a, b, c = trio
    log = Log.team(a.team()["team_case"])
    assert a.push(a.record("team_setting", log.case_id)) == ["refused"]  # no key yet
    _, stranger = c.entry(log, "create", c.login, keys_of(c))
    assert c.push(stranger) == ["refused"]
    made, create = b.entry(log, "create", b.login, keys_of(b))
    assert b.push(create) == ["accepted"]
    setting = b.record("team_setting", log.case_id)
    assert b.push(setting) == ["accepted"]
    assert a.push(a.record("team_setting", log.case_id)) == ["refused"]  # not verified yet
    after = Log(log.case_id, made.owner, made.members, made.epoch, made.digest())
    _, added = b.entry(after, "add", a.login, keys_of(a, b))
    assert b.push(added) == ["accepted"]
    assert ids(a.pull()) == [create["id"], added["id"], setting["id"]]


def test_the_server_database_holds_no_marker(server, trio, postgres_dump):
    from app.vault.crypto import Aead

    a, b, _ = trio
    gezin, _ = new_gezin(a)
    share(a, b, gezin)
    sealed = Aead(os.urandom(32)).seal(f"{MARKER} bij de voordeur".encode(), b"ad")
    assert b.push(b.record("note", gezin, kv=2, payload=sealed)) == ["accepted"]
    assert MARKER.encode() not in postgres_dump(server.db_url)


# ---- step 6: an admin removing someone, resetting an account -----------------------------


def admin(server, *args: str) -> str:
    import contextlib
    import io

    from sync_server import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["--db", server.db_url, "admin", *args]) == 0
    return out.getvalue()


def test_removing_someone_marks_their_gezinnen_for_rotation(server, trio):
    a, b, _ = trio
    gezin, _ = new_gezin(a)
    log, _ = share(a, b, gezin)
    new_gezin(b)  # B's own, shared with nobody: nobody is left to rotate it
    team_log = Log.team(a.team()["team_case"])
    made, create = a.entry(team_log, "create", a.login, keys_of(a))
    after = Log(team_log.case_id, made.owner, made.members, made.epoch, made.digest())
    _, added = a.entry(after, "add", b.login, keys_of(a, b))
    assert a.push(create, added) == ["accepted", "accepted"]
    said = admin(server, "remove-user", b.login)
    assert "2 shared gezin(nen) or team log to rotate" in said
    listed = a.team()
    assert [m["login"] for m in listed["members"]] == [a.login]
    expected = [{"case_id": c, "login": b.login} for c in (gezin, team_log.case_id)]
    assert sorted(listed["rotate"], key=lambda r: r["case_id"]) == sorted(
        expected, key=lambda r: r["case_id"]
    )
    refused = b.call("GET", "/v1/pull")
    assert refused.status_code == 401 and refused.json()["wipe"] is True
    # The first remaining member's phone writes the remove entry; the mark goes.
    _, removal = a.entry(log, "remove", b.login, keys_of(a))
    assert a.push(removal) == ["accepted"]
    assert a.team()["rotate"] == [{"case_id": team_log.case_id, "login": b.login}]
    assert a.push(a.record("note", gezin, kv=3)) == ["accepted"]
    with server.db.transaction() as session:
        from sqlalchemy import select

        from sync_server.models import AuditEntry

        last = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "remove_user").order_by(AuditEntry.id)
        ).all()[-1]
    assert last.detail == f'{{"login":"{b.login}","rotations":2}}'


def test_a_reset_account_publishes_new_keys(server, trio):
    a, b, _ = trio
    said = admin(server, "reset-account", a.login)
    code = said.strip().splitlines()[-1]
    assert a.call("GET", "/v1/team").status_code == 401
    (shown,) = [m for m in b.team()["members"] if m["login"] == a.login]
    assert shown["x25519"] is None and shown["keys_at"] is None
    body = {
        "code": code,
        "authenticator": b64(os.urandom(32)),
        "new_account": {"kdf": {}, "envelope": "A", "public_key": "A", "wrapped_private_key": "A"},
    }
    answer = requests.post(server.url + "/v1/enrol/complete", json=body, timeout=60)
    assert answer.status_code == 200, answer.text  # a first device again
    fresh = Phone(server.url, a.login, answer.json()["credential"], answer.json()["device_id"])
    assert fresh.publish().status_code == 200
    (shown,) = [m for m in b.team()["members"] if m["login"] == a.login]
    assert shown["x25519"] == b64(fresh.identity.x25519_public) != b64(a.identity.x25519_public)


# ---- step 7: the supervisor sees gezinnen nobody else can read ---------------------------


def test_gezinnen_without_a_second_reader_per_worker(server, trio):
    from tests.dashboard import WebClient

    a, b, _ = trio
    for _ in range(4):
        new_gezin(a)
    shared, _ = new_gezin(a)
    share(a, b, shared)
    new_gezin(b)
    team_name = a.team()["team"]
    coach = f"coach.{a.login}"
    web = WebClient(server.url, "192.0.2.40")
    password = "een lang genoeg wachtwoord"
    assert web.activate(coach, server.user(coach, team_name, "supervisor"), password).ok
    assert web.login(coach, password).status_code == 303
    rows = web.table("toestellen", "gezinnen-zonder-tweede-lezer")
    assert rows == {a.login: ["4"], b.login: ["< 3"]}  # the coach has no gezinnen
    assert "Gezinnen zonder tweede lezer" in web.get("/dashboard/toestellen").text
