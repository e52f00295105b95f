"""Netwerkkaart screens: the picture with the same network as a list below it, adding or
changing a person on one screen, and the guiding questions one at a time.

Snapshots, the then-vs-now comparison and sharing are in `network_history`.
"""

from __future__ import annotations

import flet as ft

from app.core.network import Node, method
from app.core.network_prompts import prompts
from app.core.vocabulary import vocabulary
from app.ui.network_canvas import MapViewer, picture, tie_sample
from app.ui.routes import url
from app.ui.strings import T

MAX_WIDTH = 560


def width_for(ui) -> float:
    return float(min((ui.page.width or 412) - 32, MAX_WIDTH))


def overview(ui, case_id: str) -> ft.View:
    app = ui.session.app
    case = app.case(case_id)
    nodes = app.network(case_id)
    base = url("network", case_id=case_id)

    async def open_person(node_id: str) -> None:
        await ui.go(url("person", case_id=case_id, node_id=node_id))

    waiting = waiting_person(ui, case_id)
    placed = ui.session.map_layout(nodes)
    drawing = picture(
        ui.page, nodes, case.name, width_for(ui), ui.handler(open_person), placed=placed
    )
    controls: list[ft.Control] = [
        *waiting,
        ft.Row(
            [
                ft.FilledButton(
                    T["network_add"],
                    icon=ft.Icons.PERSON_ADD,
                    on_click=ui.link(url("person_new", case_id=case_id)),
                ),
                ft.OutlinedButton(
                    T["network_prompts"],
                    icon=ft.Icons.QUESTION_ANSWER_OUTLINED,
                    on_click=ui.link(url("network_questions", case_id=case_id)),
                ),
            ],
            wrap=True,
        ),
        ft.Container(drawing.control, alignment=ft.Alignment.CENTER),
        ft.Row(
            [
                ft.Text(T["network_tap_hint"], expand=True),
                zoom_buttons(ui, drawing.viewer),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        legend(ui),
        ft.Row(
            [
                ft.OutlinedButton(
                    T["network_snapshots"],
                    icon=ft.Icons.HISTORY,
                    on_click=ui.link(url("snapshots", case_id=case_id)),
                ),
                ft.OutlinedButton(
                    T["network_share"],
                    icon=ft.Icons.SHARE,
                    on_click=ui.link(url("network_share", case_id=case_id)),
                ),
            ],
            wrap=True,
        ),
    ]
    if not nodes:
        controls.append(ft.Text(T["network_empty"]))
    sectors = vocabulary("sector")
    for code in sectors.codes:
        members = [n for n in nodes if n.sector == code]
        if not members:
            continue
        controls.append(
            ft.Text(
                T["network_sector_head"].format(sector=sectors.label(code), count=len(members)),
                size=16,
                weight=ft.FontWeight.BOLD,
            )
        )
        controls += [
            ft.ListTile(
                leading=ft.Semantics(  # the name follows: no need to spell the initials
                    content=ft.CircleAvatar(content=ft.Text(n.initials)), exclude_semantics=True
                ),
                title=ft.Text(n.name),
                subtitle=ft.Text(describe(n)),
                on_click=ui.link(url("person", case_id=case_id, node_id=n.id)),
            )
            for n in members
        ]
    return ui.screen(
        base, f"{T['network_title']} · {case.name}", controls, back=url("case", case_id=case_id)
    )


def new_person_draft(case_id: str) -> str:
    return f"person:{case_id}:nieuw"


def waiting_person(ui, case_id: str) -> list[ft.Control]:
    """A person half added and left (a tab, a call): said on the map, one tap from the form,
    so it is not found only by opening Persoon toevoegen again."""
    kept = ui.session.app.draft(new_person_draft(case_id))
    if not kept:
        return []
    name = (kept.get("name") or "").strip()
    said = T["person_waiting_named"].format(name=name) if name else T["person_waiting"]
    return [
        ft.Container(
            ft.Row(
                [
                    ft.Icon(ft.Icons.EDIT_NOTE),
                    ft.Text(said, expand=True),
                    ft.TextButton(
                        T["person_resume"],
                        on_click=ui.link(url("person_new", case_id=case_id)),
                    ),
                ],
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            padding=ft.Padding.only(left=12, right=4),
            border_radius=8,
            bgcolor=ft.Colors.SECONDARY_CONTAINER,
        )
    ]


def zoom_buttons(ui, viewer: MapViewer) -> ft.Row:
    """In, out and the whole map: for one hand, a mouse, or a map too full to read at once."""
    half = float(viewer.width or 0) / 2

    async def zoom(factor: float) -> None:
        # Flutter scales around the top left corner and pans in the scaled picture's units:
        # move back by what the middle drifted, so it stays in view.
        await viewer.zoom(factor)
        shift = (1 - factor) * half / factor
        await viewer.pan(shift, shift)

    actions = (
        (ft.Icons.ZOOM_IN, "network_zoom_in", lambda *_: zoom(1.6)),
        (ft.Icons.ZOOM_OUT, "network_zoom_out", lambda *_: zoom(1 / 1.6)),
        (ft.Icons.FIT_SCREEN, "network_zoom_all", lambda *_: viewer.whole()),
    )
    return ft.Row([ui.icon_action(icon, T[key], act) for icon, key, act in actions], spacing=0)


def describe(node: Node) -> str:
    """One line for the list and for screen readers: ring, tie, supports, roles."""
    parts = [vocabulary("ring").label(str(node.ring)), vocabulary("tie").label(node.tie)]
    parts += [vocabulary("support").label(s) for s in node.supports]
    parts += [vocabulary("role").label(r) for r in node.roles]
    if node.organisation:
        parts.insert(0, T["person_organisation_short"])
    if node.client_helps:
        parts.append(T["person_client_helps_short"])
    if node.not_shared:
        parts.append(T["person_not_shared_short"])
    return " · ".join(parts)


def legend(ui) -> ft.Control:
    letters = method()["support_letters"]
    rows: list[ft.Control] = [
        ft.Row([tie_sample(t.code, ui.page), ft.Text(t.label)], spacing=8)
        for t in vocabulary("tie").terms
    ]
    rows.append(
        ft.Text(" · ".join(f"{letters[t.code]} {t.label}" for t in vocabulary("support").terms))
    )
    rows.append(ft.Text(T["legend_shapes"]))
    return ft.ExpansionTile(
        title=ft.Text(T["network_legend"]),
        controls=rows,
        controls_padding=ft.Padding.symmetric(horizontal=12, vertical=4),
        expanded_cross_axis_alignment=ft.CrossAxisAlignment.START,
    )


def person_form(ui, case_id: str, node_id: str | None = None) -> ft.View:
    """Adding (or changing) a person takes this one screen."""
    app = ui.session.app
    app.case(case_id)
    node = app.person(node_id) if node_id else None
    state: dict = {
        "sector": node.sector if node else None,
        "ring": node.ring if node else 2,
        "tie": node.tie if node else "gewoon",
        "supports": list(node.supports) if node else [],
        "roles": list(node.roles) if node else [],
    }
    name = ft.TextField(label=T["person_name"], value=node.name if node else "", autofocus=True)
    organisation = ui.switch(T["person_organisation"], value=bool(node and node.organisation))
    client_helps = ui.switch(T["person_client_helps"], value=bool(node and node.client_helps))
    not_shared = ui.switch(T["person_not_shared"], value=bool(node and node.not_shared))
    note = ft.TextField(
        label=T["person_note"], value=node.note if node else "", multiline=True, max_length=500
    )
    draft_name = f"person:{case_id}:{node_id}" if node_id else new_person_draft(case_id)

    def typed() -> dict:
        return {
            **{k: list(v) if isinstance(v, list) else v for k, v in state.items()},
            "name": name.value or "",
            "note": note.value or "",
            "organisation": bool(organisation.value),
        }

    untouched = typed()
    kept = app.draft(draft_name)
    if kept:  # input left behind when the worker tapped away: back where it was
        state.update({k: kept[k] for k in state if k in kept})
        name.value, note.value = kept.get("name", ""), kept.get("note", "")
        organisation.value = bool(kept.get("organisation"))

    async def keep_typed() -> None:
        now = typed()
        if now != untouched:
            await ui.session.blocking(app.save_draft, draft_name, now)

    async def drop_typed(_e=None) -> None:
        await ui.session.blocking(app.clear_draft, draft_name)
        ui.rebuild()

    ui.on_leave = keep_typed
    rows = {k: ui.one_of(T[f"person_{k}"]) for k in ("sector", "ring", "tie")} | {
        k: ft.Row(wrap=True) for k in ("supports", "roles")
    }
    vocab = {"sector": "sector", "ring": "ring", "tie": "tie", "supports": "support"}
    vocab["roles"] = "role"

    def render() -> None:
        for key, row in rows.items():
            many = key in ("supports", "roles")
            row.controls = [
                ft.Chip(
                    label=ft.Text(t.label),
                    selected=(t.code in state[key]) if many else _same(state[key], t.code),
                    on_select=ui.handler(lambda _e, k=key, c=t.code: pick(k, c)),
                )
                for t in vocabulary(vocab[key]).terms
            ]

    def pick(key: str, code: str) -> None:
        if key in ("supports", "roles"):
            chosen = state[key]
            chosen.remove(code) if code in chosen else chosen.append(code)
        else:
            state[key] = int(code) if key == "ring" else code
        render()
        ui.page.update()

    async def save(_e) -> None:
        if not state["sector"]:
            ui.toast(T["person_pick_sector"])
            return
        fields = {
            **state,
            "note": note.value or "",
            "organisation": bool(organisation.value),
            "client_helps": bool(client_helps.value),
            "not_shared": bool(not_shared.value),
        }
        if node is None:
            await ui.session.blocking(app.add_person, case_id, name.value or "", **fields)
        else:
            await ui.session.blocking(app.update_person, node.id, name=name.value or "", **fields)
        ui.on_leave = None
        await ui.session.blocking(app.clear_draft, draft_name)
        ui.toast(T["person_saved"])
        await ui.go(url("network", case_id=case_id))

    async def remove(_e) -> None:
        assert node is not None
        await ui.session.blocking(app.remove_person, node.id)
        ui.toast(T["person_removed"])
        await ui.go(url("network", case_id=case_id))

    render()
    controls: list[ft.Control] = []
    if kept:
        controls.append(
            ft.Row(
                [
                    ft.Text(T["draft_restored"], expand=True),
                    ft.TextButton(T["draft_drop"], on_click=ui.handler(drop_typed)),
                ]
            )
        )
    controls += [name, organisation]
    for key, title in (
        ("sector", "person_sector"),
        ("ring", "person_ring"),
        ("tie", "person_tie"),
        ("supports", "person_supports"),
        ("roles", "person_roles"),
    ):
        controls += [ft.Text(T[title], weight=ft.FontWeight.BOLD), rows[key]]
    controls += [
        client_helps,
        not_shared,
        note,
        ft.FilledButton(T["save"], icon=ft.Icons.CHECK, on_click=ui.handler(save)),
    ]
    if node is not None:
        controls.append(
            ft.OutlinedButton(
                T["person_remove"], icon=ft.Icons.DELETE_OUTLINE, on_click=ui.handler(remove)
            )
        )
    title = T["person_edit_title"] if node else T["person_new_title"]
    route_text = (
        url("person", case_id=case_id, node_id=node.id)
        if node
        else url("person_new", case_id=case_id)
    )
    return ui.screen(route_text, title, controls, back=url("network", case_id=case_id))


def questions(ui, case_id: str, index: str | int = 0) -> ft.View:
    """The guiding questions one at a time; an answer of names becomes people on the map."""
    app = ui.session.app
    app.case(case_id)
    asked = prompts()
    number = int(index) if str(index).isdigit() else 0
    index = max(0, min(number, len(asked) - 1))
    current = asked[index]
    state = {"sector": current.sector, "ring": current.ring}
    names = ft.TextField(label=T["prompt_names"], multiline=True, autofocus=True)
    sector_row, ring_row = ui.one_of(T["person_sector"]), ui.one_of(T["person_ring"])

    def render() -> None:
        sector_row.controls = [
            ft.Chip(
                label=ft.Text(vocabulary("sector").label(code)),
                selected=code == state["sector"],
                on_select=ui.handler(lambda _e, c=code: pick("sector", c)),
            )
            for code in current.sectors
        ]
        ring_row.controls = [
            ft.Chip(
                label=ft.Text(t.label),
                selected=int(t.code) == state["ring"],
                on_select=ui.handler(lambda _e, c=t.code: pick("ring", int(c))),
            )
            for t in vocabulary("ring").terms
        ]

    def pick(key: str, value: object) -> None:
        state[key] = value
        render()
        ui.page.update()

    async def add(_e) -> None:
        ids = await ui.session.blocking(
            app.answer_prompt,
            case_id,
            current.id,
            names.value or "",
            state["sector"],
            state["ring"],
        )
        ui.toast(T["prompt_added"].format(count=len(ids)))
        await ui.go(
            url("network_questions", case_id=case_id, index=index + 1)
            if index + 1 < len(asked)
            else url("network", case_id=case_id)
        )

    render()
    gives = [vocabulary("support").label(s) for s in current.supports]
    gives += [vocabulary("role").label(r) for r in current.roles]
    steps = ft.Row(
        [
            ft.OutlinedButton(
                T["prompt_previous"],
                icon=ft.Icons.ARROW_BACK,
                on_click=ui.link(url("network_questions", case_id=case_id, index=index - 1)),
                disabled=index == 0,
            ),
            ft.OutlinedButton(
                T["prompt_next"],
                icon=ft.Icons.ARROW_FORWARD,
                on_click=ui.link(url("network_questions", case_id=case_id, index=index + 1)),
                disabled=index + 1 >= len(asked),
            ),
            ft.TextButton(T["prompt_done"], on_click=ui.link(url("network", case_id=case_id))),
        ],
        wrap=True,
    )
    controls: list[ft.Control] = [
        ft.Container(
            ft.Text(T["prompt_frame"], size=14, italic=True),
            padding=10,
            border_radius=8,
            bgcolor=ft.Colors.SECONDARY_CONTAINER,
        ),
        ft.Text(
            T["prompt_progress"].format(i=index + 1, n=len(asked))
            + (f" · {T['prompt_extra']}" if current.extra else ""),
        ),
        ft.Text(current.question, size=22, weight=ft.FontWeight.BOLD),
        ft.Text(T["prompt_gives"].format(codes=", ".join(gives))),
        names,
        ft.Text(T["person_sector"], weight=ft.FontWeight.BOLD),
        sector_row,
        ft.Text(T["person_ring"], weight=ft.FontWeight.BOLD),
        ring_row,
        ft.FilledButton(T["prompt_add"], icon=ft.Icons.ADD, on_click=ui.handler(add)),
        ft.Text(T["prompt_hint"]),
        steps,
    ]
    return ui.screen(
        url("network_questions", case_id=case_id, index=index),
        T["prompt_title"],
        controls,
        back=url("network", case_id=case_id),
    )


def _same(value: object, code: str) -> bool:
    return str(value) == code
