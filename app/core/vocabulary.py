"""The stable codes of `assets/vocabulary.json`, loaded and validated once."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from app.core.errors import InvalidInput

ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"
_CODE = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class Term:
    code: str
    label: str


@dataclass(frozen=True)
class Vocabulary:
    name: str
    terms: tuple[Term, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    @cached_property
    def code_set(self) -> frozenset[str]:
        """For hot membership checks (the server validates every record's codes)."""
        return frozenset(self.codes)

    def label(self, code: str) -> str:
        for term in self.terms:
            if term.code == code:
                return term.label
        raise InvalidInput(self.name, "unknown_code", value=code, allowed=self.codes)

    def check(self, code: str) -> str:
        """Return `code` if it belongs to this vocabulary, else raise a clear InvalidInput."""
        if code not in self.code_set:
            raise InvalidInput(self.name, "unknown_code", value=code, allowed=self.codes)
        return code

    def check_all(self, codes: Iterable[str]) -> list[str]:
        """Validate and de-duplicate, keeping the caller's order."""
        seen: list[str] = []
        for code in codes:
            if self.check(code) not in seen:
                seen.append(code)
        return seen


def _parse(raw: dict) -> dict[str, Vocabulary]:
    vocabularies: dict[str, Vocabulary] = {}
    for name, entries in raw["vocabularies"].items():
        terms = tuple(Term(e["code"], e["label"]) for e in entries)
        codes = [t.code for t in terms]
        bad = [c for c in codes if not _CODE.match(c)]
        if bad or len(set(codes)) != len(codes) or not terms:
            raise ValueError(f"vocabulary {name!r}: codes must be unique lowercase ascii: {bad}")
        if any(not t.label.strip() for t in terms):
            raise ValueError(f"vocabulary {name!r}: every code needs a label")
        vocabularies[name] = Vocabulary(name, terms)
    return vocabularies


@cache
def _load() -> tuple[dict[str, Vocabulary], tuple[str, ...]]:
    raw = json.loads((ASSETS_DIR / "vocabulary.json").read_text(encoding="utf-8"))
    return _parse(raw), tuple(raw.get("guiding_questions", ()))


def vocabulary(name: str) -> Vocabulary:
    """One vocabulary by name (`domain`, `setting`, …)."""
    return _load()[0][name]


def names() -> tuple[str, ...]:
    return tuple(_load()[0])


def guiding_questions() -> tuple[str, ...]:
    return _load()[1]
