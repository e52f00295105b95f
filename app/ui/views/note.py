"""One note, whole: every field it holds, and what can happen to it — change it, tick off
its follow-up (Afvinken, with the time), delete it (with Ongedaan maken). All through the
services, so each change syncs and merges like any edit."""

from __future__ import annotations

import flet as ft

from app.core.notes import Note, capture_kind
from app.core.vocabulary import vocabulary
from app.ui import format as fmt
from app.ui.routes import url
from app.ui.strings import T

TITLES = {"note": "note_title", "check_in": "mode_checkin", "attempt": "mode_attempt"}


def build(ui, note_id: str) -> ft.View:
    app = ui.session.app
    note = app.note(note_id)
    case_name = app.case(note.case_id).name if note.case_id else T["signaal"]
    back = home(note)

    async def tick_off(_e) -> None:
        await ui.session.blocking(app.complete_follow_up, note.id)
        ui.toast(
            T["ticked_off"].format(what=fmt.brief(note.follow_up.what if note.follow_up else ""))
        )
        ui.rebuild()

    async def reopen(_e) -> None:
        await ui.session.blocking(app.reopen_follow_up, note.id)
        ui.toast(T["follow_up_reopened"])
        ui.rebuild()

    async def delete(_e) -> None:
        await ui.session.blocking(app.delete_note, note.id)
        if note.case_id:
            ui.session.deleted_note = note  # the gezin's screen offers it back once shown
        await ui.go(back)
        if not note.case_id:
            offer_undo(ui, note)  # after leaving: a change of screen closes the offer

    rows: list[ft.Control] = [
        field(T["note_for"], case_name),
        field(T["note_when"], fmt.when(note.created_at)),
        field(T["contact_kind"], vocabulary("contact").label(note.contact)),
    ]
    if note.setting:
        rows.append(field(T["setting"], vocabulary("setting").label(note.setting)))
    if note.attempt_reason:
        rows.append(
            field(T["attempt_reason"], vocabulary("attempt_reason").label(note.attempt_reason))
        )
    if note.text:
        rows.append(field(T["note_text"], note.text))
    rows += check_in_rows(note)
    if note.domains:
        labels = ", ".join(vocabulary("domain").label(d) for d in note.domains)
        rows.append(field(T["domains"], labels))
    if note.barriers:
        labels = ", ".join(vocabulary("barrier").label(b) for b in note.barriers)
        rows.append(field(T["barriers"], labels))
    rows += follow_up_rows(ui, note, tick_off, reopen)
    visibility = vocabulary("visibility").label(note.visibility)
    client = T["note_client_yes"] if note.client_may_see else T["note_client_no"]
    rows.append(field(T["note_visibility"], f"{visibility}. {client}."))
    rows.append(
        ft.Row(
            [
                ft.FilledButton(
                    T["note_edit"],
                    icon=ft.Icons.EDIT,
                    on_click=ui.link(url("capture", editing=note.id)),
                ),
                ft.OutlinedButton(
                    T["note_delete"], icon=ft.Icons.DELETE_OUTLINE, on_click=ui.handler(delete)
                ),
            ],
            wrap=True,
        )
    )
    return ui.screen(url("note", note_id=note.id), T[TITLES[capture_kind(note)]], rows, back=back)


def home(note: Note) -> str:
    """Where a note lives: its gezin's timeline, or the list of first contacts."""
    return url("case", case_id=note.case_id) if note.case_id else url("signalen")


def offer_undo(ui, note: Note) -> None:
    """'Notitie verwijderd' with Ongedaan maken: the note comes back as it was."""
    app = ui.session.app

    async def undo(_e) -> None:
        await ui.session.blocking(app.restore_note, note)
        ui.toast(T["note_restored"])
        ui.rebuild()

    ui.offer_undo(T["note_deleted"].format(what=fmt.brief(note.text)), undo)


def field(label: str, value: str) -> ft.Control:
    return ft.Column([ft.Text(label, weight=ft.FontWeight.BOLD), ft.Text(value)], spacing=2)


def score(value: int | None) -> str:
    return T["scale_unset"] if value is None else str(value)


def check_in_rows(note: Note) -> list[ft.Control]:
    check = note.check_in
    if check is None:
        return []
    rows = [
        field(label, value)
        for label, value in (
            (T["checkin_how"], check.how),
            (T["checkin_topics"], check.topics),
            (T["checkin_agreed"], check.agreed),
        )
        if value
    ]
    rows.append(field(T["draagkracht"], score(check.draagkracht)))
    rows.append(field(T["draaglast"], score(check.draaglast)))
    if check.together:
        rows.append(ft.Text(T["checkin_together"], italic=True))
    return rows


def follow_up_rows(ui, note: Note, tick_off, reopen) -> list[ft.Control]:
    follow = note.follow_up
    if follow is None:
        return []
    lines = [follow.what]
    if follow.who:
        lines.append(T["follow_up_who_is"].format(who=follow.who))
    if follow.due:
        lines.append(T["follow_up_due_is"].format(day=fmt.day(follow.due)))
    action: ft.Control
    if follow.done:
        state = (
            T["follow_up_done_at"].format(when=fmt.when(follow.done_at))
            if follow.done_at
            else T["follow_up_done_short"]
        )
        action = ft.OutlinedButton(
            T["follow_up_reopen"], icon=ft.Icons.RESTART_ALT, on_click=ui.handler(reopen)
        )
    else:
        state = T["follow_up_open"]
        action = ft.FilledTonalButton(
            T["tick_off"], icon=ft.Icons.TASK_ALT, on_click=ui.handler(tick_off)
        )
    lines.append(state)
    return [field(T["follow_up"], "\n".join(lines)), ft.Row([action])]
