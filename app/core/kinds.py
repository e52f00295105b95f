"""Every kind of record in one place: its model, the codes it sends in clear, its key,
how it merges, whether it goes with its gezin, where it appears, and its Dutch name.

The sync protocol, the engine's metadata, the merge, deleting a gezin, the export, the
conflict screen and the server's validation all read this table; none of them switches
on a kind's name. Adding a kind is one entry here (docs/adding-a-record-kind.md).
Pure Python, no I/O: the server imports it (through app/sync/protocol.py) as well.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.core import cases, checklist, network, network_snapshot, notes
from app.core.rights import catalogue, questions
from app.core.vocabulary import vocabulary

# Key scopes: sealed under the worker's own key, or under the gezin's case key (team data
# sits in the team's own gezin-like log, docs/sharing.md). A membership entry is signed,
# not sealed: it holds logins and wrapped keys, never client content.
USER = "user"
CASE = "case"
SIGNED = "signed"
SCOPES = (USER, CASE, SIGNED)
MAX_NAME = 32  # the server's kind columns are this wide (sync_server/models.py)


class Rule(StrEnum):
    """How a field changed differently on two devices since their common base is merged.
    A field changed on one side only always takes that side."""

    KEEP_BOTH = "keep_both"  # the other device's value wins; ours is kept as a conflict
    UNION = "union"  # lists: everything either side has, the other device's order first
    SET = "set"  # three-way: what either side added, minus what either side removed
    HISTORY = "history"  # dated entries of both sides, in time order, each once
    MAP = "map"  # an object merged key by key (each key keep-both)
    DERIVED = "derived"  # follows other fields (`settle`): never a conflict
    LAST_WRITER = "last_writer"  # the edit with the later clock stamp wins, no conflict


@dataclass(frozen=True)
class Field:
    rule: Rule
    label: str  # Dutch, for the conflict screen
    codes: str | None = None  # the vocabulary its codes come from (shown by their labels)
    keys: str | None = None  # a map's keys: a vocabulary, or "questions" (the screening's)


@dataclass(frozen=True)
class Code:
    """A metadata code sent in clear. `source`: a vocabulary name, "day", "bool", "scale"
    (0..10), "right_id", "counts:<vocabulary>", "login" (an account) or "epoch" (a key
    epoch, 1 up); `nl`: how the notice in
    assets/privacy_nl.md names it (a test holds the notice to it)."""

    source: str
    nl: str
    many: bool = False


Model = Any  # a frozen dataclass of app/core with to_data()


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # Dutch, singular ("Geen {label} gevonden")
    codes: dict[str, Code]  # the metadata it sends in clear, and nothing else
    fields: dict[str, Field]  # every field of its data, with its merge rule
    load: Callable[[str, str | None, dict[str, Any]], Model] | None  # None: kept by the vault
    meta: Callable[[Model], dict[str, Any]] = lambda _model: {}
    scope: str = CASE
    private: Callable[[dict[str, Any]], bool] = lambda _data: False  # sealed under USER
    settle: Callable[[dict[str, Any]], None] | None = None  # derived fields after a merge
    settled: Callable[[dict[str, Any], str, str], None] | None = None  # after a conflict
    with_case: bool = True  # erased together with its gezin
    export: str | None = None  # its section in the gezin's export
    single: bool = False  # one per gezin (a section holding one object, not a list)
    order: Callable[[list[Model]], list[Model]] = list  # its order in the export
    timeline: bool = False  # shows up in the gezin's timeline
    counted: bool = True  # the supervisor view keeps a fact of it (sync_server/dashboard)
    notice: str = ""  # the bullet of assets/privacy_nl.md that names its codes

    def rule(self, name: str) -> Rule:
        found = self.fields.get(name)
        return found.rule if found else Rule.KEEP_BOTH

    def model(self, record_id: str, case_id: str | None, data: dict[str, Any]) -> Model:
        if self.load is None:
            raise TypeError(f"{self.name} has no model")
        return self.load(record_id, case_id, data)

    def codes_of(self, record_id: str, case_id: str | None, data: dict[str, Any]) -> dict:
        """The metadata for this content, computed with the kind's own rules."""
        return self.meta(self.model(record_id, case_id, data))


def _settle_case(data: dict[str, Any]) -> None:
    """A gezin's current phase and status are the newest entries of their histories."""
    if data.get("phase_history"):
        data["phase"] = data["phase_history"][-1]["code"]
    if data.get("status_history"):
        last = data["status_history"][-1]
        data["status"], data["revisit"] = last["code"], last.get("revisit")


