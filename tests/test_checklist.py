"""The per-gezin rights checklist: statuses with history, reasons, dates in Vandaag, and only
the right id and status as plaintext metadata."""

import datetime as dt

import pytest

from app.core import localtime
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
    today = localtime.today()
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


def test_who_does_it_per_right_stays_in_the_payload(app):
    case_id = app.add_case("Gezin Samen")
    app.set_right(case_id, "huurpremie", status="besproken", support_mode="samen")
    check = app.right_checks(case_id)[0]
    assert check.support_mode == "samen"
    assert app.vault.sealed(check.id)["meta"] == {"right": "huurpremie", "status": "besproken"}
    with pytest.raises(InvalidInput):
        app.set_right(case_id, "huurpremie", support_mode="informeren")  # not a who-does-it


def test_new_statuses_after_a_refusal_and_fields_that_apply_per_status(app):
    from app.core.checklist import applies, support_modes
    from app.core.vocabulary import vocabulary

    case_id = app.add_case("Gezin Beroep")
    app.set_right(case_id, "leefloon", status="geweigerd")
    app.set_right(case_id, "leefloon", status="bezwaar_beroep", deadline="2027-01-31")
    app.set_right(case_id, "leefloon", status="stopgezet", non_take_up="schaamte_schrik")
    check = app.right_checks(case_id)[0]
    assert [h.status for h in check.history] == ["geweigerd", "bezwaar_beroep", "stopgezet"]
    assert not applies("non_take_up", "toegekend") and applies("non_take_up", "stopgezet")
    assert applies("deadline", "bezwaar_beroep") and not applies("deadline", "toegekend")
    assert applies("note", "toegekend")  # not listed: always
    assert set(support_modes()) <= set(vocabulary("support_mode").codes)


def test_an_old_check_without_support_mode_still_reads(app):
    from app.core.checklist import RightCheck

    old = {"right": "groeipakket", "status": "mogelijk", "history": []}
    assert RightCheck.from_data("x", "c", old).support_mode is None


def test_the_screen_is_told_when_the_catalogue_is_more_than_a_year_old(tmp_path):
    from app.services import open_vault
    from tests.conftest import FAST_KDF, PASSPHRASE

    def opened(name: str, year: int):
        moment = dt.datetime(year, 1, 2, 12, tzinfo=dt.UTC)
        return open_vault(
            tmp_path / name, PASSPHRASE, create=True, kdf=FAST_KDF, now=lambda: moment
        )

    with opened("now", 2027) as fresh:
        assert not fresh.catalogue_stale()
    with opened("later", 2028) as old:
        assert old.catalogue_stale()


def test_the_rights_screens_show_the_old_catalogue_warning_only_when_old():
    from app.ui.strings import T
    from app.ui.views.screening import stale_warning

    class Phone:
        def __init__(self, old: bool) -> None:
            self.old = old

        def catalogue_stale(self) -> bool:
            return self.old

    assert stale_warning(Phone(False)) == []
    [box] = stale_warning(Phone(True))
    assert box.content.controls[1].value == T["catalogue_stale"]
