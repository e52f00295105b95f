"""Meer: sync status and 'Nu synchroniseren', enrolment, the privacy page, lock."""

from __future__ import annotations

from pathlib import Path

import flet as ft

from app.core.kinds import field_label, kind_label, shown_value
from app.services import enroll
from app.ui import format as fmt
from app.ui.routes import url
from app.ui.strings import T, counted
from app.ui.sync_status import headline

PRIVACY_TEXT = Path(__file__).resolve().parents[3] / "assets" / "privacy_nl.md"
CLIENT_PRIVACY_TEXT = PRIVACY_TEXT.with_name("privacy_client_nl.md")


def build(ui) -> ft.View:
    app = ui.session.app
    status = app.sync_status()
    session = ui.session
    line = ft.Text(
        headline(status["pending"], status["last_sync"], session.sync_error, session.syncing),
        weight=ft.FontWeight.BOLD,
    )
    controls: list[ft.Control] = [ft.Text(T["sync_title"], size=18, weight=ft.FontWeight.BOLD)]
    if status["enrolled"]:
        last = status["last_sync"]
        controls += [
            line,
            ft.Text(T["enrolled"].format(host=fmt.host(status["server"]))),
            ft.Text(T["sync_last"].format(when=fmt.when(last)) if last else T["sync_never"]),
            ft.Text(
                f"{T['sync_pending'].format(pending=status['pending'])} · "
                f"{T['sync_conflicts'].format(conflicts=counted(status['conflicts'], 'conflict'))}"
            ),
        ]
        if session.sync_result and not session.sync_error:
            controls.append(ft.Text(session.sync_result))

        async def sync_now(_e) -> None:
            line.value = T["sync_busy"]
            ui.page.update()
            await session.sync()
            ui.rebuild()

        controls += [
            ft.FilledButton(T["sync_now"], icon=ft.Icons.SYNC, on_click=ui.handler(sync_now)),
            ft.ExpansionTile(
                title=ft.Text(T["server_details"]),
                controls=[
                    ft.Row([ft.Text(T["server_address"].format(url=status["server"]), expand=True)])
                ],
                controls_padding=ft.Padding.symmetric(horizontal=12, vertical=4),
                expanded_cross_axis_alignment=ft.CrossAxisAlignment.START,
            ),
        ]
    else:
        server = ft.TextField(label=T["server_url"])
        code = ft.TextField(label=T["enrol_code"])
        passphrase = ui.secret_field(T["enrol_passphrase"], T["passphrase"])

        async def do_enrol(_e) -> None:
            handle = await ui.session.blocking(
                enroll,
                ui.session.data_dir,
                passphrase.value or "",
                server.value or "",
                code.value or "",
            )
            handle.close()  # the session's own handle keeps the (shared) vault open
            passphrase.value = ""
            await ui.session.sync()
            ui.rebuild()

        controls += [
            ft.Text(T["not_enrolled"]),
            ft.Text(T["enrol_title"]),
            server,
            code,
            passphrase,
            ft.FilledButton(T["enrol"], icon=ft.Icons.LINK, on_click=ui.handler(do_enrol)),
        ]
    if status["storage_warning"]:
        controls.append(
            ft.ListTile(
                leading=ft.Icon(ft.Icons.SD_CARD_ALERT_OUTLINED, color=ft.Colors.ERROR),
                title=ft.Text(T["storage_full"]),
            )
        )
    if status["quarantined"]:
        controls.append(
            ft.ListTile(
                leading=ft.Icon(ft.Icons.REPORT_PROBLEM_OUTLINED, color=ft.Colors.ERROR),
                title=ft.Text(
                    T["sync_quarantined"].format(count=counted(status["quarantined"], "item"))
                ),
                subtitle=ft.Text(T["sync_quarantined_help"]),
            )
        )
    if status["conflicts"]:
        controls.append(
            ft.ListTile(
                leading=ft.Icon(ft.Icons.CALL_SPLIT, color=ft.Colors.ERROR),
                title=ft.Text(
                    T["conflicts_link"].format(conflicts=counted(status["conflicts"], "conflict"))
                ),
                on_click=ui.link(url("conflicts")),
            )
        )
    controls.append(
        ft.ListTile(
            leading=ft.Icon(ft.Icons.GROUPS_OUTLINED),
            title=ft.Text(T["colleagues_link"]),
            on_click=ui.link(url("colleagues")),
        )
    )
    controls += [ft.Divider(), *agenda_setting(ui)]
    controls += [
        ft.Divider(),
        *(
            [
                ft.ListTile(
                    leading=ft.Icon(ft.Icons.PIN),
                    title=ft.Text(T["pin_link"]),
                    on_click=ui.link(url("pin")),
                )
            ]
            if ui.session.keystore is not None
            else []
        ),
        ft.ListTile(
            leading=ft.Icon(ft.Icons.PRIVACY_TIP_OUTLINED),
            title=ft.Text(T["privacy_link"]),
            on_click=ui.link(url("privacy")),
        ),
        ft.ListTile(
            leading=ft.Icon(ft.Icons.LOCK_OUTLINE),
            title=ft.Text(T["lock"]),
            on_click=ui.handler(ui.lock),
        ),
    ]
    return ui.screen(url("more"), T["more_title"], controls)