def _settled_right(data: dict[str, Any], path: str, at: str) -> None:
    """A right's status settled by the worker becomes the newest entry of its history
    (which holds both devices' changes since the merge)."""
    history = data.setdefault("history", [])
    if path == "status" and (not history or history[-1]["status"] != data["status"]):
        history.append({"status": data["status"], "at": at})


def _catalogue_order(checks: list[checklist.RightCheck]) -> list[checklist.RightCheck]:
    order = {r["id"]: i for i, r in enumerate(catalogue()["rights"])}
    return sorted(checks, key=lambda c: (order.get(c.right, len(order)), c.right))


K, U, S, H, M, D = (Rule.KEEP_BOTH, Rule.UNION, Rule.SET, Rule.HISTORY, Rule.MAP, Rule.DERIVED)

CASE_KIND = Kind(
    name=cases.KIND,
    label="gezin",
    codes={
        "phase": Code("phase", "de fase van de begeleiding"),
        "status": Code("case_status", "de status"),
        "opened": Code("day", "de dag waarop het gezin werd toegevoegd"),
        "closed": Code("day", "de dag van afsluiten"),
    },
    fields={
        "name": Field(K, "De naam"),
        "pseudonym": Field(K, "Pseudoniem"),
        "placeholder": Field(K, "Voorlopige naam"),
        "members": Field(U, "Gezinsleden"),
        "reach": Field(U, "Bereikbaarheid"),
        "met_where": Field(K, "Waar ontmoet", "setting"),
        "phase": Field(D, "De fase"),
        "phase_history": Field(H, "Verloop van de fasen"),
        "status": Field(D, "De status"),
        "revisit": Field(D, "De datum om terug op te nemen"),
        "status_history": Field(H, "Verloop van de status"),
        "strengths": Field(U, "Krachten"),
        "needs": Field(M, "Noden", keys="domain"),
        "created_at": Field(K, "Aangemaakt op"),
        "merged": Field(H, "Samengevoegde gezinnen"),
        "best_moment": Field(K, "Best bereikbaar"),
        "referred_by": Field(K, "Aangemeld door", "referrer"),
    },
    load=lambda rid, _case, data: cases.Case.from_data(rid, data),
    meta=cases.case_meta,
    settle=_settle_case,
    export="case",
    single=True,
    timeline=True,
    notice="bij een gezin",
)

NOTE_KIND = Kind(
    name=notes.KIND,
    label="notitie",
    codes={
        "day": Code("day", "de dag"),
        "contact": Code("contact", "de soort contact"),
        "domains": Code("domain", "de levensdomeinen", many=True),
        "barriers": Code("barrier", "de drempels", many=True),
        "setting": Code("setting", "de plaats"),
        "attempt_reason": Code("attempt_reason", "de reden van een mislukte"),
        "check_in": Code("bool", "of het een check-in was"),
        "draagkracht": Code("scale", "draagkracht"),
        "draaglast": Code("scale", "draaglast"),
    },
    fields={
        "text": Field(K, "De tekst van de notitie"),
        "created_at": Field(K, "Geschreven op"),
        "domains": Field(U, "Levensdomeinen", "domain"),
        "setting": Field(K, "De setting", "setting"),
        "contact": Field(K, "Het soort contact", "contact"),
        "attempt_reason": Field(K, "De reden van de poging", "attempt_reason"),
        "follow_up": Field(M, "De opvolging"),
        "visibility": Field(K, "De zichtbaarheid", "visibility"),
        "client_may_see": Field(K, "Mag de cliënt zien"),
        "barriers": Field(U, "Drempels", "barrier"),
        "check_in": Field(M, "De check-in"),
        "by": Field(K, "Geschreven door"),
    },
    load=notes.Note.from_data,
    meta=notes.note_meta,
    private=lambda data: data.get("visibility") == "memo",
    export="notes",
    order=lambda found: sorted(found, key=lambda n: (n.created_at, n.id), reverse=True),
    timeline=True,
    notice="bij een notitie",
)


def _kept(name: str, label: str, scope: str = USER) -> Kind:
    """A kind the vault or the team layer keeps itself: no model to edit, no codes in clear,
    not erased with a gezin (without its records it opens nothing), never counted."""
    return Kind(name, label, {}, {}, load=None, scope=scope, with_case=False, counted=False)


# The gezin's case key of epoch 1, written and read by the vault (app/vault/store.py).
CASE_KEY_KIND = _kept("case_key", "gezinssleutel")

