"""Vandaag: follow-ups due, time-outs to revisit, gezinnen not seen for long; one tap each."""

from __future__ import annotations

import flet as ft

from app.ui import format as fmt
from app.ui.strings import T


def build(ui) -> ft.View:
    app = ui.session.app
    items = app.today()
    names = {r["id"]: r["name"] for r in app.catalogue()["rights"]}
    rows: list[ft.Control] = []
    for item in items:
        if item.kind == "follow_up":
            title = item.text
            sub = f"{item.case_name or T['signaal']} · {fmt.day(item.day)}"
            if item.overdue:
                sub += f" · {T['overdue']}"
            icon = ft.Icons.TASK_ALT
        elif item.kind in ("deadline", "right"):
            label = T["right_deadline"] if item.kind == "deadline" else T["right_next_step"]
            title = f"{label}: {names.get(item.text, item.text)}"
            sub = f"{item.case_name} · {fmt.day(item.day)}"
            icon = ft.Icons.GAVEL if item.kind == "deadline" else ft.Icons.CHECKLIST
        elif item.kind == "time_out":
            title, sub, icon = (
                T["time_out"],
                f"{item.case_name} · {fmt.day(item.day)}",
                ft.Icons.SNOOZE,
            )
        else:
            title = T["not_seen"].format(day=fmt.day(item.day))
            sub, icon = item.case_name, ft.Icons.HOURGLASS_EMPTY
        route = f"/gezin/{item.case_id}" if item.case_id else "/"
        rows.append(
            ft.ListTile(
                leading=ft.Icon(icon, color=ft.Colors.ERROR if item.overdue else None),
                title=ft.Text(title),
                subtitle=ft.Text(sub),
                on_click=ui.link(route),
            )
        )
    if not rows:
        rows.append(ft.Text(T["today_empty"]))
    return ui.screen("/", T["today_title"], rows)
