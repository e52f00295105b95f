"""Team work on the phone (docs/sharing.md), against a real server process on SQLite and
PostgreSQL: identities and veiligheidsnummers, colleagues verified in person, sharing a
gezin end to end."""

from __future__ import annotations

import base64
import dataclasses
import itertools
import json

import pytest
from sqlalchemy import update

from app.core.errors import InvalidInput, MembershipRefused, NotFound
from app.services import enroll, open_vault
from app.sync.transport import ServerClient
from app.team import safety
from app.team.identity import Identity
from app.team.sharing import CaseSharing
from sync_server.models import User
from tests.conftest import FAST_KDF, MARKER, PASSPHRASE
from tests.test_cli import one_line_error, run
from tests.test_server_sharing import admin

_numbers = itertools.count()


def worker(server, tmp_path, login, team, name="phone", first=True):
    code = server.user(login, team=team) if first else server.code(login)
    return enroll(
        tmp_path / f"{login}-{name}", PASSPHRASE, server.url, code, device_name=name, kdf=FAST_KDF
    )


@pytest.fixture
def trio(server, tmp_path):
    """A and B in one team, C in another; each enrolled and synced once."""
    n = next(_numbers)
    team, other = f"Team Deel {n}", f"Team Ander {n}"
    a = worker(server, tmp_path, f"anna{n}", team)
    b = worker(server, tmp_path, f"bert{n}", team)
    c = worker(server, tmp_path, f"cato{n}", other)
    for phone in (a, b, c, a):
        phone.sync()
    yield a, b, c
    for phone in (a, b, c):
        phone.close()


def test_identity_is_made_once_published_and_shared_by_a_worker_s_phones(server, tmp_path, trio):
    a, b, c = trio
    number = a.my_fingerprint()
    groups = number.split(" ")
    assert len(groups) == 12 and all(len(g) == 5 and g.isdigit() for g in groups)
    assert "<svg" in a.fingerprint_qr()
    # A second phone of A takes A's identity from sync instead of making another one.
    tablet = worker(server, tmp_path, a.my_login(), None, "tablet", first=False)
    tablet.sync()
    assert tablet.my_fingerprint() == number
    tablet.close()
    # B computes A's number from the keys the server gave: the same digits.
    seen = {col.login: col for col in b.colleagues()}
    assert seen[a.my_login()].number == number
    assert seen[a.my_login()].status == "unverified"
    # C is in another team: no A, no B.
    assert {col.login for col in c.colleagues()}.isdisjoint({a.my_login(), b.my_login()})
    with pytest.raises(InvalidInput):
        c.verify_colleague(a.my_login(), number)


def test_verification_compares_the_digits_only(trio):
    a, b, _ = trio
    number = a.my_fingerprint()
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    with pytest.raises(InvalidInput) as refused:
        b.verify_colleague(a.my_login(), wrong)
    assert refused.value.problem == "mismatch"
    assert b.colleague(a.my_login()).status == "unverified"
    b.verify_colleague(a.my_login(), safety.digits_of(number))  # no spaces: fine too
    assert b.colleague(a.my_login()).status == "verified"
    b.set_duo(a.my_login(), True)
    assert b.colleague(a.my_login()).duo


def test_a_substituted_key_gives_another_number_and_a_verified_colleague_changes(server, trio):
    a, b, _ = trio
    real = a.my_fingerprint()
    b.verify_colleague(a.my_login(), real)
    # The server hands B another key for A (a machine in the middle).
    forged = Identity.new()
    with server.db.transaction() as session:
        session.execute(
            update(User)
            .where(User.login == a.my_login())
            .values(x25519_public=forged.x25519_public, ed25519_public=forged.ed25519_public)
        )
    b.sync()
    seen = b.colleague(a.my_login())
    assert seen.number != real and seen.status == "changed"
    with pytest.raises(InvalidInput):
        b.verify_colleague(a.my_login(), real)  # A's real number does not match it
    b.later_colleague(a.my_login())
    assert b.colleague(a.my_login()).later and b.colleague(a.my_login()).status == "changed"


