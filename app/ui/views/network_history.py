"""How a netwerkkaart grows: dated snapshots, then vs now side by side with plain sentences,
and sharing the picture or a one-page summary through the phone's share sheet (nothing is
written to shared storage)."""

from __future__ import annotations

import logging
from dataclasses import replace

import flet as ft

from app.core.errors import InvalidInput
from app.core.localtime import today as local_today
from app.core.network import Node
from app.core.network_layout import Layout, layout
from app.core.network_snapshot import Comparison, Snapshot, sentences
from app.core.vocabulary import vocabulary
from app.ui import format as fmt
from app.ui.dates import read_day
from app.ui.field_error import clear_on_typing, say_on
from app.ui.network_canvas import picture
from app.ui.routes import url
from app.ui.strings import T, counted

NOW = "nu"
log = logging.getLogger(__name__)


def snapshots(ui, case_id: str) -> ft.View:
    app = ui.session.app
    case = app.case(case_id)
    taken = app.snapshots(case_id)
    label = ft.TextField(label=T["snapshot_label"])
    base = url("network", case_id=case_id)

    async def save(_e) -> None:
        await ui.session.blocking(app.snapshot, case_id, label.value or "")
        ui.toast(T["snapshot_saved"])
        ui.rebuild()

    choice = {"from": taken[0].id if taken else None, "to": NOW}
    options = [ft.DropdownOption(key=s.id, text=_name(s)) for s in taken]
    start = ft.Dropdown(label=T["compare_from"], value=choice["from"], options=options)
    end = ft.Dropdown(
        label=T["compare_to"],
        value=NOW,
        options=[ft.DropdownOption(key=NOW, text=T["compare_now"]), *options],
    )
    start.on_select = ui.handler(lambda e: choice.update({"from": e.control.value}))
    end.on_select = ui.handler(lambda e: choice.update({"to": e.control.value}))

    async def go_compare(_e) -> None:
        await ui.go(url("comparison", case_id=case_id, before=choice["from"], after=choice["to"]))

    controls: list[ft.Control] = [
        ft.Text(T["snapshots_intro"]),
        label,
        ft.FilledButton(T["snapshot_save"], icon=ft.Icons.CAMERA_ALT, on_click=ui.handler(save)),
    ]
    if taken:
        controls += [
            ft.Text(T["compare_title"], size=18, weight=ft.FontWeight.BOLD),
            ui.named(start, T["compare_from"]),
            ui.named(end, T["compare_to"]),
            ft.FilledButton(
                T["compare"], icon=ft.Icons.COMPARE_ARROWS, on_click=ui.handler(go_compare)
            ),
            ft.Text(T["network_snapshots"], size=18, weight=ft.FontWeight.BOLD),
        ]
        controls += [
            ft.ListTile(
                leading=ft.Icon(ft.Icons.HISTORY),
                title=ft.Text(_name(s)),
                subtitle=ft.Text(
                    T["snapshot_count"].format(count=counted(len(s.nodes), "persoon"))
                ),
                on_click=ui.link(url("comparison", case_id=case_id, before=s.id, after=NOW)),
            )
            for s in reversed(taken)
        ]
    else:
        controls.append(ft.Text(T["snapshots_none"]))
    return ui.screen(
        url("snapshots", case_id=case_id),
        f"{T['network_snapshots']} · {case.name}",
        controls,
        back=base,
    )


def comparison(ui, case_id: str, before: str | None = None, after: str | None = None) -> ft.View:
    app = ui.session.app
    case = app.case(case_id)
    taken = {s.id: s for s in app.snapshots(case_id)}
    if before not in taken:
        before = next(iter(taken), None)
    after = after if after in taken else None
    base = url("network", case_id=case_id)
    if before is None:
        return ui.screen(
            url("comparison", case_id=case_id),
            T["compare_title"],
            [ft.Text(T["snapshots_none"])],
            back=base,
        )
    then = list(taken[before].nodes)
    now = list(taken[after].nodes) if after else app.network(case_id)
    diff = app.compare(case_id, before, after)
    available = min((ui.page.width or 412) - 32, 720)
    wide = available >= 560  # side by side on a tablet; one above the other on a phone
    width = (available - 8) / 2 if wide else available
    left, right = side_by_side(then, now)
    shown = [
        _captioned(ui, then, case.name, width, left, _name(taken[before])),
        _captioned(
            ui, now, case.name, width, right, _name(taken[after]) if after else T["compare_now"]
        ),
    ]
    pictures: ft.Control = (
        ft.Row(
            shown,
            spacing=8,
            alignment=ft.MainAxisAlignment.CENTER,
            vertical_alignment=ft.CrossAxisAlignment.START,
        )
        if wide
        else ft.Column(shown, spacing=12)
    )
    controls: list[ft.Control] = [
        pictures,
        ft.Text(T["compare_said"], size=18, weight=ft.FontWeight.BOLD),
        *[ft.Text(f"• {line}", size=16) for line in sentences(diff)],
        *_who(diff),
        ft.Text(T["compare_counts"], size=18, weight=ft.FontWeight.BOLD),
        *_counts(diff),
    ]
    return ui.screen(
        url("comparison", case_id=case_id, before=before, after=after or NOW),
        f"{T['compare_title']} · {case.name}",
        controls,
        back=url("snapshots", case_id=case_id),
    )


