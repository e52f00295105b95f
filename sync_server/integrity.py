"""Is the server database whole? Checked at start and by `admin check-db`; database errors
during a request become one clear log line and a JSON answer (never a plain-text 500)."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from sync_server.models import Base

log = logging.getLogger("dichtbij.server")
ADVICE = "run 'dichtbij-server admin check-db' (docs/server.md, Backups and restore)"


def problems(engine: Engine) -> list[str]:
    """SQLite: `PRAGMA quick_check` (every page and index entry). PostgreSQL: every table
    read through (a damaged page or checksum fails the read). Empty when whole."""
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                rows = connection.exec_driver_sql("PRAGMA quick_check").scalars().all()
                return [] if rows == ["ok"] else [str(r) for r in rows[:20]]
            found = []
            for table in Base.metadata.sorted_tables:
                try:
                    with connection.begin_nested():
                        connection.execute(select(func.count()).select_from(table))
                except SQLAlchemyError as exc:
                    found.append(f"{table.name}: {describe(exc)}")
            return found
    except SQLAlchemyError as exc:
        return [describe(exc)]
    finally:
        engine.dispose()  # no page read here stays cached in the pool


def describe(exc: BaseException) -> str:
    """The driver's error class and message or SQL state: never the statement or its values."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    state = getattr(orig, "sqlstate", None)
    if state:  # PostgreSQL: its messages may quote values, the state code does not
        return f"{type(orig).__name__} (SQLSTATE {state})"
    if type(orig).__module__.startswith("sqlite3"):
        return f"{type(orig).__name__}: {orig}"  # e.g. "database disk image is malformed"
    return type(orig).__name__


def answer(exc: SQLAlchemyError, method: str, path: str) -> tuple[int, dict[str, str]]:
    """Log the failure once and say what the caller gets: 503 for a database that is busy or
    out of reach for a moment, 500 for anything else (a damaged page, a missing table)."""
    log.error("database error on %s %s: %s; %s", method, path, describe(exc), ADVICE)
    if isinstance(exc, OperationalError) and _transient(exc):
        return 503, {"error": "database_unavailable", "detail": "the database is busy; try again"}
    return 500, {
        "error": "database_error",
        "detail": "the server's database failed; its administrator finds the cause in the log",
    }


def _transient(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return any(word in text for word in ("locked", "busy", "connection", "timeout", "timed out"))
