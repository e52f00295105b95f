"""The organisation's signed rights catalogue: registered key, published versions, offers.

The signing key never needs to live here: the server stores the public key (handed to
phones at enrolment) and catalogues already signed with the private key. It checks a
catalogue before publishing it, so a wrong file or key is caught by the admin, not by
every phone; the phones verify again on their own.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import UntrustedAnswer
from app.core.rights import catalogue as shipped_catalogue
from app.sync import catalogue as signed
from sync_server import audit
from sync_server.errors import ApiError
from sync_server.models import PublishedCatalogue, Setting

KEY_SETTING = "catalogue_key"
_ids_cache: dict[int, frozenset[str]] = {}


def organisation_key(session: Session) -> str | None:
    row = session.get(Setting, KEY_SETTING)
    return row.value if row else None


def set_organisation_key(session: Session, public_key: str) -> None:
    """Register the public key that phones enrolled from now on will trust."""
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
    except (ValueError, binascii.Error):
        raise ApiError("not an Ed25519 public key (base64 of 32 bytes)") from None
    row = session.get(Setting, KEY_SETTING)
    if row is None:
        session.add(Setting(key=KEY_SETTING, value=public_key))
    else:
        row.value = public_key
    audit.record(session, "admin", "catalogue_key", key=public_key[:12])


def publish(session: Session, text: str, signature: str) -> PublishedCatalogue:
    """Store a signed catalogue; refused unless it verifies with the registered key, is a
    valid catalogue and is newer than the shipped and every published one."""
    key = organisation_key(session)
    if key is None:
        raise ApiError("no organisation key registered (admin catalogue-keygen)")
    try:
        candidate = signed.verify(text, signature, key)
    except UntrustedAnswer:
        raise ApiError("signature does not match the registered organisation key") from None
    except ValueError as exc:
        raise ApiError(f"not a valid catalogue: {exc}") from None
    current = latest(session)
    baseline = signed.parse(current.text) if current else shipped_catalogue()
    if not signed.is_newer(candidate, baseline):
        raise ApiError(f"version {candidate['version']} is not newer than {baseline['version']}")
    row = PublishedCatalogue(
        version=candidate["version"], date=candidate["date"], text=text, signature=signature
    )
    session.add(row)
    audit.record(session, "admin", "catalogue_published", version=candidate["version"])
    return row


def latest(session: Session) -> PublishedCatalogue | None:
    return session.scalars(
        select(PublishedCatalogue).order_by(PublishedCatalogue.id.desc()).limit(1)
    ).first()


def offer(session: Session, have: str) -> dict[str, Any] | None:
    """The newest published catalogue if it is newer than the phone's version `have`."""
    current = latest(session)
    if current is None:
        return None
    try:
        newer = signed.version_key(current.version) > signed.version_key(have)
    except ValueError:
        newer = True  # the phone's version is unreadable: let it judge ours
    if not newer:
        return None
    return {
        "version": current.version,
        "date": current.date,
        "text": current.text,
        "signature": current.signature,
    }


def right_ids(session: Session) -> frozenset[str]:
    """Right ids that pushed metadata may carry: the shipped ones and those of every
    published catalogue (a phone may still use an older one)."""
    newest = session.scalar(select(PublishedCatalogue.id).order_by(PublishedCatalogue.id.desc()))
    if newest is None:
        return signed.allowed_right_ids(shipped_catalogue())
    if newest not in _ids_cache:
        ids: set[str] = set()
        for text in session.scalars(select(PublishedCatalogue.text)):
            ids |= signed.allowed_right_ids(signed.parse(text))
        _ids_cache[newest] = frozenset(ids)
    return _ids_cache[newest]
