"""Accounts, enrolment codes, throttling and the audit chain, on SQLite and PostgreSQL."""

import datetime as dt
import os

import pytest
from sqlalchemy import select, update

from sync_server import accounts, audit
from sync_server.db import Database, upgrade
from sync_server.errors import BadRequest, Conflict, DeviceRevoked, TooManyAttempts, Unauthorized
from sync_server.models import AuditEntry, LoginThrottle


@pytest.fixture(scope="module")
def db(db_url):
    database = Database(db_url)
    upgrade(database.engine)
    upgrade(database.engine)  # migrations are idempotent
    with database.transaction() as session:
        accounts.create_team(session, "Team A")
        accounts.create_team(session, "Team B")
    yield database
    database.dispose()


_n = iter(range(10**6))


def new_user(db, team="Team A"):
    login = f"acc{next(_n)}"
    with db.transaction() as session:
        _, code = accounts.create_user(session, login, team, "outreacher")
    return login, code


def complete(db, code, client="10.0.0.1", authenticator=None, new=True):
    with db.transaction() as session:
        return accounts.enrol_complete(
            session, code, authenticator or bytes(32), "t", {"kdf": {}} if new else None, client
        )


def test_codes_are_one_time(db):
    _, code = new_user(db)
    complete(db, code)
    with pytest.raises(Unauthorized), db.transaction() as session:
        accounts.enrol_begin(session, code, "10.0.0.2")


def test_codes_expire(db):
    login, _ = new_user(db)
    with db.transaction() as session:
        code = accounts.new_enrolment_code(session, login, lifetime=dt.timedelta(seconds=-1))
    with pytest.raises(Unauthorized), db.transaction() as session:
        accounts.enrol_begin(session, code, "10.0.0.3")


def test_codes_are_typed_forgivingly(db):
    _, code = new_user(db)
    with db.transaction() as session:
        assert accounts.enrol_begin(session, code.lower().replace("-", " "), "10.0.0.4")


def test_back_off_hits_the_guesser_not_the_user(db):
    _, code = new_user(db)
    attacker, user = "198.51.100.7", "192.0.2.10"
    for _ in range(3):
        with db.transaction() as session:
            accounts.count_failure(session, attacker)
    with pytest.raises(TooManyAttempts), db.transaction() as session:
        accounts.enrol_begin(session, code, attacker)
    with db.transaction() as session:  # the real user, elsewhere, is not locked out
        assert accounts.enrol_begin(session, code, user)["existing"] is False
    with db.transaction() as session:
        row = session.scalar(select(LoginThrottle).order_by(LoginThrottle.failures.desc()))
        assert row.failures == 3 and "198.51" not in row.key  # the address is not stored


def test_further_device_needs_the_same_passphrase(db):
    login, code = new_user(db)
    complete(db, code, authenticator=b"a" * 32)
    with db.transaction() as session:
        second = accounts.new_enrolment_code(session, login)
    with pytest.raises(Unauthorized) as refused:
        complete(db, second, authenticator=b"b" * 32, new=False)
    assert refused.value.extra.get("failed_attempt")
    with pytest.raises(Conflict):
        complete(db, second, authenticator=b"a" * 32, new=True)
    assert complete(db, second, authenticator=b"a" * 32, new=False).user.login == login


def test_revoked_credentials_are_refused_with_wipe(db):
    _, code = new_user(db)
    enrolled = complete(db, code)
    with db.transaction() as session:
        accounts.revoke_device(session, enrolled.device_id)
    with pytest.raises(DeviceRevoked) as revoked, db.transaction() as session:
        accounts.authenticate(session, enrolled.credential)
    assert revoked.value.extra["wipe"] is True
    with pytest.raises(Unauthorized), db.transaction() as session:
        accounts.authenticate(session, "dbj_" + os.urandom(8).hex())


def test_bad_admin_input_is_refused(db):
    with pytest.raises(BadRequest), db.transaction() as session:
        accounts.create_user(session, "has space", "Team A", "outreacher")
    with pytest.raises(BadRequest), db.transaction() as session:
        accounts.create_user(session, "ok", "Team A", "king")
    with pytest.raises(Conflict), db.transaction() as session:
        accounts.create_team(session, "Team A")


def test_audit_log_is_a_chain_that_detects_edits(db):
    with db.transaction() as session:
        count = audit.verify(session)
    assert count > 5
    with db.transaction() as session:
        entries = session.scalars(select(AuditEntry.detail)).all()
    assert not any("dbj_" in d or "credential" in d for d in entries)  # never tokens
    with db.transaction() as session:
        session.execute(update(AuditEntry).where(AuditEntry.id == 2).values(actor="someone else"))
    with pytest.raises(ValueError), db.transaction() as session:
        audit.verify(session)
    with db.transaction() as session:  # put it back for the other tests of this module
        session.execute(update(AuditEntry).where(AuditEntry.id == 2).values(actor="admin"))
