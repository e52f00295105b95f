"""Delen met…: who reads a gezin, sharing it with a verified colleague, stopping, and
handing it over (docs/sharing.md). Every change is a signed entry that leaves with the
next sync; what a colleague already saw cannot be taken back, and the screen says so."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app.ui.routes import url
from app.ui.strings import T


def build(ui, case_id: str) -> ft.View:
    app = ui.session.app
    case = app.case(case_id)
    sharing = app.case_sharing(case_id)
    me = app.my_login()
    back = url("case", case_id=case_id)

    def confirm(title: str, text: str, yes: str, act: Callable[[], Awaitable[None]]):
        async def ask(_e) -> None:
            async def go(_e) -> None:
                ui.page.pop_dialog()
                await act()

            ui.page.show_dialog(
                ui.dialog(
                    title,
                    content=ft.Text(text),
                    actions=[
                        ft.TextButton(T["cancel"], on_click=lambda _e: ui.page.pop_dialog()),
                        ft.FilledButton(yes, on_click=ui.handler(go)),
                    ],
                )
            )

        return ui.handler(ask)

    def change(method, login: str, done: str) -> Callable[[], Awaitable[None]]:
        async def act() -> None:
            await ui.session.blocking(method, case_id, login)
            ui.toast(done.format(login=login))
            ui.rebuild()

        return act

    def member_action(key: str, login: str, method) -> ft.Control:
        """A button on a member ("Niet meer delen", "Overdragen") that asks first; its
        strings are `key`, `key_title`, `key_text` and `key_done`."""
        return ft.TextButton(
            content=ui.said(T[key], login),
            on_click=confirm(
                T[f"{key}_title"].format(login=login),
                T[f"{key}_text"].format(login=login),
                T[key],
                change(method, login, T[f"{key}_done"]),
            ),
        )

    rows: list[ft.Control] = [
        ft.Text(case.name, size=18, weight=ft.FontWeight.BOLD),
        ft.Text(T["sharing_intro"]),
    ]
    if not me:
        rows.append(ft.Text(T["sharing_not_enrolled"]))
        return ui.screen(url("sharing", case_id=case_id), T["sharing_case_title"], rows, back=back)

    rows.append(ft.Text(T["sharing_readers"], size=18, weight=ft.FontWeight.BOLD))
    for login in sharing.members or (me,):
        said = T["sharing_me"] if login == me else login
        if login == (sharing.owner or me):
            said = T["sharing_owner"].format(who=said)
        actions: list[ft.Control] = []
        if login != me:
            actions.append(member_action("sharing_stop", login, app.unshare_case))
            if sharing.mine:
                actions.append(member_action("sharing_hand_over", login, app.hand_over))
        rows.append(
            ft.Column(
                [ft.Text(said, weight=ft.FontWeight.BOLD), ft.Row(actions, wrap=True)],
                spacing=0,
            )
        )
    for login in sharing.waiting:
        rows.append(ft.Text(T["sharing_waiting"].format(login=login), color=ft.Colors.ERROR))
    for sentence in sharing.refused:
        rows.append(ft.Text(sentence, color=ft.Colors.ERROR))

    team = app.colleagues()
    others = [c for c in team if c.login not in sharing.members]
    rows += [ft.Divider(), ft.Text(T["sharing_with"], size=18, weight=ft.FontWeight.BOLD)]
    if not others:
        rows.append(ft.Text(T["sharing_all_read"] if team else T["sharing_nobody"]))
    for colleague in others:
        if colleague.status == "verified":
            rows.append(
                ft.FilledTonalButton(
                    content=ft.Text(T["sharing_with_one"].format(login=colleague.login)),
                    icon=ft.Icons.PERSON_ADD_ALT,
                    on_click=confirm(
                        T["sharing_with_one"].format(login=colleague.login) + "?",
                        T["sharing_with_text"].format(login=colleague.login),
                        T["sharing_yes"],
                        change(app.share_case, colleague.login, T["sharing_done"]),
                    ),
                )
            )
        else:
            rows.append(
                ft.ListTile(
                    leading=ft.Icon(ft.Icons.SHIELD_OUTLINED),
                    title=ft.Text(colleague.login),
                    subtitle=ft.Text(T["sharing_verify_first"]),
                    on_click=ui.link(url("colleague", login=colleague.login)),
                )
            )
    return ui.screen(url("sharing", case_id=case_id), T["sharing_case_title"], rows, back=back)