def test_cli_fingerprint_colleagues_and_verify(trio):
    a, b, _ = trio
    number, login, b_dir = a.my_fingerprint(), a.my_login(), b.vault.data_dir
    b.close()
    shown = run(b_dir, "fingerprint")
    assert shown.returncode == 0, shown.stderr
    assert len(safety.digits_of(shown.stdout)) == 60
    listed = json.loads(run(b_dir, "colleagues", "--json").stdout)
    assert {"login": login, "fingerprint": number, "verified": False} in listed
    wrong = "0" * 60
    error = one_line_error(run(b_dir, "colleague", "verify", login, "--fingerprint", wrong), 2)
    assert "veiligheidsnummer klopt niet" in error
    done = run(b_dir, "colleague", "verify", login, "--fingerprint", number)
    assert done.returncode == 0, done.stderr
    listed = json.loads(run(b_dir, "colleagues", "--json").stdout)
    assert {"login": login, "fingerprint": number, "verified": True} in listed


# ---- sharing a gezin ---------------------------------------------------------------------


def verified_pair(a, b):
    """A and B verified each other in person (and synced, so the server has A's entry)."""
    a.verify_colleague(b.my_login(), b.my_fingerprint())
    b.verify_colleague(a.my_login(), a.my_fingerprint())


def relay(source, target, ids=None):
    """Hand `target` the sealed records of `source` as a pull would (the server's fan-out
    does this between workers); returns the ids set aside as unreadable."""
    from app.sync.engine import QUARANTINE, SyncEngine, SyncReport

    found = [r for r in source.vault.all_records() if ids is None or r.id in ids]
    deliver(target, *[source.vault.seal(r) for r in found if r.kind != "conflict"])
    SyncEngine(target.vault, None)._retry_quarantine(SyncReport())
    return set(target.vault.local(QUARANTINE) or {})


def test_sharing_is_refused_before_verification(trio):
    a, b, _ = trio
    case_id = a.add_case("Gezin Wacht")
    with pytest.raises(MembershipRefused) as refused:
        a.share_case(case_id, b.my_login())
    assert refused.value.reason == "unverified" and refused.value.exit_code == 2
    assert a.case_sharing(case_id) == CaseSharing(a.my_login(), (a.my_login(),), True)
    a_dir, login = a.vault.data_dir, b.my_login()
    a.close()
    error = one_line_error(run(a_dir, "case", "share", "--case", case_id, "--with", login), 2)
    assert "veiligheidsnummer" in error


def test_a_shared_gezin_opens_on_the_colleague_s_phone_and_a_removal_stops_the_future(trio):
    a, b, _ = trio
    verified_pair(a, b)
    case_id = a.add_case("Gezin Samen")
    old = a.add_note(case_id, "voor het delen")
    memo = a.add_note(case_id, "alleen voor mij", visibility="memo")
    a.share_case(case_id, b.my_login())
    a.sync()
    assert set(a.vault.case_keys(case_id)) == {1, 2}  # the server took the entry
    sharing = a.case_sharing(case_id)
    assert sharing.members == tuple(sorted((a.my_login(), b.my_login()))) and sharing.mine
    assert a.shared_with(case_id) == [b.my_login()]
    new = a.add_note(case_id, "na het delen")
    assert a.vault.seal(a.vault.latest(new))["kv"] == 2

    unreadable = relay(a, b)
    assert b.case(case_id).name == "Gezin Samen"
    assert {n.text for n in b.notes(case_id)} == {"voor het delen", "na het delen"}
    assert memo in unreadable  # A's memo: A's own key only
    assert b.case_sharing(case_id).owner == a.my_login() and not b.case_sharing(case_id).mine
    by = {e.ref: e.by for e in b.timeline(case_id) if e.kind == "note"}
    assert by[old] == a.my_login() and by[new] == a.my_login()
    b_note = b.add_note(case_id, "van bert")
    assert b.vault.seal(b.vault.latest(b_note))["kv"] == 2
    relay(b, a, {b_note})
    assert a.note(b_note).by == b.my_login()

    a.unshare_case(case_id, b.my_login())
    a.sync()
    assert max(a.vault.case_keys(case_id)) == 3
    later = a.add_note(case_id, "na het stoppen")
    relay(a, b)
    assert set(b.vault.case_keys(case_id)) == {1, 2}  # no key of epoch 3 for B
    assert b.case_sharing(case_id).members == (a.my_login(),)
    assert {n.text for n in b.notes(case_id)} == {"voor het delen", "na het delen", "van bert"}
    with pytest.raises(NotFound):
        b.note(later)
    with pytest.raises(MembershipRefused):
        b.share_case(case_id, a.my_login())  # B no longer reads it: no change from B


