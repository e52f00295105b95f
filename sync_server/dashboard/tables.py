"""Tables as shown: the same rows feed the HTML page, the chart and the CSV download.

Small-number suppression lives here: a count below THRESHOLD is shown as "< 3"
everywhere outside the worker's own phone, and an average or ratio built on such a
count is not shown at all (docs/privacy.md, section 8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from app.core.errors import InvalidInput
from app.core.vocabulary import vocabulary

THRESHOLD = 3
HIDDEN = f"< {THRESHOLD}"


@dataclass(frozen=True)
class Count:
    """A number of records or gezinnen: hidden when small."""

    n: int

    @property
    def hidden(self) -> bool:
        return self.n < THRESHOLD

    def text(self) -> str:
        return HIDDEN if self.hidden else str(self.n)

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

    def text(self) -> str:
        if self.part < THRESHOLD or self.whole < THRESHOLD:
            return "niet getoond (te weinig)"
        return f"{self.part / self.whole:.2f}".replace(".", ",")

    def csv(self) -> str:
        if self.part < THRESHOLD or self.whole < THRESHOLD:
            return ""
        return f"{self.part / self.whole:.2f}"


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
