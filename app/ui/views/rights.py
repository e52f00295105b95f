"""Rechtenverkenner screens: the checklist of a gezin, one right's details, and a plain view
for the client ("waar heb je misschien recht op"); the question flow is in `screening`."""

from __future__ import annotations

import flet as ft

from app.core.checklist import applies, support_modes
from app.core.vocabulary import vocabulary
from app.ui import format as fmt
from app.ui.dates import read_day
from app.ui.field_error import clear_on_typing
from app.ui.routes import url
from app.ui.strings import T, counted
from app.ui.views.screening import screening, stale_warning

__all__ = ["checklist", "for_client", "right_detail", "screening"]


def checklist(ui, case_id: str) -> ft.View:
    app = ui.session.app
    case = app.case(case_id)
    used = app.catalogue()
    names = {r["id"]: r for r in used["rights"]}
    why = {s.right: s.reason for s in app.screening(case_id).suggestions}
    rows: list[ft.Control] = [
        ft.Text(T["catalogue_of"].format(date=fmt.day(used["date"]), version=used["version"])),
        *stale_warning(app),
        ft.Text(T["rights_realised"].format(count=counted(app.rights_realised(case_id), "recht"))),
        *where_to_start(app, case_id),
        ft.Row(
            [
                ft.FilledButton(
                    T["screening_start"],
                    icon=ft.Icons.QUIZ,
                    on_click=ui.link(url("screening", case_id=case_id)),
                ),
                ft.OutlinedButton(
                    T["client_view"],
                    icon=ft.Icons.PERSON,
                    on_click=ui.link(url("for_client", case_id=case_id)),
                ),
            ],
            wrap=True,
        ),
    ]
    for check in app.right_checks(case_id):

        async def set_status(e, right=check.right) -> None:
            await ui.session.blocking(app.set_right, case_id, right, status=e.control.value)
            ui.rebuild()

        right = names.get(check.right, {})
        rows.append(
            ft.Card(
                ft.Container(
                    ft.Column(
                        [
                            ft.Text(right.get("name", check.right), weight=ft.FontWeight.BOLD),
                            ft.Text(right.get("loket", "")),
                            *(
                                [ft.Text(T["right_why"].format(reason=why[check.right]))]
                                if check.right in why
                                else []
                            ),
                            ui.named(
                                ft.Dropdown(
                                    label=T["status"],
                                    value=check.status,
                                    on_select=ui.handler(set_status),
                                    options=_options("right_status"),
                                ),
                                T["status_of"].format(
                                    name=right.get("name", check.right),
                                    status=vocabulary("right_status").label(check.status),
                                ),
                            ),
                            *([ft.Text(summary)] if (summary := _summary(check)) else []),
                            ft.TextButton(
                                T["right_details"],
                                icon=ft.Icons.EDIT_NOTE,
                                on_click=ui.link(
                                    url("right", case_id=case_id, right_id=check.right)
                                ),
                            ),
                        ]
                    ),
                    padding=12,
                )
            )
        )
    return ui.screen(
        url("rights", case_id=case_id),
        f"{T['rights_title']} · {case.name}",
        rows,
        back=url("case", case_id=case_id),
    )


