"""What the sync status says, from the facts (pure: no Flet, no I/O). It never says
'gesynchroniseerd' while items still wait to be sent."""

from __future__ import annotations

from app.ui.strings import T

ONLINE_EVERY = 60.0  # seconds between reachability checks while the server answers
OFFLINE_FIRST = 15.0  # the first retry after the server stopped answering; doubles each time
OFFLINE_MAX = 300.0


def headline(pending: int, last_sync: str | None, error: str | None, busy: bool = False) -> str:
    """One sentence: busy, the last attempt's failure, what waits, or all done."""
    waiting = T["sync_waiting"].format(pending=pending) if pending else ""
    if busy:
        return T["sync_busy"]
    if error:
        return f"{error} {waiting}".strip()
    if waiting:
        return waiting
    return T["sync_all_done"] if last_sync else T["sync_never"]


def next_check(online: bool, failures: int) -> float:
    """Seconds until the next reachability check: a steady pace while online, backing off
    (15 s, 30 s, 1 min, … at most 5 min) while the server does not answer."""
    if online:
        return ONLINE_EVERY
    return min(OFFLINE_FIRST * 2 ** max(failures - 1, 0), OFFLINE_MAX)


def indicator(online: bool | None) -> tuple[str, str]:
    """(state, accessible name) of the app bar's connection indicator."""
    if online is None:
        return "unknown", T["net_unknown"]
    return ("online", T["net_online"]) if online else ("offline", T["net_offline"])
