"""Nothing a client confided reaches the supervisor pages or the server database: a real
phone vault syncs notes, names, check-ins and rights full of a marker string through the
real server; then the database (SQLite files or a pg_dump) and every page, CSV and report
of the supervisor view are searched for the marker, the names and the case pseudonyms."""

from __future__ import annotations

import re

from app.services import enroll
from tests.conftest import FAST_KDF, MARKER, PASSPHRASE
from tests.dashboard import PAGES, WebClient

PASSWORD = "wachtwoord van de teamcoach"
NAME = f"Gezin {MARKER}"


def test_no_note_text_or_names_in_the_database_or_on_any_page(server, postgres_dump, tmp_path):
    code = server.user("coach.marker", "Team Marker", "supervisor")
    assert WebClient(server.url).activate("coach.marker", code, PASSWORD).status_code == 200
    phone = enroll(
        tmp_path / "phone",
        PASSPHRASE,
        server.url,
        server.user("werker.marker", "Team Marker"),
        kdf=FAST_KDF,
    )
    case_ids = []
    for i in range(3):
        case_id = phone.add_case(
            f"{NAME} {i}",
            members=[{"name": f"Mama {MARKER}", "relation": f"moeder {MARKER}"}],
            reach=[{"channel": "whatsapp", "value": f"0470 {MARKER}"}],
            strengths=[f"veerkracht {MARKER}"],
            needs={"wonen": f"vocht {MARKER}"},
        )
        case_ids.append(case_id)
        for _ in range(3):
            phone.add_note(
                case_id,
                f"gesprek over {MARKER}",
                domains=["wonen"],
                setting="huisbezoek",
                barriers=["wachtlijst"],
                follow_up={"what": f"bellen {MARKER}", "who": f"buur {MARKER}"},
            )
        phone.add_note(
            case_id,
            contact="check_in",
            setting="autorit",
            check_in={
                "how": f"ging {MARKER}",
                "topics": MARKER,
                "agreed": MARKER,
                "draagkracht": 5,
                "draaglast": 6,
            },
        )
        phone.add_note(case_id, f"memo {MARKER}", visibility="memo")
        phone.add_note(case_id, contact="poging", attempt_reason="niet_thuis")
        phone.set_right(
            case_id, "leefloon", status="toegekend", who=f"ik {MARKER}", note=f"uitleg {MARKER}"
        )
        phone.set_status(case_id, "afgesloten")
    phone.add_note(None, f"signaal {MARKER}", setting="straat")
    report = phone.sync()
    # 3 × (gezin, key, 7 records) + the signaal + the identity
    assert (report.pushed, report.conflicts) == (29, 0)
    phone.close()

    stored = postgres_dump(server.db_url)
    assert b"huisbezoek" in stored  # the codes are there: the search is not blind
    assert MARKER.encode() not in stored
    assert MARKER.encode("utf-16-le") not in stored

    web = WebClient(server.url)
    assert web.login("coach.marker", PASSWORD).status_code == 303
    seen: list[str] = []
    for params in (
        {},
        {"periode": "week"},
        {"medewerker": "werker.marker"},
        {"periode": "week", "medewerker": "werker.marker"},
    ):
        for path in (*PAGES, "/drempels/rapport.txt"):
            answer = web.get("/dashboard" + path, **params)
            assert answer.status_code == 200, (path, params)
            seen.append(answer.text)
            for link in re.findall(r'href="(/dashboard/csv/[^"]+)"', answer.text):
                csv = web.get(link.replace("&amp;", "&"))
                assert csv.status_code == 200, link
                seen.append(csv.content.decode("utf-8-sig"))
    everything = "\n".join(seen)
    assert "Contacten" in everything and "Wachtlijst" in everything  # real pages were read
    # 3 × (3 notes, a check-in, a memo) + the signaal; the 3 attempts are counted apart.
    assert web.table("activiteit", "kerncijfers")["Contacten"] == ["16"]
    assert MARKER not in everything and "Mama" not in everything and "Gezin " not in everything
    for case_id in case_ids:
        assert case_id not in everything  # no case-level detail, not even the pseudonym
    assert MARKER not in server.log.read_text(errors="replace")
