"""Steps of the method the app offers: a retry after a failed attempt (and a lager pitje
when the client wants no contact now), one-tap terugbellen, 'vraagverduidelijking
hernemen?' for a new levensdomein, a guidance card per phase, and the gezin's reach and
who signalled it; all of it inside the encrypted payload."""

import datetime as dt

import pytest

from app.core import method
from app.core.errors import InvalidInput
from app.core.vocabulary import vocabulary
from app.messages import describe
from tests.conftest import MARKER

DAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize("reason", vocabulary("attempt_reason").codes)
def test_every_attempt_reason_offers_a_retry(reason):
    offer = method.after_attempt(reason, DAY)
    assert offer.due > DAY.isoformat() and offer.what
    assert offer.time_out == (reason == "wil_geen_contact")


def test_no_contact_now_offers_a_lager_pitje_and_the_attempt_keeps_the_retry(app):
    case_id = app.add_case("Gezin Poging")
    note_id = app.add_note(case_id, contact="poging", attempt_reason="wil_geen_contact")
    offer = app.attempt_offer("wil_geen_contact")
    assert offer.time_out
    app.take_attempt_offer(note_id, time_out=True)
    assert app.note(note_id).follow_up.due == offer.due
    case = app.case(case_id)
    assert (case.status, case.revisit) == ("lager_pitje", offer.due)
    moved = app.add_note(case_id, contact="poging", attempt_reason="verhuisd")
    app.take_attempt_offer(moved)
    assert app.note(moved).follow_up.what == "Nieuw adres of nummer zoeken: verhuisd"
    # days later, Vandaag says what to retry
    missed = app.add_note(
        case_id, contact="poging", attempt_reason="niet_thuis", setting="huisbezoek"
    )
    app.take_attempt_offer(missed)
    assert app.note(missed).follow_up.what == "Opnieuw proberen: huisbezoek, niet thuis"


def test_terugbellen_is_one_tap_and_lands_on_vandaag(app):
    case_id = app.add_case("Gezin Bel", reach=[{"channel": "whatsapp", "value": MARKER}])
    note_id = app.call_back(case_id)
    note = app.note(note_id)
    assert note.setting == "bericht" and note.follow_up.what == "Terugbellen"
    assert note.follow_up.due == app.local_today().isoformat()
    assert any(i.note_id == note_id for i in app.today())


def test_a_new_levensdomein_later_in_the_traject_offers_vraagverduidelijking(app):
    case_id = app.add_case("Gezin Cyclus", needs={"wonen": "huur te hoog"})
    first = app.add_note(case_id, "over de school", domains=["kinderen"])
    assert app.reclarify_offer(first) == []  # eerste onthaal: everything is new, no question
    app.set_phase(case_id, "uitvoering")
    again = app.add_note(case_id, "weer de school en de huur", domains=["kinderen", "wonen"])
    assert app.reclarify_offer(again) == []
    new = app.add_note(case_id, "er is geweld thuis", domains=["veiligheid", "kinderen"])
    assert app.reclarify_offer(new) == ["veiligheid"]
    signaal = app.add_note(None, "aan de schoolpoort", domains=["werk"])
    assert app.reclarify_offer(signaal) == []


def test_every_phase_has_a_guidance_card_and_nazorg_offers_a_call():
    for phase in vocabulary("phase").codes:
        assert method.guidance(phase, DAY).steps
    closing = " ".join(method.guidance("afsluiting", DAY).steps)
    assert "alleen cliënten kunnen aangeven of zij zich geholpen voelen" in closing
    assert method.guidance("nazorg", DAY).follow_up == {"what": "Even bellen", "due": "2026-12-31"}
    assert method.guidance("uitvoering", DAY).follow_up is None


def test_reach_moment_referrer_and_a_shared_estimate_stay_encrypted(app):
    case_id = app.add_case(
        "Gezin Bereik",
        reach=[{"channel": "sms", "value": MARKER}],
        best_moment=f"na 16 uur {MARKER}",
        referred_by="school",
    )
    case = app.case(case_id)
    assert (case.best_moment, case.referred_by) == (f"na 16 uur {MARKER}", "school")
    note_id = app.add_note(
        case_id, check_in={"how": "goed", "draagkracht": 6, "draaglast": 4, "together": True}
    )
    assert app.note(note_id).check_in.together
    for record_id in (case_id, note_id):
        sealed = app.vault.sealed(record_id)
        clear = repr({k: v for k, v in sealed.items() if k != "payload"})
        assert MARKER not in clear and "school" not in clear and "together" not in clear
    with pytest.raises(InvalidInput) as refused:
        app.edit_case(case_id, referred_by="politie")
    assert describe(refused.value).startswith("Aangemeld door")


def test_the_privacy_notice_has_a_plain_version_for_the_client():
    from pathlib import Path

    text = (Path(__file__).parents[1] / "assets" / "privacy_client_nl.md").read_text("utf-8")
    for jargon in ("metadata", "AES", "HKDF", "server", "pseudoniem", "payload", "sync"):
        assert jargon.lower() not in text.lower(), jargon
    for right in ("toestemming", "kopie", "wissen", "netwerkkaart", "tellingen"):
        assert right in text, right