def agenda_setting(ui) -> list[ft.Control]:
    """After how many weeks without contact an active gezin shows on Vandaag."""
    app = ui.session.app
    weeks = ft.TextField(
        label=T["not_seen_setting"],
        value=str(app.settings()["not_seen_weeks"]),
        keyboard_type=ft.KeyboardType.NUMBER,
        width=120,
        expand=True,
    )

    async def save(_e) -> None:
        await ui.session.blocking(app.set_not_seen_weeks, weeks.value or "")
        ui.toast(
            T["not_seen_setting_saved"].format(
                weeks=counted(app.settings()["not_seen_weeks"], "week")
            )
        )

    weeks.on_submit = ui.handler(save)
    return [
        ft.Text(T["agenda_title"], size=18, weight=ft.FontWeight.BOLD),
        ft.Row(
            [weeks, ft.OutlinedButton(T["setting_save"], on_click=ui.handler(save))],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
    ]


def privacy(ui) -> ft.View:
    """The plain-Dutch notice (assets/privacy_nl.md, kept in step with docs/privacy.md), and a
    plainer one to read with the client (assets/privacy_client_nl.md), in larger type."""
    worker = ft.Markdown(PRIVACY_TEXT.read_text(encoding="utf-8"), selectable=True)
    client = ft.Markdown(
        CLIENT_PRIVACY_TEXT.read_text(encoding="utf-8"),
        selectable=True,
        md_style_sheet=ft.MarkdownStyleSheet(p_text_style=ft.TextStyle(size=18)),
        visible=False,
    )

    def show(e) -> None:
        client.visible = e.control.selected[0] == "client"
        worker.visible = not client.visible
        ui.page.update()

    choice = ft.SegmentedButton(
        segments=[
            ft.Segment(value="worker", label=ft.Text(T["privacy_for_worker"])),
            ft.Segment(value="client", label=ft.Text(T["privacy_for_client"])),
        ],
        selected=["worker"],
        on_change=ui.handler(show),
    )
    return ui.screen(url("privacy"), T["privacy_title"], [choice, worker, client], back=url("more"))


def conflicts(ui) -> ft.View:
    """Each value two devices changed differently: keep the one typed here, or the other."""
    app = ui.session.app
    found = app.conflicts()
    rows: list[ft.Control] = [ft.Text(T["conflicts_intro"] if found else T["conflicts_none"])]
    names = {c.id: c.name for c in app.cases()}
    for conflict in found:
        info = conflict.data
        kind, field = info.get("record_kind", ""), info.get("field", "")
        where = T["conflict_where"].format(
            kind=kind_label(kind).capitalize(),
            gezin=names.get(conflict.case_id or "", T["conflict_no_gezin"]),
        )

        async def settle(_e, cid=conflict.id, mine=True) -> None:
            await ui.session.blocking(app.resolve_conflict, cid, mine)
            ui.rebuild()

        if info.get("field") == "deleted":
            body = [ft.Text(T["conflict_deleted"])]
        else:
            body = [
                ft.Text(
                    T["conflict_here"].format(value=shown_value(kind, field, info.get("local")))
                ),
                ft.Text(
                    T["conflict_there"].format(value=shown_value(kind, field, info.get("remote")))
                ),
            ]
        rows.append(
            ft.Card(
                ft.Container(
                    ft.Column(
                        [
                            ft.Text(
                                T["conflict_field"].format(field=field_label(kind, field)),
                                weight=ft.FontWeight.BOLD,
                            ),
                            ft.Text(where),
                            *body,
                            ft.Row(
                                [
                                    ft.FilledButton(T["keep_mine"], on_click=ui.handler(settle)),
                                    ft.OutlinedButton(
                                        T["keep_theirs"],
                                        on_click=ui.handler(
                                            lambda e, cid=conflict.id: settle(e, cid, False)
                                        ),
                                    ),
                                ],
                                wrap=True,
                            ),
                        ]
                    ),
                    padding=12,
                )
            )
        )
    return ui.screen(url("conflicts"), T["conflicts_title"], rows, back=url("more"))
