"""Signalen (first contacts without a name yet) and linking one to a gezin; merging two
gezinnen that turn out to be the same family."""

from __future__ import annotations

import flet as ft

from app.ui import format as fmt
from app.ui.routes import url
from app.ui.strings import T


def signaal_tile(ui) -> list[ft.Control]:
    """A way in from Vandaag and Gezinnen, shown while there are signalen to link."""
    count = len(ui.session.app.signalen())
    if not count:
        return []
    return [
        ft.ListTile(
            leading=ft.Icon(ft.Icons.PERSON_SEARCH),
            title=ft.Text(T["signalen_link"].format(count=count)),
            on_click=ui.link(url("signalen")),
        )
    ]


def list_view(ui) -> ft.View:
    app = ui.session.app
    rows: list[ft.Control] = [ft.Text(T["signalen_intro"])]
    for note in app.signalen():
        rows.append(
            ft.ListTile(
                leading=ft.Icon(ft.Icons.PERSON_SEARCH),
                title=ft.Text(
                    note.text or T["signaal"], max_lines=3, overflow=ft.TextOverflow.ELLIPSIS
                ),
                subtitle=ft.Text(fmt.when(note.created_at)),
                trailing=ft.Icon(ft.Icons.LINK),
                on_click=ui.link(url("signaal", note_id=note.id)),
            )
        )
    if len(rows) == 1:
        rows.append(ft.Text(T["signalen_none"]))
    return ui.screen(url("signalen"), T["signalen_title"], rows, back=url("cases"))


def link_view(ui, note_id: str) -> ft.View:
    """Pick the gezin this signaal belongs to, or make a new one."""
    app = ui.session.app
    note = app.note(note_id)
    results = ft.Column()
    search = ft.TextField(label=T["search"], prefix_icon=ft.Icons.SEARCH)
    name = ft.TextField(label=T["case_name"], expand=True)

    async def link(case_id: str, name: str) -> None:
        await ui.session.blocking(app.link_signaal, note_id, case_id)

        async def undo(_e) -> None:
            await ui.session.blocking(app.unlink_signaal, note_id)
            ui.toast(T["signaal_unlinked"])
            await ui.go(url("signaal", note_id=note_id))

        await ui.go(url("case", case_id=case_id))
        ui.offer_undo(T["signaal_linked"].format(name=name), undo)

    def ask(case_id: str, name: str):
        """One tap on a name must not put a confidential signaal in another family's file."""

        async def asked(_e) -> None:
            async def yes(_e) -> None:
                ui.page.pop_dialog()
                await link(case_id, name)

            ui.page.show_dialog(
                ui.dialog(
                    T["signaal_link_question"].format(name=name),
                    actions=[
                        ft.TextButton(T["cancel"], on_click=lambda _e: ui.page.pop_dialog()),
                        ft.FilledButton(T["signaal_link_yes"], on_click=ui.handler(yes)),
                    ],
                )
            )

        return ui.handler(asked)

    async def new_case(_e) -> None:
        case_id = await ui.session.blocking(app.link_signaal_to_new_case, note_id, name.value or "")
        ui.toast(T["signaal_linked"].format(name=name.value or ""))
        await ui.go(url("case", case_id=case_id))

    def fill(text: str = "") -> None:
        results.controls = [
            ft.ListTile(
                leading=ft.Icon(ft.Icons.FAMILY_RESTROOM),
                title=ft.Text(case.name),
                on_click=ask(case.id, case.name),
            )
            for case in app.cases(text)
        ] or [ft.Text(T["no_cases"])]

    def searched(e) -> None:
        fill(e.control.value or "")
        ui.page.update()

    search.on_change = ui.handler(searched)
    name.on_submit = ui.handler(new_case)
    fill()
    controls: list[ft.Control] = [
        ft.Text(note.text or T["signaal"], italic=True),
        ft.Text(fmt.when(note.created_at)),
        ft.Text(T["signaal_to_case"], size=16, weight=ft.FontWeight.BOLD),
        search,
        results,
        ft.Text(T["signaal_new_case"], size=16, weight=ft.FontWeight.BOLD),
        ft.Row(
            [name, ft.FilledButton(T["new_case"], icon=ft.Icons.ADD, on_click=ui.handler(new_case))]
        ),
    ]
    return ui.screen(
        url("signaal", note_id=note_id), T["signaal_link_title"], controls, back=url("signalen")
    )


def merge_view(ui, case_id: str) -> ft.View:
    """Fold another gezin into this one (the same family, made twice): asked once, then done."""
    app = ui.session.app
    kept = app.case(case_id)
    rows: list[ft.Control] = [ft.Text(T["merge_intro"].format(name=kept.name))]

    def ask(other_id: str, other_name: str) -> None:
        async def yes(_e) -> None:
            ui.page.pop_dialog()
            await ui.session.blocking(app.merge_cases, case_id, other_id)
            ui.toast(T["merged"])
            await ui.go(url("case", case_id=case_id))

        ui.page.show_dialog(
            ui.dialog(
                T["merge_title"],
                modal=True,
                content=ft.Text(T["merge_question"].format(other=other_name, name=kept.name)),
                actions=[
                    ft.TextButton(T["cancel"], on_click=lambda _e: ui.page.pop_dialog()),
                    ft.FilledButton(T["merge_confirm"], on_click=ui.handler(yes)),
                ],
            )
        )

    for case in app.cases():
        if case.id == case_id:
            continue
        rows.append(
            ft.ListTile(
                leading=ft.Icon(ft.Icons.FAMILY_RESTROOM),
                title=ft.Text(case.name),
                on_click=ui.handler(lambda _e, c=case.id, n=case.name: ask(c, n)),
            )
        )
    return ui.screen(
        url("merge", case_id=case_id), T["merge_title"], rows, back=url("case", case_id=case_id)
    )
