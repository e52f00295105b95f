"""A gezin's timeline: newest first, a page at a time; each note opens whole on a tap, a long
one shows its start with "Meer tonen". Above it, draagkracht/draaglast over time."""

from __future__ import annotations

import flet as ft

from app.core.cases import Case
from app.core.notes import Note
from app.core.timeline import Event, preview, scores_over_time, timeline
from app.core.vocabulary import vocabulary
from app.ui import format as fmt
from app.ui.routes import url
from app.ui.strings import T
from app.ui.views.note import offer_undo

PAGE = 20  # timeline entries per page: few controls to send and draw, the rest on demand
FIRST = 5  # of the first page, sent with the screen: the gezin's header fills a phone's screen
KRACHT, LAST = ft.Colors.TEAL_700, ft.Colors.DEEP_ORANGE_700
BAR = 8  # pixels per point on the 0–10 scale


def section(ui, case: Case, notes: list[Note]) -> list[ft.Control]:
    """The chart (when there are scores), the title, the first page and 'Meer laden'."""
    by_id = {n.id: n for n in notes}
    app = ui.session.app
    shared = bool(app.shared_with(case.id))  # only then does "door …" say something
    events = timeline(case, notes, app.case_sharing(case.id).owner if shared else "")
    me = app.my_login()
    history = ft.Column()
    shown = {"count": 0}
    more = ft.TextButton(T["load_more"])

    def show_more(count: int = PAGE) -> None:
        start = shown["count"]
        history.controls += [entry(ui, case, by_id, e, me) for e in events[start : start + count]]
        shown["count"] = min(len(events), start + count)
        more.visible = shown["count"] < len(events)

    def more_now(_e) -> None:
        show_more()
        ui.page.update()

    more.on_click = ui.handler(more_now)
    show_more(FIRST)
    if more.visible:  # the rest of the first page once the screen is drawn
        ui.after_drawn(lambda: show_more(PAGE - FIRST), history, more)
    deleted = ui.session.deleted_note
    if deleted is not None and deleted.case_id == case.id:
        ui.session.deleted_note = None

        async def offer() -> None:  # once this screen is on the page, not during the change
            offer_undo(ui, deleted)

        ui.page.run_task(offer)
    return [
        *chart(notes),
        ft.Text(T["timeline"], size=18, weight=ft.FontWeight.BOLD),
        history,
        more,
    ]


def entry(ui, case: Case, by_id: dict[str, Note], event: Event, me: str = "") -> ft.Control:
    when = fmt.when(event.at)
    if event.kind == "note":
        if event.by and event.by != me:
            when = T["by_colleague"].format(when=when, login=event.by)
        return note_entry(ui, by_id[event.ref], when)
    if event.kind == "merged":
        other = next((m.name for m in case.merged if m.case_id == event.ref), "")
        return ft.ListTile(
            leading=ft.Icon(ft.Icons.MERGE_TYPE),
            title=ft.Text(T["merged_from"].format(name=other)),
            subtitle=ft.Text(when),
        )
    vocab = "phase" if event.kind == "phase" else "case_status"
    return ft.ListTile(
        leading=ft.Icon(ft.Icons.FLAG_OUTLINED),
        title=ft.Text(vocabulary(vocab).label(event.code)),
        subtitle=ft.Text(when),
    )


def note_entry(ui, note: Note, when: str) -> ft.Control:
    """The note's gist; a tap opens it whole. A long text is collapsed behind 'Meer tonen'
    (a separate button, so the tile stays one tap target)."""
    head = [vocabulary("contact").label(note.contact)]
    if note.setting:
        head.append(vocabulary("setting").label(note.setting))
    lines: list[ft.Control] = [ft.Text(" · ".join(head), weight=ft.FontWeight.BOLD)]
    body = ft.Text()
    short, cut = preview(note.text)
    if note.attempt_reason:  # with the word written beside it, if any
        lines.append(ft.Text(vocabulary("attempt_reason").label(note.attempt_reason)))
    if note.text:
        body.value = short
        lines.append(body)
    if note.check_in is not None:
        check = note.check_in
        for text in (check.how, check.topics, check.agreed):
            if text:
                lines.append(ft.Text(preview(text, 120)[0]))
        if check.draagkracht is not None or check.draaglast is not None:
            lines.append(
                ft.Text(
                    T["scores_line"].format(
                        kracht=_score(check.draagkracht), last=_score(check.draaglast)
                    )
                )
            )
    if note.barriers:
        labels = ", ".join(vocabulary("barrier").label(b) for b in note.barriers)
        lines.append(ft.Text(f"{T['barriers']}: {labels}", italic=True))
    follow = note.follow_up
    if follow and not follow.done:
        due = f" · {fmt.day(follow.due)}" if follow.due else ""
        lines.append(ft.Text(f"{T['follow_up']}: {follow.what}{due}", italic=True))
    elif follow and follow.done:
        lines.append(ft.Text(f"{T['follow_up_done_short']}: {follow.what}", italic=True))
    tags = ", ".join(vocabulary("domain").label(d) for d in note.domains)
    tile = ft.ListTile(
        leading=ft.Icon(ft.Icons.NOTES),
        title=ft.Column(lines, spacing=2),
        subtitle=ft.Text(f"{when} · {tags}" if tags else when),
        on_click=ui.link(url("note", note_id=note.id)),
    )
    if not cut:
        return tile
    toggle = ft.TextButton(T["show_more"])
    opened = {"now": False}

    def flip(_e) -> None:
        opened["now"] = not opened["now"]
        body.value = note.text if opened["now"] else short
        toggle.content = T["show_less"] if opened["now"] else T["show_more"]
        ui.page.update()

    toggle.on_click = ui.handler(flip)
    return ft.Column([tile, ft.Row([toggle], alignment=ft.MainAxisAlignment.END)], spacing=0)


def _score(value: int | None) -> str:
    return T["scale_unset"] if value is None else str(value)


def chart(notes: list[Note]) -> list[ft.Control]:
    """Draagkracht and draaglast of the last check-ins as pairs of bars, with the numbers on
    them and the whole series in words for screen readers."""
    points = scores_over_time(notes)
    if not points:
        return []
    columns: list[ft.Control] = []
    spoken: list[str] = []
    for p in points:
        day = fmt.day(p.at[:10]).rsplit(" ", 1)[0]  # '30 nov': the year would crowd the bars
        spoken.append(
            T["scores_point"].format(
                day=day, kracht=_score(p.draagkracht), last=_score(p.draaglast)
            )
        )
        columns.append(
            ft.Column(
                [
                    ft.Row(
                        [_bar(p.draagkracht, KRACHT), _bar(p.draaglast, LAST)],
                        spacing=2,
                        vertical_alignment=ft.CrossAxisAlignment.END,
                    ),
                    ft.Text(day, size=14),
                ],
                spacing=2,
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            )
        )
    picture = ft.Row(columns, spacing=10, scroll=ft.ScrollMode.AUTO)
    described = ft.Semantics(
        content=picture,
        label=T["scores_chart_spoken"].format(points="; ".join(spoken)),
        container=True,
        exclude_semantics=True,
    )
    return [
        ft.Text(T["scores_chart"], size=18, weight=ft.FontWeight.BOLD),
        described,
        ft.Text(T["scores_legend"]),
    ]


def _bar(value: int | None, color: str) -> ft.Control:
    number = "–" if value is None else str(value)
    return ft.Column(
        [
            ft.Text(number, size=14, color=color, weight=ft.FontWeight.BOLD),
            ft.Container(width=18, height=max(2, (value or 0) * BAR), bgcolor=color),
        ],
        spacing=0,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )
