"""Tables as shown: the same rows feed the HTML page, the chart and the CSV download.

Small-number suppression lives here: a count below THRESHOLD is shown as "< 3"
everywhere outside the worker's own phone, and an average or ratio built on such a
count is not shown at all (docs/privacy.md, section 8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from app.core.errors import InvalidInput
from app.core.vocabulary import vocabulary

THRESHOLD = 3
HIDDEN = f"< {THRESHOLD}"
K = TypeVar("K")


WITHHELD = "verborgen"


@dataclass(frozen=True)
class Count:
    """A number of records or gezinnen: hidden when small, withheld when it (or a count it
    adds up with) would let a hidden one be worked out."""

    n: int
    withheld: bool = False

    @property
    def hidden(self) -> bool:
        return self.withheld or self.n < THRESHOLD

    def text(self) -> str:
        if self.withheld:
            return WITHHELD
        return HIDDEN if self.n < THRESHOLD else str(self.n)

    def csv(self) -> str:
        return self.text()


@dataclass(frozen=True)
class Mean:
    """An average of 0-10 scores; shown only when at least THRESHOLD scores were given."""

    values: tuple[int, ...]

    def text(self) -> str:
        if len(self.values) < THRESHOLD:
            return f"{HIDDEN} metingen"
        return f"{sum(self.values) / len(self.values):.1f}".replace(".", ",")

    def csv(self) -> str:
        if len(self.values) < THRESHOLD:
            return HIDDEN
        return f"{sum(self.values) / len(self.values):.1f}"


@dataclass(frozen=True)
class Ratio:
    """Attempts per real contact; shown only when both counts are shown."""

    part: int
    whole: int
    withheld: bool = False  # one of the two counts is withheld (`complement`)

    @property
    def hidden(self) -> bool:
        return self.withheld or self.part < THRESHOLD or self.whole < THRESHOLD

    def text(self) -> str:
        if self.hidden:
            return "niet getoond (te weinig)"
        return f"{self.part / self.whole:.2f}".replace(".", ",")

    def csv(self) -> str:
        if self.hidden:
            return ""
        return f"{self.part / self.whole:.2f}"


def complement(values: dict[K, int], total: int) -> set[K]:
    """Complementary suppression, as statistical offices do it: of counts that add up to a
    shown `total`, the ones to withhold so that no hidden count follows from the total
    minus the shown ones: hidden cells hold 0 between them, or are at least two holding at
    least THRESHOLD; smallest shown cells are added until that holds. Empty when
    the small-count rule alone suffices (then the small ones simply read "< 3")."""
    if total < THRESHOLD:
        return set()  # the total itself is hidden
    hidden = {k for k, v in values.items() if v < THRESHOLD}
    if not hidden:
        return set()
    shown = sorted((k for k in values if k not in hidden), key=lambda k: values[k])
    added = False
    while True:
        rest = total - sum(values[k] for k in values if k not in hidden)
        if rest == 0 or (len(hidden) >= 2 and rest >= THRESHOLD):
            break  # hidden cells that hold nothing, or too much to share out
        if not shown:
            break
        hidden.add(shown.pop(0))
        added = True
    return hidden if added else set()


def nested(part: int, whole: int) -> Count:
    """A count of a part of a shown whole: withheld when the rest of the whole would be 1
    or 2 (two shown sets that differ by so few items reveal them)."""
    return Count(part, withheld=part >= THRESHOLD and 0 < whole - part < THRESHOLD)


@dataclass(frozen=True)
class Text:
    """A label, a worker's login, a date: shown as it is."""

    value: str

    def text(self) -> str:
        return self.value

    def csv(self) -> str:
        # A spreadsheet must not run a cell as a formula.
        return "'" + self.value if self.value[:1] in ("=", "+", "-", "@") else self.value


Cell = Count | Mean | Ratio | Text


@dataclass
class Table:
    id: str  # also the CSV file name
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    empty: str = "Nog geen gegevens."

    def add(self, *cells: Cell | str | int) -> None:
        self.rows.append([_cell(c) for c in cells])

    def csv_rows(self) -> list[list[str]]:
        return [self.columns, *([c.csv() for c in row] for row in self.rows)]


def _cell(value: Cell | str | int) -> Cell:
    if isinstance(value, bool):
        raise TypeError("a cell is a count, a label or a figure")
    if isinstance(value, int):
        return Count(value)
    if isinstance(value, str):
        return Text(value)
    return value


def label(vocabulary_name: str, code: str) -> str:
    """The Dutch label of a code; an unknown code (a newer phone) is shown as the code."""
    try:
        return vocabulary(vocabulary_name).label(code)
    except (InvalidInput, KeyError):
        return code


def labels(vocabulary_name: str) -> list[tuple[str, str]]:
    """(code, label) in the vocabulary's own order."""
    return [(t.code, t.label) for t in vocabulary(vocabulary_name).terms]


def add_counts(table: Table, vocabulary_name: str, counts: Any) -> Table:
    """One row per code of the vocabulary that has a count, in the vocabulary's order."""
    for code, name in labels(vocabulary_name):
        if counts[code]:
            table.add(name, counts[code])
    return table


@cache
def _right_names() -> dict[str, str]:
    from app.core.rights import catalogue

    return {r["id"]: r["name"] for r in catalogue()["rights"]}


def right_name(right_id: str) -> str:
    return _right_names().get(right_id, right_id)
