"""A gezin's header: its full name when the title bar cuts it, phase and status, and the
revisit day of a time-out, saved with a button (a date picker and quick choices beside it)."""

from __future__ import annotations

import flet as ft

from app.core.cases import Case
from app.core.vocabulary import vocabulary
from app.ui import format as fmt
from app.ui.dates import DateField, confirm_past
from app.ui.strings import T

TITLE_FITS = 22  # characters of a name the app bar shows whole at phone width


def header(ui, case: Case) -> list[ft.Control]:
    app = ui.session.app
    today = app.local_today()
    phase = ft.Dropdown(
        label=T["phase"],
        expand=True,
        value=case.phase,
        options=[ft.DropdownOption(key=t.code, text=t.label) for t in vocabulary("phase").terms],
    )
    status = ft.Dropdown(
        label=T["status"],
        expand=True,
        value=case.status,
        options=[
            ft.DropdownOption(key=t.code, text=t.label) for t in vocabulary("case_status").terms
        ],
    )
    paused = case.status == "lager_pitje"
    revisit = DateField(ui, T["revisit"], case.revisit, today)
    save = ft.FilledButton(T["revisit_save"], icon=ft.Icons.SNOOZE)
    pitje = ft.Column([revisit.control, save], visible=paused, spacing=4)
    current = ft.Text(
        T["revisit_on"].format(day=fmt.day(case.revisit)) if case.revisit else "",
        visible=bool(paused and case.revisit),
    )

    async def set_phase(e) -> None:
        await ui.session.blocking(app.set_phase, case.id, e.control.value)
        ui.rebuild()

    async def set_status(e) -> None:
        if e.control.value == "lager_pitje":
            pitje.visible = True  # nothing is saved before there is a day to look again
            ui.toast(T["revisit_pick"])
            ui.page.update()
            return
        await ui.session.blocking(app.set_status, case.id, e.control.value)
        ui.rebuild()

    async def set_revisit(_e) -> None:
        day = revisit.read("revisit")

        async def keep() -> None:
            await ui.session.blocking(app.set_status, case.id, "lager_pitje", day)
            ui.toast(T["revisit_saved"].format(day=fmt.day(day)) if day else T["saved"])
            ui.rebuild()

        await confirm_past(ui, day, today, keep)

    phase.on_select = ui.handler(set_phase)
    status.on_select = ui.handler(set_status)
    revisit.text.on_submit = ui.handler(set_revisit)
    save.on_click = ui.handler(set_revisit)
    controls: list[ft.Control] = []
    if len(case.name) > TITLE_FITS:
        controls.append(ft.Text(case.name, size=20, weight=ft.FontWeight.BOLD))
    controls += [
        # One under the other: side by side, "Op een lager pitje (time-out)" is cut at 412 px.
        ft.Row([ft.Container(ui.named(phase, T["phase"]), expand=True)]),
        ft.Row([ft.Container(ui.named(status, T["status"]), expand=True)]),
        current,
        pitje,
    ]
    return controls