def side_by_side(then: list[Node], now: list[Node]) -> tuple[Layout, Layout]:
    """One layout for both moments, so a person stays in the same place in both pictures;
    someone who moved sector or ring gets a place at each moment."""
    current = {n.id: n for n in now}
    moved = {
        n.id
        for n in then
        if n.id in current and (n.sector, n.ring) != (current[n.id].sector, current[n.id].ring)
    }
    earlier = [replace(n, id=f"then:{n.id}") if n.id in moved else n for n in then]
    union = [*now, *(n for n in earlier if n.id not in current)]
    together = layout(union)

    def only(nodes: list[Node], prefix: bool) -> Layout:
        spots = {}
        for n in nodes:
            key = f"then:{n.id}" if prefix and n.id in moved else n.id
            spots[n.id] = replace(together.nodes[key], id=n.id)
        return replace(together, nodes=spots)

    return only(then, True), only(now, False)


def share(ui, case_id: str) -> ft.View:
    app = ui.session.app
    case = app.case(case_id)
    nodes = app.network(case_id)
    base = url("network", case_id=case_id)
    width = min((ui.page.width or 412) - 32, 560)
    placed = ui.session.map_layout(nodes)
    drawing, canvas, _ = picture(ui.page, nodes, case.name, width, placed=placed)
    consent = ft.TextField(label=T["share_consent"])
    clear_on_typing(consent)

    async def send(name: str, mime: str, data: bytes) -> None:
        """To the share sheet only: without one, nothing is saved anywhere."""
        sheet = ft.Share()  # kept referenced while the sheet is open
        try:
            await sheet.share_files([ft.ShareFile.from_bytes(data, mime_type=mime, name=name)])
        except RuntimeError as exc:  # e.g. a browser without the Web Share API
            log.warning("share sheet unavailable (%s)", type(exc).__name__)
            ui.toast(T["share_unavailable"])
            return
        ui.toast(T["share_done"])

    async def as_png(_e) -> None:
        await canvas.capture(pixel_ratio=3)
        data = await canvas.get_capture()
        day = local_today().isoformat()
        await send(f"netwerkkaart-{day}.png", "image/png", data)

    async def as_file(what: str, audience: str = "client") -> None:
        consent_day = None
        if audience == "overleg":  # said on the field when it is missing or cannot be read
            consent_day = read_day(consent, "consent", app.local_today(), past=True)
            if consent_day is None:
                raise say_on(consent, InvalidInput("consent", "none"))
        exported = await ui.session.blocking(
            app.export_network,
            case_id,
            what,
            audience=audience,
            consent_day=consent_day,
        )
        await send(*exported)

    controls: list[ft.Control] = [
        ft.Text(T["share_intro"]),
        ft.Container(drawing, alignment=ft.Alignment.CENTER),
        ft.FilledButton(T["share_png"], icon=ft.Icons.IMAGE, on_click=ui.handler(as_png)),
        ft.OutlinedButton(
            T["share_svg"], icon=ft.Icons.DRAW, on_click=ui.handler(lambda _e: as_file("svg"))
        ),
        ft.OutlinedButton(
            T["share_client"],
            icon=ft.Icons.DESCRIPTION,
            on_click=ui.handler(lambda _e: as_file("summary")),
        ),
        ft.Text(T["share_overleg_intro"]),
        consent,
        ft.OutlinedButton(
            T["share_overleg"],
            icon=ft.Icons.GROUPS,
            on_click=ui.handler(lambda _e: as_file("summary", "overleg")),
        ),
    ]
    return ui.screen(
        url("network_share", case_id=case_id),
        f"{T['share_title']} · {case.name}",
        controls,
        back=base,
    )


def _name(snapshot: Snapshot) -> str:
    day = fmt.day(snapshot.day)
    return f"{snapshot.label} · {day}" if snapshot.label else day


def _captioned(ui, nodes: list[Node], centre: str, width: float, placed: Layout, caption: str):
    drawing, _, _ = picture(ui.page, nodes, centre, width, placed=placed)
    return ft.Column(
        [ft.Text(caption, weight=ft.FontWeight.BOLD, text_align=ft.TextAlign.CENTER), drawing],
        width=width,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )


def _who(diff: Comparison) -> list[ft.Control]:
    def names(nodes) -> str:
        return ", ".join(n.name for n in nodes)

    def moves(changes, field: str) -> str:
        vocab = "tie" if field == "tie" else "ring"
        label = vocabulary(vocab).label
        return ", ".join(
            T["compare_move"].format(
                name=c.after.name,
                before=label(str(getattr(c.before, field))).lower(),
                after=label(str(getattr(c.after, field))).lower(),
            )
            for c in changes
        )

    lines = [
        ("compare_new", names(diff.came_in)),
        ("compare_left", names(diff.left)),
        ("compare_stronger", moves(diff.stronger, "tie")),
        ("compare_weaker", moves(diff.weaker, "tie")),
        ("compare_broken", names(tuple(c.after for c in diff.broken))),
        ("compare_renewed", moves(diff.renewed, "tie")),
        ("compare_closer", moves(diff.closer, "ring")),
        ("compare_further", moves(diff.further, "ring")),
    ]
    return [ft.Text(T[key].format(names=text)) for key, text in lines if text]


def _counts(diff: Comparison) -> list[ft.Control]:
    rows = [(vocabulary("sector").label(code), pair) for code, pair in diff.by_sector.items()] + [
        (vocabulary("ring").label(code), pair) for code, pair in diff.by_ring.items()
    ]
    return [
        ft.Text(T["compare_count_row"].format(label=label, before=a, after=b))
        for label, (a, b) in rows
    ]
