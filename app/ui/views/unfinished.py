"""Half-written forms, found again: on Vandaag (all of them) and on their gezin's screen.

Only what the form is, for which gezin and since when is shown, never what was typed (a
colleague may look over the shoulder). One tap goes back into the form as it was left;
throwing one away can be undone.
"""

from __future__ import annotations

import flet as ft

from app.facade.drafts import Unfinished
from app.ui import format as fmt
from app.ui.routes import url
from app.ui.strings import T

ICONS = {"person": ft.Icons.PERSON_ADD_ALT, "person_edit": ft.Icons.MANAGE_ACCOUNTS}


def resumes(item: Unfinished) -> str:
    """The form's address: it restores the draft by itself."""
    if item.kind in ("note_edit", "signaal_edit"):
        return url("capture", editing=item.target)
    if item.kind in ("note", "signaal"):
        return url("capture", origin=item.origin)
    if item.kind == "person_edit":
        return url("person", case_id=item.case_id, node_id=item.target)
    return url("person_new", case_id=item.case_id)


def what(item: Unfinished) -> str:
    """'Notitie voor Gezin X': the form and its gezin, in words."""
    if item.kind == "note" and not item.case_id:
        return T["unfinished_note_nobody"]
    return T["unfinished_" + item.kind].format(gezin=item.case_name)


def since(ui, item: Unfinished) -> str:
    return fmt.moment(item.kept_at, ui.session.app.local_today()) if item.kept_at else ""


def section(ui) -> list[ft.Control]:
    """Vandaag's first section, or nothing when every form was saved."""
    items = ui.session.app.unfinished()
    if not items:
        return []
    rows: list[ft.Control] = [
        ft.Text(f"{T['unfinished_title']} ({len(items)})", size=16, weight=ft.FontWeight.BOLD)
    ]
    for item in items:
        when = since(ui, item)
        rows.append(
            ft.Column(
                [
                    ft.ListTile(
                        leading=ft.Icon(ICONS.get(item.kind, ft.Icons.EDIT_NOTE)),
                        title=ft.Text(what(item)),
                        subtitle=ft.Text(T["unfinished_when"].format(when=when)) if when else None,
                        on_click=ui.link(resumes(item)),
                        content_padding=ft.Padding.only(left=8, right=8),
                    ),
                    actions(ui, item),
                    ft.Divider(height=1),
                ],
                spacing=0,
            )
        )
    return rows


def card(ui, case_id: str) -> list[ft.Control]:
    """Near the top of a gezin: 'Je was hier een notitie aan het schrijven (vandaag 10:42)'."""
    cards: list[ft.Control] = []
    for item in ui.session.app.unfinished(case_id):
        when = since(ui, item)
        said = T["unfinished_here_" + item.kind.replace("signaal", "note")]
        cards.append(
            ft.Container(
                ft.Column(
                    [
                        ft.Row(
                            [
                                ft.Icon(ICONS.get(item.kind, ft.Icons.EDIT_NOTE)),
                                ft.Text(f"{said} ({when})" if when else said, expand=True),
                            ]
                        ),
                        actions(ui, item),
                    ],
                    spacing=0,
                ),
                padding=ft.Padding.only(left=12, right=4, top=8),
                border_radius=8,
                bgcolor=ft.Colors.SECONDARY_CONTAINER,
            )
        )
    return cards


def actions(ui, item: Unfinished) -> ft.Row:
    app = ui.session.app

    async def throw_away(_e) -> None:
        kept = await ui.session.blocking(app.throw_away, item.name)

        async def undo(_e) -> None:
            if kept is not None:
                await ui.session.blocking(app.put_back, item.name, kept)
            ui.rebuild()

        ui.offer_undo(T["unfinished_dropped"].format(what=what(item)), undo)
        ui.rebuild()

    return ft.Row(
        [
            ft.TextButton(
                T["unfinished_resume"], icon=ft.Icons.EDIT, on_click=ui.link(resumes(item))
            ),
            ft.TextButton(
                T["unfinished_drop"], icon=ft.Icons.DELETE_OUTLINE, on_click=ui.handler(throw_away)
            ),
        ],
        alignment=ft.MainAxisAlignment.END,
        spacing=0,
    )
