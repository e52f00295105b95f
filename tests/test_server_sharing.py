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
