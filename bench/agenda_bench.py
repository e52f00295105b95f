"""Vandaag on a busy phone: the agenda of 200 gezinnen with 5,000 notes (a year of work),
their rights checklists and time-outs, computed as the screen does at every visit."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from app.services import open_vault

GEZINNEN = 200
NOTES = 5000
ROUNDS = 20
KDF = {"n": 1024, "r": 8, "p": 1}  # opening cost is not what is measured here


def main() -> None:
    rng = random.Random(11)
    today = dt.date.today()
    with tempfile.TemporaryDirectory() as tmp:
        app = open_vault(Path(tmp) / "v", "benchmark agenda passphrase", create=True, kdf=KDF)
        cases = [app.add_case(f"Gezin {i}") for i in range(GEZINNEN)]
        for i in range(NOTES):
            due = today + dt.timedelta(days=rng.randint(-10, 20))
            follow = {"what": "opvolgen", "due": due.isoformat()} if i % 4 == 0 else None
            app.add_note(rng.choice(cases), f"notitie {i}", follow_up=follow)
        for case_id in cases[:40]:
            app.set_right(case_id, "verwarmingstoelage", deadline=today.isoformat())
        for case_id in cases[40:60]:
            app.set_status(case_id, "lager_pitje", revisit=today.isoformat())
        timings = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            items = app.today()
            timings.append(time.perf_counter() - started)
        app.close()
    timings.sort()
    print(f"agenda_items: {len(items)} items")
    print(f"agenda_200_gezinnen_5000_notes_p50: {timings[len(timings) // 2] * 1000:.0f} ms")
    print(f"agenda_200_gezinnen_5000_notes_max: {timings[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
