"""Dated snapshots of a netwerkkaart and the *then vs now* comparison of two of them.

A snapshot is a frozen copy of the nodes (at intake, every few months, at afsluiting).
People are matched across snapshots by node id, so a renamed person is still the same
person. The comparison is structured (who came in, who left, ties that changed, counts
per sector and ring) and told as plain Dutch sentences from assets/netwerkkaart.json.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.core.dates import parse_day
from app.core.errors import InvalidInput
from app.core.network import Node, counts, method, ordered
from app.core.text import MAX_NAME, clean_text
from app.core.vocabulary import vocabulary

KIND = "network_snapshot"


@dataclass(frozen=True)
class Snapshot:
    id: str
    case_id: str
    day: str
    label: str
    nodes: tuple[Node, ...]
    created_at: str = ""

    def to_data(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "label": self.label,
            "created_at": self.created_at,
            "nodes": [{"id": n.id, **n.to_data()} for n in self.nodes],
        }

    @classmethod
    def from_data(cls, snapshot_id: str, case_id: str, data: dict[str, Any]) -> Snapshot:
        nodes = tuple(Node.from_data(raw["id"], case_id, raw) for raw in data.get("nodes", ()))
        return cls(
            id=snapshot_id,
            case_id=case_id,
            day=data["day"],
            label=data.get("label", ""),
            nodes=nodes,
            created_at=data.get("created_at", ""),
        )


def take(
    snapshot_id: str, case_id: str, nodes: Iterable[Node], day: str, label: str, at: str
) -> Snapshot:
    """Freeze the network as it is now, under a date and a label ('intake', …)."""
    checked = parse_day(day, "day")
    if checked is None:
        raise InvalidInput("day", "empty")
    return Snapshot(
        id=snapshot_id,
        case_id=case_id,
        day=checked,
        label=clean_text(label, "label", required=False, limit=MAX_NAME),
        nodes=tuple(ordered(nodes)),
        created_at=at,
    )


def snapshot_meta(snapshot: Snapshot) -> dict[str, Any]:
    """Counts only: the day and the number of nodes per sector and ring (docs/privacy.md)."""
    by_sector, by_ring = counts(snapshot.nodes)
    return {"day": snapshot.day, "by_sector": by_sector, "by_ring": by_ring}


@dataclass(frozen=True)
class Change:
    """One person present at both moments whose tie or ring changed."""

    before: Node
    after: Node


@dataclass(frozen=True)
class Comparison:
    came_in: tuple[Node, ...]
    left: tuple[Node, ...]
    stronger: tuple[Change, ...]
    weaker: tuple[Change, ...]
    broken: tuple[Change, ...]  # the tie became verbroken: not "weaker", maybe a relief
    renewed: tuple[Change, ...]  # a broken tie that is there again
    closer: tuple[Change, ...]
    further: tuple[Change, ...]
    by_sector: dict[str, tuple[int, int]]  # sector → (then, now)
    by_ring: dict[str, tuple[int, int]]
    supportive: tuple[int, int]
    total: tuple[int, int]

    @property
    def unchanged(self) -> bool:
        moves = (self.came_in, self.left, self.stronger, self.weaker, self.broken, self.renewed)
        return not any((*moves, self.closer, self.further))


def compare(before: Iterable[Node], after: Iterable[Node]) -> Comparison:
    """What changed from `before` to `after` (two snapshots, or a snapshot and now)."""
    then = {n.id: n for n in before}
    now = {n.id: n for n in after}
    scale = method()["tie_scale"]
    broken = set(method()["broken_ties"])
    both = [(then[i], now[i]) for i in then if i in now]
    # Verbroken is kept out of stronger and weaker: it is said in its own words.
    ranked = [(a, b) for a, b in both if a.tie not in broken and b.tie not in broken]
    then_sector, then_ring = counts(then.values())
    now_sector, now_ring = counts(now.values())
    return Comparison(
        came_in=tuple(ordered(n for i, n in now.items() if i not in then)),
        left=tuple(ordered(n for i, n in then.items() if i not in now)),
        stronger=_changes(ranked, lambda a, b: scale[b.tie] > scale[a.tie]),
        weaker=_changes(ranked, lambda a, b: scale[b.tie] < scale[a.tie]),
        broken=_changes(both, lambda a, b: b.tie in broken and a.tie not in broken),
        renewed=_changes(both, lambda a, b: a.tie in broken and b.tie not in broken),
        closer=_changes(both, lambda a, b: b.ring < a.ring),
        further=_changes(both, lambda a, b: b.ring > a.ring),
        by_sector={s: (then_sector[s], now_sector[s]) for s in then_sector},
        by_ring={r: (then_ring[r], now_ring[r]) for r in then_ring},
        supportive=(
            sum(n.supportive for n in then.values()),
            sum(n.supportive for n in now.values()),
        ),
        total=(len(then), len(now)),
    )


def sentences(comparison: Comparison) -> list[str]:
    """The comparison told plainly: '3 nieuwe steunfiguren bij vrienden en in de buurt'."""
    text = method()["sentences"]
    places = method()["sector_places"]
    out: list[str] = []
    for sector in vocabulary("sector").codes:
        new = [n for n in comparison.came_in if n.sector == sector]
        supportive = sum(n.supportive for n in new)
        place = places[sector]
        if supportive:
            out.append(_plural(text["new_support"], supportive, place=place))
        if len(new) - supportive:
            out.append(_plural(text["new_other"], len(new) - supportive, place=place))
    for sector in vocabulary("sector").codes:
        gone = sum(n.sector == sector for n in comparison.left)
        if gone:
            out.append(_plural(text["left"], gone, place=places[sector]))
    for name in ("stronger", "weaker", "broken", "renewed", "closer", "further"):
        changes = getattr(comparison, name)
        if changes:
            out.append(_plural(text[name], len(changes)))
    if comparison.unchanged:
        out.append(text["none"])
    out.append(_totals(text["supportive_total"], comparison.supportive))
    out.append(_totals(text["total"], comparison.total))
    return [_capital(s) for s in out]


def _changes(pairs: list[tuple[Node, Node]], moved: Any) -> tuple[Change, ...]:
    found = [Change(a, b) for a, b in pairs if moved(a, b)]
    order = {n.id: i for i, n in enumerate(ordered(b for _, b in pairs))}
    return tuple(sorted(found, key=lambda c: order[c.after.id]))


def _plural(forms: list[str], n: int, **values: str) -> str:
    return (forms[0] if n == 1 else forms[1]).format(n=n, **values)


def _totals(template: str, pair: tuple[int, int]) -> str:
    return template.format(before=pair[0], after=pair[1])


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