def right_detail(ui, case_id: str, right_id: str) -> ft.View:
    """One right of the checklist: where it stands, who does what by when, why it is not
    taken up, what to bring, the sources and the history of its status."""
    app = ui.session.app
    check = next((c for c in app.right_checks(case_id) if c.right == right_id), None)
    right = {r["id"]: r for r in app.catalogue()["rights"]}.get(right_id)
    if check is None or right is None:
        return ui.screen(
            url("right", case_id=case_id, right_id=right_id),
            T["rights_title"],
            [ft.Text(T["right_not_on_list"])],
            back=url("rights", case_id=case_id),
        )
    reason = ft.Dropdown(
        label=T["non_take_up"],
        value=check.non_take_up or "",
        options=[ft.DropdownOption(key="", text=T["none"]), *_options("non_take_up")],
    )
    mode = ft.Dropdown(
        label=T["support_mode"],
        value=check.support_mode or "",
        options=[
            ft.DropdownOption(key="", text=T["none"]),
            *[
                ft.DropdownOption(key=c, text=vocabulary("support_mode").label(c))
                for c in support_modes()
            ],
        ],
    )
    who = ft.TextField(label=T["right_who"], value=check.who)
    next_step = ft.TextField(label=T["right_next_step_day"], value=fmt.day_input(check.follow_up))
    deadline = ft.TextField(label=T["right_deadline_day"], value=fmt.day_input(check.deadline))
    clear_on_typing(next_step)
    clear_on_typing(deadline)
    today = app.local_today()
    note = ft.TextField(label=T["right_note"], value=check.note, multiline=True, min_lines=2)
    # Shown only in the statuses where they mean something (assets/rights/statuses.json).
    by_status = {
        "non_take_up": ui.named(reason, T["non_take_up"]),
        "follow_up": next_step,
        "deadline": deadline,
    }

    def show_fields(current: str) -> None:
        for name, control in by_status.items():
            control.visible = applies(name, current)

    def status_changed(e) -> None:
        show_fields(e.control.value)
        ui.page.update()

    status = ft.Dropdown(
        label=T["status"],
        value=check.status,
        options=_options("right_status"),
        on_select=ui.handler(status_changed),
    )
    show_fields(check.status)

    async def save(_e) -> None:
        current = status.value or check.status

        def kept(name: str, value):
            return value if applies(name, current) else None  # hidden: it no longer applies

        def day(name: str, field: ft.TextField, label: str) -> str | None:
            return read_day(field, label, today) if applies(name, current) else None

        await ui.session.blocking(
            app.set_right,
            case_id,
            right_id,
            status=current,
            non_take_up=kept("non_take_up", reason.value or None),
            support_mode=mode.value or None,
            who=who.value or "",
            follow_up=day("follow_up", next_step, "next_step_day"),
            deadline=day("deadline", deadline, "deadline"),
            note=note.value or "",
        )
        ui.toast(T["saved"])
        await ui.go(url("rights", case_id=case_id))

    facts: list[ft.Control] = [
        ft.Text(right["name"], size=20, weight=ft.FontWeight.BOLD),
        ft.Text(f"{right['loket']} · {T['automatic_' + _automatic(right)]}"),
        ui.named(status, T["status"]),
        by_status["non_take_up"],
        ui.named(mode, T["support_mode"]),
        who,
        next_step,
        deadline,
        note,
        ft.FilledButton(T["save"], icon=ft.Icons.SAVE, on_click=ui.handler(save)),
    ]
    if right.get("documents"):
        facts.append(ft.Text(T["documents"], weight=ft.FontWeight.BOLD))
        facts += [ft.Text(f"• {d}") for d in right["documents"]]
    facts.append(ft.Text(T["sources"], weight=ft.FontWeight.BOLD))
    for source in right["sources"]:
        line = T["source_checked"].format(title=source["title"], day=fmt.day(source["checked"]))
        facts.append(ft.Text(line))
        if source.get("url"):
            facts.append(ft.Text(source["url"]))
    facts.append(ft.Text(T["history"], weight=ft.FontWeight.BOLD))
    labels = vocabulary("right_status")
    facts += [
        ft.Text(f"{fmt.when(h.at)} · {labels.label(h.status)}") for h in reversed(check.history)
    ]
    return ui.screen(
        url("right", case_id=case_id, right_id=right_id),
        T["rights_title"],
        facts,
        back=url("rights", case_id=case_id),
    )


def _options(name: str) -> list[ft.DropdownOption]:
    return [ft.DropdownOption(key=t.code, text=t.label) for t in vocabulary(name).terms]


def _summary(check) -> str:
    """'Samen · Sara · volgende stap 3 dec 2026 · uiterlijk 20 dec 2026 · waarom niet: …'
    (only what is filled in and applies to the status)."""
    parts = [vocabulary("support_mode").label(check.support_mode)] if check.support_mode else []
    parts += [check.who] if check.who else []
    if check.follow_up and applies("follow_up", check.status):
        parts.append(T["next_step_on"].format(day=fmt.day(check.follow_up)))
    if check.deadline and applies("deadline", check.status):
        parts.append(T["deadline_on"].format(day=fmt.day(check.deadline)))
    if check.non_take_up and applies("non_take_up", check.status):
        reason = vocabulary("non_take_up").label(check.non_take_up)
        parts.append(T["why_not_on"].format(reason=reason))
    return " · ".join(parts)


def _automatic(right: dict) -> str:
    return {"yes": "yes", "no": "no"}.get(right["automatic"], "partly")


def for_client(ui, case_id: str) -> ft.View:
    """Large, plain language; no private notes, no reasons about the family's situation."""
    app = ui.session.app
    rows: list[ft.Control] = [ft.Text(T["client_intro"], size=20)]
    for s in app.screening(case_id).suggestions:
        rows.append(ft.Text(f"• {s.name}", size=22, weight=ft.FontWeight.BOLD))
        rows.append(ft.Text(T["ask_at"].format(loket=s.loket), size=18))
    return ui.screen(
        url("for_client", case_id=case_id),
        T["client_title"],
        rows,
        back=url("rights", case_id=case_id),
    )


def where_to_start(app, case_id: str) -> list[ft.Control]:
    """Nothing screened and nothing on the checklist yet: say where to begin."""
    state = app.rights_profile(case_id)
    if state["profile"] or state["skipped"] or app.right_checks(case_id):
        return []
    return [ft.Text(T["rights_where_to_start"], weight=ft.FontWeight.BOLD)]
