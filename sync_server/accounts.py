"""Teams, users, enrolment codes and devices: the admin CLI and the enrolment endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync import protocol
from sync_server import audit, security, throttle
from sync_server.errors import (
    BadRequest,
    Conflict,
    DeviceRevoked,
    NotFound,
    Unauthorized,
)
from sync_server.models import Device, EnrolmentCode, Team, User, aware, utcnow

ROLES = ("outreacher", "supervisor", "admin")
WEB_ROLES = ("supervisor", "admin")
# What a one-time code is for: enrolling a phone, or setting the web password. A code
# opens only its own door (codes from before purposes existed: either, until used).
PURPOSES = ("device", "web")


# ---- admin ---------------------------------------------------------------------------


def create_team(session: Session, name: str) -> Team:
    name = name.strip()
    if not name or len(name) > 100:
        raise BadRequest("team name must be 1..100 characters")
    if session.scalar(select(Team).where(Team.name == name)):
        raise Conflict(f"team {name!r} exists")
    team = Team(name=name)
    session.add(team)
    session.flush()
    audit.record(session, "admin", "create_team", team=team.id)
    return team


def create_user(session: Session, login: str, team_name: str, role: str) -> tuple[User, str]:
    """A new user and their first one-time code: for a phone (outreachers), or for the web
    password (supervisors and admins; `enrol-code` gives them a phone code)."""
    if role not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}")
    if not protocol.is_login(login):
        raise BadRequest("login must be 1..64 letters, digits or . _ - @")
    team = session.scalar(select(Team).where(Team.name == team_name))
    if team is None:
        raise NotFound(f"no team {team_name!r}")
    if session.scalar(select(User).where(User.login == login)):
        raise Conflict(f"user {login!r} exists")
    user = User(login=login, team_id=team.id, role=role)
    session.add(user)
    session.flush()
    audit.record(session, "admin", "create_user", user=user.id, team=team.id, role=role)
    purpose = "web" if role in WEB_ROLES else "device"
    return user, new_enrolment_code(session, login, purpose=purpose)


def new_enrolment_code(
    session: Session,
    login: str,
    lifetime: dt.timedelta = security.CODE_LIFETIME,
    purpose: str = "device",
) -> str:
    """A one-time code that enrols a phone (`device`) or sets the web password (`web`)."""
    if purpose not in PURPOSES:
        raise BadRequest(f"purpose must be one of {', '.join(PURPOSES)}")
    user = _user(session, login)
    if purpose == "web" and user.role not in WEB_ROLES:
        raise BadRequest("only supervisors and admins have web pages")
    code = security.new_code()
    session.add(
        EnrolmentCode(
            user_id=user.id,
            code_hash=security.digest(security.normalize_code(code)),
            expires_at=utcnow() + lifetime,
            purpose=purpose,
        )
    )
    audit.record(session, "admin", "enrol_code", user=user.id, purpose=purpose)
    return code


def usable_code(row: EnrolmentCode | None, purpose: str) -> bool:
    """Unused, unexpired and made for this purpose."""
    return (
        row is not None
        and row.used_at is None
        and aware(row.expires_at) >= utcnow()  # type: ignore[operator]
        and row.purpose in (None, purpose)
    )


def list_devices(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Device, User.login).join(User).order_by(User.login, Device.created_at)
    )
    return [
        {
            "id": device.id,
            "user": login,
            "name": device.name,
            "last_sync": _iso(device.last_sync_at),
            "pending": device.pending,
            "revoked": _iso(device.revoked_at),
        }
        for device, login in rows
    ]


def revoke_device(session: Session, device_id: str) -> None:
    device = session.get(Device, device_id)
    if device is None:
        raise NotFound(f"no device {device_id}")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        audit.record(session, "admin", "revoke_device", device=device_id, user=device.user_id)


# ---- enrolment -----------------------------------------------------------------------


@dataclass
class Enrolment:
    device_id: str
    credential: str
    user: User
    team: Team


def enrol_begin(session: Session, code: str, client: str) -> dict[str, Any]:
    """Check the code (without using it up); say whose it is and whether the account
    already has keys (then the phone needs the account's KDF parameters)."""
    user, _ = _check_code(session, code, client)
    escrow = user.escrow or {}
    return {
        "login": user.login,
        "existing": user.authenticator_hash is not None,
        "kdf": escrow.get("kdf"),
    }


def enrol_complete(
    session: Session,
    code: str,
    authenticator: bytes,
    device_name: str,
    new_account: dict[str, Any] | None,
    client: str,
) -> Enrolment:
    """Use up the code and register a device; the first device also escrows the account keys."""
    user, code_row = _check_code(session, code, client)
    if user.authenticator_hash is None:
        if new_account is None:
            raise BadRequest("first device of this account: new_account is required")
        user.authenticator_hash = security.hash_authenticator(authenticator)
        user.escrow = new_account
    else:
        if new_account is not None:
            raise Conflict("this account already has keys: enrol as a further device")
        if not security.check_authenticator(user.authenticator_hash, authenticator):
            raise Unauthorized("code or passphrase not accepted", failed_attempt=True)
    code_row.used_at = utcnow()
    credential = security.new_credential()
    device = Device(
        id=str(uuid.uuid4()),
        user_id=user.id,
        name=device_name[:100] or "toestel",
        credential_hash=security.digest(credential),
    )
    session.add(device)
    throttle.clear(session, "enrol", client)
    audit.record(session, f"user:{user.id}", "enrol", device=device.id)
    team = session.get(Team, user.team_id)
    assert team is not None
    return Enrolment(device.id, credential, user, team)


def authenticate(session: Session, credential: str | None) -> tuple[Device, User]:
    """The device and user behind a bearer credential; a revoked device is told to wipe."""
    if not credential:
        raise Unauthorized("missing device credential")
    device = session.scalar(
        select(Device).where(Device.credential_hash == security.digest(credential))
    )
    if device is None:
        raise Unauthorized("unknown device credential")
    if device.revoked_at is not None:
        raise DeviceRevoked("this device was revoked: wipe the local vault", wipe=True)
    user = session.get(User, device.user_id)
    assert user is not None
    if user.removed_at is not None:  # revoked with the removal; kept as a second lock
        raise DeviceRevoked("this account was removed: wipe the local vault", wipe=True)
    return device, user


# ---- internals -----------------------------------------------------------------------


def _user(session: Session, login: str) -> User:
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        raise NotFound(f"no user {login!r}")
    return user


def _check_code(session: Session, code: str, client: str) -> tuple[User, EnrolmentCode]:
    throttle.check(session, "enrol", client)
    throttle.check_global(session)
    code_hash = security.digest(security.normalize_code(code))
    row = session.scalar(select(EnrolmentCode).where(EnrolmentCode.code_hash == code_hash))
    if row is None or not usable_code(row, "device"):
        raise Unauthorized("code or passphrase not accepted", failed_attempt=True)
    user = session.get(User, row.user_id)
    assert user is not None
    if user.removed_at is not None:
        raise Unauthorized("code or passphrase not accepted", failed_attempt=True)
    return user, row


def count_failure(session: Session, client: str) -> int:
    """After a refusal, in its own transaction: back off this client address."""
    throttle.count_global(session)
    return throttle.count_failure(session, "enrol", client)


def _iso(value: dt.datetime | None) -> str | None:
    value = aware(value)
    return value.isoformat() if value else None


def team_of(session: Session, user: User) -> Team:
    team = session.get(Team, user.team_id)
    assert team is not None
    return team
