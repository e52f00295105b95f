"""Input at the edges gets a 4xx, never a 500, on SQLite and PostgreSQL: NUL characters,
a cursor past 32 bits, periods at the ends of the calendar."""

import requests

from app.services import enroll
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.dashboard import PAGES, WebClient


def test_nul_in_login_or_device_name_is_refused(server):
    client = WebClient(server.url, "192.0.2.10")
    answer = client.login("coach\x00noord", "een lang genoeg wachtwoord")
    assert answer.status_code == 401, answer.text
    answer = client.activate("coach\x00noord", "AAAA-BBBB-CCCC-DDDD", "een lang wachtwoord")
    assert answer.status_code in (401, 422, 429), answer.text
    code = server.user("nul.toestel")
    answer = requests.post(
        server.url + "/v1/enrol/complete",
        json={"code": code, "authenticator": "A" * 43 + "=", "device_name": "gsm\x00x"},
        timeout=30,
    )
    assert answer.status_code == 422, answer.text
    assert "device_name" in answer.json()["detail"]
    answer = requests.post(server.url + "/v1/enrol/begin", json={"code": "AB\x00CD"}, timeout=30)
    assert answer.status_code in (401, 422, 429), answer.text


def test_a_cursor_past_32_bits_is_an_empty_page(server, tmp_path):
    app = enroll(tmp_path / "p", PASSPHRASE, server.url, server.user("groot"), kdf=FAST_KDF)
    headers = {"Authorization": f"Bearer {app.vault.local('server')['credential']}"}
    app.close()
    for since in (2**31 - 1, 2**31, 2**53 - 1):
        answer = requests.get(f"{server.url}/v1/pull?since={since}", headers=headers, timeout=30)
        assert answer.status_code == 200, (since, answer.text)
        page = answer.json()
        assert (page["records"], page["next_cursor"], page["has_more"]) == ([], since, False)
    answer = requests.get(f"{server.url}/v1/pull?since={2**63}", headers=headers, timeout=30)
    assert answer.status_code == 422, answer.text


def test_periods_at_the_ends_of_the_calendar_are_a_clear_400(server):
    login = "coach.rand"
    code = server.user(login, "Team Rand", "supervisor")
    coach = WebClient(server.url, "192.0.2.11")
    assert coach.activate(login, code, "een lang genoeg wachtwoord").status_code == 200
    assert coach.login(login, "een lang genoeg wachtwoord").status_code == 303
    for params in (
        {"van": "9999-12"},
        {"van": "9999-12", "periode": "week"},
        {"van": "0001-01"},
        {"van": "0001-W01", "periode": "week"},
        {"van": "0001-W01"},
        {"van": "9999-W52", "periode": "week"},
        {"van": "0000-01"},
    ):
        for page in PAGES:
            answer = coach.get("/dashboard" + page, **params)
            assert answer.status_code == 400, (page, params, answer.status_code)
        answer = coach.get("/dashboard/csv/overzicht/contacten", **params)
        assert 400 <= answer.status_code < 500, (params, answer.status_code)
