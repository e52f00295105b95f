"""The signed membership log of a shared gezin: valid chains fold, every tamper is refused
with its reason, and keys reach exactly the members of each epoch."""

import base64
import json
import os
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import GrantRefused
from app.messages import describe
from app.team.grants import unwrap
from app.team.identity import Identity, PublicKeys
from app.team.membership import (
    Entry,
    Log,
    MembershipRefused,
    fold,
    grant_context,
    keys_in,
    make_entry,
)

LOGINS = ("an", "bert", "carla", "dirk")
IDS = {login: Identity.new() for login in LOGINS}
DIRECTORY = {login: IDS[login].public(login) for login in LOGINS}
CASE = "0b7e3c1e-9a55-4c57-8f0e-5b7f2f6d9a01"
AT = "2026-12-01T10:00:00+00:00"


def keys_of(login):
    return DIRECTORY.get(login)


def step(log, action, subject, signer, earlier=None, key=None):
    """The next entry of `log`, made by `signer`'s phone, and the key of its epoch."""
    key = key or os.urandom(32)
    entry = make_entry(log, action, subject, IDS[signer], signer, DIRECTORY, key, earlier or {}, AT)
    return entry, key


def resign(entry, signer):
    """`entry` signed again by `signer` (a member who makes a bad entry on purpose)."""
    unsigned = replace(entry, sig="")
    sig = IDS[signer].sign(unsigned.signed_bytes())
    return replace(unsigned, sig=base64.b64encode(sig).decode("ascii"))


def refused_reason(log, entry, keys=keys_of):
    with pytest.raises(MembershipRefused) as refused:
        log.check(entry, keys)
    return refused.value.reason


@pytest.fixture
def shared():
    """A gezin of An shared with Bert (epoch 2), key of epoch 1 = An's case key."""
    log = Log.gezin(CASE, "an")
    case_key = os.urandom(32)
    entry, key2 = step(log, "add", "bert", "an", {1: case_key})
    return log, entry, {1: case_key, 2: key2}


# ---- the entry itself --------------------------------------------------------------------------


def test_entry_payload_is_canonical_and_round_trips(shared):
    _log, entry, _keys = shared
    payload = entry.payload()
    data = json.loads(payload)
    assert payload == json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    assert set(data) == {
        *("v", "case_id", "epoch", "prev", "action", "subject", "signer", "owner"),
        *("members", "at", "grants", "history", "sig"),
    }
    again = Entry.from_payload(payload)
    assert again == entry and again.digest() == entry.digest()
    assert entry.record_id() == f"{CASE}.m2"
    assert entry.meta() == {
        "epoch": 2,
        "action": "add",
        "subject": "bert",
        "owner": "an",
        "members": ["an", "bert"],
    }
    assert set(entry.grants) == {"an", "bert"} and set(entry.history) == {"bert"}


@pytest.mark.parametrize(
    "change",
    [
        {"v": 2},
        {"epoch": 0},
        {"epoch": "2"},
        {"epoch": True},
        {"prev": "abc"},
        {"action": "steal"},
        {"subject": "twee woorden"},
        {"members": ["bert", "an"]},  # not in canonical order
        {"members": ["an", "an"]},
        {"members": []},
        {"grants": {"an": 7}},
        {"history": []},
        {"sig": None},
        {"extra": 1},
    ],
)
def test_malformed_payloads_are_refused(shared, change):
    _log, entry, _keys = shared
    with pytest.raises(MembershipRefused) as refused:
        Entry.from_payload(json.dumps({**entry.to_data(), **change}).encode())
    assert refused.value.reason == "malformed"


@pytest.mark.parametrize("raw", [b"", b"\xff", b"[]", b"{}", b"null"])
def test_garbage_is_malformed(raw):
    with pytest.raises(MembershipRefused) as refused:
        Entry.from_payload(raw)
    assert refused.value.reason == "malformed"


# ---- a valid chain -----------------------------------------------------------------------------


