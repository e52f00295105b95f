"""Fictional demo content for a phone vault (used by `make run`).

All names and texts here are invented (clearly marked demo); nothing is real client data.
"""

from __future__ import annotations

from app.services import Services

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
