"""Back-off after refused codes or passwords, at three levels.

* Per client address (a hash of it, and of what was tried: enrolment or web login):
  1 s, 2 s, 4 s … after each failure in a row, at most 15 minutes. Guessing from one
  place slows that place down and cannot lock the real user out from elsewhere.
* Per account (web login): the same back-off, after `ACCOUNT_GRACE` free failures, so
  guesses spread over many addresses still slow down for that account.
* For the whole server: at most `GLOBAL_MAX` failures (web logins and enrolment codes
  together) a `GLOBAL_WINDOW`; past it every guess waits for the next window. It is keyed
  by nothing a client sends, so no X-Forwarded-For or new address resets it.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy.orm import Session

from sync_server import audit
from sync_server.errors import TooManyAttempts
from sync_server.models import LoginThrottle, aware, utcnow

BACKOFF_MAX = 15 * 60
ACCOUNT_GRACE = 5
GLOBAL_MAX = 30
GLOBAL_WINDOW = dt.timedelta(minutes=1)
_GLOBAL = "global"


def _key(scope: str, client: str) -> str:
    return hashlib.sha256(f"{scope}\x00{client}".encode()).hexdigest()


def check(session: Session, scope: str, client: str) -> None:
    """TooManyAttempts (with retry_after and the scope) while this key must still wait."""
    row = session.get(LoginThrottle, _key(scope, client))
    if row is None or (scope == _GLOBAL and row.failures < GLOBAL_MAX):
        return
    wait = (aware(row.not_before) - utcnow()).total_seconds()  # type: ignore[operator]
    if wait > 0:
        raise TooManyAttempts(
            f"too many attempts: wait {wait:.0f} s", retry_after=int(wait) + 1, scope=scope
        )


def check_global(session: Session) -> None:
    check(session, _GLOBAL, _GLOBAL)


def count_failure(session: Session, scope: str, client: str, grace: int = 0) -> int:
    """Call in its own transaction after a refusal, so a wrong guess always costs the
    guesser time. Returns the number of failures in a row."""
    key = _key(scope, client)
    row = session.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(key=key, failures=0, not_before=utcnow())
        session.add(row)
    row.failures += 1
    if row.failures > grace:
        delay = min(2 ** (row.failures - 1 - grace), BACKOFF_MAX)
        row.not_before = utcnow() + dt.timedelta(seconds=delay)
    audit.record(session, "anonymous", f"{scope}_failed", failures=row.failures)
    return row.failures


def count_global(session: Session) -> None:
    """One more failure in this window of the whole server (any scope, any address)."""
    key = _key(_GLOBAL, _GLOBAL)
    row = session.get(LoginThrottle, key, with_for_update=True)  # one counter, no lost counts
    now = utcnow()
    if row is None:
        row = LoginThrottle(key=key, failures=0, not_before=now + GLOBAL_WINDOW)
        session.add(row)
    elif aware(row.not_before) <= now:  # type: ignore[operator]
        row.failures, row.not_before = 0, now + GLOBAL_WINDOW
    row.failures += 1


def clear(session: Session, scope: str, client: str) -> None:
    row = session.get(LoginThrottle, _key(scope, client))
    if row is not None:
        session.delete(row)
