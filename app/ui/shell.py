"""The app's frame: routes → views, the bottom navigation, the app bar, lock and auto-lock.

Views are rebuilt from the services on every route change (the local store is the
single source of truth); each view module exposes `build(ui, route) -> ft.View`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import flet as ft

from app.core.errors import DichtbijError
from app.messages import describe
from app.ui import theme
from app.ui.keystore import for_page
from app.ui.session import AUTO_SYNC_SECONDS, UiSession
from app.ui.strings import T

log = logging.getLogger(__name__)

TABS = ["/", "/gezinnen", "/notitie", "/meer"]


class Ui:
    """One page's UI: routing, chrome, and safe event handlers."""

    def __init__(self, page: ft.Page, session: UiSession) -> None:
        self.page = page
        self.session = session

    # ---- navigation ------------------------------------------------------------------

    async def go(self, route: str) -> None:
        await self.page.push_route(route)

    def link(self, route: str) -> Callable[..., Awaitable[None]]:
        """An on_click that opens `route`, with the same safety as `handler`."""
        return self.handler(lambda *_: self.go(route))

    def rebuild(self) -> None:
        from app.ui.views import route_view

        route = self.page.route or "/"
        if not self.session.unlocked:
            route = "/"
        try:
            views = route_view(self, route)
        except DichtbijError as exc:  # e.g. a gezin deleted on another device meanwhile
            self.toast(describe(exc))
            views = route_view(self, "/")
        self.page.views.clear()
        self.page.views.extend(views)
        self.page.update()

    def toast(self, message: str) -> None:
        self.page.show_dialog(ft.SnackBar(ft.Text(message), duration=3000))

    def handler(self, fn: Callable[..., Awaitable[Any] | Any]) -> Callable[..., Awaitable[None]]:
        """Wrap an event handler: postpone auto-lock, and turn user errors into a sentence."""

        @functools.wraps(fn)
        async def wrapped(*args: Any) -> None:
            self.session.touch()
            try:
                result = fn(*args)
                if asyncio.iscoroutine(result):
                    await result
            except DichtbijError as exc:
                self.toast(describe(exc))
            except Exception:  # noqa: BLE001 - keep the app alive; no content in the log
                log.exception("ui handler failed")
                self.toast(T["error"])

        return wrapped

    # ---- chrome ----------------------------------------------------------------------

    def app_bar(self, title: str, back: str | None = None) -> ft.AppBar:
        actions: list[ft.Control] = []
        if self.session.unlocked:
            status = self.session.app.sync_status()
            if status["enrolled"]:
                badge = T["sync_pending"].format(pending=status["pending"])
                actions.append(ft.Text(badge, size=12, tooltip=T["sync_title"]))
            actions += [
                self.icon_action(ft.Icons.VISIBILITY_OFF, T["hide"], self.hide),
                self.icon_action(ft.Icons.LOCK_OUTLINE, T["lock"], self.lock),
            ]
        leading = None
        if back:
            leading = self.icon_action(ft.Icons.ARROW_BACK, T["back"], lambda *_: self.go(back))
        return ft.AppBar(
            title=ft.Text(title),
            actions=actions,
            leading=leading,
            automatically_imply_leading=False,
        )

    def icon_action(self, icon: ft.IconData, label: str, action: Callable[..., Any]) -> ft.Control:
        """An icon button that screen readers (and tests) know by its name: the name sits on
        the button itself (a wrapper would be a second, unnamed button around it)."""
        return ft.IconButton(ft.Icon(icon, semantics_label=label), on_click=self.handler(action))

    def secret_field(self, label: str, what: str | None = None, **options: Any) -> ft.TextField:
        """A password field whose show/hide button says what it does ("Wachtzin tonen");
        Flutter's own reveal button has no name for screen readers."""
        what = what or label
        field = ft.TextField(label=label, password=True, **options)

        def show(hidden: bool) -> ft.IconButton:
            key = "secret_show" if hidden else "secret_hide"
            icon = ft.Icons.VISIBILITY if hidden else ft.Icons.VISIBILITY_OFF
            return ft.IconButton(
                ft.Icon(icon, semantics_label=T[key].format(what=what)), on_click=toggle
            )

        def toggle(_e: Any) -> None:
            self.session.touch()
            field.password = not field.password
            field.suffix_icon = show(field.password)
            field.update()

        field.suffix_icon = show(True)
        return field

    @staticmethod
    def named(control: ft.Control, label: str) -> ft.Control:
        """A control that screen readers (and tests) know by `label`: Flutter's dropdowns
        otherwise read as a bare button, or merge into the card around them."""
        return ft.Semantics(content=control, label=label, container=True)

    def nav_bar(self, route: str) -> ft.NavigationBar:
        gezin_routes = ("/gezin", "/recht", "/screening", "/voor-client", "/netwerk", "/signa")
        gezin_routes += ("/samenvoegen",)
        in_gezin = route.startswith(gezin_routes)
        in_meer = route.startswith(("/conflicten", "/privacy", "/pincode"))
        index = TABS.index(route) if route in TABS else (1 if in_gezin else 3 if in_meer else 0)
        return ft.NavigationBar(
            selected_index=index,
            on_change=self.handler(lambda e: self.go(TABS[e.control.selected_index])),
            destinations=[
                ft.NavigationBarDestination(
                    icon=ft.Icons.TODAY_OUTLINED, selected_icon=ft.Icons.TODAY, label=T["nav_today"]
                ),
                ft.NavigationBarDestination(
                    icon=ft.Icons.PEOPLE_OUTLINE,
                    selected_icon=ft.Icons.PEOPLE,
                    label=T["nav_cases"],
                ),
                ft.NavigationBarDestination(
                    icon=ft.Icons.ADD_CIRCLE_OUTLINE,
                    selected_icon=ft.Icons.ADD_CIRCLE,
                    label=T["nav_capture"],
                ),
                ft.NavigationBarDestination(icon=ft.Icons.MORE_HORIZ, label=T["nav_more"]),
            ],
        )

    def screen(
        self,
        route: str,
        title: str,
        controls: list[ft.Control],
        back: str | None = None,
        action: ft.FloatingActionButton | None = None,
    ) -> ft.View:
        return ft.View(
            route=route,
            appbar=self.app_bar(title, back),
            navigation_bar=self.nav_bar(route),
            controls=controls,
            scroll=ft.ScrollMode.AUTO,
            padding=16,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            floating_action_button=action,
        )

    # ---- lock ------------------------------------------------------------------------

    async def lock(self, *_: Any) -> None:
        self.session.lock()
        await self.go("/")
        self.rebuild()

    async def hide(self, *_: Any) -> None:
        """Blank the screen at once (school gate); a tap brings it back."""
        self.session.hidden = True
        await self.go("/verborgen")


