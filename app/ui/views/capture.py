"""Quick capture: who, where, which levensdomeinen, what happened — and save. Also the
check-in template and one-tap aanklampen attempts. The half-written form is a draft in
the vault, so killing the app loses at most the last second of typing."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlparse

import flet as ft

from app.core.vocabulary import vocabulary
from app.ui.strings import T
from app.ui.views import method_offers

DRAFT = "capture"
RECENT = 6


def build(ui, route: str) -> ft.View:
    app = ui.session.app
    wanted = parse_qs(urlparse(route).query).get("gezin", [None])[0]
    draft = app.draft(DRAFT) or {}
    state = {
        "mode": draft.get("mode", "note"),
        "case": wanted or draft.get("case"),
        "signaal": draft.get("signaal", False),
        "setting": draft.get("setting"),
        "domains": list(draft.get("domains", [])),
    }
    recent = app.cases()[:RECENT]
    if state["case"] and all(c.id != state["case"] for c in recent):
        recent.insert(0, app.case(state["case"]))

    text = ft.TextField(
        label=T["text"],
        hint_text=T["note_hint"],
        multiline=True,
        min_lines=3,
        max_lines=8,
        value=draft.get("text", ""),
    )
    how = ft.TextField(label=T["checkin_how"], multiline=True, value=draft.get("how", ""))
    topics = ft.TextField(label=T["checkin_topics"], multiline=True, value=draft.get("topics", ""))
    agreed = ft.TextField(label=T["checkin_agreed"], multiline=True, value=draft.get("agreed", ""))
    kracht = ft.Slider(
        min=0, max=10, divisions=10, value=draft.get("draagkracht", 5), label="{value}"
    )
    last = ft.Slider(min=0, max=10, divisions=10, value=draft.get("draaglast", 5), label="{value}")
    together = ft.Switch(label=T["checkin_together"], value=draft.get("together", False))
    follow_toggle = ft.Switch(label=T["add_follow_up"], value=bool(draft.get("what")))
    what = ft.TextField(label=T["follow_up_what"], value=draft.get("what", ""))
    who = ft.TextField(label=T["follow_up_who"], value=draft.get("who", ""))
    due = ft.TextField(label=T["follow_up_due"], value=draft.get("due", ""))
    memo = ft.Switch(label=T["memo"], value=draft.get("memo", False))
    client = ft.Switch(label=T["client_may_see"], value=draft.get("client", False))

    case_chips = ft.Row(wrap=True)
    setting_chips = ft.Row(wrap=True)
    domain_chips = ft.Row(wrap=True)
    attempt_row = ft.Row(wrap=True)
    note_part = ft.Column([text])
    checkin_part = ft.Column(
        [
            how,
            topics,
            agreed,
            ft.Text(T["draagkracht"]),
            kracht,
            ft.Text(T["draaglast"]),
            last,
            together,
        ]
    )
    follow_part = ft.Column([what, who, due])
    pending_save: dict[str, asyncio.Task | None] = {"task": None}

    def fields() -> dict:
        return {
            **state,
            "text": text.value,
            "how": how.value,
            "topics": topics.value,
            "agreed": agreed.value,
            "draagkracht": int(kracht.value or 0),
            "draaglast": int(last.value or 0),
            "together": bool(together.value),
            "what": what.value if follow_toggle.value else "",
            "who": who.value,
            "due": due.value,
            "memo": memo.value,
            "client": client.value,
        }

    async def save_draft_soon() -> None:
        await asyncio.sleep(0.8)
        await ui.session.blocking(app.save_draft, DRAFT, fields())

    def changed(_e=None) -> None:
        task = pending_save["task"]
        if task and not task.done():
            task.cancel()
        pending_save["task"] = asyncio.ensure_future(save_draft_soon())

    def chip(label: str, selected: bool, on_select) -> ft.Chip:
        return ft.Chip(
            label=ft.Text(label), selected=selected, on_select=ui.handler(on_select), tooltip=label
        )

    def render() -> None:
        case_chips.controls = [
            chip(c.name, c.id == state["case"], lambda _e, cid=c.id: pick_case(cid)) for c in recent
        ] + [chip(T["signaal"], state["signaal"], lambda _e: pick_case(None))]
        setting_chips.controls = [
            chip(t.label, t.code == state["setting"], lambda _e, code=t.code: pick_setting(code))
            for t in vocabulary("setting").terms
        ]
        domain_chips.controls = [
            chip(t.label, t.code in state["domains"], lambda _e, code=t.code: toggle_domain(code))
            for t in vocabulary("domain").terms
        ]
        attempt_row.controls = [
            ft.FilledButton(
                t.label,
                icon=ft.Icons.DOOR_FRONT_DOOR_OUTLINED,
                on_click=ui.handler(lambda _e, code=t.code: save_attempt(code)),
            )
            for t in vocabulary("attempt_reason").terms
        ]
        mode = state["mode"]
        note_part.visible = mode == "note"
        checkin_part.visible = mode == "check_in"
        attempt_row.visible = mode == "attempt"
        follow_part.visible = bool(follow_toggle.value) and mode != "attempt"
        for control in (follow_toggle, memo, client, save_button, domain_chips):
            control.visible = mode != "attempt"

    def refresh() -> None:
        render()
        changed()
        ui.page.update()

    def pick_case(case_id: str | None) -> None:
        state["case"], state["signaal"] = case_id, case_id is None
        refresh()

    def pick_setting(code: str) -> None:
        state["setting"] = None if state["setting"] == code else code
        refresh()

    def toggle_domain(code: str) -> None:
        domains = state["domains"]
        domains.remove(code) if code in domains else domains.append(code)
        refresh()

    def pick_mode(e) -> None:
        state["mode"] = e.control.selected[0]
        refresh()

    def target() -> str | None:
        if not state["case"] and not state["signaal"]:
            raise _PickFirst
        return state["case"]

    async def saved(message: str, note_id: str) -> None:
        await ui.session.blocking(app.clear_draft, DRAFT)
        ui.toast(message)
        await ui.go(f"/gezin/{state['case']}" if state["case"] else "/")
        await method_offers.after_save(ui, note_id)

    async def save(_e) -> None:
        try:
            case_id = target()
        except _PickFirst:
            ui.toast(T["pick_case"])
            return
        extra: dict = {
            "domains": state["domains"],
            "setting": state["setting"],
            "visibility": "memo" if memo.value else "dossier",
            "client_may_see": bool(client.value),
        }
        if follow_toggle.value:
            extra["follow_up"] = {"what": what.value, "who": who.value, "due": due.value or None}
        if state["mode"] == "check_in":
            extra["contact"] = "check_in"
            extra["check_in"] = {
                "how": how.value,
                "topics": topics.value,
                "agreed": agreed.value,
                "draagkracht": int(kracht.value or 0),
                "draaglast": int(last.value or 0),
                "together": bool(together.value),
            }
        note_id = await ui.session.blocking(app.add_note, case_id, text.value or "", **extra)
        await saved(T["saved"], note_id)

    async def save_attempt(reason: str) -> None:
        try:
            case_id = target()
        except _PickFirst:
            ui.toast(T["pick_case"])
            return
        note_id = await ui.session.blocking(
            app.add_note, case_id, contact="poging", attempt_reason=reason, setting=state["setting"]
        )
        await saved(T["attempt_saved"], note_id)

    save_button = ft.FloatingActionButton(
        icon=ft.Icons.CHECK,
        content=ft.Text(T["save"]),
        tooltip=T["save"],
        on_click=ui.handler(save),
    )
    modes = ft.SegmentedButton(
        selected=[state["mode"]],
        on_change=ui.handler(pick_mode),
        segments=[
            ft.Segment(value="note", label=ft.Text(T["mode_note"])),
            ft.Segment(value="check_in", label=ft.Text(T["mode_checkin"])),
            ft.Segment(value="attempt", label=ft.Text(T["mode_attempt"])),
        ],
    )
    for control in (text, how, topics, agreed, what, who, due):
        control.on_change = changed
    for control in (kracht, last, together, memo, client):
        control.on_change = changed
    follow_toggle.on_change = ui.handler(lambda _e: refresh())
    render()
    return ui.screen(
        "/notitie",
        T["capture_title"],
        [
            modes,
            ft.Text(T["for_whom"], weight=ft.FontWeight.BOLD),
            case_chips,
            attempt_row,
            note_part,
            checkin_part,
            ft.Text(T["setting"], weight=ft.FontWeight.BOLD),
            setting_chips,
            ft.Text(T["domains"], weight=ft.FontWeight.BOLD),
            domain_chips,
            follow_toggle,
            follow_part,
            memo,
            client,
            ft.Container(height=72),  # room above the floating save button
        ],
        action=save_button,
    )


class _PickFirst(Exception):
    pass
