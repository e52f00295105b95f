"""Collega's: this worker's veiligheidsnummer, the team's members and the comparison in
person that makes a colleague *geverifieerd* (docs/sharing.md). Only a verified colleague
can be given a gezin; a changed key is said plainly, reading stays possible."""

from __future__ import annotations

import flet as ft

from app.core.errors import DichtbijError, InvalidInput
from app.messages import describe
from app.ui.routes import url
from app.ui.strings import T

STATUS_ICONS = {
    "verified": ft.Icons.VERIFIED_USER,
    "unverified": ft.Icons.SHIELD_OUTLINED,
    "changed": ft.Icons.GPP_MAYBE,
    "no_keys": ft.Icons.HOURGLASS_EMPTY,
}


def number_text(number: str) -> ft.Text:
    """60 digits as three lines of four groups: easy to read aloud and compare."""
    groups = number.split()
    lines = [" ".join(groups[i : i + 4]) for i in range(0, len(groups), 4)]
    return ft.Text(
        "\n".join(lines),
        size=20,
        font_family="monospace",
        selectable=True,
        semantics_label=T["number_spoken"].format(number=" ".join(groups)),
    )


def colleagues(ui) -> ft.View:
    app = ui.session.app
    if not app.my_login():  # the team list and the numbers come with the server
        rows: list[ft.Control] = [ft.Text(T["colleagues_not_enrolled"])]
        return ui.screen(url("colleagues"), T["colleagues_title"], rows, back=url("more"))
    rows = [ft.Text(T["my_number_title"], size=18, weight=ft.FontWeight.BOLD)]
    try:
        mine = app.my_fingerprint()
    except DichtbijError as exc:
        rows.append(ft.Text(describe(exc)))
    else:
        rows += [
            ft.Text(T["my_number_help"]),
            number_text(mine),
            ft.ExpansionTile(
                title=ft.Text(T["my_number_qr"]),
                controls=[
                    ft.Image(
                        src=app.fingerprint_qr().encode(),
                        width=240,
                        height=240,
                        semantics_label=T["my_number_qr_label"],
                    )
                ],
            ),
        ]
    rows += [ft.Divider(), *team_data(ui)]
    rows += [ft.Divider(), ft.Text(T["colleagues_title"], size=18, weight=ft.FontWeight.BOLD)]
    found = app.colleagues()
    if not found:
        team = app.team_name()
        rows.append(
            ft.Text(T["colleagues_alone"].format(team=team) if team else T["colleagues_none"])
        )
    for colleague in found:
        status = T[f"colleague_{colleague.status}"]
        rows.append(
            ft.ListTile(
                leading=ft.Icon(
                    STATUS_ICONS[colleague.status],
                    color=ft.Colors.ERROR if colleague.status == "changed" else None,
                ),
                title=ft.Text(colleague.login),
                subtitle=ft.Text(f"{status} · {T['duo']}" if colleague.duo else status),
                on_click=ui.link(url("colleague", login=colleague.login)),
            )
        )
    return ui.screen(url("colleagues"), T["colleagues_title"], rows, back=url("more"))


def team_data(ui) -> list[ft.Control]:
    """What the team shares (team settings now; the sociale kaart later), or why this
    worker sees none of it yet: only a colleague who verified them can give the team key."""
    app = ui.session.app
    rows: list[ft.Control] = [ft.Text(T["team_data_title"], size=18, weight=ft.FontWeight.BOLD)]
    missing = app.team_data_status()
    if missing:
        return [*rows, ft.Text(missing)]

    async def share_with_duo(e) -> None:
        await ui.session.blocking(app.set_team_setting, "share_new_with_duo", bool(e.control.value))
        ui.toast(T["team_setting_saved"])

    on = bool(app.team_settings().get("share_new_with_duo"))
    switch = ui.switch(T["share_new_with_duo"], value=on, on_change=ui.handler(share_with_duo))
    return [*rows, switch, ft.Text(T["share_new_with_duo_help"])]


def colleague(ui, login: str) -> ft.View:
    app = ui.session.app
    found = app.colleague(login)
    rows: list[ft.Control] = [ft.Text(T[f"colleague_{found.status}_help"].format(login=login))]
    typed = ft.TextField(
        label=T["number_typed"].format(login=login),
        keyboard_type=ft.KeyboardType.NUMBER,
        error_max_lines=6,  # the whole sentence: what to do when the digits differ
    )

    async def verify(digits: str) -> None:
        try:
            await ui.session.blocking(app.verify_colleague, login, digits)
        except InvalidInput as exc:
            typed.error = describe(exc)
            ui.page.update()
            return
        ui.toast(T["colleague_verified_now"].format(login=login))
        ui.rebuild()

    async def differs(_e) -> None:
        ui.page.show_dialog(
            ui.dialog(
                T["number_differs_title"],
                content=ft.Text(T["number_differs"].format(login=login)),
                actions=[ft.TextButton(T["ok"], on_click=lambda e: ui.page.pop_dialog())],
            )
        )

    async def later(_e) -> None:
        await ui.session.blocking(app.later_colleague, login)
        await ui.go(url("colleagues"))

    async def duo(e) -> None:
        await ui.session.blocking(app.set_duo, login, bool(e.control.value))

    if found.number:
        rows.append(number_text(found.number))
        if found.status != "verified":
            rows += [
                ft.Row(
                    [
                        ft.FilledButton(
                            T["number_same"],
                            icon=ft.Icons.CHECK,
                            on_click=ui.handler(lambda _e: verify(found.number)),
                        ),
                        ft.OutlinedButton(
                            T["number_differ"], icon=ft.Icons.CLOSE, on_click=ui.handler(differs)
                        ),
                    ],
                    wrap=True,
                ),
                typed,
                ft.OutlinedButton(
                    T["number_check"], on_click=ui.handler(lambda _e: verify(typed.value or ""))
                ),
            ]
        if found.status == "changed" and not found.later:
            rows.append(ft.TextButton(T["later"], on_click=ui.handler(later)))
    rows.append(ui.switch(T["duo_partner"], value=found.duo, on_change=ui.handler(duo)))
    return ui.screen(url("colleague", login=login), login, rows, back=url("colleagues"))
