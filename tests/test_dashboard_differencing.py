"""The "< 3" guard holds against differencing (docs/privacy.md, section 8): on every page
and CSV of the demo team (`admin seed-demo`), for months and weeks and each worker, no
hidden count can be worked out from shown ones, and no two shown sets of which one holds
the other differ by 1 or 2 items."""

import pytest

from sync_server.dashboard.seed import WORKERS, seed_demo
from sync_server.dashboard.tables import THRESHOLD
from tests.dashboard import WebClient
from tests.server_process import ServerProcess

# Columns of the per-worker table and the key figure each column adds up to.
WORKER_COLUMNS = {
    "Contacten": "Contacten",
    "Pogingen": "Aanklampen: pogingen zonder contact",
    "Caseload": "Actieve caseload (gezinnen met een notitie)",
}
# Key figures that count a part of another one (part, whole).
NESTED = [("Check-ins", "Contacten"), ("Signalen (contact zonder gezin)", "Contacten")]


def number(cell: str) -> int | None:
    return int(cell) if cell.isdigit() else None


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    proc = ServerProcess(f"sqlite:///{root / 'd.db'}", root / "log").start()
    with proc.db.transaction() as session:
        seeded = seed_demo(session)
    client = WebClient(proc.url, "192.0.2.50")
    assert client.login(seeded.login, seeded.password).status_code == 303
    yield client
    proc.stop()
    proc.db.dispose()


def selections():
    for unit, keys in (("maand", ["", "-1", "-2"]), ("week", ["", "-1", "-2", "-3"])):
        for back in keys:
            yield unit, back


def test_no_hidden_count_can_be_worked_out(demo):
    checked = problems = 0
    found = []
    for unit, back in selections():
        params = {"periode": unit}
        trend = demo.csv("activiteit", "verloop", **params)
        if back:
            params["van"] = _key_of(demo, unit, int(back))
        key = demo.table("activiteit", "kerncijfers", **params)
        people = demo.table("activiteit", "medewerkers", **params)
        assert len(trend) > 1 and len(people) == len(WORKERS)
        for column, (total_name) in WORKER_COLUMNS.items():
            index = ["Contacten", "Pogingen", "Caseload"].index(column)
            total = number(key[total_name][0])
            if total is None:
                continue
            cells = [row[index] for row in people.values()]
            shown = [number(c) for c in cells]
            hidden = [c for c, n in zip(cells, shown, strict=True) if n is None]
            rest = total - sum(n for n in shown if n is not None)
            checked += 1
            if (len(hidden) == 1 and rest != 0) or (hidden and 0 < rest < THRESHOLD):
                found.append((unit, back, column, total, cells))
        for part, whole in NESTED:
            a, b = number(key[part][0]), number(key[whole][0])
            checked += 1
            if a is not None and b is not None and 0 < b - a < THRESHOLD:
                found.append((unit, back, part, whole, a, b))
        # A worker's own page shows no figure the team page withheld for that worker.
        for login, row in people.items():
            mine = demo.table("activiteit", "kerncijfers", medewerker=login, **params)
            for column, total_name in WORKER_COLUMNS.items():
                index = ["Contacten", "Pogingen", "Caseload"].index(column)
                checked += 1
                if number(row[index]) is None and number(mine[total_name][0]) is not None:
                    found.append((unit, back, login, column, row[index], mine[total_name][0]))
        rights = demo.csv("gezinnen", "rechten-status", **params)[1:]
        for _status, now, changed in rights:
            checked += 1
            a, b = number(changed), number(now)
            if a is not None and b is not None and 0 < b - a < THRESHOLD:
                found.append((unit, back, "rechten", now, changed))
    problems = len(found)
    print(f"\ndifferencing_checks: {checked} pairs")
    print(f"differencing_pairs_found: {problems} pairs")
    assert found == []


def _key_of(client, unit, back):
    """`back` periods before the current one, as a `van` key."""
    from app.core.localtime import today
    from sync_server.dashboard.periods import containing

    period = containing(unit, today())
    for _ in range(back):
        period = period.previous()
    return period.key
