"""Every registered kind of record goes through the same life on two phones of one worker:
create, edit apart, merge (metadata recomputed), a conflict shown and settled both ways,
present in the export, erased with its gezin. A kind added to app/core/kinds.py without
a scenario here or a merge rule for each field fails (its codes in the privacy notices:
tests/test_docs.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from app.core import checklist, kinds, records
from app.core.vocabulary import names, vocabulary
from app.services import Services, enroll
from app.sync.merge import merge
from sync_server.models import Fact, Record
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.server_process import ServerProcess

RIGHT = "verhoogde_tegemoetkoming"


@dataclass(frozen=True)
class Scenario:
    """How a worker makes and changes one record of a kind, through the facade."""

    create: Callable[[Services, str], str]  # (app, gezin) → record id
    apart: tuple[Callable[[Services, str, str], None], Callable[[Services, str, str], None]]
    field: str  # the field both phones change differently
    clash: Callable[[Services, str, str, str], None]  # (app, gezin, record id, value)
    read: Callable[[Services, str, str], Any]  # the clashing field's value now


def _profile(app: Services, case_id: str, **answers: Any) -> None:
    current = app.rights_profile(case_id)
    app.save_rights_profile(case_id, {**current["profile"], **answers}, current["skipped"])


def _check(app: Services, case_id: str) -> checklist.RightCheck:
    [found] = [c for c in app.right_checks(case_id) if c.right == RIGHT]
    return found


def _snapshot(app: Services, case_id: str, rid: str) -> Any:
    [found] = [s for s in app.snapshots(case_id) if s.id == rid]
    return found


SCENARIOS: dict[str, Scenario] = {
    "case": Scenario(
        create=lambda app, case_id: case_id,
        apart=(
            lambda app, c, _r: app.edit_case(c, strengths=["veerkrachtig"]),
            lambda app, c, _r: app.set_phase(c, "uitvoering"),  # sent in clear
        ),
        field="name",
        clash=lambda app, c, _r, value: app.edit_case(c, name=value),
        read=lambda app, c, _r: app.case(c).name,
    ),
    "note": Scenario(
        create=lambda app, c: app.add_note(c, "eerste gesprek"),
        apart=(
            lambda app, _c, r: app.edit_note(r, follow_up={"what": "bellen"}),
            lambda app, _c, r: app.edit_note(r, domains=["wonen"], setting="huisbezoek"),
        ),
        field="text",
        clash=lambda app, _c, r, value: app.edit_note(r, text=value),
        read=lambda app, _c, r: app.note(r).text,
    ),
    "right_check": Scenario(
        create=lambda app, c: (
            app.set_right(c, RIGHT, status="mogelijk"),
            checklist.check_id(c, RIGHT),
        )[1],
        apart=(
            lambda app, c, _r: app.set_right(c, RIGHT, who="Jan"),
            lambda app, c, _r: app.set_right(c, RIGHT, status="aangevraagd"),
        ),
        field="note",
        clash=lambda app, c, _r, value: app.set_right(c, RIGHT, note=value),
        read=lambda app, c, _r: _check(app, c).note,
    ),
    "rights_profile": Scenario(
        create=lambda app, c: (_profile(app, c, adults=1), checklist.profile_id(c))[1],
        apart=(
            lambda app, c, _r: _profile(app, c, pregnant=True),
            lambda app, c, _r: _profile(app, c, debts=True),
        ),
        field="profile.adults",
        clash=lambda app, c, _r, value: _profile(app, c, adults=len(value)),
        read=lambda app, c, _r: app.rights_profile(c)["profile"]["adults"],
    ),
    "network_node": Scenario(
        create=lambda app, c: app.add_person(c, "Tante Rita", sector="familie"),
        apart=(
            lambda app, _c, r: app.update_person(r, note="komt op woensdag"),
            lambda app, _c, r: app.update_person(r, ring=1, sector="informeel"),
        ),
        field="name",
        clash=lambda app, _c, r, value: app.update_person(r, name=value),
        read=lambda app, _c, r: app.person(r).name,
    ),
    "network_snapshot": Scenario(
        create=lambda app, c: (
            app.add_person(c, "Juf Sarah", sector="school_werk"),
            app.snapshot(c, "intake", day="2026-01-05"),
        )[1],
        apart=(
            lambda app, _c, r: app.edit_snapshot(r, label="bij de start"),
            lambda app, _c, r: app.edit_snapshot(r, day="2026-01-06"),
        ),
        field="label",
        clash=lambda app, _c, r, value: app.edit_snapshot(r, label=value),
        read=lambda app, c, r: _snapshot(app, c, r).label,
    ),
}

# The clashing values typed on each phone; their lengths differ (the profile's answer is one).
VALUES = {"a": ("Versie A", "Versie CCC"), "b": ("Versie BB", "Versie DDDD")}

_logins = itertools.count()


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("kinds-server")
    proc = ServerProcess(f"sqlite:///{root / 'd.db'}", root / "log").start()
    yield proc
    proc.stop()
    proc.db.dispose()


def _phones(server: ServerProcess, tmp_path) -> tuple[Services, Services]:
    login = f"kinds{next(_logins)}"
    a = enroll(tmp_path / "a", PASSPHRASE, server.url, server.user(login), kdf=FAST_KDF)
    b = enroll(tmp_path / "b", PASSPHRASE, server.url, server.code(login), kdf=FAST_KDF)
    return a, b


def _expected(scenario: Scenario, value: str) -> Any:
    return len(value) if scenario.field == "profile.adults" else value


def _consistent(app: Services, kind: kinds.Kind, rid: str) -> None:
    """The codes the record sends in clear are the ones its content gives."""
    record = app.vault.get(kind.name, rid)
    assert record is not None
    assert record.meta == kind.codes_of(record.id, record.case_id, record.data)


def test_every_kind_has_a_scenario_and_a_rule_for_every_field():
    assert set(SCENARIOS) == {k.name for k in kinds.editable()}
    for kind in kinds.ALL:
        assert 0 < len(kind.name) <= kinds.MAX_NAME and kind.label
        if kind.load is None:  # kept by the vault or the team layer: nothing to export or show
            # (a decision two phones of one worker made differently: the later one, silently)
            assert kind.export is None
            assert all(f.rule is kinds.Rule.LAST_WRITER for f in kind.fields.values())
            # only a signed membership entry sends codes (its own, never client content)
            assert kind.codes == {} or kind.scope == kinds.SIGNED
            continue
        assert kind.export, f"{kind.name} is missing from the gezin's export"
        assert kind.with_case, f"{kind.name} must be erased with its gezin"
        for name, field in kind.fields.items():
            if field.codes is not None:  # shown by their labels on the conflict screen
                assert field.codes in names(), f"{kind.name}.{name}: no such vocabulary"
            if field.keys not in (None, "questions"):
                assert field.keys in names(), f"{kind.name}.{name}: no such vocabulary"
    housing = vocabulary("domain").label("wonen")
    assert kinds.field_label("case", "needs.wonen") == f"Noden ({housing})"
    assert kinds.field_label("rights_profile", "profile.income") == (
        "Screeningsantwoord (Waar komt het inkomen vandaan?)"
    )
    granted = vocabulary("right_status").label("toegekend")
    assert kinds.shown_value("right_check", "status", "toegekend") == granted
    assert kinds.shown_value("note", "domains", ["wonen", "werk"]) == ", ".join(
        vocabulary("domain").label(code) for code in ("wonen", "werk")
    )


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_field_of_every_kind_has_a_merge_rule(name, app):
    kind = kinds.of(name)
    case_id = app.add_case("Gezin Velden (fictief)")
    record = app.vault.get(name, SCENARIOS[name].create(app, case_id))
    assert record is not None
    assert kinds.undeclared(kind, record.data) == [], f"add these to {name} in app/core/kinds.py"
    model = kind.model(record.id, record.case_id, record.data)
    assert model.to_data() == record.data  # the model converts both ways
    assert record.meta == kind.meta(model)


def test_the_server_columns_hold_every_kind_and_count_what_the_registry_says():
    from sync_server.dashboard import facts
    from sync_server.models import Fact as FactRow
    from sync_server.models import Record as RecordRow

    assert RecordRow.__table__.c.kind.type.length == kinds.MAX_NAME
    assert FactRow.__table__.c.kind.type.length == kinds.MAX_NAME
    keys_and_sharing = {"case_key", "membership", "identity", "colleague", "team_setting"}
    assert {"rights_profile", "network_node", *keys_and_sharing} == facts.SKIPPED


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_kind_lives_through_two_phones(name, sqlite_server, tmp_path):
    kind, scenario = kinds.of(name), SCENARIOS[name]
    a, b = _phones(sqlite_server, tmp_path)
    case_id = a.add_case("Gezin Soorten (fictief)")
    rid = scenario.create(a, case_id)
    record = a.vault.get(name, rid)
    assert record is not None
    assert not kinds.undeclared(kind, record.data), "every field needs a merge rule"
    _consistent(a, kind, rid)
    a.sync(), b.sync()
    assert b.vault.get(name, rid) is not None

    # edited apart on both phones (b's edit changes what is sent in clear): merged, and the
    # metadata follows the merged content on both phones and on the server
    scenario.apart[0](a, case_id, rid)
    scenario.apart[1](b, case_id, rid)
    a.sync(), b.sync(), a.sync()
    assert a.conflicts() == [] and b.conflicts() == []
    assert a.vault.get(name, rid).data == b.vault.get(name, rid).data
    mine = b.vault.get(name, rid)
    for app in (a, b):
        _consistent(app, kind, rid)
    with sqlite_server.db.transaction() as session:
        stored = session.get(Record, rid)
        assert stored is not None and stored.meta == mine.meta
        fact = session.get(Fact, rid)
        assert fact is None or fact.meta == mine.meta

    # the same field changed differently: shown in Dutch on the phone that merged, and
    # settled "mijn versie" (round 1) and "andere versie" (round 2), each taking effect
    for round_, keep_mine in enumerate((True, False)):
        theirs, ours = VALUES["a"][round_], VALUES["b"][round_]
        scenario.clash(a, case_id, rid, theirs)
        scenario.clash(b, case_id, rid, ours)
        a.sync(), b.sync()
        [conflict] = b.conflicts()
        info = conflict.data
        assert (info["record_kind"], info["record_id"], info["field"]) == (
            name,
            rid,
            scenario.field,
        )
        assert (info["local"], info["remote"]) == (
            _expected(scenario, ours),
            _expected(scenario, theirs),
        )
        label = kinds.field_label(name, info["field"])
        assert not label.startswith("Het veld"), f"no Dutch name for {name}.{info['field']}"
        assert "{" not in kinds.shown(info["local"]) + kinds.shown(info["remote"])
        b.resolve_conflict(conflict.id, keep_mine=keep_mine)
        kept = _expected(scenario, ours if keep_mine else theirs)
        assert b.conflicts() == [] and scenario.read(b, case_id, rid) == kept
        b.sync(), a.sync()
        assert scenario.read(a, case_id, rid) == kept and a.conflicts() == []
        for app in (a, b):
            _consistent(app, kind, rid)

    # the gezin's whole file holds it, with its fields
    exported = a.export_case(case_id)[kind.export]
    items = [exported] if kind.single else exported
    [item] = [i for i in items if i["id"] == rid]
    assert set(record.data) <= set(item)
    # and in its timeline when the kind says it shows there, not when it says it does not
    assert (rid in {e.ref for e in a.timeline(case_id)}) == kind.timeline

    # erased with its gezin, on both phones
    a.delete_case(case_id)
    a.sync(), b.sync()
    assert a.vault.get(name, rid) is None and b.vault.get(name, rid) is None
    a.close(), b.close()


# ---- the three kinds a kind-by-name switch had missed -------------------------------------


def test_a_right_status_merged_from_two_phones_is_the_status_sent_in_clear(sqlite_server, tmp_path):
    a, b = _phones(sqlite_server, tmp_path)
    case_id = a.add_case("Gezin Recht (fictief)")
    a.set_right(case_id, RIGHT, status="mogelijk")
    a.sync(), b.sync()
    a.set_right(case_id, RIGHT, who="Jan")
    b.set_right(case_id, RIGHT, status="toegekend")
    a.sync(), b.sync(), a.sync()
    rid = checklist.check_id(case_id, RIGHT)
    for app in (a, b):
        assert _check(app, case_id).status == "toegekend"
        assert app.vault.get("right_check", rid).meta == {"right": RIGHT, "status": "toegekend"}
    with sqlite_server.db.transaction() as session:
        assert session.get(Fact, rid).status == "toegekend"  # the supervisor's figures
    a.close(), b.close()


def test_keeping_my_version_of_a_right_takes_effect(app):
    case_id = app.add_case("Gezin Conflict (fictief)")
    app.set_right(case_id, RIGHT, status="aangevraagd", note="van de andere gsm")
    rid = checklist.check_id(case_id, RIGHT)
    info = {
        "record_id": rid,
        "record_kind": "right_check",
        "field": "note",
        "local": "hier getypt",
        "remote": "van de andere gsm",
        "at": "2026-11-30T10:00:00+00:00",
    }
    conflict = records.create("conflict", case_id, info, {}, app.device_id, app.vault.tick())
    app.vault.put(conflict)
    app.resolve_conflict(conflict.id, keep_mine=True)
    assert _check(app, case_id).note == "hier getypt" and app.conflicts() == []
    assert app.vault.get("right_check", rid).meta["status"] == "aangevraagd"


def test_a_rights_history_changed_on_two_phones_merges_as_a_history():
    base = checklist.update(checklist.RightCheck("r", "c", RIGHT), "2026-11-01T09:00:00+00:00")
    mine = checklist.update(base, "2026-11-02T09:00:00+00:00", status="besproken")
    theirs = checklist.update(base, "2026-11-03T09:00:00+00:00", status="aangevraagd")

    def stored(check: checklist.RightCheck) -> dict:
        return {"deleted": False, "data": check.to_data()}

    merged = merge(stored(base), stored(mine), stored(theirs), "right_check")
    # the history holds both changes; the status itself is the worker's to settle, in words
    assert merged.conflicts == [("status", "besproken", "aangevraagd")]
    assert [h["status"] for h in merged.data["history"]] == [
        "niet_bekeken",
        "besproken",
        "aangevraagd",
    ]
    assert merged.data["status"] == "aangevraagd"  # the other device's, until settled
    assert kinds.field_label("right_check", "status") == "De status van het recht"
    settled = kinds.with_value(
        kinds.of("right_check"), merged.data, "status", "besproken", "2026-11-04T09:00:00+00:00"
    )
    assert settled["status"] == "besproken" and settled["history"][-1]["status"] == "besproken"


def test_the_export_holds_the_checklist_and_the_screening_answers(app):
    case_id = app.add_case("Gezin Export (fictief)")
    app.set_right(case_id, RIGHT, status="toegekend")
    app.save_rights_profile(case_id, {"adults": 2, "income": "leefloon"}, ["debts"])
    exported = app.export_case(case_id)
    assert [(c["right"], c["status"]) for c in exported["right_checks"]] == [(RIGHT, "toegekend")]
    assert exported["rights_profile"]["profile"] == {"adults": 2, "income": "leefloon"}
    assert list(exported["rights_profile"]["skipped"]) == ["debts"]


def test_each_merge_rule_does_what_it_says():
    from app.core.kinds import Rule
    from app.sync.merge import _merge_fields

    base = {"k": "a", "u": ["x"], "s": ["x", "y"], "h": [{"at": "1"}], "d": 1, "w": "a"}
    mine = {"k": "b", "u": ["x", "m"], "s": ["y", "m"], "h": [{"at": "1"}, {"at": "3"}], "d": 2}
    theirs = {"k": "c", "u": ["x", "t"], "s": ["x", "t"], "h": [{"at": "1"}, {"at": "2"}], "d": 3}
    mine["w"], theirs["w"] = "mijn", "hun"
    rules = {"k": Rule.KEEP_BOTH, "u": Rule.UNION, "s": Rule.SET, "h": Rule.HISTORY}
    rules |= {"d": Rule.DERIVED, "w": Rule.LAST_WRITER}
    for later, winner in ((True, "mijn"), (False, "hun")):
        merged = _merge_fields(base, mine, theirs, rules.__getitem__, later)
        assert merged.conflicts == [("k", "b", "c")] and merged.data["k"] == "c"
        assert merged.data["u"] == ["x", "t", "m"]
        assert sorted(merged.data["s"]) == ["m", "t"]
        assert merged.data["h"] == [{"at": "1"}, {"at": "2"}, {"at": "3"}]
        assert merged.data["d"] == 3 and merged.data["w"] == winner


def test_the_server_reads_the_registry_without_the_phone_app():
    import subprocess
    import sys

    from tests.conftest import REPO

    code = (
        "import sys, sync_server.api; "
        "print(sorted(m for m in sys.modules if m.startswith(('app.ui', 'app.vault', "
        "'app.services', 'flet'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
