"""Wrong dashboard logins, many and from many addresses, against a real server process on
loopback: they are limited per address, per account and for the whole server (an
X-Forwarded-For does not reset that), at most `HASHERS` passwords are hashed at once, and
phone pulls go on meanwhile. Prints pull latency figures; asserts only behaviour."""

import statistics
import threading
import time

import pytest
import requests

from app.services import enroll
from sync_server import throttle
from sync_server.dashboard import auth
from sync_server.errors import TooManyAttempts
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.dashboard import WebClient
from tests.server_process import ServerProcess

PASSWORD = "een lang genoeg wachtwoord"


@pytest.fixture
def site(tmp_path):
    proc = ServerProcess(f"sqlite:///{tmp_path / 'd.db'}", tmp_path / "log").start()
    code = proc.user("coach.last", "Team Last", "supervisor")
    assert WebClient(proc.url, "192.0.2.1").activate("coach.last", code, PASSWORD).ok
    phone = enroll(tmp_path / "p", PASSPHRASE, proc.url, proc.user("werker"), kdf=FAST_KDF)
    case_id = phone.add_case("Gezin Last")
    for i in range(100):
        phone.add_note(case_id, f"notitie {i}")
    proc.records = phone.sync().pushed  # the notes, the gezin, its key, the identity
    proc.credential = phone.vault.local("server")["credential"]
    phone.close()
    yield proc
    proc.stop()
    proc.db.dispose()


def pulls(site, count) -> tuple[list[float], list[int]]:
    """Latencies (ms) of the pulls, and the statuses of those that failed."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {site.credential}"
    took, failed = [], []
    for _ in range(count):
        started = time.perf_counter()
        try:
            answer = http.get(site.url + "/v1/pull?since=0&limit=500", timeout=60)
        except requests.RequestException:
            failed.append(0)
            continue
        took.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200 or len(answer.json()["records"]) != site.records:
            failed.append(answer.status_code)
    return took, failed


def figures(name, measured):
    took, failed = measured
    print(f"{name}_p50: {statistics.median(took):.1f} ms")
    print(f"{name}_max: {max(took):.1f} ms")
    print(f"{name}_failed: {len(failed)} pulls {sorted(set(failed))}")
    return failed


def test_a_login_storm_is_limited_and_phone_pulls_go_on(site):
    figures("\npull_quiet", pulls(site, 30))
    statuses: list[int] = []

    def guesser(n):
        for i in range(40):  # a new address each time, as a rotating attacker would
            client = WebClient(site.url, f"198.51.{n}.{i}")
            login = "coach.last" if i % 2 else f"x{n}.{i}"
            statuses.append(client.login(login, "fout").status_code)

    threads = [threading.Thread(target=guesser, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    during = pulls(site, 30)
    for t in threads:
        t.join(300)
    failed = figures("pull_during_login_storm", during)
    print(f"login_storm_attempts: {len(statuses)} logins")
    print(f"login_storm_refused_429: {statuses.count(429)} logins")
    print(f"login_storm_checked_401: {statuses.count(401)} logins")
    assert set(statuses) <= {401, 429} and len(statuses) == 240
    assert failed == []
    # Guesses from ever new addresses meet the server's own limit: X-Forwarded-For does
    # not reset it, and the right password waits as well.
    for n in range(throttle.GLOBAL_MAX + 1):
        answer = WebClient(site.url, f"203.0.113.{n}").login(f"y{n}", "fout")
        if answer.status_code == 429:
            break
    assert answer.status_code == 429 and "op deze server" in answer.text
    answer = WebClient(site.url, "203.0.113.99").login("coach.last", PASSWORD)
    assert answer.status_code == 429
    code = requests.post(
        site.url + "/v1/enrol/begin",
        json={"code": "AAAA-BBBB-CCCC-DDDD"},
        headers={"X-Forwarded-For": "203.0.113.98"},
        timeout=30,
    )
    assert code.status_code == 429  # enrolment guesses share the same limit


def test_guesses_for_one_account_from_many_addresses_slow_that_account(site):
    for n in range(throttle.ACCOUNT_GRACE + 1):
        answer = WebClient(site.url, f"198.51.100.{n}").login("coach.last", "fout")
        assert answer.status_code == 401
    answer = WebClient(site.url, "203.0.113.7").login("coach.last", PASSWORD)
    assert answer.status_code == 429 and "voor deze gebruikersnaam" in answer.text
    # Another account is not held up.
    other = WebClient(site.url, "203.0.113.8").login("coach.ander", "fout")
    assert other.status_code == 401


def test_at_most_hashers_passwords_are_hashed_at_once():
    stored = auth._hasher.hash("iets")
    for _ in range(auth.HASHERS):
        auth._hashing.acquire()
    try:
        with pytest.raises(TooManyAttempts):
            auth.verify_password(stored, "iets")
    finally:
        for _ in range(auth.HASHERS):
            auth._hashing.release()
    assert auth.verify_password(stored, "iets")[0]
