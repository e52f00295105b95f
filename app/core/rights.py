"""Rechtenverkenner screening: which rights to check with this family, and why.

The catalogue is data (assets/rights/catalogue.json): each right has triggers
(conditions on the screening profile, each with a reason in plain Dutch) and
exclusions. Unknown is not no: a missing answer leaves a condition undecided;
the fields that would decide it are returned as follow-up questions. Rights can
follow from other rights (leefloon > 3 maanden → VT → MAF …): evaluation repeats
until nothing changes. Suggestions start a conversation; they decide nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from app.core.errors import InvalidInput
from app.core.vocabulary import ASSETS_DIR, vocabulary

CATALOGUE = ASSETS_DIR / "rights" / "catalogue.json"
AUTOMATIC = ("yes", "no", "partly", "mostly", "yes for VT", "yes/partly")

# The screening profile of domain/RIGHTS.md (every field optional) → accepted values.
PROFILE_FIELDS: dict[str, Any] = {
    "adults": int,
    "children_ages": list,
    "pregnant": bool,
    "single_parent": bool,
    "income": [
        "leefloon",
        "equivalent_leefloon",
        "werkloosheid",
        "ziekte",
        "invaliditeit",
        "loon",
        "pensioen",
        "igo",
        "handicap",
        "zorgbudget",
        "geen",
        "ander",
    ],
    "leefloon_months": int,
    "has_vt": bool,
    "housing": ["private_huur", "sociale_huur", "eigendom", "bij_familie", "dakloos", "opvang"],
    "waiting_list_years": int,
    "moving_from_bad_dwelling": bool,
    "heating": ["gas", "elektriciteit", "stookolie", "petroleum", "propaan", "warmtenet", "andere"],
    "energy_arrears": bool,
    "residence": [
        "belg",
        "eu",
        "derdelander",
        "erkend_vluchteling",
        "verzoeker",
        "zonder_wettig_verblijf",
    ],
    "domicile": bool,
    "health_insurance_ok": bool,
    "tax_return_filed": bool,
    "dutch": ["geen", "beperkt", "goed"],
    "employment": ["werkend", "werkzoekend", "niet_beschikbaar", "student"],
    "in_training": bool,
    "foreign_diploma": bool,
    "debts": bool,
    "debts_structural": bool,
    "pension_age": bool,
    "disability": bool,
    "legal_issue": bool,
    "child_care_needs": bool,
}


@dataclass(frozen=True)
class Suggestion:
    right: str
    name: str
    domain: str
    loket: str
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class Screening:
    suggestions: list[Suggestion]
    excluded: dict[str, str] = field(default_factory=dict)  # right → why not
    questions: list[str] = field(default_factory=list)  # profile fields worth asking next


@cache
def catalogue() -> dict[str, Any]:
    raw = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    validate(raw)
    return raw


def catalogue_date() -> str:
    """Shown as 'catalogus van <datum>' so a worker knows how fresh the facts are."""
    return catalogue()["date"]


STALE_AFTER_MONTHS = 12


def catalogue_stale(date: str, today: dt.date) -> bool:
    """True when the catalogue is more than a year old: amounts, ceilings and rules have
    likely changed since, and the worker must be told so on screen."""
    made = dt.date.fromisoformat(date)
    months = (today.year - made.year) * 12 + today.month - made.month - (today.day < made.day)
    return months >= STALE_AFTER_MONTHS


def rule_fields(raw: dict[str, Any]) -> set[str]:
    """Every profile field a trigger or exclusion of the catalogue reads."""
    found: set[str] = set()

    def walk(cond: dict[str, Any]) -> None:
        if "all" in cond or "any" in cond:
            for inner in cond["all"] if "all" in cond else cond["any"]:
                walk(inner)
        elif "field" in cond:
            found.add(cond["field"])

    for right in raw["rights"]:
        for rule in right["triggers"] + right["exclusions"]:
            walk(rule["when"])
    return found


def unasked_fields(raw: dict[str, Any], asked: list[dict[str, Any]]) -> set[str]:
    """Fields a rule reads that no screening question asks: such a rule can never fire
    from the app, so a right would silently never be suggested."""
    return rule_fields(raw) - {q["field"] for q in asked}


def changes(before: Screening, after: Screening) -> tuple[list[Suggestion], list[Suggestion]]:
    """What a changed answer did: the suggestions that came up, and those that went away."""
    old = {s.right for s in before.suggestions}
    new = {s.right for s in after.suggestions}
    return (
        [s for s in after.suggestions if s.right not in old],
        [s for s in before.suggestions if s.right not in new],
    )


def validate(raw: dict[str, Any]) -> None:
    """Refuse a broken catalogue entry by id (a test runs this on the shipped file)."""
    for key in ("version", "date", "rights"):
        if key not in raw:
            raise ValueError(f"catalogue: missing {key}")
    ids = [r.get("id") for r in raw["rights"]]
    if len(set(ids)) != len(ids):
        raise ValueError("catalogue: duplicate right ids")
    for right in raw["rights"]:
        where = f"catalogue right {right.get('id')!r}"
        for key in (
            "id",
            "name",
            "domain",
            "loket",
            "level",
            "automatic",
            "triggers",
            "exclusions",
            "documents",
            "sources",
            "valid_from",
        ):
            if key not in right:
                raise ValueError(f"{where}: missing {key}")
        if right["domain"] not in vocabulary("domain").code_set:
            raise ValueError(f"{where}: unknown levensdomein {right['domain']!r}")
        if right["automatic"] not in AUTOMATIC:
            raise ValueError(f"{where}: automatic must be one of {AUTOMATIC}")
        if not right["triggers"] or not right["sources"]:
            raise ValueError(f"{where}: needs at least one trigger and one source")
        for rule in right["triggers"] + right["exclusions"]:
            if not rule.get("reason"):
                raise ValueError(f"{where}: every trigger needs a reason")
            _check_condition(rule["when"], where, set(ids))


def check_profile(profile: Any) -> dict[str, Any]:
    """A clear InvalidInput for anything that is not a screening profile."""
    if not isinstance(profile, dict):
        raise InvalidInput("profile", "not_an_object")
    for name, value in profile.items():
        if name not in PROFILE_FIELDS:
            raise InvalidInput("profile", "unknown_field", value=name)
        if value is None:
            continue
        kind = PROFILE_FIELDS[name]
        if isinstance(kind, list):
            values = value if name == "income" and isinstance(value, list) else [value]
            if any(v not in kind for v in values):
                raise InvalidInput("profile", "unknown_code", value=name, allowed=tuple(kind))
        elif kind is int and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise InvalidInput("profile", "not_a_number", value=name)
        elif kind is bool and not isinstance(value, bool):
            raise InvalidInput("profile", "not_yes_no", value=name)
        elif kind is list and not (
            isinstance(value, list)
            and all(isinstance(a, int) and not isinstance(a, bool) and 0 <= a < 30 for a in value)
        ):
            raise InvalidInput("profile", "bad_ages", value=name)
    return profile


def screen(profile: dict[str, Any], using: dict[str, Any] | None = None) -> Screening:
    """Suggested rights with reasons, rights excluded with why, and useful next questions;
    `using` is the organisation's own catalogue when it published one (else the shipped one)."""
    check_profile(profile)
    rights = (using or catalogue())["rights"]
    suggested: dict[str, list[str]] = {}
    excluded: dict[str, str] = {}
    unknown: set[str] = set()
    while True:
        before = dict(suggested)
        for right in rights:
            blocked = [
                r["reason"]
                for r in right["exclusions"]
                if _eval(r["when"], profile, suggested, unknown) is True
            ]
            if blocked:
                excluded[right["id"]] = blocked[0]
                suggested.pop(right["id"], None)
                continue
            reasons = [
                r["reason"]
                for r in right["triggers"]
                if _eval(r["when"], profile, suggested, unknown) is True
            ]
            if reasons:
                suggested[right["id"]] = reasons
        if suggested == before:
            break
    by_id = {r["id"]: r for r in rights}
    order = [r["id"] for r in rights]
    suggestions = [
        Suggestion(
            rid,
            by_id[rid]["name"],
            by_id[rid]["domain"],
            by_id[rid]["loket"],
            tuple(suggested[rid]),
        )
        for rid in order
        if rid in suggested
    ]
    questions = [f for f in PROFILE_FIELDS if f in unknown]
    return Screening(suggestions, excluded, questions)


