"""A netwerkkaart drawn on two devices of one worker, synced through a real server process."""

from app.core.network_snapshot import sentences
from tests.test_sync_e2e import device, new_login


def picture(app, case_id):
    return [
        (n.id, n.name, n.sector, n.ring, n.tie, n.supports, n.roles, n.note)
        for n in app.network(case_id)
    ]


def test_two_devices_draw_one_network(server, tmp_path):
    login = new_login()
    phone = device(server, tmp_path, login, "phone", first=True)
    case_id = phone.add_case("Gezin Netwerk (fictief)")
    rita = phone.add_person(case_id, "Tante Rita", sector="familie", ring=1, tie="gewoon")
    phone.snapshot(case_id, "intake", day="2026-01-05")
    phone.sync()
    tablet = device(server, tmp_path, login, "tablet")
    tablet.sync()
    assert picture(tablet, case_id) == picture(phone, case_id)

    # offline on both: different people added, the same person edited in different fields
    phone.add_person(case_id, "Buurvrouw Els", sector="informeel", tie="steunend")
    phone.update_person(rita, tie="steunend", supports=["emotioneel"])
    tablet.answer_prompt(case_id, "babysit", "Tante Rita, Juf Sarah", sector="familie")
    tablet.update_person(rita, note="komt op woensdag")
    tablet.snapshot(case_id, "na drie maanden", day="2026-04-05")
    phone.sync(), tablet.sync(), phone.sync()

    assert picture(phone, case_id) == picture(tablet, case_id)
    assert {n.name for n in phone.network(case_id)} == {"Tante Rita", "Buurvrouw Els", "Juf Sarah"}
    merged = phone.person(rita)
    assert merged.tie == "steunend" and merged.note == "komt op woensdag"
    assert set(merged.supports) == {"emotioneel", "praktisch"}
    assert merged.roles == ("opvang_kinderen",)
    assert phone.conflicts() == [] and tablet.conflicts() == []  # nothing to settle
    assert [s.label for s in phone.snapshots(case_id)] == ["intake", "na drie maanden"]
    first, last = phone.snapshots(case_id)
    there = sentences(phone.compare(case_id, first.id))
    assert there == sentences(tablet.compare(case_id, first.id))
    assert "1 nieuwe steunfiguur bij vrienden en in de buurt" in there

    # the same field changed on both: one value wins everywhere, the other is kept to settle
    phone.update_person(rita, name="Rita")
    tablet.update_person(rita, name="Tante Rietje")
    phone.sync(), tablet.sync(), phone.sync()
    assert phone.person(rita).name == tablet.person(rita).name
    kept = [c.data for app in (phone, tablet) for c in app.conflicts()]
    assert [(c["field"], c["record_kind"]) for c in kept] == [("name", "network_node")]

    # removing a person on one device removes it on the other
    phone.remove_person(rita)
    phone.sync(), tablet.sync()
    assert rita not in {n.id for n in tablet.network(case_id)}
    assert phone.sync_status()["pending"] == 0 and tablet.sync_status()["pending"] == 0
    phone.close(), tablet.close()