MEMBERSHIP_KIND = Kind(
    name="membership",
    label="deelwijziging",
    codes={
        "epoch": Code("epoch", "het volgnummer van de sleutel"),
        "action": Code("membership_action", "of iemand erbij kwam, wegging of het gezin overnam"),
        "subject": Code("login", "wie erbij kwam of wegging"),
        "owner": Code("login", "wie het gezin beheert"),
        "members": Code("login", "wie het gezin kan lezen", many=True),
    },
    fields={},
    load=None,  # a signed entry of the gezin's membership log (app/team), never edited
    scope=SIGNED,
    with_case=False,  # the log stays: it is how every member's phone knows the keys
    counted=False,
    notice="bij een gedeeld gezin",
)

# The account's X25519 and Ed25519 private keys, for its own phones only (docs/sharing.md).
IDENTITY_KIND = _kept("identity", "sleutelpaar")
# Whom this worker verified (the digits) and who is their duo partner. Two phones of the
# worker deciding differently: the later decision stands (nothing to show as a conflict).
_LATER = Rule.LAST_WRITER
COLLEAGUE_KIND = Kind(
    "colleague",
    "collega",
    {},
    {
        "v": Field(_LATER, "Versie"),
        "login": Field(_LATER, "Login"),
        "verified": Field(_LATER, "Geverifieerd veiligheidsnummer"),
        "duo": Field(_LATER, "Duopartner"),
        "later": Field(_LATER, "Later verifiëren"),
    },
    load=None,
    scope=USER,
    with_case=False,
    counted=False,
)
# A setting of the team, sealed under the team key: a record of the team's own log.
TEAM_SETTING_KIND = _kept("team_setting", "teaminstelling", scope=CASE)

RIGHT_CHECK_KIND = Kind(
    name=checklist.KIND,
    label="recht op de checklist",
    codes={
        "right": Code("right_id", "welk recht op de checklist staat"),
        "status": Code("right_status", "hoe ver het is"),
    },
    fields={
        "right": Field(K, "Het recht"),
        "status": Field(K, "De status van het recht", "right_status"),
        "non_take_up": Field(K, "De reden van niet-opname", "non_take_up"),
        "who": Field(K, "Wie doet wat"),
        "follow_up": Field(K, "De datum van de volgende stap"),
        "deadline": Field(K, "De uiterste datum"),
        "note": Field(K, "De notitie bij het recht"),
        "history": Field(H, "Verloop van de status"),
        "support_mode": Field(K, "Wie doet het (zelf, samen, overnemen)", "support_mode"),
    },
    load=lambda rid, case_id, data: checklist.RightCheck.from_data(rid, case_id or "", data),
    meta=checklist.check_meta,
    settled=_settled_right,
    export="right_checks",
    order=_catalogue_order,
    notice="bij de rechtenverkenner",
)

RIGHTS_PROFILE_KIND = Kind(
    name=checklist.PROFILE_KIND,
    label="screening",
    codes={},  # the screening answers: payload only, never a code outside
    fields={
        "profile": Field(M, "Screeningsantwoord", keys="questions"),
        "skipped": Field(U, "Overgeslagen vragen"),
    },
    load=lambda rid, case_id, data: checklist.ScreeningAnswers.from_data(rid, case_id or "", data),
    export="rights_profile",
    single=True,
    counted=False,  # nothing in clear to count
)

NETWORK_NODE_KIND = Kind(
    name=network.KIND,
    label="persoon op de netwerkkaart",
    codes={
        "sector": Code("sector", "de sector"),
        "ring": Code("ring", "de ring"),
    },
    fields={
        "name": Field(K, "De naam"),
        "sector": Field(K, "De sector", "sector"),
        "ring": Field(K, "De ring"),
        "tie": Field(K, "De band", "tie"),
        "supports": Field(S, "De steun", "support"),
        "roles": Field(S, "De rollen", "role"),
        "note": Field(K, "De notitie"),
        "organisation": Field(K, "Organisatie of dienst"),
        "social_map_id": Field(K, "Dienst op de sociale kaart"),
        "created_at": Field(K, "Toegevoegd op"),
        "client_helps": Field(K, "Cliënt helpt deze persoon"),
        "not_shared": Field(K, "Niet delen"),
    },
    load=lambda rid, case_id, data: network.Node.from_data(rid, case_id or "", data),
    meta=network.node_meta,
    counted=False,  # its dated snapshots are counted
    export="network",
    order=network.ordered,
    notice="bij de netwerkkaart",
)