def test_a_chain_of_add_remove_and_owner_folds(shared):
    log, e2, keys = shared
    log2 = log.accept(e2, keys_of)
    assert (log2.epoch, log2.members, log2.owner, log2.last) == (
        2,
        ("an", "bert"),
        "an",
        e2.digest(),
    )
    e3, keys[3] = step(log2, "add", "carla", "bert", {1: keys[1], 2: keys[2]})
    log3 = log2.accept(e3, keys_of)
    e4, keys[4] = step(log3, "owner", "bert", "an")
    log4 = log3.accept(e4, keys_of)
    assert log4.owner == "bert"
    e5, keys[5] = step(log4, "remove", "an", "carla")
    log5 = log4.accept(e5, keys_of)
    assert (log5.members, log5.owner, log5.epoch) == (("bert", "carla"), "bert", 5)
    # every phone folds the same chain, whatever order the records arrived in
    folded, refused = fold(CASE, "an", [e5, e3, e2, e4], keys_of)
    assert refused == [] and folded == log5
    # An opens 2..4 (epoch 1 is her own case key); Carla got 1..2 as history
    opened = {login: {} for login in LOGINS}
    for entry in (e2, e3, e4, e5):
        for login in LOGINS:
            opened[login].update(keys_in(entry, login, IDS[login]))
    assert opened["an"] == {e: keys[e] for e in (2, 3, 4)}
    assert opened["bert"] == keys
    assert opened["carla"] == keys
    assert opened["dirk"] == {}


def test_the_removed_member_cannot_open_the_new_epoch(shared):
    log, e2, keys = shared
    log2 = log.accept(e2, keys_of)
    e3, key3 = step(log2, "remove", "bert", "an")
    log2.accept(e3, keys_of)
    assert keys_in(e3, "bert", IDS["bert"]) == {}
    assert set(e3.grants) == {"an"}
    for login, blob in e3.grants.items():
        context = grant_context(CASE, 3, login)
        with pytest.raises(GrantRefused):
            unwrap(base64.b64decode(blob), IDS["bert"], context)
        with pytest.raises(GrantRefused):
            unwrap(base64.b64decode(blob), IDS["bert"], grant_context(CASE, 3, "bert"))
    assert keys_in(e3, "an", IDS["an"]) == {3: key3}


def test_a_grant_moved_to_another_person_or_epoch_does_not_open(shared):
    log, e2, _keys = shared
    # Bert's grant put under An's name (re-signed by a member): An cannot open it
    moved = resign(replace(e2, grants={"an": e2.grants["bert"], "bert": e2.grants["bert"]}), "an")
    log.check(moved, keys_of)  # structurally fine: the grant is simply not An's
    with pytest.raises(GrantRefused):
        keys_in(moved, "an", IDS["an"])
    later = replace(e2, epoch=3)
    with pytest.raises(GrantRefused):
        keys_in(later, "bert", IDS["bert"])


# ---- each tamper refused with its reason -------------------------------------------------------


def test_bad_signature(shared):
    log, e2, _ = shared
    assert refused_reason(log, replace(e2, at="2026-12-02T10:00:00+00:00")) == "signature"
    sig = bytearray(base64.b64decode(e2.sig))
    sig[0] ^= 1
    assert refused_reason(log, replace(e2, sig=base64.b64encode(sig).decode())) == "signature"
    assert refused_reason(log, replace(e2, sig="")) == "signature"
    assert refused_reason(log, replace(e2, sig="@@")) == "signature"
    # signed by Bert but naming An as the signer
    assert refused_reason(log, replace(resign(e2, "bert"), signer="an")) == "signature"


def test_wrong_epoch(shared):
    log, e2, _ = shared
    assert refused_reason(log, resign(replace(e2, epoch=3), "an")) == "epoch"
    assert refused_reason(log, resign(replace(e2, epoch=1), "an")) == "epoch"
    assert refused_reason(log.accept(e2, keys_of), e2) == "epoch"  # a replay


def test_wrong_prev(shared):
    log, e2, keys = shared
    assert refused_reason(log, resign(replace(e2, prev="0" * 64), "an")) == "prev"
    log2 = log.accept(e2, keys_of)
    e3, _ = step(log2, "add", "carla", "an", keys)
    assert refused_reason(log2, resign(replace(e3, prev=None), "an")) == "prev"


