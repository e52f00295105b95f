"""Sync that costs little: compressed payloads and gzip on the wire, no echo of a device's
own push, and a sync with nothing to do that makes one request and writes nothing. Against
a real server process; sizes are asserted, never times (those are in `python -m bench sync`)."""

import gzip
import itertools
import json
import random

import requests

from app.services import enroll
from app.sync.engine import SyncEngine
from app.sync.transport import ServerClient
from bench.vault_bench import _text
from tests.conftest import FAST_KDF, PASSPHRASE

_logins = itertools.count()


def _phone(server, tmp_path, login, name, first=False):
    code = server.user(login) if first else server.code(login)
    return enroll(tmp_path / name, PASSPHRASE, server.url, code, device_name=name, kdf=FAST_KDF)


class Counting(ServerClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls: list[str] = []

    def _call(self, method, path, *args, **kwargs):
        self.calls.append(f"{method} {path}")
        return super()._call(method, path, *args, **kwargs)


def _engine(app):
    state = app.vault.local("server")
    client = Counting(state["url"], credential=state["credential"])
    return SyncEngine(app.vault, client), client


def test_notes_cost_well_under_a_kilobyte_each_way_and_never_come_back(server, tmp_path):
    login = f"lean{next(_logins)}"
    phone = _phone(server, tmp_path, login, "phone", first=True)
    case_id = phone.add_case("Gezin Zuinig")
    rng = random.Random(5)
    for _ in range(200):
        phone.add_note(case_id, _text(rng), domains=["wonen", "werk"], setting="huisbezoek")
    pushed = phone.sync()
    assert pushed.pushed == 203  # and the identity
    # Before: about 1.25 KB per note up (base64 JSON of uncompressed text).
    assert pushed.bytes_up / 200 < 600
    # No echo: the push answered the cursor past it; the next pull brings nothing back.
    engine, client = _engine(phone)
    again = engine.sync()
    client.close()
    assert again.pulled == 0 and again.bytes_down < 200
    tablet = _phone(server, tmp_path, login, "tablet")
    pulled = tablet.sync()
    assert pulled.pulled == 203 and pulled.bytes_down / 200 < 600
    assert {n.text for n in tablet.notes()} == {n.text for n in phone.notes()}
    phone.close(), tablet.close()


def test_a_sync_with_nothing_to_do_makes_one_request_and_writes_nothing(server, tmp_path):
    phone = _phone(server, tmp_path, f"lean{next(_logins)}", "phone", first=True)
    phone.add_note(phone.add_case("Gezin Stil"), "een notitie")
    phone.sync()
    journal = tmp_path / "phone" / "journal.bin"
    sizes, calls = [], []
    for _ in range(3):
        engine, client = _engine(phone)
        before = journal.stat().st_size
        engine.sync()
        client.close()
        sizes.append(journal.stat().st_size - before)
        calls.append(client.calls)
    assert calls == [["GET /v1/pull"]] * 3  # before: pull and status, every time
    assert sorted(sizes)[:2] == [0, 0]  # at most one write, when the minute turns
    phone.close()


def test_a_whole_sync_of_the_app_with_nothing_to_do_is_one_request(server, tmp_path, monkeypatch):
    """`Services.sync` around the engine (team list, team log, keys): an idle sync is still
    the pull alone; a colleague who publishes keys changes the pull's team_version, and only
    then is the team list read again."""
    calls: list[str] = []

    class Recorded(Counting):
        def _call(self, method, path, *args, **kwargs):
            calls.append(f"{method} {path}")
            return super()._call(method, path, *args, **kwargs)

    monkeypatch.setattr("app.services.ServerClient", Recorded)
    me, colleague = f"lean{next(_logins)}", f"lean{next(_logins)}"
    server.user(colleague)  # in the team, with no keys yet
    phone = _phone(server, tmp_path, me, "phone", first=True)
    phone.add_note(phone.add_case("Gezin Stil"), "een notitie")
    phone.sync()
    phone.sync()  # the keys published at the end of the first sync changed the team list
    assert phone.colleague(colleague).status == "no_keys"
    idle = []
    for _ in range(3):
        calls.clear()
        phone.sync()
        idle.append(list(calls))
    assert idle == [["GET /v1/pull"]] * 3  # before: GET /v1/team and the pull, every time
    other = _phone(server, tmp_path, colleague, "colleague")
    other.sync(), other.sync()  # makes and publishes the colleague's identity
    calls.clear()
    phone.sync()
    assert calls == ["GET /v1/pull", "GET /v1/team"]
    assert phone.colleague(colleague).status == "unverified"  # their keys arrived
    calls.clear()
    phone.sync()
    assert calls == ["GET /v1/pull"]
    phone.close(), other.close()


def test_a_running_app_keeps_one_connection_between_syncs(server, tmp_path, monkeypatch):
    """A new session and TCP connection per sync were a third of an idle sync. The client
    holds the device credential, so it goes with the lock."""
    made: list[Counting] = []

    class Kept(Counting):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr("app.services.ServerClient", Kept)
    phone = _phone(server, tmp_path, f"lean{next(_logins)}", "phone", first=True)
    phone.add_note(phone.add_case("Gezin Verbonden"), "een notitie")
    for _ in range(4):
        report = phone.sync()
    assert len(made) == 1  # before: one client per sync
    pools = made[0]._http.get_adapter(server.url).poolmanager.pools
    opened = [pools[key].num_connections for key in pools.keys()]  # noqa: SIM118 - no __iter__
    assert opened == [1]  # every request of four syncs on one TCP connection
    assert report.bytes_down < 200  # this sync's bytes, not the four syncs' sum
    phone.lock()
    phone.unlock(PASSPHRASE)
    phone.sync()
    assert len(made) == 2  # the lock dropped it; a new one after the unlock
    phone.close()


def test_gzip_on_the_wire(server, tmp_path):
    phone = _phone(server, tmp_path, f"lean{next(_logins)}", "phone", first=True)
    case_id = phone.add_case("Gezin Gzip")
    ids = [phone.add_note(case_id, _text(random.Random(i))) for i in range(10)]
    records = [phone.vault.seal(phone.vault.latest(i)) for i in [f"{case_id}.key", case_id, *ids]]
    credential = phone.vault.local("server")["credential"]
    auth = {"Authorization": f"Bearer {credential}", "Content-Type": "application/json"}
    body = json.dumps({"records": records}).encode()

    def post(data, **headers):
        return requests.post(
            server.url + "/v1/push", data=data, headers={**auth, **headers}, timeout=30
        )

    sent = post(gzip.compress(body), **{"Content-Encoding": "gzip"})
    assert sent.status_code == 200, sent.text
    assert sent.headers["Accept-Encoding"] == "gzip"  # RFC 7694: the phone may compress
    pulled = requests.get(server.url + "/v1/pull", headers=auth, timeout=30, stream=True)
    assert pulled.headers["Content-Encoding"] == "gzip"
    wire = pulled.raw.read()  # as it came: still compressed
    assert len(wire) < len(gzip.decompress(wire)) * 0.8
    bomb = gzip.compress(b" " * (17 * 1024 * 1024))
    assert post(bomb, **{"Content-Encoding": "gzip"}).status_code == 413
    assert post(b"no gzip at all", **{"Content-Encoding": "gzip"}).status_code == 400
    assert post(gzip.compress(body), **{"Content-Encoding": "br"}).status_code == 415
    status = requests.post(
        server.url + "/v1/status",
        data=gzip.compress(b'{"pending": 0}'),
        headers={**auth, "Content-Encoding": "gzip"},
        timeout=30,
    )
    assert status.status_code == 415
    phone.close()