NETWORK_SNAPSHOT_KIND = Kind(
    name=network_snapshot.KIND,
    label="momentopname",
    codes={
        "day": Code("day", "bij een momentopname de dag"),
        "by_sector": Code("counts:sector", "hoeveel mensen er per sector"),
        "by_ring": Code("counts:ring", "per ring op staan"),
    },
    fields={
        "day": Field(K, "De datum"),
        "label": Field(K, "De naam van de momentopname"),
        "created_at": Field(K, "Gemaakt op"),
        "nodes": Field(K, "De mensen op de momentopname"),
    },
    load=lambda rid, case_id, data: network_snapshot.Snapshot.from_data(rid, case_id or "", data),
    meta=network_snapshot.snapshot_meta,
    export="network_snapshots",
    order=lambda found: sorted(found, key=lambda s: (s.day, s.created_at, s.id)),
    notice="bij de netwerkkaart",
)

# The order is the wire protocol's (error messages list it) and the export's.
ALL: tuple[Kind, ...] = (
    CASE_KIND,
    NOTE_KIND,
    CASE_KEY_KIND,
    RIGHT_CHECK_KIND,
    RIGHTS_PROFILE_KIND,
    NETWORK_NODE_KIND,
    NETWORK_SNAPSHOT_KIND,
    MEMBERSHIP_KIND,
    IDENTITY_KIND,
    COLLEAGUE_KIND,
    TEAM_SETTING_KIND,
)
BY_NAME: dict[str, Kind] = {k.name: k for k in ALL}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def get(name: str) -> Kind | None:
    return BY_NAME.get(name)


def kind_label(name: str) -> str:
    """A kind's Dutch name ("notitie"); an unknown one by its code."""
    found = BY_NAME.get(name)
    return found.label if found else name


def of(name: str) -> Kind:
    """The kind called `name`; a KeyError names a kind that was never registered."""
    return BY_NAME[name]


def editable() -> tuple[Kind, ...]:
    """The kinds a worker creates and edits (every kind but the vault's own keys)."""
    return tuple(k for k in ALL if k.load is not None)


def scope_of(name: str, case_id: str | None, data: dict[str, Any]) -> str:
    """Which key seals a record: signalen without a gezin, personal memos and the kinds of
    user scope use the worker's own key; a membership entry is signed, not sealed; the
    rest the gezin's case key."""
    kind = BY_NAME.get(name)
    if kind is not None and kind.scope == SIGNED:
        return SIGNED
    if case_id is None or (kind is not None and (kind.scope == USER or kind.private(data))):
        return USER
    return CASE


# ---- conflicts: written back, and shown in Dutch ---------------------------------------------


def with_value(kind: Kind, data: dict[str, Any], path: str, value: Any, at: str) -> dict[str, Any]:
    """`data` with the value at `path` ("text", "needs.wonen") replaced and derived fields
    settled: what settling a conflict writes back (`at`: now)."""
    out = copy.deepcopy(data)
    *parents, last = path.split(".")
    target = out
    for name in parents:
        if not isinstance(target.get(name), dict):
            target[name] = {}
        target = target[name]
    target[last] = copy.deepcopy(value)
    if kind.settle is not None:
        kind.settle(out)
    if kind.settled is not None:
        kind.settled(out, path, at)
    return out


def field_label(kind_name: str, path: str) -> str:
    """The Dutch name of a field that is in conflict: "Noden (wonen)" for "needs.wonen"."""
    kind = BY_NAME.get(kind_name)
    top, _, inner = path.partition(".")
    found = kind.fields.get(top) if kind else None
    label = found.label if found else f"Het veld '{top}'"
    if inner and found is not None and found.keys == "questions":
        asked = {q["field"]: q["label"] for q in questions()}
        inner = asked.get(inner, inner)
    elif inner and found is not None and found.keys is not None:
        inner = {t.code: t.label for t in vocabulary(found.keys).terms}.get(inner, inner)
    return f"{label} ({inner})" if inner else label


def shown_value(kind_name: str, path: str, value: Any) -> str:
    """A value of a conflict as the worker reads it: codes by their Dutch labels."""
    kind = BY_NAME.get(kind_name)
    found = kind.fields.get(path) if kind else None
    if found is not None and found.codes is not None:
        terms = {t.code: t.label for t in vocabulary(found.codes).terms}
        if isinstance(value, str):
            value = terms.get(value, value)
        elif isinstance(value, list):
            value = [terms.get(v, v) if isinstance(v, str) else v for v in value]
    return shown(value)


def shown(value: Any) -> str:
    """A value of a conflict as plain text: lists joined, objects as 'naam: waarde'."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {shown(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(shown(v) for v in value)
    return str(value)


def undeclared(kind: Kind, fields: Iterable[str]) -> list[str]:
    """Fields of a model's data that have no merge rule (a test keeps this empty)."""
    return [name for name in fields if name not in kind.fields]
