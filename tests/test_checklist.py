"""The per-gezin rights checklist: statuses with history, reasons, dates in Vandaag, and only
the right id and status as plaintext metadata."""

import datetime as dt

import pytest

from app.core.errors import InvalidInput
from tests.conftest import MARKER


def test_statuses_history_and_quick_wins(app):
    case_id = app.add_case("Gezin Rechten")
    app.set_right(case_id, "verhoogde_tegemoetkoming", status="mogelijk")
    app.set_right(case_id, "verhoogde_tegemoetkoming", status="aangevraagd", who="ik")
    app.set_right(case_id, "verhoogde_tegemoetkoming", status="toegekend")
    app.set_right(case_id, "sociaal_tarief_energie", status="niet_bekeken")
    checks = {c.right: c for c in app.right_checks(case_id)}
    vt = checks["verhoogde_tegemoetkoming"]
    assert [h.status for h in vt.history] == ["mogelijk", "aangevraagd", "toegekend"]
    assert vt.who == "ik" and app.rights_realised(case_id) == 1


def test_refusals_with_a_non_take_up_reason_and_bad_input(app):
    case_id = app.add_case("Gezin Weigering")
    app.set_right(case_id, "leefloon", status="geweigerd", non_take_up="niet_toegang")
    assert app.right_checks(case_id)[0].non_take_up == "niet_toegang"
    with pytest.raises(InvalidInput):
        app.set_right(case_id, "leefloon", status="misschien")
    with pytest.raises(InvalidInput):
        app.set_right(case_id, "bestaat_niet", status="mogelijk")
    with pytest.raises(InvalidInput):
        app.set_right(case_id, "leefloon", deadline="morgen")


def test_deadlines_and_next_steps_appear_in_vandaag(app):
    case_id = app.add_case("Gezin Termijn")
    today = dt.date.today()
    app.set_right(
        case_id,
        "verwarmingstoelage",
        status="besproken",
        deadline=(today + dt.timedelta(days=10)).isoformat(),
    )
    app.set_right(case_id, "huursubsidie", status="mogelijk", follow_up=today.isoformat())
    app.set_right(case_id, "groeipakket", status="toegekend", follow_up=today.isoformat())
    kinds = [(i.kind, i.text) for i in app.today() if i.case_id == case_id]
    assert ("deadline", "verwarmingstoelage") in kinds
    assert ("right", "huursubsidie") in kinds
    assert all(text != "groeipakket" for _, text in kinds)  # realised: nothing to do


def test_only_right_and_status_leave_the_phone(app):
    case_id = app.add_case("Gezin Meta")
    app.set_right(case_id, "budgetbegeleiding", status="besproken", who=MARKER, note=MARKER)
    check = app.right_checks(case_id)[0]
    sealed = app.vault.sealed(check.id)
    assert sealed["meta"] == {"right": "budgetbegeleiding", "status": "besproken"}
    assert MARKER not in repr({k: v for k, v in sealed.items() if k != "payload"})