def test_signer_not_a_member(shared):
    log, e2, _ = shared
    assert refused_reason(log, resign(replace(e2, signer="bert"), "bert")) == "signer"
    log2 = log.accept(e2, keys_of)
    e3, _ = step(log2, "remove", "bert", "an")
    log3 = log2.accept(e3, keys_of)
    # Bert, removed, tries to add Dirk at the next epoch
    e4, _ = step(log2, "add", "dirk", "bert")
    forged = resign(replace(e4, epoch=4, prev=log3.last, members=("an", "dirk")), "bert")
    assert refused_reason(log3, forged) == "signer"


@pytest.mark.parametrize(
    "change",
    [
        {"members": ("an", "bert", "carla")},
        {"members": ("bert",)},
        {"owner": "bert"},
        {"action": "remove"},
        {"action": "owner"},
        {"action": "create"},
        {"subject": "carla"},
    ],
)
def test_members_not_matching_the_change(shared, change):
    log, e2, _ = shared
    assert refused_reason(log, resign(replace(e2, **change), "an")) == "members"


def test_grants_must_be_exactly_the_members(shared):
    log, e2, _ = shared
    missing = {k: v for k, v in e2.grants.items() if k != "bert"}
    assert refused_reason(log, resign(replace(e2, grants=missing), "an")) == "members"
    extra = {**e2.grants, "dirk": e2.grants["bert"]}
    assert refused_reason(log, resign(replace(e2, grants=extra), "an")) == "members"
    stray = {**e2.history, "dirk": e2.history["bert"]}
    assert refused_reason(log, resign(replace(e2, history=stray), "an")) == "members"


def test_a_substituted_signer_key_is_refused(shared):
    """The server hands this phone another key for An: had the worker verified it, the
    number would differ; the entry An really signed does not verify under it."""
    log, e2, _ = shared
    mallory = Identity.new()
    substituted = {**DIRECTORY, "an": mallory.public("an")}
    assert refused_reason(log, e2, substituted.get) == "signature"
    assert substituted["an"].number() != DIRECTORY["an"].number()
    # and the entry Mallory signs in An's name is refused by a phone that verified An
    forged = replace(e2, sig="")
    forged = replace(
        forged, sig=base64.b64encode(mallory.sign(forged.signed_bytes())).decode("ascii")
    )
    assert refused_reason(log, forged) == "signature"


def test_an_unverified_signer_is_held(shared):
    log, e2, _ = shared
    assert refused_reason(log, e2, lambda _login: None) == "unverified"


def test_entry_of_another_gezin(shared):
    log, e2, _ = shared
    other = Log.gezin("1c8e4d2f-0b66-4d68-9f1f-6c8f3e7e0b12", "an")
    assert refused_reason(other, e2) == "malformed"


def test_every_reason_has_its_own_dutch_sentence():
    sentences = {describe(MembershipRefused(r)) for r in MembershipRefused.REASONS}
    assert len(sentences) == len(MembershipRefused.REASONS)
    assert "veiligheidsnummer" in describe(MembershipRefused("unverified"))
    assert describe(MembershipRefused("members", mine=True)) != describe(
        MembershipRefused("members")
    )


# ---- making entries ----------------------------------------------------------------------------


def test_nonsense_changes_are_refused_when_made(shared):
    log, e2, keys = shared
    log2 = log.accept(e2, keys_of)
    for action, subject in (
        ("add", "bert"),
        ("remove", "carla"),
        ("owner", "an"),
        ("owner", "carla"),
        ("create", "an"),
        ("steal", "an"),
    ):
        with pytest.raises(MembershipRefused) as refused:
            step(log2, action, subject, "an", keys)
        assert refused.value.reason == "members", (action, subject)
        assert refused.value.details.get("mine")
    with pytest.raises(MembershipRefused) as refused:
        step(log, "remove", "an", "an")  # the last reader cannot leave
    assert refused.value.reason == "members"
    with pytest.raises(MembershipRefused) as refused:
        step(log2, "add", "dirk", "carla")  # not a member
    assert refused.value.reason == "signer"
    with pytest.raises(MembershipRefused) as refused:
        make_entry(log2, "add", "dirk", IDS["an"], "an", {"an": DIRECTORY["an"]}, bytes(32), {}, AT)
    assert refused.value.reason == "unverified"


