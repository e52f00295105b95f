"""Gezinnen: list with search (recent first), and one gezin with its timeline."""

from __future__ import annotations

import flet as ft

from app.core.timeline import attempt_ratio
from app.core.vocabulary import vocabulary
from app.ui import format as fmt
from app.ui.routes import url
from app.ui.strings import T, counted
from app.ui.views import case_method, unfinished
from app.ui.views.case_header import header
from app.ui.views.signalen import signaal_tile
from app.ui.views.timeline import section as timeline_section


def list_view(ui) -> ft.View:
    app = ui.session.app
    results = ft.Column()
    search = ft.TextField(label=T["search"], prefix_icon=ft.Icons.SEARCH)
    new_name = ft.TextField(label=T["case_name"])

    def fill(text: str = "") -> None:
        found = app.cases(text)
        results.controls = [
            ft.ListTile(
                leading=ft.Icon(ft.Icons.FAMILY_RESTROOM),
                title=ft.Text(case.name),
                subtitle=ft.Text(case_line(case)),
                on_click=ui.link(url("case", case_id=case.id)),
            )
            for case in found
        ] or [ft.Text(T["no_cases"])]

    async def add(_e) -> None:
        case_id = await ui.session.blocking(app.add_case, new_name.value or "")
        new_name.value = ""
        await ui.go(url("case", case_id=case_id))

    def search_now(e) -> None:
        fill(e.control.value or "")
        ui.page.update()

    search.on_change = ui.handler(search_now)
    new_name.on_submit = ui.handler(add)
    fill()
    return ui.screen(
        url("cases"),
        T["cases_title"],
        [
            search,
            ft.Row(
                [
                    ft.Container(new_name, expand=True),
                    ft.FilledButton(T["new_case"], icon=ft.Icons.ADD, on_click=ui.handler(add)),
                ]
            ),
            *signaal_tile(ui),
            results,
        ],
    )


def case_line(case) -> str:
    """Phase, and the status when it is not the usual 'actief' (with the revisit day)."""
    parts = [vocabulary("phase").label(case.phase)]
    if case.status == "lager_pitje" and case.revisit:
        parts.append(T["revisit_until"].format(day=fmt.day(case.revisit)))
    elif case.status != "actief":
        parts.append(vocabulary("case_status").label(case.status))
    return " · ".join(parts)


def detail(ui, case_id: str) -> ft.View:
    keep_open, ui.session.keep_open = ui.session.keep_open, None  # for this one build
    app = ui.session.app
    case = app.case(case_id)
    notes = app.notes(case_id)  # once: timeline and ratio are computed from the same list
    attempts, contacts = attempt_ratio(notes)

    members = ft.Column(
        [ft.Text(f"{m.name}" + (f" ({m.relation})" if m.relation else "")) for m in case.members]
    )
    member_name = ft.TextField(label=T["member_name"], expand=True)
    member_relation = ft.TextField(label=T["member_relation"], expand=True)
    strengths = ft.Column([ft.Text(f"• {k}") for k in case.strengths])
    strength = ft.TextField(label=T["strength_add"], expand=True)
    needs = ft.Column(
        [
            ft.Text(f"{vocabulary('domain').label(code)}: {text}")
            for code, text in case.needs.items()
        ]
    )
    need_domain = ft.Dropdown(
        label=T["need_domain"],
        options=[ft.DropdownOption(key=t.code, text=t.label) for t in vocabulary("domain").terms],
    )
    need_text = ft.TextField(label=T["need_text"], multiline=True)

    async def add_member(_e) -> None:
        ui.session.keep_open = "household"
        new = [
            {"name": m.name, "relation": m.relation, "birth_year": m.birth_year}
            for m in case.members
        ]
        new.append({"name": member_name.value or "", "relation": member_relation.value or ""})
        await ui.session.blocking(app.edit_case, case_id, members=new)
        ui.rebuild()

    async def add_strength(_e) -> None:
        ui.session.keep_open = "household"
        await ui.session.blocking(
            app.edit_case, case_id, strengths=[*case.strengths, strength.value or ""]
        )
        ui.rebuild()

    async def set_need(_e) -> None:
        ui.session.keep_open = "household"
        if not need_domain.value:
            ui.toast(T["need_pick_domain"])
            return
        await ui.session.blocking(
            app.edit_case, case_id, needs={**case.needs, need_domain.value: need_text.value or ""}
        )
        ui.rebuild()

    household = ui.folded(
        ft.ExpansionTile(
            title=ft.Text(T["household_title"]),
            expanded=keep_open == "household",
            expanded_cross_axis_alignment=ft.CrossAxisAlignment.STRETCH,
            controls_padding=ft.Padding.symmetric(horizontal=8, vertical=4),
        ),
        lambda: [
            ft.Text(T["members"], weight=ft.FontWeight.BOLD),
            members,
            ft.Row([member_name, member_relation]),
            ft.OutlinedButton(
                T["member_add"], icon=ft.Icons.PERSON_ADD, on_click=ui.handler(add_member)
            ),
            ft.Text(T["strengths"], weight=ft.FontWeight.BOLD),
            strengths,
            ft.Row([strength, ft.OutlinedButton(T["add"], on_click=ui.handler(add_strength))]),
            ft.Text(T["needs"], weight=ft.FontWeight.BOLD),
            needs,
            ui.named(need_domain, T["need_domain"]),
            need_text,
            ft.OutlinedButton(T["need_save"], on_click=ui.handler(set_need)),
        ],
    )

    return ui.screen(
        url("case", case_id=case_id),
        case.name,
        [
            *unfinished.card(ui, case_id),
            *header(ui, case),
            *shared_line(app.shared_with(case_id)),
            ft.Text(
                T["attempts"].format(
                    attempts=counted(attempts, "poging"), contacts=counted(contacts, "contact")
                )
            ),
            household,
            *case_method.sections(ui, case),
            ft.OutlinedButton(
                T["rights_button"],
                icon=ft.Icons.BALANCE,
                on_click=ui.link(url("rights", case_id=case_id)),
            ),
            ft.OutlinedButton(
                T["network_button"],
                icon=ft.Icons.HUB_OUTLINED,
                on_click=ui.link(url("network", case_id=case_id)),
            ),
            ft.FilledButton(
                T["capture_title"],
                icon=ft.Icons.ADD,
                on_click=ui.link(url("capture", origin=case_id)),
            ),
            ft.OutlinedButton(
                T["sharing_button"],
                icon=ft.Icons.GROUP_ADD_OUTLINED,
                on_click=ui.link(url("sharing", case_id=case_id)),
            ),
            ft.TextButton(
                T["merge_button"],
                icon=ft.Icons.MERGE_TYPE,
                on_click=ui.link(url("merge", case_id=case_id)),
            ),
            *timeline_section(ui, case, notes),
        ],
        back=url("cases"),
    )


def shared_line(logins: list[str]) -> list[ft.Control]:
    """Who else reads this gezin, at a glance (nothing when nobody does)."""
    if not logins:
        return []
    return [ft.Text(T["sharing_line"].format(logins=", ".join(logins)), italic=True)]
