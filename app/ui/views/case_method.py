"""Two parts of the gezin screen that follow the method: what the method asks in the
current phase (assets/method.json), and how to reach the gezin (channels, best moment,
who signalled it) with a one-tap terugbellen that says what it saved, with Ongedaan maken."""

from __future__ import annotations

import flet as ft

from app.core.cases import Case
from app.core.vocabulary import vocabulary
from app.ui import format as fmt
from app.ui.strings import T


def sections(ui, case: Case) -> list[ft.Control]:
    return [phase_card(ui, case), *reach(ui, case)]


def phase_card(ui, case: Case) -> ft.Control:
    app = ui.session.app
    guidance = app.phase_guidance(case.id)
    lines: list[ft.Control] = [
        ft.Text(
            T["phase_card_title"].format(phase=vocabulary("phase").label(case.phase)),
            weight=ft.FontWeight.BOLD,
        ),
        *[ft.Text(f"• {step}", size=14) for step in guidance.steps],
    ]
    offer = guidance.follow_up
    if offer and not (case.status == "lager_pitje" and case.revisit == offer["due"]):

        async def plan(_e) -> None:
            await ui.session.blocking(app.set_status, case.id, "lager_pitje", offer["due"])
            ui.toast(T["phase_call_planned"].format(day=fmt.day(offer["due"])))
            ui.rebuild()

        lines.append(
            ft.OutlinedButton(
                T["phase_call"].format(what=offer["what"], day=fmt.day(offer["due"])),
                icon=ft.Icons.PHONE_CALLBACK,
                on_click=ui.handler(plan),
            )
        )
    return ft.Card(ft.Container(ft.Column(lines, tight=True, spacing=6), padding=12))


def reach(ui, case: Case) -> list[ft.Control]:
    """Changed in place (no rebuild of the screen), so the section stays open and where it
    was while the worker adds a way, the best moment or who signalled the gezin."""
    app = ui.session.app
    channels = vocabulary("reach_channel")
    now = {"case": case}
    ways = ft.Column(spacing=0)
    summary = ft.Text()
    referrer_row = ft.Row(wrap=True, spacing=4)

    def fill() -> None:
        current = now["case"]
        words = ", ".join(channels.label(r.channel) for r in current.reach) or T["reach_none"]
        summary.value = words + (f" · {current.best_moment}" if current.best_moment else "")
        ways.controls = [way_row(i, way) for i, way in enumerate(current.reach)]
        for chip in referrer_row.controls:
            if isinstance(chip, ft.Chip):
                chip.selected = chip.data == current.referred_by

    async def save(**changes) -> None:
        await ui.session.blocking(app.edit_case, case.id, **changes)
        now["case"] = await ui.session.blocking(app.case, case.id)
        fill()  # the change shows in place; no toast to cover the form while typing on
        ui.page.update()

    def listed() -> list[dict[str, str]]:
        return [{"channel": r.channel, "value": r.value} for r in now["case"].reach]

    def way_row(i: int, way) -> ft.Control:
        label = channels.label(way.channel) + (f": {way.value}" if way.value else "")

        async def remove(*_e) -> None:
            await save(reach=[r for j, r in enumerate(listed()) if j != i])

        return ft.Row(
            [
                ft.Text(label, expand=True),
                ui.icon_action(ft.Icons.CLOSE, T["reach_remove"].format(way=label), remove),
            ]
        )

    picked: dict[str, str | None] = {"channel": None}
    channel_row = ft.Row(wrap=True, spacing=4)
    hint = ft.Text(T["reach_pick_channel"], color=ft.Colors.ERROR, visible=False)
    value = ft.TextField(label=T["reach_value"])

    def pick_channel(code: str | None) -> None:
        picked["channel"] = None if picked["channel"] == code else code
        for chip in channel_row.controls:
            if isinstance(chip, ft.Chip):
                chip.selected = chip.data == picked["channel"]
        hint.visible = False
        ui.page.update()

    async def add(_e) -> None:
        if not picked["channel"]:
            hint.visible = True
            ui.page.update()
            return
        way = {"channel": picked["channel"], "value": value.value or ""}
        value.value = ""
        pick_channel(None)
        await save(reach=[*listed(), way])

    async def choose_referrer(code: str) -> None:
        await save(referred_by=None if code == now["case"].referred_by else code)

    moment = ft.TextField(label=T["reach_moment"], value=case.best_moment)

    async def call_back(_e) -> None:
        note_id = await ui.session.blocking(app.call_back, case.id)

        async def undo(_e) -> None:  # a stray tap must not count as a contact
            await ui.session.blocking(app.delete_note, note_id)
            ui.toast(T["call_back_undone"])
            ui.rebuild()

        note = await ui.session.blocking(app.note, note_id)
        said = note.text[:1].lower() + note.text[1:]
        ui.offer_undo(T["call_back_done"].format(note=said), undo)
        ui.rebuild()

    def contents() -> list[ft.Control]:
        channel_row.controls = [
            ft.Chip(
                label=ft.Text(t.label),
                data=t.code,
                on_select=ui.handler(lambda _e, c=t.code: pick_channel(c)),
            )
            for t in channels.terms
        ]
        referrer_row.controls = [
            ft.Chip(
                label=ft.Text(t.label),
                data=t.code,
                on_select=ui.handler(lambda _e, c=t.code: choose_referrer(c)),
            )
            for t in vocabulary("referrer").terms
        ]
        fill()
        return [
            ways,
            ft.Text(T["reach_channel"], weight=ft.FontWeight.BOLD),
            channel_row,
            hint,
            value,
            ft.OutlinedButton(T["reach_add"], icon=ft.Icons.ADD, on_click=ui.handler(add)),
            moment,
            ft.OutlinedButton(
                T["reach_moment_save"],
                on_click=ui.handler(lambda _e: save(best_moment=moment.value or "")),
            ),
            ft.Text(T["referred_by"], weight=ft.FontWeight.BOLD),
            referrer_row,
        ]

    fill()
    tile = ui.folded(
        ft.ExpansionTile(
            title=ft.Text(T["reach_title"]),
            subtitle=summary,
            expanded_cross_axis_alignment=ft.CrossAxisAlignment.STRETCH,
            controls_padding=ft.Padding.symmetric(horizontal=8, vertical=4),
        ),
        contents,
    )
    button = ft.FilledTonalButton(
        T["call_back"], icon=ft.Icons.PHONE_CALLBACK, on_click=ui.handler(call_back)
    )
    return [tile, ft.Row([button])]
