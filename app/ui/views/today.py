"""Vandaag: the day's agenda by section; each item opens, ticks off or moves to another day."""

from __future__ import annotations

import datetime as dt

import flet as ft

from app.core.today import Item, sections
from app.ui import format as fmt
from app.ui.dates import calendar, quick_days
from app.ui.routes import url
from app.ui.strings import T
from app.ui.views import unfinished
from app.ui.views.signalen import signaal_tile

SHOWN = 15  # items per section before "toon nog …"
ICONS = {
    "follow_up": ft.Icons.TASK_ALT,
    "deadline": ft.Icons.GAVEL,
    "right": ft.Icons.CHECKLIST,
    "time_out": ft.Icons.SNOOZE,
    "not_seen": ft.Icons.HOURGLASS_EMPTY,
}


def build(ui) -> ft.View:
    app = ui.session.app
    names = {r["id"]: r["name"] for r in app.catalogue()["rights"]}
    rows: list[ft.Control] = unfinished.section(ui) + signaal_tile(ui)
    agenda = sections(app.today())
    today = app.local_today()
    for section, items in agenda:
        rows.append(
            ft.Text(
                f"{T['today_section_' + section]} ({len(items)})",
                size=16,
                weight=ft.FontWeight.BOLD,
                color=ft.Colors.ERROR if section == "overdue" else None,
            )
        )
        rows.append(section_rows(ui, items, names, today))
    if not agenda:
        rows += [
            ft.Text(T["today_nothing"]),
            ft.FilledButton(
                T["today_new_note"], icon=ft.Icons.ADD, on_click=ui.link(url("capture"))
            ),
        ]
    return ui.screen(url("today"), T["today_title"], rows)


def section_rows(ui, items: list[Item], names: dict[str, str], today: dt.date) -> ft.Control:
    """The first items of a section, and the rest on demand: a long list of overdue items
    must not make the screen slow to open."""
    shown = ft.Column([row(ui, i, describe(i, names, today)) for i in items[:SHOWN]], spacing=0)
    if len(items) <= SHOWN:
        return shown
    rest = items[SHOWN:]

    def show_rest(_e) -> None:
        shown.controls += [row(ui, i, describe(i, names, today)) for i in rest]
        more.visible = False
        ui.page.update()

    more = ft.TextButton(
        T["today_show_more"].format(count=len(rest)), on_click=ui.handler(show_rest)
    )
    return ft.Column([shown, more], spacing=0)


def describe(item: Item, names: dict[str, str], today: dt.date | None = None) -> tuple[str, str]:
    """(title, subtitle) of an agenda item, in words; near days as words ('morgen')."""
    who = item.case_name or T["signaal"]
    when = fmt.day(item.day, today) if item.day else T["no_day"]
    if item.kind == "follow_up":
        for_whom = f" · {T['today_for'].format(who=item.who)}" if item.who else ""
        return item.text, f"{who} · {when}{for_whom}"
    if item.kind in ("deadline", "right"):
        label = T["right_deadline"] if item.kind == "deadline" else T["right_next_step"]
        return f"{label}: {names.get(item.text, item.text)}", f"{who} · {when}"
    if item.kind == "time_out":
        return T["time_out"], f"{who} · {when}"
    return who, T["not_seen_since"].format(day=when)


def opens(item: Item) -> str:
    """Where tapping an item leads: the right itself, the gezin, or the signalen to link."""
    if item.case_id is None:
        return url("signalen")
    if item.kind in ("deadline", "right"):
        return url("right", case_id=item.case_id, right_id=item.text)
    return url("case", case_id=item.case_id)


def row(ui, item: Item, words: tuple[str, str]) -> ft.Control:
    app = ui.session.app
    title, subtitle = words

    async def tick(_e) -> None:
        before = await ui.session.blocking(app.tick_off, item)

        async def undo(_e) -> None:
            await ui.session.blocking(app.untick, item, before)
            ui.rebuild()

        ui.offer_undo(T["ticked_off"].format(what=fmt.brief(title)), undo, seconds=6)
        ui.rebuild()

    async def move_to(day: str) -> None:
        ui.page.pop_dialog()
        await ui.session.blocking(app.move_item, item, day)
        ui.toast(T["moved_to"].format(day=fmt.day(day, app.local_today())))
        ui.rebuild()

    def ask_day(_e) -> None:
        today = app.local_today()
        choices: list[ft.Control] = [
            ft.FilledTonalButton(
                f"{word} ({fmt.day(day.isoformat())})",
                on_click=ui.handler(lambda _e, d=day: move_to(d.isoformat())),
            )
            for word, day in quick_days(today)
        ]

        def pick(_e) -> None:
            ui.page.pop_dialog()
            ui.page.show_dialog(calendar(ui, today, move_to, item.day))

        choices.append(
            ft.OutlinedButton(
                T["date_pick"], icon=ft.Icons.CALENDAR_MONTH, on_click=ui.handler(pick)
            )
        )
        ui.page.show_dialog(
            ui.dialog(
                T["move_title"],
                content=ft.Column([ft.Text(title), *choices], tight=True, spacing=8),
                actions=[ft.TextButton(T["cancel"], on_click=lambda _e: ui.page.pop_dialog())],
            )
        )

    route = opens(item)
    color = ft.Colors.ERROR if item.overdue else None
    return ft.Column(
        [
            ft.ListTile(
                leading=ft.Icon(ICONS[item.kind], color=color),
                title=ft.Text(title),
                subtitle=ft.Text(subtitle, color=color),
                on_click=ui.link(route),
                content_padding=ft.Padding.only(left=8, right=8),
            ),
            ft.Row(
                [
                    action(ui, ft.Icons.CHECK, T["tick_off"], tick),
                    action(ui, ft.Icons.EVENT_REPEAT, T["move_day"], ask_day),
                ],
                alignment=ft.MainAxisAlignment.END,
                spacing=0,
            ),
            ft.Divider(height=1),
        ],
        spacing=0,
    )


def action(ui, icon: ft.IconData, label: str, on_click) -> ft.Control:
    """A small labelled button; its accessible name is exactly `label`."""
    return ft.TextButton(label, icon=icon, on_click=ui.handler(on_click))
