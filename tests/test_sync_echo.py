"""A device is not sent its own changes back: a push made from the end of the feed answers
with the cursor past it (docs/sync-protocol.md, section 5), on SQLite and PostgreSQL."""

import itertools

import requests

from app.services import enroll
from tests.conftest import FAST_KDF, PASSPHRASE

_logins = itertools.count()


def phone(server, tmp_path, login, name, first=False):
    code = server.user(login) if first else server.code(login)
    return enroll(tmp_path / name, PASSPHRASE, server.url, code, device_name=name, kdf=FAST_KDF)


def sealed_notes(app, case_id, count):
    ids = [app.add_note(case_id, f"notitie {i}") for i in range(count)]
    key = app.vault.seal(app.vault.latest(f"{case_id}.key"))
    case = app.vault.seal(app.vault.latest(case_id))
    return [key, case, *(app.vault.seal(app.vault.latest(i)) for i in ids)]


def call(server, app, method, path, **kwargs):
    credential = app.vault.local("server")["credential"]
    headers = {"Authorization": f"Bearer {credential}"}
    answer = requests.request(method, server.url + path, headers=headers, timeout=30, **kwargs)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_push_from_the_end_of_the_feed_carries_the_cursor_past_it(server, tmp_path):
    login = f"echo{next(_logins)}"
    first = phone(server, tmp_path, login, "eerste", first=True)
    records = sealed_notes(first, first.add_case("Gezin Echo"), 10)
    answer = call(server, first, "POST", "/v1/push", json={"records": records, "since": 0})
    assert [r["status"] for r in answer["results"]] == ["accepted"] * len(records)
    cursor = answer["next_cursor"]
    assert cursor == len(records)
    pulled = call(server, first, "GET", f"/v1/pull?since={cursor}")
    echo = requests.get(  # what a phone that ignores next_cursor downloads again
        server.url + "/v1/pull?since=0",
        headers={"Authorization": f"Bearer {first.vault.local('server')['credential']}"},
        timeout=30,
    )
    print(f"\necho_bytes_down_without_next_cursor: {len(echo.content)} bytes")
    print(f"echo_records_after_push: {len(pulled['records'])} records")
    assert pulled["records"] == [] and pulled["next_cursor"] == cursor
    assert pulled["has_more"] is False

    # A replay moves nothing and still answers the cursor.
    again = call(server, first, "POST", "/v1/push", json={"records": records, "since": cursor})
    assert again["next_cursor"] == cursor

    # Another device pushed in between: no shortcut, the pull brings everything after since.
    second = phone(server, tmp_path, login, "tweede")
    second.sync()
    second.add_note(second.add_case("Gezin Tweede"), "van het tweede toestel")
    second.sync()
    more = sealed_notes(first, first.add_case("Gezin Later"), 1)
    late = call(server, first, "POST", "/v1/push", json={"records": more, "since": cursor})
    assert late["next_cursor"] is None
    pulled = call(server, first, "GET", f"/v1/pull?since={cursor}")
    kinds = sorted(r["kind"] for r in pulled["records"])
    # (the second device's first sync also made the account's identity: no phone had one)
    assert kinds == ["case", "case", "case_key", "case_key", "identity", "note", "note"]

    # A phone that sends no cursor gets none (the answer phones before this change read).
    plain = call(server, first, "POST", "/v1/push", json={"records": more})
    assert plain["next_cursor"] is None
    first.close(), second.close()
