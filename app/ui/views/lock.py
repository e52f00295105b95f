"""First run (choose a passphrase), unlock, and the blank 'verberg' screen."""

from __future__ import annotations

import flet as ft

from app.core.errors import DichtbijError, InvalidInput, PinDisabled
from app.core.passphrase import MIN_CHARS, MIN_WORDS, refusal, strength
from app.messages import describe
from app.ui.routes import url
from app.ui.strings import T, strength_label


def build(ui) -> ft.View:
    if ui.session.has_vault and ui.session.pin_offered:
        return pin_unlock(ui)
    first_run = not ui.session.has_vault
    # the refusal is a whole sentence: it wraps under the field instead of ending in "…"
    passphrase = ui.secret_field(T["passphrase"], autofocus=True, error_max_lines=6)
    again = ui.secret_field(T["passphrase_again"], T["passphrase_repeated"], visible=first_run)
    meter = ft.ProgressBar(value=0, visible=first_run)
    meter_text = ft.Text("", visible=first_run)
    busy = ft.ProgressRing(visible=False, width=24, height=24)
    busy_text = ft.Text("", visible=False)

    def on_type(_e) -> None:
        value = passphrase.value or ""
        score = strength(value)
        meter.value = score / 4
        meter_text.value = strength_label(score, refusal(value))
        passphrase.error = None  # said of what was typed before: the meter speaks for this

    async def submit(_e) -> None:
        value = passphrase.value or ""
        if first_run and value != (again.value or ""):
            ui.toast(T["passphrases_differ"])
            return
        busy.visible = busy_text.visible = True
        busy_text.value = T["unlocking"]
        passphrase.error = None
        ui.page.update()
        failed = False
        try:
            if first_run:
                await ui.session.create(value)
            else:
                await ui.session.unlock(value)
        except DichtbijError as exc:
            # said once, on the field (read with it), until the next try; not also in a bar
            passphrase.error = describe(exc)
            failed = True
        finally:
            busy.visible = busy_text.visible = False
            if not failed:
                passphrase.value = again.value = ""
            ui.page.update()  # the spinner stops whatever happened
        if failed:  # the text stays, selected: a typo is fixed, or typing replaces it all
            await passphrase.focus()
            passphrase.selection = ft.TextSelection(0, len(passphrase.value or ""))
            passphrase.update()
            return
        if first_run and ui.session.keystore is not None:
            await ui.go(url("pin"))  # offer the short daily PIN right away
            return
        ui.rebuild()

    passphrase.on_change = on_type if first_run else None
    passphrase.on_submit = ui.handler(submit)
    again.on_submit = ui.handler(submit)
    title = T["setup_title"] if first_run else T["unlock_title"]
    return ft.View(
        route=url("today"),
        padding=ft.Padding.all(24),
        controls=[
            ft.Icon(ft.Icons.LOCK_OUTLINE, size=48),
            ft.Text(title, size=24, weight=ft.FontWeight.BOLD),
            ft.Text(T["setup_intro"].format(chars=MIN_CHARS, words=MIN_WORDS), visible=first_run),
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


def pin_unlock(ui) -> ft.View:
    """The daily unlock: a short PIN, bound to this device's keystore. Wrong PINs wait
    longer each time; after five the PIN is switched off and the passphrase is needed."""
    pin = ft.TextField(
        label=T["pin"],
        password=True,
        keyboard_type=ft.KeyboardType.NUMBER,
        autofocus=True,
        max_length=12,
    )
    busy = ft.ProgressRing(visible=False, width=24, height=24)

    async def submit(_e) -> None:
        busy.visible = True
        ui.page.update()
        pin.error = None
        try:
            await ui.session.unlock_with_pin(pin.value or "")
        except PinDisabled:
            ui.session.use_passphrase = True
            raise
        except DichtbijError as exc:
            pin.error = describe(exc)  # once, on the field: not also in a bar
            return
        finally:
            busy.visible = False
            pin.value = ""
            ui.page.update()
        ui.rebuild()

    async def with_passphrase(_e) -> None:
        ui.session.use_passphrase = True
        ui.rebuild()

    pin.on_submit = ui.handler(submit)
    return ft.View(
        route=url("today"),
        padding=ft.Padding.all(24),
        controls=[
            ft.Icon(ft.Icons.LOCK_OUTLINE, size=48),
            ft.Text(T["unlock_title"], size=24, weight=ft.FontWeight.BOLD),
            pin,
            ft.FilledButton(T["unlock"], icon=ft.Icons.LOCK_OPEN, on_click=ui.handler(submit)),
            ft.TextButton(T["use_passphrase"], on_click=ui.handler(with_passphrase)),
            busy,
        ],
    )


def pin_route(ui) -> ft.View:
    """/pincode: the PIN offer where a keystore exists, else Vandaag."""
    from app.ui.views import today

    return pin_setup(ui) if ui.session.keystore is not None else today.build(ui)


def pin_setup(ui) -> ft.View:
    """Choose (or change, or switch off) the daily PIN; the passphrase stays the way back."""
    pin = ft.TextField(
        label=T["pin_new"], password=True, keyboard_type=ft.KeyboardType.NUMBER, max_length=12
    )
    again = ft.TextField(
        label=T["pin_again"], password=True, keyboard_type=ft.KeyboardType.NUMBER, max_length=12
    )
    has_pin = ui.session.app.has_pin

    async def save(_e) -> None:
        if (pin.value or "") != (again.value or ""):
            raise InvalidInput("pin", "pins_differ")
        await ui.session.set_pin(pin.value or "")
        ui.session.use_passphrase = False
        ui.toast(T["pin_set"])
        await ui.go(url("today"))

    async def switch_off(_e) -> None:
        await ui.session.remove_pin()
        ui.toast(T["pin_removed"])
        await ui.go(url("more"))

    controls: list[ft.Control] = [
        ft.Text(T["pin_intro"]),
        pin,
        again,
        ft.FilledButton(T["pin_save"], icon=ft.Icons.PIN, on_click=ui.handler(save)),
    ]
    if ui.session.allow_weak_keystore:
        controls.insert(0, ft.Text(T["pin_weak_keystore"], color=ft.Colors.ERROR))
    if has_pin:
        controls.append(ft.TextButton(T["pin_remove"], on_click=ui.handler(switch_off)))
    else:
        controls.append(ft.TextButton(T["later"], on_click=ui.link(url("today"))))
    return ui.screen(url("pin"), T["pin_title"], controls, back=url("more"))


def hidden(ui) -> ft.View:
    async def resume(_e) -> None:
        ui.session.hidden = False
        await ui.go(ui.session.hidden_from or url("today"))  # the screen that was hidden

    return ft.View(
        route="/verborgen",
        padding=ft.Padding.all(24),
        controls=[
            ft.Text(T["hidden_title"], size=18),
            ft.TextButton(T["hidden_resume"], on_click=ui.handler(resume)),
        ],
    )