def test_the_owner_leaving_hands_the_gezin_to_the_signer(shared):
    log, e2, keys = shared
    log2 = log.accept(e2, keys_of)
    e3, _ = step(log2, "add", "carla", "an", keys)
    log3 = log2.accept(e3, keys_of)
    e4, _ = step(log3, "remove", "an", "carla")
    assert log3.accept(e4, keys_of).owner == "carla"
    e4b, _ = step(log3, "remove", "an", "an")  # leaving yourself: the first remaining reader
    assert log3.accept(e4b, keys_of).owner == "bert"


# ---- fold --------------------------------------------------------------------------------------


def test_fold_stops_at_the_first_refused_entry(shared):
    log, e2, keys = shared
    log2 = log.accept(e2, keys_of)
    e3, _ = step(log2, "add", "carla", "an", keys)
    e3_bad = resign(replace(e3, members=("an", "bert", "carla", "dirk")), "an")
    log3 = log2.accept(e3, keys_of)
    e4, _ = step(log3, "remove", "bert", "carla")
    state, refused = fold(CASE, "an", [e2, e3_bad, e4], keys_of)
    assert state == log2
    assert [(e.epoch, r.reason) for e, r in refused] == [(3, "members")]
    # a valid entry of the same epoch next to the forged one is taken; the fold goes on
    for arrival in ([e4, e3_bad, e2, e3, e2], [e3, e2, e4, e3_bad]):
        state, refused = fold(CASE, "an", arrival, keys_of)
        assert state == log3.accept(e4, keys_of)
        assert [(e.epoch, r.reason) for e, r in refused] == [(3, "members")]
    # a gap: epoch 4 without 3
    state, refused = fold(CASE, "an", [e2, e4], keys_of)
    assert state == log2 and [(e.epoch, r.reason) for e, r in refused] == [(4, "epoch")]
    # an unverified signer holds everything after it
    only_an = {"an": DIRECTORY["an"]}
    state, refused = fold(CASE, "an", [e2, e3, e4], only_an.get)
    assert state == log3 and [(e.epoch, r.reason) for e, r in refused] == [(4, "unverified")]


def test_two_valid_entries_of_one_epoch_fold_alike_on_every_phone(shared):
    """Two phones raced (the server lets only one through); should both reach a phone,
    every phone takes the same one."""
    log, e2, keys = shared
    log2 = log.accept(e2, keys_of)
    by_an, _ = step(log2, "add", "carla", "an", keys)
    by_bert, _ = step(log2, "add", "dirk", "bert", keys)
    first, second = sorted((by_an, by_bert), key=Entry.digest)
    for arrival in ([e2, by_an, by_bert], [by_bert, e2, by_an]):
        state, refused = fold(CASE, "an", arrival, keys_of)
        assert state == log2.accept(first, keys_of)
        assert [(e, r.reason) for e, r in refused] == [(second, "epoch")]


def test_fold_of_nothing_is_the_start():
    assert fold(CASE, "an", [], keys_of) == (Log.gezin(CASE, "an"), [])
    assert fold(CASE, "an", [], keys_of, team=True) == (Log.team(CASE), [])


# ---- the team log ------------------------------------------------------------------------------


def test_team_log_starts_with_create_by_anyone():
    team = Log.team(CASE)
    e1, k1 = step(team, "create", "dirk", "dirk")
    assert (e1.epoch, e1.members, e1.owner, e1.prev) == (1, ("dirk",), "dirk", None)
    log1 = team.accept(e1, keys_of)
    assert keys_in(e1, "dirk", IDS["dirk"]) == {1: k1}
    e2, k2 = step(log1, "add", "an", "dirk", {1: k1})
    log2 = log1.accept(e2, keys_of)
    assert keys_in(e2, "an", IDS["an"]) == {1: k1, 2: k2}
    assert fold(CASE, "", [e2, e1], keys_of, team=True) == (log2, [])
    assert refused_reason(team, resign(replace(e1, members=("an", "dirk")), "dirk")) == "members"
    assert refused_reason(team, resign(replace(e1, subject="an"), "dirk")) == "members"
    assert refused_reason(team, resign(replace(e1, action="add"), "dirk")) == "signer"
    with pytest.raises(MembershipRefused):
        step(team, "add", "an", "dirk")
    with pytest.raises(MembershipRefused):
        step(log1, "create", "dirk", "dirk")


