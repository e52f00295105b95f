"""The netwerkkaart of a gezin: one record per person or organisation around the client.

One record per node (not one record per map) so that two devices adding different
people never touch the same record; the same person edited on two devices merges
per field (app/sync/merge.py). Only the node's sector and ring leave the phone
unencrypted, so a supervisor can count without reading names (docs/privacy.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from functools import cache
from typing import Any

from app.core.errors import InvalidInput
from app.core.records import plain
from app.core.text import MAX_NAME, clean_name, clean_text
from app.core.vocabulary import ASSETS_DIR, vocabulary

KIND = "network_node"
MAX_NOTE = 500  # a short note: the map is for drawing together, the dossier is elsewhere
RINGS = (1, 2, 3)
EDITABLE = {
    "name",
    "sector",
    "ring",
    "tie",
    "supports",
    "roles",
    "note",
    "organisation",
    "social_map_id",
    "client_helps",
    "not_shared",
}


@dataclass(frozen=True)
class Node:
    id: str
    case_id: str
    name: str  # a name or a role ("buurvrouw", "OCMW")
    sector: str
    ring: int  # 1 dichtbij … 3 veraf
    tie: str = "gewoon"
    supports: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    note: str = ""
    organisation: bool = False
    social_map_id: str | None = None  # a service of the sociale kaart, once that exists
    created_at: str = ""
    client_helps: bool = False  # wederkerigheid: the client gives (back) to this person
    not_shared: bool = False  # the client keeps this person out of every shared summary

    @property
    def initials(self) -> str:
        return initials(self.name)

    @property
    def letters(self) -> str:
        """The support letters drawn on the node: P, G, A, E."""
        order = method()["support_letters"]
        return "".join(order[s] for s in order if s in self.supports)

    @property
    def supportive(self) -> bool:
        """A steunfiguur: a supportive tie, or anyone who gives some support or has a role,
        whatever the tie; never someone the client broke with."""
        if self.tie in method()["broken_ties"]:
            return False
        return self.tie in method()["supportive_ties"] or bool(self.supports or self.roles)

    def to_data(self) -> dict[str, Any]:
        data = plain(asdict(self))
        del data["id"], data["case_id"]
        return data

    @classmethod
    def from_data(cls, node_id: str, case_id: str, data: dict[str, Any]) -> Node:
        return cls(
            id=node_id,
            case_id=case_id,
            name=data["name"],
            sector=data["sector"],
            ring=int(data["ring"]),
            tie=data.get("tie", "gewoon"),
            supports=tuple(data.get("supports", ())),
            roles=tuple(data.get("roles", ())),
            note=data.get("note", ""),
            organisation=bool(data.get("organisation", False)),
            social_map_id=data.get("social_map_id"),
            created_at=data.get("created_at", ""),
            client_helps=bool(data.get("client_helps", False)),
            not_shared=bool(data.get("not_shared", False)),
        )


def new_node(node_id: str, case_id: str, at: str, *, name: str, sector: str, **fields: Any) -> Node:
    """A validated new person or organisation; ring 2 and an ordinary tie unless given."""
    node = Node(id=node_id, case_id=case_id, name="?", sector="familie", ring=2, created_at=at)
    return edit_node(node, name=name, sector=sector, **fields)


def edit_node(node: Node, **changes: Any) -> Node:
    """Validate and apply changes; unknown fields are refused, nothing half-applied."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "not_editable")
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = clean_name(changes["name"], "name", required=True, limit=MAX_NAME)
    if "sector" in changes:
        values["sector"] = vocabulary("sector").check(changes["sector"])
    if "ring" in changes:
        values["ring"] = parse_ring(changes["ring"])
    if "tie" in changes:
        values["tie"] = vocabulary("tie").check(changes["tie"])
    if "supports" in changes:
        values["supports"] = _in_order("support", changes["supports"])
    if "roles" in changes:
        values["roles"] = _in_order("role", changes["roles"])
    if "note" in changes:
        values["note"] = clean_text(changes["note"], "note", required=False, limit=MAX_NOTE)
    for flag in ("organisation", "client_helps", "not_shared"):
        if flag in changes:
            values[flag] = bool(changes[flag])
    if "social_map_id" in changes:
        link = changes["social_map_id"]
        values["social_map_id"] = clean_text(link, "social_map_id", required=False) or None
    return replace(node, **values)


def parse_ring(value: Any) -> int:
    text = str(value).strip()
    vocabulary("ring").check(text)
    return int(text)


def shared(nodes: Iterable[Node]) -> list[Node]:
    """The people that may appear in a summary or picture that leaves the worker's phone."""
    return [n for n in nodes if not n.not_shared]


def node_meta(node: Node) -> dict[str, Any]:
    """What may leave the phone unencrypted: the sector and ring codes (docs/privacy.md)."""
    return {"sector": node.sector, "ring": str(node.ring)}


def counts(nodes: Iterable[Node]) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per sector and per ring, every code present (zeros included)."""
    by_sector = dict.fromkeys(vocabulary("sector").codes, 0)
    by_ring = dict.fromkeys(vocabulary("ring").codes, 0)
    for node in nodes:
        by_sector[node.sector] += 1
        by_ring[str(node.ring)] += 1
    return by_sector, by_ring


def initials(name: str) -> str:
    """'Tante Rita' → 'TR', 'OCMW' → 'OC', 'buurvrouw' → 'B'."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        word = words[0]
        return word[:2] if word.isupper() and len(word) > 1 else word[0].upper()
    return (words[0][0] + words[-1][0]).upper()


def same_person(a: str, b: str) -> bool:
    """Names typed twice (in the list and in an answer to a guiding question) match."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def ordered(nodes: Iterable[Node]) -> list[Node]:
    """The list order: by sector (vocabulary order), then ring, then name."""
    sectors = {code: i for i, code in enumerate(vocabulary("sector").codes)}
    return sorted(nodes, key=lambda n: (sectors[n.sector], n.ring, n.name.casefold(), n.id))


@cache
def method() -> dict[str, Any]:
    """assets/netwerkkaart.json, checked against the vocabularies once."""
    raw = json.loads((ASSETS_DIR / "netwerkkaart.json").read_text(encoding="utf-8"))
    ties = vocabulary("tie")
    named = set(raw["supportive_ties"]) | set(raw["broken_ties"])
    if set(raw["tie_scale"]) != set(ties.codes) or not named <= set(ties.codes):
        raise ValueError("netwerkkaart.json: tie_scale must rank every tie code")
    if set(raw["support_letters"]) != set(vocabulary("support").codes):
        raise ValueError("netwerkkaart.json: every support needs a letter")
    for table in ("sector_places", "sector_short"):
        if set(raw[table]) != set(vocabulary("sector").codes):
            raise ValueError(f"netwerkkaart.json: every sector needs an entry in {table}")
    return raw


def _in_order(name: str, codes: Iterable[str]) -> tuple[str, ...]:
    """Validated codes in vocabulary order, so equal sets are equal values after a merge."""
    vocab = vocabulary(name)
    chosen = set(vocab.check_all(codes))
    return tuple(code for code in vocab.codes if code in chosen)
