"""Date fields: typed the way people write them (4/12, 4-12-26, 04.12.2026), picked from a
calendar, or one tap (morgen, volgende week). A day that cannot be read is said on its field;
a day in the past is asked about before it is kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from app.core.dates import parse_day
from app.core.errors import InvalidInput
from app.ui import format as fmt
from app.ui.field_error import clear_on_typing, say_on
from app.ui.strings import T

OnDay = Callable[[str], Awaitable[Any]]
DUTCH = ft.Locale("nl", "BE")  # Flemish month and day names in the calendar


def quick_days(today: dt.date) -> list[tuple[str, dt.date]]:
    return [
        (T["date_tomorrow"], today + dt.timedelta(days=1)),
        (T["date_next_week"], today + dt.timedelta(days=7)),
    ]


def picked_day(value: Any) -> dt.date | None:
    """The calendar day of a DatePicker value. Flutter sends local midnight, which may arrive
    as a UTC moment a few hours either side of midnight: round to the nearest day."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        return (value + dt.timedelta(hours=12)).date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def calendar(
    ui, today: dt.date, on_day: OnDay, value: str | None = None, past: bool = False
) -> ft.DatePicker:
    """Flet's calendar dialog in Dutch words; `past=False` offers no day before today."""

    async def changed(e) -> None:
        day = picked_day(e.control.value)
        if day is not None:
            await on_day(day.isoformat())

    start = dt.datetime(2000, 1, 1) if past else dt.datetime.combine(today, dt.time())
    current = dt.date.fromisoformat(value) if value else today
    return ft.DatePicker(
        value=dt.datetime.combine(max(current, start.date()), dt.time()),
        first_date=start,
        last_date=dt.datetime(today.year + 10, 12, 31),
        current_date=dt.datetime.combine(today, dt.time()),
        locale=DUTCH,
        help_text=T["date_pick"],
        cancel_text=T["cancel"],
        confirm_text=T["ok"],
        field_label_text=T["date_field"],
        field_hint_text="DD-MM-JJJJ",
        error_format_text=T["date_bad"],
        error_invalid_text=T["date_out_of_range"],
        on_change=ui.handler(changed),
    )


def read_day(field: ft.TextField, name: str, today: dt.date, past: bool = False) -> str | None:
    """The day typed in `field` as `YYYY-MM-DD`, None when empty; one without a year is the
    next such day (with `past`, the last one). One that cannot be read is said on the field,
    with what was typed left as it is, and stops the action (SaidOnField)."""
    try:
        day = parse_day(field.value or "", name, today, past)
    except InvalidInput as exc:
        raise say_on(field, exc) from None
    field.error = None
    return day


class DateField:
    """A Dutch date text field with a calendar button and quick choices below it."""

    def __init__(
        self, ui, label: str, value: str | None, today: dt.date, on_change: Any = None
    ) -> None:
        self.ui, self.label, self.today = ui, label, today
        # No hint inside the field: Flutter web adds it to the field's name while it is empty
        # and focused, so the field would lose its name; the label says DD-MM-JJJJ already.
        self.text = ft.TextField(
            label=label, value=fmt.day_input(value), expand=True, on_change=on_change
        )
        clear_on_typing(self.text)
        pick = ui.icon_action(
            ft.Icons.CALENDAR_MONTH, T["date_pick_for"].format(label=label), self._open
        )
        quick: list[ft.Control] = [
            ft.TextButton(word, on_click=ui.handler(lambda _e, d=day: self._set(d)))
            for word, day in quick_days(today)
        ]
        self.control = ft.Column(
            [ft.Row([self.text, pick]), ft.Row(quick, wrap=True, spacing=0)], spacing=0
        )

    def read(self, name: str) -> str | None:
        """The day as `YYYY-MM-DD`, None when empty; see `read_day`."""
        return read_day(self.text, name, self.today)

    def _set(self, day: dt.date) -> None:
        self.text.value = fmt.day_input(day.isoformat())
        self.text.error = None
        self.ui.page.update()

    async def _open(self, *_: Any) -> None:
        async def chosen(iso: str) -> None:
            self._set(dt.date.fromisoformat(iso))

        try:
            current = parse_day(self.text.value or "", "day", self.today)
        except InvalidInput:  # a half-typed day: open on today
            current = None
        self.ui.page.show_dialog(calendar(self.ui, self.today, chosen, current, past=True))


async def confirm_past(
    ui, day: str | None, today: dt.date, proceed: Callable[[], Awaitable[Any]]
) -> None:
    """Run `proceed` at once, or after a yes when `day` lies before `today`."""
    if not day or day >= today.isoformat():
        await proceed()
        return

    async def yes(_e) -> None:
        ui.page.pop_dialog()
        await proceed()

    def no(_e) -> None:
        ui.page.pop_dialog()

    ui.page.show_dialog(
        ui.dialog(
            T["date_past_title"],
            modal=True,
            content=ft.Text(T["date_past"].format(day=fmt.day(day))),
            actions=[
                ft.TextButton(T["date_past_other"], on_click=ui.handler(no)),
                ft.FilledButton(T["date_past_keep"], on_click=ui.handler(yes)),
            ],
        )
    )
    return None
