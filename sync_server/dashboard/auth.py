"""Web logins of supervisors and admins: a password set with the admin's one-time code,
sessions kept as hashes, CSRF tokens bound to the session, and back-off per address.

Sessions: 256-bit random tokens (`secrets`); the database keeps only their SHA-256, so
a copy of it opens no session. A login always starts a new session (no fixation).
The CSRF token is an HMAC of the session token: bound to it, never stored.
Back-off per client address, per account and for the whole server (`throttle`); the
password hash is checked outside any transaction, a few at a time (`HASHERS`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from sync_server import audit, security, throttle
from sync_server.accounts import usable_code
from sync_server.db import Database
from sync_server.errors import BadRequest, Forbidden, NotFound, TooManyAttempts, Unauthorized
from sync_server.models import (
    EnrolmentCode,
    SupervisedTeam,
    Team,
    User,
    WebPassword,
    WebSession,
    aware,
    utcnow,
)

WEB_ROLES = ("supervisor", "admin")
HASHERS = 2  # password checks at once; the machine's cores also serve phone syncs
_hashing = threading.BoundedSemaphore(HASHERS)
MIN_PASSWORD, MAX_PASSWORD = 12, 200
IDLE = dt.timedelta(minutes=30)
LIFETIME = dt.timedelta(hours=12)
_hasher = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile


class WeakPassword(BadRequest):
    """A new password that does not meet the rules; the code is not used up."""


# ---- password from a one-time code -----------------------------------------------------


def set_password(session: Session, login: str, code: str, password: str, client: str) -> User:
    """Check the login's one-time web code (from `admin create-user` or `admin web-code`) and
    set the web password; every earlier session of the user ends."""
    throttle.check(session, "web_login", client)
    throttle.check_global(session)
    user = session.scalar(select(User).where(User.login == login.strip()))
    row = session.scalar(
        select(EnrolmentCode).where(
            EnrolmentCode.code_hash == security.digest(security.normalize_code(code))
        )
    )
    if user is None or row is None or row.user_id != user.id or not usable_code(row, "web"):
        raise Unauthorized("code not accepted", failed_attempt=True)
    if user.role not in WEB_ROLES:
        raise Forbidden("only supervisors and admins have web pages")
    _check_strength(password, user.login)
    existing = session.get(WebPassword, user.id)
    if existing is None:
        session.add(WebPassword(user_id=user.id, password_hash=_hasher.hash(password)))
    else:
        existing.password_hash, existing.set_at = _hasher.hash(password), utcnow()
    row.used_at = utcnow()
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    throttle.clear(session, "web_login", client)
    audit.record(session, f"user:{user.id}", "web_password_set")
    return user


def set_password_directly(session: Session, login: str, password: str) -> None:
    """For the admin CLI (seed-demo): no code, the admin is trusted."""
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        raise NotFound(f"no user {login!r}")
    _check_strength(password, user.login)
    existing = session.get(WebPassword, user.id)
    if existing is None:
        session.add(WebPassword(user_id=user.id, password_hash=_hasher.hash(password)))
    else:
        existing.password_hash, existing.set_at = _hasher.hash(password), utcnow()
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    audit.record(session, "admin", "web_password_set", user=user.id)


def _check_strength(password: str, login: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise WeakPassword(f"password must be {MIN_PASSWORD}..{MAX_PASSWORD} characters")
    if password.strip().casefold() == login.casefold():
        raise WeakPassword("password must differ from the login")


# ---- login, sessions, logout -------------------------------------------------------------


def login(db: Database, login_name: str, password: str, client: str) -> str:
    """A new session token for a supervisor or admin, or Unauthorized (a failed attempt).

    Argon2id runs between two short transactions, never inside one: on SQLite a
    transaction holds the write lock every phone sync needs."""
    name = login_name.strip()
    with db.transaction() as session:
        throttle.check(session, "web_login", client)
        throttle.check(session, "web_account", name.casefold())
        throttle.check_global(session)
        user = session.scalar(select(User).where(User.login == name))
        stored = session.get(WebPassword, user.id) if user is not None else None
        user_id = user.id if user is not None and user.role in WEB_ROLES else None
        seen = stored.password_hash if stored is not None else None
    good, rehashed = verify_password(seen or _dummy_hash(), password)
    if user_id is None or seen is None or not good:
        raise Unauthorized("login or password not accepted", failed_attempt=True)
    with db.transaction() as session:
        stored = session.get(WebPassword, user_id)
        if stored is None or stored.password_hash != seen:  # changed meanwhile
            raise Unauthorized("login or password not accepted", failed_attempt=True)
        if rehashed:
            stored.password_hash = rehashed
        now = utcnow()
        session.execute(  # housekeeping: sessions nobody can use any more
            delete(WebSession).where(
                or_(WebSession.created_at < now - LIFETIME, WebSession.seen_at < now - IDLE)
            )
        )
        token = secrets.token_urlsafe(32)
        session.add(WebSession(token_hash=security.digest(token), user_id=user_id))
        throttle.clear(session, "web_login", client)
        throttle.clear(session, "web_account", name.casefold())
        audit.record(session, f"user:{user_id}", "web_login")
    return token


def verify_password(stored: str, password: str) -> tuple[bool, str | None]:
    """Argon2id, at most `HASHERS` at once (else TooManyAttempts at once: a waiting thread
    would hold a worker that phone syncs need); a new hash when the parameters aged."""
    if not _hashing.acquire(blocking=False):
        raise TooManyAttempts("the server is busy checking passwords", retry_after=1, scope="busy")
    try:
        good = _verify(stored, password)
        rehashed = _hasher.hash(password) if good and _hasher.check_needs_rehash(stored) else None
        return good, rehashed
    finally:
        _hashing.release()


def current_user(session: Session, token: str | None) -> User | None:
    """The user of a live session, or None (unknown, expired, idle too long, role gone)."""
    if not token or len(token) > 200:
        return None
    row = session.get(WebSession, security.digest(token))
    if row is None:
        return None
    now = utcnow()
    if now - aware(row.created_at) > LIFETIME or now - aware(row.seen_at) > IDLE:  # type: ignore[operator]
        session.delete(row)
        return None
    user = session.get(User, row.user_id)
    if user is None or user.role not in WEB_ROLES:
        return None
    if (now - aware(row.seen_at)).total_seconds() > 60:  # type: ignore[operator]
        row.seen_at = now
    return user


def end_session(session: Session, token: str | None) -> None:
    row = session.get(WebSession, security.digest(token)) if token else None
    if row is not None:
        session.delete(row)
        audit.record(session, f"user:{row.user_id}", "web_logout")


def csrf_token(token: str) -> str:
    """The CSRF token of a session: an HMAC of its (secret) session token."""
    return hmac.new(token.encode(), b"dichtbij csrf", hashlib.sha256).hexdigest()


def csrf_ok(token: str | None, submitted: str | None) -> bool:
    return bool(token and submitted) and hmac.compare_digest(
        csrf_token(token or ""), submitted or ""
    )


# ---- which teams a user may see -----------------------------------------------------------


def visible_teams(session: Session, user: User) -> list[Team]:
    """An admin sees every team; a supervisor their own and the ones given to them."""
    if user.role == "admin":
        return list(session.scalars(select(Team).order_by(Team.name)))
    if user.role != "supervisor":
        return []
    extra = select(SupervisedTeam.team_id).where(SupervisedTeam.user_id == user.id)
    return list(
        session.scalars(
            select(Team).where((Team.id == user.team_id) | Team.id.in_(extra)).order_by(Team.name)
        )
    )


def supervise(session: Session, login_name: str, team_name: str) -> None:
    """Let a supervisor also see another team (admin CLI)."""
    user = session.scalar(select(User).where(User.login == login_name))
    if user is None:
        raise NotFound(f"no user {login_name!r}")
    if user.role != "supervisor":
        raise BadRequest(f"{login_name} is no supervisor")
    team = session.scalar(select(Team).where(Team.name == team_name))
    if team is None:
        raise NotFound(f"no team {team_name!r}")
    if team.id != user.team_id and session.get(SupervisedTeam, (user.id, team.id)) is None:
        session.add(SupervisedTeam(user_id=user.id, team_id=team.id))
        audit.record(session, "admin", "supervise", user=user.id, team=team.id)


# ---- back-off per address -------------------------------------------------------------------


def count_failure(session: Session, client: str, login_name: str = "") -> int:
    """After a refusal, in its own transaction: back off this client address, the account
    tried (after a few free failures) and, a little, the whole server."""
    throttle.count_global(session)
    if login_name.strip():
        throttle.count_failure(
            session, "web_account", login_name.strip().casefold(), grace=throttle.ACCOUNT_GRACE
        )
    return throttle.count_failure(session, "web_login", client)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    """Checked against when the login is unknown, so both cases take the same time."""
    return _hasher.hash(secrets.token_urlsafe(16))
