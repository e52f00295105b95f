"""First run (choose a passphrase), unlock, and the blank 'verberg' screen."""

from __future__ import annotations

import flet as ft

from app.core.passphrase import strength
from app.ui.strings import T, strength_label


def build(ui) -> ft.View:
    first_run = not ui.session.has_vault
    passphrase = ft.TextField(
        label=T["passphrase"], password=True, can_reveal_password=True, autofocus=True
    )
    again = ft.TextField(
        label=T["passphrase_again"], password=True, can_reveal_password=True, visible=first_run
    )
    meter = ft.ProgressBar(value=0, visible=first_run)
    meter_text = ft.Text("", size=12, visible=first_run)
    busy = ft.ProgressRing(visible=False, width=24, height=24)
    busy_text = ft.Text("", visible=False)

    def on_type(_e) -> None:
        score = strength(passphrase.value or "")
        meter.value = score / 4
        meter_text.value = strength_label(score)

    async def submit(_e) -> None:
        value = passphrase.value or ""
        if first_run and value != (again.value or ""):
            ui.toast(T["passphrases_differ"])
            return
        busy.visible = busy_text.visible = True
        busy_text.value = T["unlocking"]
        ui.page.update()
        try:
            if first_run:
                await ui.session.create(value)
            else:
                await ui.session.unlock(value)
        finally:
            busy.visible = busy_text.visible = False
            passphrase.value = again.value = ""
        ui.rebuild()

    passphrase.on_change = on_type if first_run else None
    passphrase.on_submit = ui.handler(submit)
    again.on_submit = ui.handler(submit)
    title = T["setup_title"] if first_run else T["unlock_title"]
    return ft.View(
        route="/",
        padding=24,
        controls=[
            ft.Icon(ft.Icons.LOCK_OUTLINE, size=48),
            ft.Text(title, size=24, weight=ft.FontWeight.BOLD),
            ft.Text(T["setup_intro"], visible=first_run),
            passphrase,
            again,
            meter,
            meter_text,
            ft.FilledButton(
                T["create_vault"] if first_run else T["unlock"],
                icon=ft.Icons.LOCK_OPEN,
                on_click=ui.handler(submit),
            ),
            ft.Row([busy, busy_text]),
        ],
    )


def hidden(ui) -> ft.View:
    async def resume(_e) -> None:
        ui.session.hidden = False
        await ui.go("/")

    return ft.View(
        route="/verborgen",
        padding=24,
        controls=[
            ft.Text(T["hidden_title"], size=18),
            ft.TextButton(T["hidden_resume"], on_click=ui.handler(resume)),
        ],
    )
