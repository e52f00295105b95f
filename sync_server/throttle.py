"""Back-off per client address after refused codes or passwords.

Keyed by a hash of the address (and what was tried: enrolment or web login), never by
account: guessing from one place slows that place down, and cannot lock the real user
out from elsewhere. 1 s, 2 s, 4 s … after each failure in a row, at most 15 minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy.orm import Session

from sync_server import audit
from sync_server.errors import TooManyAttempts
from sync_server.models import LoginThrottle, aware, utcnow

BACKOFF_MAX = 15 * 60


def _key(scope: str, client: str) -> str:
    return hashlib.sha256(f"{scope}\x00{client}".encode()).hexdigest()


def check(session: Session, scope: str, client: str) -> None:
    """TooManyAttempts (with retry_after) while this address must still wait."""
    row = session.get(LoginThrottle, _key(scope, client))
    if row is not None and aware(row.not_before) > utcnow():  # type: ignore[operator]
        wait = (aware(row.not_before) - utcnow()).total_seconds()  # type: ignore[operator]
        raise TooManyAttempts(f"too many attempts: wait {wait:.0f} s", retry_after=int(wait) + 1)


def count_failure(session: Session, scope: str, client: str) -> int:
    """Call in its own transaction after a refusal, so a wrong guess always costs the
    guesser time. Returns the number of failures in a row."""
    key = _key(scope, client)
    row = session.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(key=key, failures=0, not_before=utcnow())
        session.add(row)
    row.failures += 1
    row.not_before = utcnow() + dt.timedelta(seconds=min(2 ** (row.failures - 1), BACKOFF_MAX))
    audit.record(session, "anonymous", f"{scope}_failed", failures=row.failures)
    return row.failures


def clear(session: Session, scope: str, client: str) -> None:
    row = session.get(LoginThrottle, _key(scope, client))
    if row is not None:
        session.delete(row)
