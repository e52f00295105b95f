"""`make run` for now: a demo vault with fictional gezinnen, shown through the CLI facade.

All names and texts here are invented (clearly marked demo); nothing is real client data.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app.services import Services, open_vault

DEMO_DIR = Path(os.environ.get("DICHTBIJ_DEMO_DIR", ".demo/vault"))
DEMO_PASSPHRASE = "demo wachtzin voor dichtbij"  # noqa: S105 - public demo vault, fictional data

FAMILIES = [
    (
        "Gezin Demo-Amrani",
        "schoolpoort",
        ["kinderen", "inkomen"],
        "Mama vroeg aan de schoolpoort hoe de schooltoeslag werkt.",
        {"what": "Samen de aanvraag schooltoeslag bekijken", "who": "ik", "due": None},
    ),
    (
        "Gezin Demo-Verstraete",
        "huisbezoek",
        ["wonen", "energie"],
        "Huisbezoek: vochtprobleem in de slaapkamer, verwarming op petroleum.",
        {"what": "Verwarmingstoelage aanvragen bij OCMW", "who": "duo-partner", "due": None},
    ),
    (
        "Gezin Demo-Nowak",
        "straat",
        ["werk", "taal"],
        "Kort gesprek in de wijk; zoekt een NT2-cursus in de buurt.",
        None,
    ),
]


def seed(app: Services) -> None:
    for name, setting, domains, text, follow_up in FAMILIES:
        case_id = app.add_case(name, pseudonym=True)
        app.add_note(case_id, text, domains=domains, setting=setting, follow_up=follow_up)
        app.add_note(case_id, contact="poging", attempt_reason="niet_thuis", setting="huisbezoek")


def main() -> int:
    created = not (DEMO_DIR / "vault.json").exists()
    with open_vault(DEMO_DIR, DEMO_PASSPHRASE, create=True) as app:
        if created:
            seed(app)
        print(f"Demo-kluis in {DEMO_DIR} (fictieve gegevens), wachtzin: '{DEMO_PASSPHRASE}'")
        for case in app.cases():
            notes = app.notes(case.id)
            attempts, contacts = app.attempt_ratio(case.id)
            print(f"- {case.name}: {len(notes)} notities, aanklampen {attempts}/{contacts}")
    print("\nProbeer bijvoorbeeld:")
    env = f"DICHTBIJ_PASSPHRASE='{DEMO_PASSPHRASE}'"
    print(f"  {env} .venv/bin/dichtbij --data {DEMO_DIR} note list --json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