def deliver(target, *sealed):
    """Records as a pull brings them (the server's fan-out does this between workers)."""
    from app.sync.engine import SyncEngine, SyncReport

    engine = SyncEngine(target.vault, None, on_membership=target.open_shared_keys)
    engine._apply_page({"records": list(sealed)}, SyncReport(), None)


def test_tampered_entries_are_refused_and_an_unverified_signer_waits(trio):
    a, b, _ = trio
    verified_pair(a, b)
    forged_case, waiting_case = a.add_case("Gezin Vals"), a.add_case("Gezin Wacht")
    for case_id in (forged_case, waiting_case):
        a.share_case(case_id, b.my_login())
    a.sync()
    entry = a.vault.latest(f"{forged_case}.m2")
    # A signature that does not match; an entry that skips an epoch.
    bad_sig = dict(entry.data, sig=base64.b64encode(bytes(64)).decode())
    skipped = dict(entry.data, epoch=5)
    for data, reason in ((bad_sig, "signature"), (skipped, "epoch")):
        fake = dataclasses.replace(entry, data=data, id=f"{forged_case}.m{data['epoch']}")
        deliver(b, a.vault.seal(fake))
        assert b.vault.local("membership_refused")[fake.id] == reason
        assert not b.vault.case_keys(forged_case)
    assert b.case_sharing(forged_case).refused  # said in Dutch, for the gezin's screen
    # A real entry by a colleague B no longer trusts: held until B verifies again.
    b._decide(a.my_login(), verified=None)
    deliver(b, a.vault.sealed(f"{waiting_case}.m2"))
    assert b.case_sharing(waiting_case).waiting == (a.my_login(),)
    assert not b.vault.case_keys(waiting_case)
    b.verify_colleague(a.my_login(), a.my_fingerprint())
    assert set(b.vault.case_keys(waiting_case)) == {1, 2}
    assert b.sync_status()["membership_refused"] == 2  # the two forged entries


def test_a_race_of_two_offline_phones_ends_in_one_epoch_both_accept(server, tmp_path, trio):
    a, b, _ = trio
    team = a.vault.local("team")["team"]
    dora = worker(server, tmp_path, f"dora{next(_numbers)}", team)
    dora.sync()
    a.sync()
    a.verify_colleague(b.my_login(), b.my_fingerprint())
    a.verify_colleague(dora.my_login(), dora.my_fingerprint())
    case_id = a.add_case("Gezin Race")
    a.sync()
    tablet = worker(server, tmp_path, a.my_login(), team, "tablet", first=False)
    tablet.sync()  # the gezin, its key and A's verifications
    # Offline, each phone of A shares the gezin with someone else: both make epoch 2.
    a.share_case(case_id, b.my_login())
    tablet.share_case(case_id, dora.my_login())
    a.sync()
    tablet.sync()  # its epoch 2 lost: it takes A's and makes its change again as epoch 3
    a.sync()
    everyone = tuple(sorted((a.my_login(), b.my_login(), dora.my_login())))
    for phone in (a, tablet):
        assert phone.case_sharing(case_id).members == everyone
        assert set(phone.vault.case_keys(case_id)) == {1, 2, 3}
        assert not phone.vault.local("membership_refused")
    assert a.vault.case_keys(case_id) == tablet.vault.case_keys(case_id)
    # The gezin's records go on under the epoch both accepted.
    note = tablet.add_note(case_id, "na de wedloop")
    tablet.sync(), a.sync()
    assert a.note(note).text == "na de wedloop"
    assert a.vault.sealed(note)["kv"] == 3
    tablet.close(), dora.close()


def shared_through_the_server(a, b, name):
    """A verifies B and shares a new gezin through the server; skipped while the server does
    not yet fan a shared gezin out to its members."""
    verified_pair(a, b)
    case_id = a.add_case(name)
    a.add_note(case_id, f"eerste {MARKER}")
    a.share_case(case_id, b.my_login())
    a.sync()
    b.sync()
    if not b.cases():
        pytest.skip("the server does not fan a shared gezin out to its members yet")
    return case_id


