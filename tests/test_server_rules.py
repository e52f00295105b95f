"""Rules the server keeps whatever a client sends: a record's kind never changes, a one-time
code opens only the door it was made for, every answer carries the security headers."""

import requests

from app.services import enroll
from app.sync.transport import ServerClient
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.dashboard import WebClient
from tests.server_process import ServerProcess
from tests.tls import self_signed

PASSWORD = "een lang genoeg wachtwoord"


def test_a_record_keeps_its_kind(server, tmp_path):
    app = enroll(tmp_path / "p", PASSPHRASE, server.url, server.user("soort"), kdf=FAST_KDF)
    note_id = app.add_note(app.add_case("Gezin Soort"), "een notitie")
    app.sync()
    sealed = app.vault.seal(app.vault.latest(note_id))
    changed = {**sealed, "kind": "case", "meta": {}, "rev": 2, "base_rev": 1}
    state = app.vault.local("server")
    client = ServerClient(state["url"], credential=state["credential"])
    assert client.push([changed])[0]["status"] == "refused"
    records = client.pull(0, 500)["records"]
    client.close()
    assert [(r["kind"], r["rev"]) for r in records if r["id"] == note_id] == [("note", 1)]
    app.close()


def test_a_code_opens_only_its_own_door(server, tmp_path):
    web_code = server.user("coach.deur", "Team Deur", "supervisor")
    answer = requests.post(server.url + "/v1/enrol/begin", json={"code": web_code}, timeout=30)
    assert answer.status_code == 401, answer.text
    phone_code = server.code("coach.deur")
    browser = WebClient(server.url, "192.0.2.20")
    page = browser.activate("coach.deur", phone_code, PASSWORD)
    assert page.status_code == 401 and "Wachtwoord instellen" in page.text
    # Each code still works for what it was made for.
    assert WebClient(server.url, "192.0.2.21").activate("coach.deur", web_code, PASSWORD).ok
    phone = enroll(tmp_path / "p", PASSPHRASE, server.url, phone_code, kdf=FAST_KDF)
    phone.close()


def test_security_headers_on_every_answer_and_hsts_over_https(tmp_path):
    cert, key = self_signed(tmp_path)
    proc = ServerProcess(f"sqlite:///{tmp_path / 'd.db'}", tmp_path / "log", tls=(cert, key))
    proc.start()
    try:
        for path in ("/docs", "/redoc", "/niet-hier", "/v1/me", "/health", "/dashboard/login"):
            answer = requests.get(proc.url + path, verify=str(cert), timeout=30)
            headers = answer.headers
            assert headers.get("Strict-Transport-Security", "").startswith("max-age="), path
            assert headers.get("X-Content-Type-Options") == "nosniff", path
            assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), path
            assert headers.get("Referrer-Policy") == "no-referrer", path
        refused = requests.post(proc.url + "/v1/push", json={}, verify=str(cert), timeout=30)
        assert refused.status_code in (401, 422) and "Strict-Transport-Security" in refused.headers
    finally:
        proc.stop()
        proc.db.dispose()