# ---- property: random histories ----------------------------------------------------------------

OPS = st.lists(
    st.tuples(
        st.sampled_from(("add", "remove", "owner")),
        st.sampled_from(LOGINS),
        st.integers(min_value=0, max_value=3),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(ops=OPS, order=st.randoms(use_true_random=False))
def test_random_histories_fold_alike_and_keys_reach_exactly_the_readers(ops, order):
    log = Log.gezin(CASE, "an")
    keys = {1: os.urandom(32)}
    readers = {1: {"an"}}
    entries = []
    for action, subject, who in ops:
        signer = log.members[who % len(log.members)]
        try:
            entry, key = step(log, action, subject, signer, dict(keys))
        except MembershipRefused as refused:
            assert refused.reason == "members"  # only nonsense changes are refused
            continue
        log = log.accept(entry, keys_of)
        keys[entry.epoch] = key
        readers[entry.epoch] = set(entry.members)
        entries.append(entry)
    # every replay, in any arrival order, folds to the same state
    shuffled = list(entries)
    order.shuffle(shuffled)
    assert fold(CASE, "an", shuffled, keys_of) == (log, [])
    assert fold(CASE, "an", entries, keys_of) == (log, [])
    # each login opens the epochs it read, and all earlier ones from the moment it was added
    for login in LOGINS:
        expected = {e for e, who in readers.items() if login in who and e > 1}
        for entry in entries:
            if entry.action == "add" and entry.subject == login:
                expected |= set(range(1, entry.epoch))
        opened = {}
        for entry in entries:
            opened.update(keys_in(entry, login, IDS[login]))
        assert opened == {e: keys[e] for e in expected}
    assert log.members == tuple(sorted(readers[log.epoch]))
    assert log.owner in log.members


def test_public_keys_of_the_directory_are_what_the_server_would_send():
    for login, keys in DIRECTORY.items():
        assert PublicKeys.from_wire(keys.to_wire()) == keys
        assert keys.login == login


def test_a_colleague_whose_keys_changed_is_held_not_refused(shared):
    """An signed with new keys (a reset account) that this phone has not compared yet: the
    entry waits ("unverified"); a signature that fits neither the verified nor the new
    keys is still refused."""
    log, e2, _ = shared
    new_an = Identity.new()
    signed_anew = replace(e2, sig="")
    signed_anew = replace(
        signed_anew,
        sig=base64.b64encode(new_an.sign(signed_anew.signed_bytes())).decode("ascii"),
    )
    claimed = {"an": new_an.public("an")}.get
    with pytest.raises(MembershipRefused) as held:
        log.check(signed_anew, keys_of, claimed_of=claimed)
    assert held.value.reason == "unverified"
    forged = resign(e2, "bert")
    with pytest.raises(MembershipRefused) as refused:
        log.check(forged, keys_of, claimed_of=claimed)
    assert refused.value.reason == "signature"


def test_entries_a_trusted_signature_covers_stand_without_their_signer_s_keys(shared):
    """A phone that cannot check An's old signatures (An started over; or this is An's own
    new phone) still folds the log when a member it trusts signed an entry built on them;
    without such a later entry An's entry waits."""
    log, e2, keys = shared
    log2 = log.accept(e2, keys_of)
    e3, _ = step(log2, "add", "carla", "bert", keys)
    without_an = {login: DIRECTORY[login] for login in ("bert", "carla")}.get
    folded, refused = fold(CASE, "an", [e2, e3], without_an)
    assert folded.epoch == 3 and folded.members == ("an", "bert", "carla") and refused == []
    folded, refused = fold(CASE, "an", [e2], without_an)
    assert folded.epoch == 1 and [why.reason for _e, why in refused] == ["unverified"]
    # A covering signature vouches for the signer's keys only, never for the change itself.
    bad = resign(replace(e2, members=("an", "bert", "dirk")), "an")
    e3_on_bad = resign(replace(e3, prev=bad.digest()), "bert")
    folded, refused = fold(CASE, "an", [bad, e3_on_bad], without_an)
    assert folded.epoch == 1 and refused[0][1].reason == "members"
