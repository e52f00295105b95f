"""What the method offers right after a note is saved (one call from the capture screen):
after a failed attempt "opnieuw proberen op …" ("Geef niet op"), with a lager pitje when
the client wants no contact now (the right to refuse help); after a note that touches a
levensdomein new to the gezin, "vraagverduidelijking hernemen?" (the traject is cyclic)."""

from __future__ import annotations

import flet as ft

from app.core.vocabulary import vocabulary
from app.ui import format as fmt
from app.ui.strings import T


async def after_save(ui, note_id: str) -> None:
    """Show the offer that fits the saved note, if any; nothing is changed unless tapped."""
    app = ui.session.app
    note = await ui.session.blocking(app.note, note_id)
    if note.contact == "poging" and note.attempt_reason:
        _offer_retry(ui, note)
        return
    domains = await ui.session.blocking(app.reclarify_offer, note_id)
    if domains:
        _offer_reclarify(ui, note.case_id, domains)


def _offer_retry(ui, note) -> None:
    app = ui.session.app
    offer = app.attempt_offer(note.attempt_reason)
    day = fmt.day(offer.due)
    taken = False

    async def take(time_out: bool) -> None:
        nonlocal taken
        taken = True
        ui.page.pop_dialog()
        await ui.session.blocking(app.take_attempt_offer, note.id, time_out)
        ui.toast(T["retry_planned"].format(day=day))
        ui.rebuild()

    actions: list[ft.Control] = [
        ft.TextButton(T["offer_no"], on_click=lambda _e: ui.page.pop_dialog()),
        ft.FilledButton(
            T["retry_on"].format(what=offer.what, day=day),
            on_click=ui.handler(lambda _e: take(False)),
        ),
    ]
    words: list[ft.Control] = [ft.Text(T["retry_intro"])]
    if offer.time_out and note.case_id:
        words.append(ft.Text(T["time_out_intro"]))
        actions.append(
            ft.OutlinedButton(
                T["time_out_until"].format(day=day), on_click=ui.handler(lambda _e: take(True))
            )
        )

    async def closed(_e) -> None:
        if not taken:  # the toast waits for the dialog: under it, Ongedaan maken is out of reach
            _noted(ui, note)

    ui.page.show_dialog(
        ui.dialog(
            T["retry_title"],
            content=ft.Column(words, tight=True),
            actions=actions,
            actions_alignment=ft.MainAxisAlignment.END,
            on_dismiss=ui.handler(closed),
        )
    )


def _noted(ui, note) -> None:
    """'Poging genoteerd' with Ongedaan maken: a reason tapped by mistake is one tap away
    from gone (Aanpassen on the note changes its reason or where it happened)."""
    app = ui.session.app

    async def undo(_e) -> None:
        await ui.session.blocking(app.delete_note, note.id)
        ui.toast(T["attempt_undone"])
        ui.rebuild()

    reason = vocabulary("attempt_reason").label(note.attempt_reason)
    ui.offer_undo(T["attempt_saved"].format(what=reason), undo)


def _offer_reclarify(ui, case_id: str, domains: list[str]) -> None:
    app = ui.session.app
    names = ", ".join(vocabulary("domain").label(d) for d in domains)

    async def back_to_clarifying(_e) -> None:
        ui.page.pop_dialog()
        await ui.session.blocking(app.set_phase, case_id, "vraagverduidelijking")
        ui.toast(T["reclarify_done"])
        ui.rebuild()

    ui.page.show_dialog(
        ui.dialog(
            T["reclarify_title"],
            content=ft.Text(T["reclarify_text"].format(domains=names)),
            actions=[
                ft.TextButton(T["offer_no"], on_click=lambda _e: ui.page.pop_dialog()),
                ft.FilledButton(T["reclarify_yes"], on_click=ui.handler(back_to_clarifying)),
            ],
        )
    )