def _eval(cond: dict[str, Any], profile: dict[str, Any], suggested: dict, unknown: set) -> Any:
    """Three-valued: True, False, or None when an answer is still missing."""
    if "all" in cond or "any" in cond:
        # Only answers that could still change the outcome become follow-up questions.
        missing: set[str] = set()
        parts = cond["all"] if "all" in cond else cond["any"]
        results = [_eval(c, profile, suggested, missing) for c in parts]
        decisive = "any" in cond  # one False decides an "all", one True an "any"
        if decisive in results:
            return decisive
        if None in results:
            unknown |= missing
            return None
        return not decisive
    if "right" in cond:
        return cond["right"] in suggested
    name = cond["field"]
    value = profile.get(name)
    if value is None:
        unknown.add(name)
        return None
    if "contains" in cond:
        return cond["contains"] in (value if isinstance(value, list) else [value])
    if "is" in cond:
        return value == cond["is"]
    if "in" in cond:
        return value in cond["in"]
    if "gt" in cond:
        return value > cond["gt"]
    if "gte" in cond:
        return value >= cond["gte"]
    if "nonempty" in cond:
        return bool(value) == cond["nonempty"]
    if "any_lt" in cond:
        return any(age < cond["any_lt"] for age in value)
    if "any_gte" in cond:
        return any(age >= cond["any_gte"] for age in value)
    if "any_between" in cond:
        low, high = cond["any_between"]
        return any(low <= age <= high for age in value)
    raise ValueError(f"unknown condition {cond}")


