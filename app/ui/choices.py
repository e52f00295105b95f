"""One answer out of a few, said right to a screen reader: a radio group named by its question
("Waar?, groep: Schoolpoort, keuzerondje, 1 van 14"), where a row of chips reads as unrelated
checkboxes.

`OneOf` stands in for the `ft.Row(wrap=True)` that views fill with `ft.Chip`s: a view keeps
setting `.controls` to chips (label, `selected`, `on_select`) and changing `chip.selected`;
each chip is drawn as a chip-shaped radio button, and a tap calls that chip's `on_select`.
Tapping the chosen one again clears it, as it did with chips.
"""

from __future__ import annotations

import asyncio
from typing import Any

import flet as ft


@ft.control
class OneOf(ft.Semantics):
    """A named single-choice group that takes chips and shows radio buttons."""

    def init(self) -> None:
        self.container = True
        self._chips: list[ft.Chip] = []
        self._chosen: str | None = None
        self._group = ft.RadioGroup(content=ft.Row(wrap=True), on_change=self._picked)
        self.content = self._group

    @property
    def controls(self) -> list[ft.Chip]:
        return self._chips

    @controls.setter
    def controls(self, chips: list[ft.Chip]) -> None:
        self._chips = list(chips)
        self._draw()

    def before_update(self) -> None:
        super().before_update()
        self._draw()  # a view may have changed `chip.selected` since

    def _draw(self) -> None:
        chosen = [str(i) for i, chip in enumerate(self._chips) if chip.selected]
        self._chosen = chosen[0] if chosen else None
        drawn = (self._chosen, [_label(chip) for chip in self._chips])
        if drawn == getattr(self, "_drawn", None):
            return  # nothing changed: keep the same radios (and their focus)
        self._drawn = drawn
        self._group.value = self._chosen
        row = self._group.content
        assert isinstance(row, ft.Row)
        row.controls = [_radio_chip(str(i), chip) for i, chip in enumerate(self._chips)]

    async def _picked(self, e: Any) -> None:
        key = self._group.value or self._chosen  # None: the chosen one tapped again, cleared
        if key is None:
            return
        handler = self._chips[int(key)].on_select
        if handler is not None:
            result = handler(e)  # type: ignore[call-arg]  # Flet's union allows 0-arg; ours take e
            if asyncio.iscoroutine(result):
                await result


@ft.control
class ManyOf(ft.Semantics):
    """Several answers out of a few (filter chips): one group named by its question, so a
    screen reader says which question a checkbox belongs to."""

    def init(self) -> None:
        self.container = True
        self._row = ft.Row(wrap=True)
        # a node of its own between the name and the chips, as a radio group has: else
        # Flutter folds the first chip's label into the group's name
        self.content = ft.Semantics(container=True, content=self._row)

    @property
    def controls(self) -> list[ft.Control]:
        return self._row.controls

    @controls.setter
    def controls(self, chips: list[ft.Control]) -> None:
        self._row.controls = list(chips)


def _label(chip: ft.Chip) -> str:
    return str(chip.label.value if isinstance(chip.label, ft.Text) else chip.label)


def _radio_chip(key: str, chip: ft.Chip) -> ft.Control:
    return ft.Container(
        ft.Row([ft.Radio(value=key, label=_label(chip), toggleable=True)], tight=True),
        border=ft.Border.all(1, ft.Colors.OUTLINE),
        border_radius=8,
        padding=ft.Padding.only(right=12),
        bgcolor=ft.Colors.SECONDARY_CONTAINER if chip.selected else None,
    )
