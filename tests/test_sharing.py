"""Team work on the phone (docs/sharing.md), against a real server process on SQLite and
PostgreSQL: identities and veiligheidsnummers, colleagues verified in person, sharing a
gezin end to end."""

from __future__ import annotations

import itertools
import json

import pytest
from sqlalchemy import update

from app.core.errors import InvalidInput
from app.services import enroll
from app.team import safety
from app.team.identity import Identity
from sync_server.models import User
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.test_cli import one_line_error, run

_numbers = itertools.count()


def worker(server, tmp_path, login, team, name="phone", first=True):
    code = server.user(login, team=team) if first else server.code(login)
    return enroll(
        tmp_path / f"{login}-{name}", PASSPHRASE, server.url, code, device_name=name, kdf=FAST_KDF
    )


@pytest.fixture
def trio(server, tmp_path):
    """A and B in one team, C in another; each enrolled and synced once."""
    n = next(_numbers)
    team, other = f"Team Deel {n}", f"Team Ander {n}"
    a = worker(server, tmp_path, f"anna{n}", team)
    b = worker(server, tmp_path, f"bert{n}", team)
    c = worker(server, tmp_path, f"cato{n}", other)
    for phone in (a, b, c, a):
        phone.sync()
    yield a, b, c
    for phone in (a, b, c):
        phone.close()


def test_identity_is_made_once_published_and_shared_by_a_worker_s_phones(server, tmp_path, trio):
    a, b, c = trio
    number = a.my_fingerprint()
    groups = number.split(" ")
    assert len(groups) == 12 and all(len(g) == 5 and g.isdigit() for g in groups)
    assert "<svg" in a.fingerprint_qr()
    # A second phone of A takes A's identity from sync instead of making another one.
    tablet = worker(server, tmp_path, a.my_login(), None, "tablet", first=False)
    tablet.sync()
    assert tablet.my_fingerprint() == number
    tablet.close()
    # B computes A's number from the keys the server gave: the same digits.
    seen = {col.login: col for col in b.colleagues()}
    assert seen[a.my_login()].number == number
    assert seen[a.my_login()].status == "unverified"
    # C is in another team: no A, no B.
    assert {col.login for col in c.colleagues()}.isdisjoint({a.my_login(), b.my_login()})
    with pytest.raises(InvalidInput):
        c.verify_colleague(a.my_login(), number)


def test_verification_compares_the_digits_only(trio):
    a, b, _ = trio
    number = a.my_fingerprint()
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    with pytest.raises(InvalidInput) as refused:
        b.verify_colleague(a.my_login(), wrong)
    assert refused.value.problem == "mismatch"
    assert b.colleague(a.my_login()).status == "unverified"
    b.verify_colleague(a.my_login(), safety.digits_of(number))  # no spaces: fine too
    assert b.colleague(a.my_login()).status == "verified"
    b.set_duo(a.my_login(), True)
    assert b.colleague(a.my_login()).duo


def test_a_substituted_key_gives_another_number_and_a_verified_colleague_changes(server, trio):
    a, b, _ = trio
    real = a.my_fingerprint()
    b.verify_colleague(a.my_login(), real)
    # The server hands B another key for A (a machine in the middle).
    forged = Identity.new()
    with server.db.transaction() as session:
        session.execute(
            update(User)
            .where(User.login == a.my_login())
            .values(x25519_public=forged.x25519_public, ed25519_public=forged.ed25519_public)
        )
    b.sync()
    seen = b.colleague(a.my_login())
    assert seen.number != real and seen.status == "changed"
    with pytest.raises(InvalidInput):
        b.verify_colleague(a.my_login(), real)  # A's real number does not match it
    b.later_colleague(a.my_login())
    assert b.colleague(a.my_login()).later and b.colleague(a.my_login()).status == "changed"


def test_cli_fingerprint_colleagues_and_verify(trio):
    a, b, _ = trio
    number, login, b_dir = a.my_fingerprint(), a.my_login(), b.vault.data_dir
    b.close()
    shown = run(b_dir, "fingerprint")
    assert shown.returncode == 0, shown.stderr
    assert len(safety.digits_of(shown.stdout)) == 60
    listed = json.loads(run(b_dir, "colleagues", "--json").stdout)
    assert {"login": login, "fingerprint": number, "verified": False} in listed
    wrong = "0" * 60
    error = one_line_error(run(b_dir, "colleague", "verify", login, "--fingerprint", wrong), 2)
    assert "veiligheidsnummer klopt niet" in error
    done = run(b_dir, "colleague", "verify", login, "--fingerprint", number)
    assert done.returncode == 0, done.stderr
    listed = json.loads(run(b_dir, "colleagues", "--json").stdout)
    assert {"login": login, "fingerprint": number, "verified": True} in listed