_OPERATORS = {"contains", "is", "in", "gt", "gte", "nonempty", "any_lt", "any_gte", "any_between"}


def _check_condition(cond: Any, where: str, ids: set[str]) -> None:
    if not isinstance(cond, dict):
        raise ValueError(f"{where}: a condition must be an object")
    if "all" in cond or "any" in cond:
        for inner in cond["all"] if "all" in cond else cond["any"]:
            _check_condition(inner, where, ids)
    elif "right" in cond:
        if cond["right"] not in ids:
            raise ValueError(f"{where}: condition names unknown right {cond['right']!r}")
    elif cond.get("field") not in PROFILE_FIELDS or not (set(cond) - {"field"}) <= _OPERATORS:
        raise ValueError(f"{where}: bad condition {cond}")


@cache
def questions() -> list[dict[str, Any]]:
    """The screening questions in asking order (assets/rights/questions.json)."""
    raw = json.loads((ASSETS_DIR / "rights" / "questions.json").read_text(encoding="utf-8"))
    for question in raw["questions"]:
        if question["field"] not in PROFILE_FIELDS:
            raise ValueError(f"question for unknown profile field {question['field']!r}")
    return raw["questions"]


MAIN_PER_STEP = 4  # main questions on one page of the screening


def steps() -> list[list[dict[str, Any]]]:
    """The questions in pages: four main questions each, a follow-up on the page of the
    question it follows. The number of pages never changes, whatever the answers."""
    pages: list[list[dict[str, Any]]] = []
    main = 0
    for question in questions():
        if not question.get("only_if"):
            if main % MAIN_PER_STEP == 0:
                pages.append([])
            main += 1
        if not pages:
            pages.append([])
        pages[-1].append(question)
    return pages


def next_step(profile: dict[str, Any], skipped: set[str]) -> tuple[int, int, list[dict]]:
    """(page number from 1, pages, its questions still open): the first page with open
    questions that matter given the answers so far; a follow-up an answer on this page
    makes relevant is asked on the same page. (pages + 1, pages, []) when all are done."""
    pages = steps()
    for number, page in enumerate(pages, start=1):
        open_ = [
            q
            for q in page
            if q["field"] not in profile and q["field"] not in skipped and relevant(q, profile)
        ]
        if open_:
            return number, len(pages), open_
    return len(pages) + 1, len(pages), []


def relevant(question: dict[str, Any], answers: dict[str, Any]) -> bool:
    """Whether a question matters given `answers`: a follow-up only when an answer makes it
    matter (the screen asks it as soon as that answer is picked, before it is saved)."""
    condition = question.get("only_if")
    return not condition or _eval(condition, answers, {}, set()) is True


def next_questions(profile: dict[str, Any], skipped: set[str], count: int = 4) -> list[dict]:
    """The next few questions worth asking: unanswered, not skipped, and relevant given the
    answers so far (a follow-up only when an earlier answer makes it matter)."""
    out = []
    for question in questions():
        name = question["field"]
        if name in profile or name in skipped:
            continue
        condition = question.get("only_if")
        if condition and _eval(condition, profile, {}, set()) is not True:
            continue
        out.append(question)
        if len(out) == count:
            break
    return out