def test_both_edit_offline_converge_memos_stay_private_and_c_sees_nothing(
    server, trio, postgres_dump
):
    a, b, c = trio
    case_id = shared_through_the_server(a, b, "Gezin Samen Offline")
    first = a.notes(case_id)[0].id
    a.edit_note(first, text=f"aangepast door anna {MARKER}")
    b.add_note(case_id, f"van bert {MARKER}")
    memo = b.add_note(case_id, f"geheugensteun van bert {MARKER}", visibility="memo")
    b.set_phase(case_id, "uitvoering")
    for phone in (a, b, a, b):
        phone.sync()
    texts = {n.id: n.text for n in a.notes(case_id)}
    assert texts == {n.id: n.text for n in b.notes(case_id) if n.id != memo}
    assert memo not in texts and a.case(case_id).phase == "uitvoering"
    assert c.sync().pulled == 0 and c.cases() == []
    assert MARKER.encode() not in postgres_dump(server.db_url)


def test_a_removed_colleague_gets_nothing_new_and_keeps_what_they_had(server, trio):
    a, b, c = trio
    case_id = shared_through_the_server(a, b, "Gezin Stop")
    had = {n.text for n in b.notes(case_id)}
    a.unshare_case(case_id, b.my_login())
    a.sync()
    a.add_note(case_id, "na het stoppen")
    a.sync()
    b.sync()
    assert {n.text for n in b.notes(case_id)} == had
    assert not b.quarantined()  # nothing new reached B's phone, not even sealed
    assert b.case_sharing(case_id).members == (a.my_login(),)
    assert c.sync().pulled == 0 and c.cases() == []  # another team: nothing, ever


# ---- team data -----------------------------------------------------------------------------


def test_team_data_needs_a_colleague_s_verification_and_duo_gezinnen_are_shared(trio):
    a, b, _ = trio
    assert b.team_data_status() == (
        "Je ziet nog geen teamgegevens: een collega moet je eerst verifiëren."
    )
    with pytest.raises(InvalidInput) as refused:
        a.set_team_setting("share_new_with_duo", True)
    assert refused.value.problem == "no_team_key"
    verified_pair(a, b)  # A starts the team log and gives B the team key
    a.sync()
    assert a.team_data_status() is None
    a.set_team_setting("share_new_with_duo", True)
    a.set_duo(b.my_login(), True)
    a.sync()
    b.sync()
    assert b.team_data_status() is None
    assert b.team_settings() == {"share_new_with_duo": True}
    case_id = a.add_case("Gezin Duo")
    a.add_note(case_id, "voor het duo")
    a.sync()  # shared with the duo partner at this sync
    b.sync()
    assert a.shared_with(case_id) == [b.my_login()]
    assert [n.text for n in b.notes(case_id)] == ["voor het duo"]


def test_someone_removed_by_an_admin_is_rotated_out_by_the_first_member_who_stays(
    server, tmp_path, trio
):
    a, b, _ = trio
    team = a.vault.local("team")["team"]
    zoe = worker(server, tmp_path, f"zoe{next(_numbers)}", team)  # sorts after anna and bert
    zoe.sync()
    for one, other in ((a, b), (a, zoe), (b, zoe)):
        one.sync(), other.sync()
        verified_pair(one, other)
    case_id = a.add_case("Gezin Vertrek")
    a.share_case(case_id, b.my_login())
    a.share_case(case_id, zoe.my_login())
    a.sync()
    epoch = max(a.vault.case_keys(case_id))
    zoe_login = zoe.my_login()
    zoe.close()
    import subprocess
    import sys

    from tests.conftest import REPO

    subprocess.run(
        [sys.executable, "-m", "sync_server", "--db", server.db_url, "admin", "remove-user"]
        + [zoe_login],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=60,
    )
    b.sync()  # B is not the first who stays: it leaves the rotation to A
    assert zoe_login in b.case_sharing(case_id).members
    a.sync()
    b.sync()
    for phone in (a, b):
        assert phone.case_sharing(case_id).members == tuple(sorted((a.my_login(), b.my_login())))
        assert max(phone.vault.case_keys(case_id)) == epoch + 1


