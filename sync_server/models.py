"""Tables of the sync server. Records hold ciphertext the server cannot read, plus only
the metadata codes listed in docs/privacy.md."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# The change sequence: 64 bits (SQLite's INTEGER is 64 bits already).
Sequence64 = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands datetimes back without a zone; they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


class Base(DeclarativeBase):
    pass


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The id of the team's own gezin-like log (team data, docs/sharing.md): random,
    # made the first time a member asks for the team list.
    case_id: Mapped[str | None] = mapped_column(String(36), index=True, unique=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    role: Mapped[str] = mapped_column(String(16))
    # Argon2id of the HKDF-derived login authenticator; never the passphrase.
    authenticator_hash: Mapped[str | None] = mapped_column(String(200))
    # The passphrase-wrapped user key and sharing keys, opaque to the server.
    escrow: Mapped[dict | None] = mapped_column(JSON)
    change_seq: Mapped[int] = mapped_column(Sequence64, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set by `admin remove-user`: out of the team, out of every gezin, devices revoked.
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The published public identity keys (raw 32 bytes; PUT /v1/keys), shown to colleagues.
    x25519_public: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    ed25519_public: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    keys_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    purpose: Mapped[str | None] = mapped_column(String(8))  # device | web; None: either


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    credential_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    pending: Mapped[int | None] = mapped_column(Integer)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Record(Base):
    __tablename__ = "records"
    id: Mapped[str] = mapped_column(String(48), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # kinds.MAX_NAME (app/core/kinds.py)
    case_id: Mapped[str | None] = mapped_column(String(36))
    rev: Mapped[int] = mapped_column(Integer)
    base_rev: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[str] = mapped_column(String(36))
    hlc: Mapped[str] = mapped_column(String(40))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    meta: Mapped[dict] = mapped_column(JSON)
    key_scope: Mapped[str] = mapped_column(String(8))
    kv: Mapped[int] = mapped_column(Integer)
    fmt: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set by `admin quarantine-record`: out of the feed; a new revision replaces it.
    quarantined_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Change(Base):
    """The pull feed of one user: each record once, at the position of its newest revision.
    A record shared in a gezin has a row in the feed of every member (docs/sharing.md)."""

    __tablename__ = "changes"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Sequence64, primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"), index=True)
    __table_args__ = (UniqueConstraint("user_id", "record_id", name="uq_changes_user_record"),)


class Case(Base):
    """A gezin (or a team's log) as the server knows it: learnt from the clear metadata of
    membership entries, never from content. `epoch` is the newest key epoch; the team's log
    has no owner and epoch 0 until its `create` entry."""

    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    epoch: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseMember(Base):
    """Who reads a gezin now: their feeds get its case-scope records and membership entries."""

    __tablename__ = "case_members"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PendingRotation(Base):
    """A gezin (or team log) whose keys the remaining members must rotate because `user_id`
    was removed by an admin; gone once the `remove` entry for that user is accepted."""

    __tablename__ = "pending_rotations"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LoginThrottle(Base):
    """Back-off per client address (stored as a hash): guessing codes from one place slows
    that place down, and cannot lock out the real user elsewhere."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Append-only, hash-chained: who did what when; never content, never tokens."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(String(40))  # ISO text: hashed exactly as stored
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class Setting(Base):
    """Server-wide settings, e.g. the organisation's public catalogue-signing key."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PublishedCatalogue(Base):
    """A rights catalogue the organisation signed; phones verify the signature themselves."""

    __tablename__ = "catalogues"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(32), unique=True)
    date: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


Index("ix_records_team_kind", Record.team_id, Record.kind)
Index("ix_records_case_id", Record.case_id)  # a gezin's records, for a new member


# ---- supervisor view (sync_server/dashboard) ----------------------------------------


class Fact(Base):
    """The supervisor view's read model: one row per live record with only its metadata
    codes, flattened into columns so a year of a team's activity is counted without
    touching the (large) records rows. Kept in step with `records` at every push."""

    __tablename__ = "facts"
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(32))  # kinds.MAX_NAME (app/core/kinds.py)
    case_id: Mapped[str | None] = mapped_column(String(36))
    day: Mapped[str | None] = mapped_column(String(10))  # Belgian day the record counts on
    contact: Mapped[str | None] = mapped_column(String(32))
    setting: Mapped[str | None] = mapped_column(String(32))
    attempt_reason: Mapped[str | None] = mapped_column(String(32))
    check_in: Mapped[bool] = mapped_column(Boolean, default=False)
    draagkracht: Mapped[int | None] = mapped_column(Integer)
    draaglast: Mapped[int | None] = mapped_column(Integer)
    domains: Mapped[str | None] = mapped_column(Text)  # codes separated by spaces
    barriers: Mapped[str | None] = mapped_column(Text)
    phase: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str | None] = mapped_column(String(32))  # of a gezin or of a right
    closed: Mapped[str | None] = mapped_column(String(10))
    right_id: Mapped[str | None] = mapped_column(String(64))
    meta: Mapped[dict] = mapped_column(JSON)  # all codes, for kinds without own columns


class WebPassword(Base):
    """A supervisor's or admin's password for the web pages (Argon2id), set with a one-time
    code; devices never use it."""

    __tablename__ = "web_passwords"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebSession(Base):
    """A logged-in browser: only the SHA-256 of its cookie is stored."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SupervisedTeam(Base):
    """Further teams a supervisor sees, besides their own."""

    __tablename__ = "supervised_teams"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)


# Covers the trend counts, and lets the barrier scan skip notes without barriers.
Index(
    "ix_facts_team_kind_day",
    Fact.team_id,
    Fact.kind,
    Fact.day,
    Fact.owner_id,
    Fact.contact,
    Fact.barriers,
)