def main_for(
    data_dir: Path, auto_lock: float, dev_pin: bool = False
) -> Callable[[ft.Page], Awaitable[None]]:
    """`dev_pin`: offer the PIN with the file keystore (weaker; development and tests)."""

    async def main(page: ft.Page) -> None:
        page.title = T["app"]
        theme.apply(page)
        keystore = for_page(page, data_dir / "dev-keystore" if dev_pin else None)
        session = UiSession(data_dir, auto_lock, keystore, allow_weak_keystore=dev_pin)
        ui = Ui(page, session)

        async def on_route_change(_e: Any = None) -> None:
            ui.rebuild()

        async def on_view_pop(_e: Any) -> None:
            if len(page.views) > 1:
                page.views.pop()
                await ui.go(page.views[-1].route or "/")

        async def on_lifecycle(e: ft.AppLifecycleStateChangeEvent) -> None:
            hidden = e.state in (ft.AppLifecycleState.HIDE, ft.AppLifecycleState.PAUSE)
            if hidden and session.unlocked:
                await ui.lock()

        def on_disconnect(_e: Any) -> None:
            session.closed = True
            session.close()

        page.on_route_change = on_route_change
        page.on_view_pop = on_view_pop
        page.on_app_lifecycle_state_change = on_lifecycle
        page.on_close = on_disconnect
        await session.hold()
        ui.rebuild()
        page.run_task(_watch, ui)

    return main


async def _watch(ui: Ui) -> None:
    """Auto-lock after inactivity; sync by itself when the server answers its health check."""
    waited = 0.0
    while not ui.session.closed:
        await asyncio.sleep(1.0)
        waited += 1.0
        session = ui.session
        if session.idle_too_long():
            await ui.lock()
        if waited >= AUTO_SYNC_SECONDS and session.unlocked:
            waited = 0.0
            status = session.app.sync_status()
            if status["enrolled"] and await session.blocking(session.app.server_reachable):
                await session.sync()
                if ui.page.route in ("/", "/meer"):
                    ui.rebuild()


def run(data_dir: Path, web: bool, port: int, auto_lock: float, dev_pin: bool = False) -> None:
    import os

    if web:
        os.environ.setdefault("FLET_FORCE_WEB_SERVER", "1")  # serve; never open a browser
    ft.run(
        main_for(data_dir, auto_lock, dev_pin),
        view=ft.AppView.WEB_BROWSER if web else ft.AppView.FLET_APP,
        host="127.0.0.1",
        port=port,
        no_cdn=True,
        assets_dir=str(Path(__file__).resolve().parents[2] / "assets"),
    )
