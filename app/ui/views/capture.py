"""Quick capture: who, where, which levensdomeinen, what happened — and save. Also the
check-in template and one-tap aanklampen attempts.

The form's state is one `CaptureForm`, bound to where the form was opened; what is typed
is its draft (in memory at once, in the vault shortly after), dropped when the note is
saved, so the next form starts clean."""

from __future__ import annotations

import flet as ft

from app.core.contact import rules as contact_rules
from app.core.dates import parse_day
from app.core.errors import InvalidInput
from app.core.vocabulary import vocabulary
from app.ui.capture_form import CaptureForm, PickTargetFirst
from app.ui.dates import DateField, confirm_past
from app.ui.routes import url
from app.ui.strings import T
from app.ui.views import method_offers

RECENT = 6
SCALE_HEAD = 48  # a score's heading row: as tall as its Leegmaken button


def build(ui, origin: str | None = None, editing: str | None = None) -> ft.View:
    """A new note (for the gezin `origin`, or to choose), or the saved note `editing` changed."""
    app = ui.session.app
    drafts = ui.session.drafts
    if editing:  # a saved note, changed: its kind and gezin stay
        note = app.note(editing)
        form = CaptureForm.restore_edit(note, drafts.get(CaptureForm.from_note(note).name))
        restored = form != CaptureForm.from_note(note)
        recent = [app.case(note.case_id)] if note.case_id else []
    else:
        form = CaptureForm.restore(origin, drafts.get(CaptureForm.draft_name(origin)))
        restored = form.touched
        recent = app.cases()[:RECENT]
        if form.case_id and all(c.id != form.case_id for c in recent):
            recent.insert(0, app.case(form.case_id))
        # The most recently seen, by name: a save must not move them (a tap by habit would
        # put the next note on another family).
        recent.sort(key=lambda c: c.name.casefold())

    def keep() -> None:
        drafts.put(form.name, form.to_draft())

    def typed(name: str):
        def on_change(e) -> None:
            setattr(form, name, e.control.value or "")
            keep()

        return on_change

    def text_field(name: str, label: str, **options) -> ft.TextField:
        return ft.TextField(
            label=label, value=getattr(form, name), on_change=ui.handler(typed(name)), **options
        )

    text = text_field("text", T["text"], multiline=True, min_lines=3, max_lines=8)
    how = text_field("how", T["checkin_how"], multiline=True)
    topics = text_field("topics", T["checkin_topics"], multiline=True)
    agreed = text_field("agreed", T["checkin_agreed"], multiline=True)
    attempt_note = text_field("attempt_note", T["attempt_note"])
    new_name = text_field("new_name", T["new_gezin_name"])
    what = text_field("what", T["follow_up_what"])
    who = text_field("who", T["follow_up_who"])
    today = app.local_today()
    due = _due_field(ui, form, today, ui.handler(typed("due")))
    kracht = _Scale(ui, form, "draagkracht", keep)
    last = _Scale(ui, form, "draaglast", keep)

    def switch(name: str, label: str, then=None) -> ft.Switch:
        async def flip(e) -> None:
            setattr(form, name, bool(e.control.value))
            keep()
            if then:
                then()

        return ui.switch(label, value=getattr(form, name), on_change=ui.handler(flip))

    wide = ft.CrossAxisAlignment.STRETCH  # a field as wide as the screen, not 300 px
    follow_part = ft.Column([what, who, due.control], horizontal_alignment=wide)
    follow_toggle = switch("follow_up", T["add_follow_up"], lambda: refresh())
    memo = switch("memo", T["memo"])
    client = switch("client", T["client_may_see"])
    together = switch("together", T["checkin_together"])

    case_chips, setting_chips = ui.one_of(T["for_whom"]), ui.one_of(T["setting"])
    # the most used places at once, the rest on request: what follows stays on the first screen
    all_settings = ft.TextButton(T["more_settings"], data=False)

    def show_all_settings(_e) -> None:
        all_settings.data = True
        refresh()

    all_settings.on_click = ui.handler(show_all_settings)
    suggestion = ft.Text(italic=True)  # the kind a place put in, said where the place is
    contact_chips = ui.one_of(T["contact_kind"])
    domain_chips = ui.many_of(T["domains"])
    barrier_chips = ft.Row(wrap=True)
    attempt_row = ft.Row(wrap=True)
    reason_chips = ui.one_of(T["attempt_reason"])
    attempt_hint = ft.Text(T["attempt_hint"])
    # below Waar?: where is chosen first, a tap on a reason saves the attempt at once
    reasons = ui.named(attempt_row, T["attempt_reason"])
    reason_part = ft.Column(
        [attempt_note, ui.question(T["attempt_reason"]), attempt_hint, reason_chips, reasons],
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
    domain_head = ui.question(T["domains"])
    contact_part = ft.Column([ui.question(T["contact_kind"]), contact_chips])
    barrier_part = ft.ExpansionTile(
        title=ft.Text(T["barriers"]),
        subtitle=ft.Text(T["barriers_hint"]),
        expanded=bool(form.barriers),
        controls=[barrier_chips],
        expanded_cross_axis_alignment=ft.CrossAxisAlignment.START,
    )
    # The hint stays beside the field, not in it: the field's name must not change on focus.
    note_part = ft.Column(
        [text, ft.Text(T["note_hint"], italic=True)], spacing=4, horizontal_alignment=wide
    )
    checkin_part = ft.Column(
        [how, topics, agreed, kracht.control, last.control, together], horizontal_alignment=wide
    )

    def chip(label: str, selected: bool, on_select) -> ft.Control:
        return ft.Chip(
            label=ft.Text(label), selected=selected, on_select=ui.handler(on_select), tooltip=label
        )

    def choose(change):
        """A chip's handler: change the form, keep the draft, show the result."""

        def on_select(_e) -> None:
            change()
            refresh()

        return on_select

    def render() -> None:
        case_chips.controls = [
            chip(c.name, c.id == form.case_id, choose(lambda cid=c.id: form.pick_case(cid)))
            for c in recent
        ] + [  # Nieuw gezin is short: it fits beside a gezin, adding no row to the form
            chip(T["new_gezin"], form.new_gezin, choose(form.pick_new_gezin)),
            chip(T["signaal"], form.signaal, choose(lambda: form.pick_case(None))),
        ]
        new_name.visible = form.new_gezin and not form.editing
        first = contact_rules().first_settings
        setting_chips.controls = [
            chip(t.label, t.code == form.setting, choose(lambda c=t.code: form.pick_setting(c)))
            for t in vocabulary("setting").terms
            if all_settings.data or t.code in first or t.code == form.setting
        ]
        all_settings.visible = not all_settings.data
        contacts = vocabulary("contact")
        said = suggestion.value
        suggestion.visible = form.suggestion is not None
        if form.suggestion:
            suggestion.value = T["contact_suggested"].format(kind=contacts.label(form.suggestion))
        if suggestion.visible and suggestion.value != said and built:
            ui.page.run_task(ui.speaker.announce_message, suggestion.value)
        contact_chips.controls = [
            chip(
                contacts.label(code),
                code == form.shown_contact,
                choose(lambda c=code: form.pick_contact(c)),
            )
            for code in contact_rules().choices
        ]
        domain_chips.controls = [
            chip(t.label, t.code in form.domains, choose(lambda c=t.code: form.toggle_domain(c)))
            for t in vocabulary("domain").terms
        ]
        barrier_chips.controls = [
            chip(t.label, t.code in form.barriers, choose(lambda c=t.code: form.toggle_barrier(c)))
            for t in vocabulary("barrier").terms
        ]
        reason_chips.controls = [
            chip(
                t.label, t.code == form.attempt_reason, choose(lambda c=t.code: form.pick_reason(c))
            )
            for t in vocabulary("attempt_reason").terms
        ]
        attempt_row.controls = [
            ft.FilledButton(
                t.label,
                icon=ft.Icons.DOOR_FRONT_DOOR_OUTLINED,
                on_click=ui.handler(lambda _e, code=t.code: save_attempt(code)),
            )
            for t in vocabulary("attempt_reason").terms
        ]
        mode = form.mode
        note_part.visible = contact_part.visible = mode == "note"
        checkin_part.visible = mode == "check_in"
        reasons.visible = attempt_hint.visible = not form.editing
        reason_chips.visible = bool(form.editing)
        reason_part.visible = mode == "attempt"
        follow_part.visible = form.follow_up and mode != "attempt"
        for control in (follow_toggle, memo, client, domain_chips, barrier_part, domain_head):
            control.visible = mode != "attempt"
        save_button.visible = mode != "attempt" or bool(form.editing)
        for part in (modes, case_chips):
            part.visible = not form.editing

    def refresh() -> None:
        render()
        keep()
        ui.page.update()

    def pick_mode(e) -> None:
        form.mode = e.control.selected[0]
        refresh()

    async def finish(message: str | None, note_id: str) -> None:
        await drafts.drop(form.name)
        await ui.go(url("case", case_id=form.case_id) if form.case_id else url("today"))
        if message:  # after the screen: Flutter then draws the screen before the toast
            ui.toast(message)
        await method_offers.after_save(ui, note_id)

    async def save(_e) -> None:
        form.due = due.text.value or ""  # a quick choice (morgen, volgende week) sets the field
        day = due.read("follow_up_due") if form.follow_up else None
        form.due = day or form.due  # as read ('4/12' is the next 4 December)
        if form.follow_done:
            day = None  # a follow-up done already: its day may well be past
        await confirm_past(ui, day, today, store)

    async def store() -> None:
        if form.editing:
            await ui.session.blocking(app.edit_note, form.editing, **form.edit_fields())
            await drafts.drop(form.name)
            ui.toast(T["note_changed"])
            await ui.go(url("note", note_id=form.editing))
            return
        try:
            case_id, words, fields = form.note_fields()
        except PickTargetFirst:
            ui.toast(T["pick_case"])
            return
        note_id = await add(case_id, text=words, **fields)
        if note_id:
            await finish(T["saved"], note_id)

    async def add(case_id: str | None, **fields) -> str | None:
        """Save the note; for a new gezin, make the gezin with it (None: it has no name yet)."""
        if not form.new_gezin:
            return await ui.session.blocking(app.add_note, case_id, **fields)
        if not form.new_name.strip():
            ui.toast(T["new_gezin_name_first"])
            return None
        made = await ui.session.blocking(app.add_case_with_note, form.new_name, **fields)
        form.case_id, note_id = made  # the new gezin's screen opens after the save
        return note_id

    async def save_attempt(reason: str) -> None:
        try:
            case_id, fields = form.attempt_fields(reason)
        except PickTargetFirst:
            ui.toast(T["pick_case"])
            return
        note_id = await add(case_id, **fields)
        if note_id:  # said, with Ongedaan maken, once the retry offer closes
            await finish(None, note_id)

    async def discard(_e) -> None:
        await drafts.drop(form.name)
        ui.rebuild()

    save_button = ui.action_button(T["save"], ft.Icons.CHECK, ui.handler(save))
    modes = ft.SegmentedButton(
        selected=[form.mode],
        on_change=ui.handler(pick_mode),
        segments=[
            ft.Segment(value="note", label=ft.Text(T["mode_note"])),
            ft.Segment(value="check_in", label=ft.Text(T["mode_checkin"])),
            ft.Segment(value="attempt", label=ft.Text(T["mode_attempt"])),
        ],
    )
    banner = ft.Row(
        [
            ft.Icon(ft.Icons.RESTORE),
            ft.Text(T["draft_restored"], expand=True),
            ft.TextButton(T["draft_drop"], on_click=ui.handler(discard)),
        ],
        visible=restored,
    )
    ui.on_leave = drafts.flush  # a tab, back or lock: what was typed is kept
    built = False  # a suggestion restored with a draft is shown, not announced
    render()
    built = True
    for_whom = T["for_whom"]
    if form.editing:
        for_whom = T["edit_for"].format(name=recent[0].name if recent else T["signaal"])
    return ui.screen(
        url("note", note_id=form.editing) if form.editing else url("capture"),
        T["edit_title"] if form.editing else T["capture_title"],
        [
            banner,
            modes,
            ui.question(for_whom)
            if for_whom == T["for_whom"]
            else ft.Text(for_whom, weight=ft.FontWeight.BOLD),
            case_chips,
            new_name,
            note_part,
            checkin_part,
            ui.question(T["setting"]),
            setting_chips,
            suggestion,
            all_settings,
            reason_part,
            domain_head,  # before the contact kind, which the place already suggests
            domain_chips,
            contact_part,
            barrier_part,
            follow_toggle,
            follow_part,
            memo,
            client,
        ],
        action=save_button,
        back=url("note", note_id=form.editing) if form.editing else None,  # unsaved: kept
    )


def _due_field(ui, form: CaptureForm, today, on_change) -> DateField:
    """The follow-up's day with a calendar and quick choices; a half-typed day stays as typed."""
    try:
        iso = parse_day(form.due, "follow_up_due", today)
    except InvalidInput:
        iso = None
    field = DateField(ui, T["follow_up_due"], iso, today, on_change)
    if iso is None and form.due:
        field.text.value = form.due
    return field


class _Scale:
    """A 0–10 score set with one tap on its number; untouched is 'niet ingevuld' (saved as
    absent), never a silent 5. Leegmaken sits beside the value in a row of fixed height, so
    nothing below moves when it comes or goes."""

    ROWS = ((0, 1, 2, 3, 4, 5), (6, 7, 8, 9, 10))  # 48 px targets fit 6 across at 412 px

    def __init__(self, ui, form: CaptureForm, name: str, keep) -> None:
        self.ui, self.form, self.name, self.keep = ui, form, name, keep
        self.heading = ft.Text(weight=ft.FontWeight.BOLD)
        self.clear = ft.TextButton(T["scale_clear"], on_click=ui.handler(self.unset))
        self.numbers = {
            n: ft.OutlinedButton(str(n), on_click=ui.handler(lambda _e, n=n: self.pick(n)))
            for row in self.ROWS
            for n in row
        }
        self.marks = {
            n: ft.Semantics(content=button, expand=True) for n, button in self.numbers.items()
        }
        grid = ft.Column(
            [
                ft.Row(
                    [self.marks[n] for n in row]
                    + [ft.Container(expand=True)] * (len(self.ROWS[0]) - len(row)),
                    spacing=4,
                )
                for row in self.ROWS
            ],
            spacing=4,
        )
        ends = ft.Row(
            [
                ft.Text(T[f"{name}_low"], expand=True),
                ft.Text(T[f"{name}_high"], expand=True, text_align=ft.TextAlign.END),
            ]
        )
        self.control = ft.Column(
            [
                ft.Container(
                    ft.Row([ft.Container(self.heading, expand=True), self.clear]),
                    height=SCALE_HEAD,
                ),
                ui.named(grid, T[name]),
                ends,
            ],
            spacing=4,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )
        self.show()

    def show(self) -> None:
        value = getattr(self.form, self.name)
        shown = T["scale_unset"] if value is None else str(value)
        self.heading.value = f"{T[self.name]}: {shown}"
        self.clear.visible = value is not None
        for n, button in self.numbers.items():
            chosen = n == value
            self.marks[n].selected = chosen
            button.style = ft.ButtonStyle(
                padding=ft.Padding.symmetric(horizontal=0, vertical=14),
                bgcolor=ft.Colors.PRIMARY if chosen else None,
                color=ft.Colors.ON_PRIMARY if chosen else None,
            )

    def pick(self, value: int) -> None:
        setattr(self.form, self.name, value)
        self.changed()

    def unset(self, _e) -> None:
        setattr(self.form, self.name, None)
        self.changed()

    def changed(self) -> None:
        self.show()
        self.keep()
        self.ui.page.update()
