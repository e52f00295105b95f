"""Writes the golden vault of the current format: run once per format version, commit the result.

    .venv/bin/python -m tests.golden.make_golden

Never regenerate an existing version's folder: later app versions must keep
opening exactly these bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.services import open_vault
from app.vault.format import CURRENT_FORMAT

HERE = Path(__file__).resolve().parent
PASSPHRASE = "golden vault passphrase v1"  # noqa: S105 - fixture, fictional data only
KDF = {"n": 1024, "r": 8, "p": 1}


def main() -> None:
    target = HERE / f"v{CURRENT_FORMAT}"
    if target.exists():
        raise SystemExit(f"{target} exists: golden vaults are frozen")
    clock = iter(dt.datetime(2026, 11, 2, 9, m, tzinfo=dt.UTC) for m in range(60))
    app = open_vault(target, PASSPHRASE, create=True, kdf=KDF, now=lambda: next(clock))
    case_id = app.add_case(
        "Gezin Golden (fictief)", members=[{"name": "Kind A", "birth_year": 2018}]
    )
    app.add_note(
        case_id, "Eerste contact aan de schoolpoort", domains=["kinderen"], setting="schoolpoort"
    )
    app.vault.compact()  # so the golden vault has both a snapshot and a journal
    app.add_note(case_id, contact="poging", attempt_reason="niet_thuis", setting="huisbezoek")
    app.add_note(case_id, "Geheugensteun", visibility="memo")
    app.set_phase(case_id, "vraagverduidelijking")
    app.close()
    (target / ".lock").unlink()


if __name__ == "__main__":
    main()