def test_the_epoch_keys_are_there_again_after_a_restart_before_any_sync(trio):
    a, b, _ = trio
    verified_pair(a, b)
    case_id = a.add_case("Gezin Herstart")
    a.share_case(case_id, b.my_login())
    a.sync()
    relay(a, b)
    b_dir = b.vault.data_dir
    b.close()
    with open_vault(b_dir, PASSPHRASE) as again:  # keys live in memory only
        assert set(again.vault.case_keys(case_id)) == {1, 2}
        note = again.add_note(case_id, "na het herstarten")
        assert again.vault.sealed(note)["kv"] == 2
        # B's phone never makes a key of its own for A's gezin.
        assert again.vault.get("case_key", f"{case_id}.key") is None


def test_two_new_phones_of_one_account_end_with_one_identity(server, tmp_path):
    login = f"duo{next(_numbers)}"
    phone = worker(server, tmp_path, login, f"Team Een {login}")
    tablet = worker(server, tmp_path, login, None, "tablet", first=False)
    # Both phones look before either has pushed: each makes an identity of its own.
    for app in (phone, tablet):
        state = app.vault.local("server")
        client = ServerClient(state["url"], credential=state["credential"])
        app._sync_team_before(client)
        client.close()
    phone.sync(), tablet.sync(), phone.sync()
    assert phone.my_fingerprint() == tablet.my_fingerprint()
    assert phone.conflicts() == [] and tablet.conflicts() == []
    published = phone.vault.local("team")["members"][login]
    assert published["ed25519"] == tablet._team()["members"][login]["ed25519"]
    phone.close(), tablet.close()


def test_two_phones_of_a_worker_deciding_about_a_colleague_make_no_conflict(server, tmp_path, trio):
    a, b, _ = trio
    tablet = worker(server, tmp_path, a.my_login(), None, "tablet", first=False)
    tablet.sync()
    a.set_duo(b.my_login(), True)
    tablet.verify_colleague(b.my_login(), b.my_fingerprint())
    tablet.set_duo(b.my_login(), False)
    a.sync(), tablet.sync(), a.sync()
    for phone in (a, tablet):
        seen = phone.colleague(b.my_login())
        assert (seen.status, seen.duo) == ("verified", False)
        assert phone.conflicts() == []
    tablet.close()


def test_a_colleague_who_started_over_gets_the_shared_gezin_again(server, tmp_path, trio):
    """A forgot the passphrase: the admin resets the account, A's new phone makes new keys.
    B's phone takes A's old keys out of the gezin they shared (A's old entries stay valid),
    holds what A's new keys sign until B compared the new number, then shares again."""
    a, b, _ = trio
    verified_pair(a, b)
    case_id = a.add_case("Gezin Herstart")
    a.add_note(case_id, f"voor de herstart {MARKER}")
    a.share_case(case_id, b.my_login())
    a.sync(), b.sync()
    assert [n.text for n in b.notes(case_id)] == [f"voor de herstart {MARKER}"]
    login, old_dir = a.my_login(), a.vault.data_dir
    a.close()
    code = admin(server, "reset-account", login).strip().splitlines()[-1]
    fresh = enroll(old_dir.parent / "anna-nieuw", PASSPHRASE, server.url, code, kdf=FAST_KDF)
    fresh.sync(), fresh.sync()  # new identity, published
    clean = {"quarantined": 0, "membership_refused": 0}
    # Its feed started empty: nothing it cannot open is reported as set aside.
    assert {k: fresh.sync_status()[k] for k in clean} == clean and fresh.cases() == []
    b.sync(), b.sync()  # B takes A's old keys out of the gezin (it is the one who stays)
    shared = b.case_sharing(case_id)
    assert shared.members == (b.my_login(),) and shared.mine and shared.refused == ()
    assert b.colleague(login).status == "changed"
    verified_pair(fresh, b)
    b.sync(), fresh.sync()
    assert {k: fresh.sync_status()[k] for k in clean} == clean
    assert b.case_sharing(case_id).refused == ()  # A's old entries still stand
    b.share_case(case_id, login)
    b.sync(), fresh.sync()
    assert [n.text for n in fresh.notes(case_id)] == [f"voor de herstart {MARKER}"]
    assert fresh.case_sharing(case_id).refused == ()
    b.hand_over(case_id, login)  # and back to A, who follows the family
    b.sync(), fresh.sync()
    assert fresh.case_sharing(case_id).mine
    assert {k: fresh.sync_status()[k] for k in clean} == clean
    fresh.close()
