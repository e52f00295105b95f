"""The methodology's guiding questions as prompts: an answer (one or more names) becomes
nodes with the support and role codes the question implies.

The mapping is data (assets/netwerkkaart.json). A name already on the map is not added
twice: the answer adds the question's supports and roles to that person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.core.errors import InvalidInput
from app.core.network import Node, method, parse_ring, same_person
from app.core.text import MAX_NAME, clean_name
from app.core.vocabulary import vocabulary

_SPLIT = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class Prompt:
    id: str
    question: str
    supports: tuple[str, ...]
    roles: tuple[str, ...]
    tie: str
    sector: str  # suggested; the worker may pick another
    ring: int
    sectors: tuple[str, ...]  # the sectors an answer may be placed in
    extra: bool = False  # not one of the methodology's own questions


@dataclass(frozen=True)
class Plan:
    """What one name in an answer does: add a node, or add codes to an existing one."""

    name: str
    existing: Node | None
    fields: dict[str, Any]


def prompts() -> tuple[Prompt, ...]:
    return tuple(_prompt(raw) for raw in method()["prompts"])


def prompt(prompt_id: str) -> Prompt:
    for found in prompts():
        if found.id == prompt_id:
            return found
    raise InvalidInput("prompt", "unknown_code", value=prompt_id)


def split_names(answer: str) -> list[str]:
    """'mama, buurvrouw Rita' → ['mama', 'buurvrouw Rita'] (commas, semicolons or lines)."""
    names: list[str] = []
    for part in _SPLIT.split(answer or ""):
        name = clean_name(part, "name", required=False, limit=MAX_NAME)
        if name and not any(same_person(name, n) for n in names):
            names.append(name)
    return names


def plan_answer(
    found: Prompt,
    answer: str,
    network: list[Node],
    sector: str | None = None,
    ring: int | str | None = None,
) -> list[Plan]:
    """Turn an answer into plans; nothing is stored here (Services applies them)."""
    names = split_names(answer)
    if not names:
        raise InvalidInput("name", "empty")
    chosen = vocabulary("sector").check(sector) if sector else found.sector
    if chosen not in found.sectors:
        raise InvalidInput("sector", "unknown_code", value=chosen, allowed=found.sectors)
    where = parse_ring(ring) if ring else found.ring
    plans: list[Plan] = []
    for name in names:
        existing = next((n for n in network if same_person(n.name, name)), None)
        if existing is None:
            fields = {
                "sector": chosen,
                "ring": where,
                "tie": found.tie,
                "supports": list(found.supports),
                "roles": list(found.roles),
            }
        else:
            fields = {
                "supports": [*existing.supports, *found.supports],
                "roles": [*existing.roles, *found.roles],
            }
        plans.append(Plan(name, existing, fields))
    return plans


def _prompt(raw: dict[str, Any]) -> Prompt:
    all_sectors = vocabulary("sector").codes
    only = raw.get("only_sectors") or all_sectors
    allowed = tuple(s for s in only if s not in raw.get("not_sectors", ()))
    sector = vocabulary("sector").check(raw["sector"])
    if sector not in allowed:
        raise ValueError(f"prompt {raw['id']}: suggested sector {sector} is not allowed")
    return Prompt(
        id=raw["id"],
        question=raw["question"],
        supports=tuple(vocabulary("support").check_all(raw["supports"])),
        roles=tuple(vocabulary("role").check_all(raw["roles"])),
        tie=vocabulary("tie").check(raw["tie"]),
        sector=sector,
        ring=parse_ring(raw["ring"]),
        sectors=tuple(vocabulary("sector").check_all(allowed)),
        extra=bool(raw.get("extra", False)),
    )
