"""A team as its members see it: the published identity keys (`PUT /v1/keys`), the team
list with the team log's id and the gezinnen waiting for a key rotation (`GET /v1/team`),
and what an admin does when someone leaves (docs/sharing.md)."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.core.kinds import USER
from sync_server import audit
from sync_server.errors import ApiError, BadRequest, Conflict, NotFound
from sync_server.models import (
    Case,
    CaseMember,
    Change,
    Device,
    PendingRotation,
    Record,
    Team,
    User,
    aware,
    utcnow,
)

KEY_BYTES = 32


class KeyRefused(ApiError):
    status, code = 400, "bad_key"


class KeysExist(Conflict):
    code = "keys_exist"


# ---- published keys ------------------------------------------------------------------


def publish_keys(session: Session, user: User, x25519: str, ed25519: str) -> dict[str, Any]:
    """Publish the account's public keys once; the same keys again are fine, other keys
    only after `admin reset-account` (a colleague's phone must notice a change)."""
    x = _public_key(x25519, "x25519")
    ed = _public_key(ed25519, "ed25519")
    if not _x25519_usable(x):
        raise KeyRefused("x25519 is not a usable public key (low order)")
    if not _ed25519_usable(ed):
        raise KeyRefused("ed25519 is not a usable public key (not a point, or low order)")
    if user.x25519_public is not None or user.ed25519_public is not None:
        if (user.x25519_public, user.ed25519_public) != (x, ed):
            raise KeysExist("this account has published other keys already")
    else:
        user.x25519_public, user.ed25519_public, user.keys_at = x, ed, utcnow()
        audit.record(session, f"user:{user.id}", "publish_keys")
    return {"x25519": x25519, "ed25519": ed25519, "keys_at": _iso(user.keys_at)}


def _public_key(text: str, field: str) -> bytes:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise KeyRefused(f"{field} must be base64") from None
    if len(raw) != KEY_BYTES:
        raise KeyRefused(f"{field} must be {KEY_BYTES} bytes")
    return raw


def _x25519_usable(raw: bytes) -> bool:
    """A low-order point gives an all-zero shared secret, which `exchange` refuses."""
    try:
        X25519PrivateKey.generate().exchange(X25519PublicKey.from_public_bytes(raw))
    except ValueError:
        return False
    return True


# Edwards25519 (RFC 8032, 5.1): enough arithmetic to decode a point and multiply it by the
# cofactor; a point of small order becomes the neutral element (0, 1).
_P = 2**255 - 19
_D = -121665 * pow(121666, -1, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _ed25519_usable(raw: bytes) -> bool:
    point = _decode(raw)
    if point is None:
        return False
    for _ in range(3):
        point = _add(point, point)
    return point != (0, 1)


def _decode(raw: bytes) -> tuple[int, int] | None:
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    sign = raw[31] >> 7
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, -1, _P) % _P
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P or (x == 0 and sign):
        return None
    if x & 1 != sign:
        x = _P - x
    return x, y


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    (x1, y1), (x2, y2) = a, b
    t = _D * x1 * x2 * y1 * y2 % _P
    x3 = (x1 * y2 + y1 * x2) * pow(1 + t, -1, _P) % _P
    y3 = (y1 * y2 + x1 * x2) * pow(1 - t, -1, _P) % _P
    return x3, y3


# ---- the team list -------------------------------------------------------------------


def team_case(session: Session, team_id: int) -> str:
    """The id of the team's log, made (with its `cases` row, epoch 0) when first asked."""
    found = session.scalar(select(Team.case_id).where(Team.id == team_id))
    if found:
        return found
    team = session.scalar(select(Team).where(Team.id == team_id).with_for_update())
    assert team is not None
    if team.case_id is None:
        team.case_id = str(uuid.uuid4())
        session.add(Case(id=team.case_id, team_id=team.id, owner_id=None, epoch=0))
        session.flush()
    return team.case_id


def team_list(session: Session, user: User) -> dict[str, Any]:
    team = session.get(Team, user.team_id)
    assert team is not None
    log = team_case(session, team.id)
    members = session.scalars(
        select(User).where(User.team_id == team.id, User.removed_at.is_(None)).order_by(User.login)
    )
    mine = select(CaseMember.case_id).where(CaseMember.user_id == user.id)
    rotate = session.execute(
        select(PendingRotation.case_id, User.login)
        .join(User, User.id == PendingRotation.user_id)
        .where((PendingRotation.case_id.in_(mine)) | (PendingRotation.case_id == log))
        .order_by(PendingRotation.created_at, PendingRotation.case_id, User.login)
    )
    return {
        "team": team.name,
        "team_case": log,
        "me": user.login,
        "members": [
            {
                "login": m.login,
                "role": m.role,
                "x25519": _b64(m.x25519_public),
                "ed25519": _b64(m.ed25519_public),
                "keys_at": _iso(m.keys_at),
            }
            for m in members
        ],
        "rotate": [{"case_id": case_id, "login": login} for case_id, login in rotate],
    }


def team_version(answer: dict[str, Any]) -> str:
    """A short digest of the team list: the pull answer carries it, so a phone reads
    `GET /v1/team` only when members, published keys or rotations changed."""
    text = json.dumps(answer, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---- admin ---------------------------------------------------------------------------


def remove_user(session: Session, login: str) -> list[str]:
    """Take someone out of the team and of every gezin at once: devices revoked, pushes
    refused; the gezinnen (and team log) that others still read are marked for rotation.
    Returns those gezin ids."""
    user = _user(session, login)
    if user.removed_at is not None:
        raise BadRequest(f"user {login!r} was removed already")
    now = utcnow()
    marked = _mark_for_rotation(session, user, now)
    session.execute(delete(CaseMember).where(CaseMember.user_id == user.id))
    _revoke_devices(session, user, now)
    user.removed_at = now
    audit.record(session, "admin", "remove_user", login=user.login, rotations=len(marked))
    return marked


def reset_account(session: Session, login: str) -> list[str]:
    """Start an account over (a forgotten passphrase): its escrowed keys and published keys
    are forgotten and its devices revoked, so the next enrolment is a first device that
    makes and publishes new keys (colleagues' phones then show the key as changed). The
    gezinnen it shared are marked for rotation, as for someone removed: the first member
    who stays takes the old keys out, and shares again once the new number was compared.
    Returns those gezin ids."""
    user = _user(session, login)
    if user.removed_at is not None:
        raise BadRequest(f"user {login!r} was removed")
    now = utcnow()
    marked = _mark_for_rotation(session, user, now)
    _set_aside_unreadable(session, user, marked, now)
    user.x25519_public = user.ed25519_public = user.keys_at = None
    user.authenticator_hash = None
    user.escrow = None
    _revoke_devices(session, user, now)
    audit.record(session, "admin", "reset_account", login=user.login, rotations=len(marked))
    return marked


def _mark_for_rotation(session: Session, user: User, now: Any) -> list[str]:
    """The gezinnen (and team log) `user` reads together with others, marked for rotation
    away from `user`'s keys; locked in id order first, like a push."""
    cases = session.scalars(
        select(CaseMember.case_id).where(CaseMember.user_id == user.id).order_by(CaseMember.case_id)
    ).all()
    if not cases:
        return []
    session.execute(select(Case.id).where(Case.id.in_(cases)).with_for_update())
    others = set(
        session.scalars(
            select(CaseMember.case_id).where(
                CaseMember.case_id.in_(cases), CaseMember.user_id != user.id
            )
        )
    )
    marked = [case_id for case_id in cases if case_id in others]
    for case_id in marked:
        session.merge(PendingRotation(case_id=case_id, user_id=user.id, created_at=now))
    return marked


def _set_aside_unreadable(session: Session, user: User, shared: list[str], now: Any) -> None:
    """The account's feed starts empty, so its new phone does not report what it cannot
    open as set aside: a shared gezin comes back whole (entries first) once a colleague
    shares it with the new keys. Its own records (sealed under its user key) and those of
    the gezinnen nobody else reads are marked as set aside: they stay, with their
    supervisor figures, and a new revision of the same id (its identity, a colleague
    decision) replaces one as if new."""
    alone = select(CaseMember.case_id).where(
        CaseMember.user_id == user.id, CaseMember.case_id.not_in(shared)
    )
    unreadable = select(Record.id).where(
        Record.quarantined_at.is_(None),
        ((Record.owner_id == user.id) & (Record.key_scope == USER)) | Record.case_id.in_(alone),
    )
    ids = list(session.scalars(unreadable))
    session.execute(delete(Change).where(Change.user_id == user.id))
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        session.execute(delete(Change).where(Change.record_id.in_(part)))
        session.execute(update(Record).where(Record.id.in_(part)).values(quarantined_at=now))


def _revoke_devices(session: Session, user: User, now: Any) -> None:
    session.execute(
        update(Device)
        .where(Device.user_id == user.id, Device.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def _user(session: Session, login: str) -> User:
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        raise NotFound(f"no user {login!r}")
    return user


def _b64(raw: bytes | None) -> str | None:
    return base64.b64encode(raw).decode("ascii") if raw is not None else None


def _iso(value: Any) -> str | None:
    value = aware(value)
    return value.isoformat() if value else None
