"""The app's frame: routes → views, the bottom navigation, the app bar, lock and auto-lock.

Views are rebuilt from the services on every route change (the local store is the
single source of truth); each view module exposes `build(ui, route) -> ft.View`. The page
keeps one `ft.View` for good and each screen is copied into it (`SCREEN_PARTS`): a new
View would be a new Flutter route, whose page transition kept the browser busy for about
150 ms more per tap (both screens drawn while it runs, whatever the transition theme).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import flet as ft

from app.core.errors import DichtbijError
from app.messages import describe
from app.paths import dev_keystore_dir
from app.ui import routes, theme, title_fit
from app.ui.choices import ManyOf, OneOf
from app.ui.field_error import SaidOnField
from app.ui.session import UiSession
from app.ui.start import load_later_drawn
from app.ui.strings import T
from app.ui.sync_status import indicator, next_check

log = logging.getLogger(__name__)

# What a screen sets on its View; `show` copies exactly these into the page's one frame.
SCREEN_PARTS = (
    "route", "appbar", "navigation_bar", "controls", "padding", "horizontal_alignment",
)  # fmt: skip
AFTER_DRAWN = 0.3  # s: the browser has drawn a screen's first frame by then (`after_drawn`)
SWITCH_WIDTH = 68  # px: the switch itself and the space before its label
NET_ICONS = {
    "online": ft.Icons.CLOUD_DONE_OUTLINED,
    "offline": ft.Icons.CLOUD_OFF,
    "unknown": ft.Icons.CLOUD_QUEUE,
}


class Ui:
    """One page's UI: routing, chrome, and safe event handlers."""

    def __init__(self, page: ft.Page, session: UiSession) -> None:
        self.page = page
        self.session = session
        self.net: ft.Icon | None = None  # the app bar's online/offline indicator, if shown
        self.badge: ft.Text | None = None  # the app bar's "N wachtend"
        self.watcher: Future | None = None  # the reachability check, while unlocked
        # Set by a form while it shows: keeps its unsaved input before the screen changes.
        self.on_leave: Callable[[], Awaitable[None]] | None = None
        self.undo_bar: ft.SnackBar | None = None  # the screen's "Ongedaan maken", while shown
        self.shown = ""  # the address of the screen on display
        self.echoes: list[str] = []  # addresses `go` showed that the browser will confirm
        self.frame = ft.View(route="/")  # the page's only View; every screen is copied in
        self.scroller: ft.Column | None = None  # the shown screen's scrolling column
        self.heading = ""  # the shown screen's title, said aloud when another screen opens
        self.speaker = ft.SemanticsService()
        self.later: list[Future] = []  # `after_drawn` work of the screen on display
        self.redrawing = False  # the screen being built is the one on display, again
        self.builds = 0  # screens built so far: `after_drawn` work is for one of them

    # ---- navigation ------------------------------------------------------------------

    async def go(self, route: str) -> None:
        """Open `route`: its screen is built and sent at once, and the browser told the new
        address after (for its history); asking the browser first would cost a round trip
        before anything is drawn. Its answer (a route change) builds nothing again."""
        await self.leave()
        self.show(route)
        if route != self.page.route:  # the browser answers only a change
            self.echoes.append(route)
        await self.page.push_route(route)

    async def route_changed(self, route: str) -> None:
        """The browser's address changed: its back or forward button, an address typed, or
        the answer to `go` (already on display). The form on screen keeps its input first,
        as with `go`: the next screen may list it as unfinished."""
        if route in self.echoes:
            del self.echoes[: self.echoes.index(route) + 1]
            # Nothing changed: without this, Flet compares the whole screen again after the
            # event (30–60 ms of CPU while the browser draws the screen just sent).
            ft.context.disable_auto_update()
            return
        await self.leave()
        self.show(route)

    async def leave(self) -> None:
        """Let the form on screen keep what was typed (a tab tapped, back, lock)."""
        keep, self.on_leave = self.on_leave, None
        if keep is not None and self.session.unlocked:
            try:
                await keep()
            except Exception:  # noqa: BLE001 - leaving must work; no content in the log
                log.exception("keeping a form's input failed")

    def link(self, route: str) -> Callable[..., Awaitable[None]]:
        """An on_click that opens `route`, with the same safety as `handler`."""
        return self.handler(lambda *_: self.go(route))

    def rebuild(self) -> None:
        """Build the screen on display again (after a change it shows)."""
        self.show(self.shown or self.page.route or "/")

    def show(self, route: str) -> None:
        """Build the screen of `route` and put it on the page (the lock screen while locked)."""
        from app.ui.views import route_view

        if route != self.shown:
            self.close_undo()  # an offer to undo belongs to the screen it was made on
        self.redrawing = route == self.shown
        self.shown = route
        if not self.session.unlocked:
            route = "/"
        elif self.watcher is None or self.watcher.done():
            self.watcher = self.page.run_task(_reachability, self)
        self.on_leave = None  # the new screen sets its own
        self.drop_later()
        self.scroller, self.heading = None, ""  # `screen` sets the new ones
        try:
            built = route_view(self, route)
        except DichtbijError as exc:  # e.g. a gezin deleted on another device meanwhile
            self.toast(describe(exc))
            built = route_view(self, "/")
        other = built.route != self.frame.route
        for part in SCREEN_PARTS:
            setattr(self.frame, part, getattr(built, part))
        if len(self.page.views) != 1 or self.page.views[0] is not self.frame:
            self.page.views[:] = [self.frame]
        self.page.update()
        if other and self.scroller is not None:
            # Flutter keeps one scroll offset per route, and there is only one: another
            # screen would open at the offset where the last one was left.
            self.page.run_task(self.scroller.scroll_to, offset=0, duration=0)
        if other and self.heading:
            # A new route is announced by TalkBack and VoiceOver; a new screen in the same
            # route is not, so its title is said here.
            self.page.run_task(self.speaker.announce_message, self.heading)

    def toast(self, message: str) -> None:
        self.page.show_dialog(ft.SnackBar(ft.Text(message), duration=3000))

    def offer_undo(
        self, message: str, undo: Callable[..., Awaitable[None]], seconds: float = 8
    ) -> None:
        """A toast with Ongedaan maken that names what it undoes, for this screen only: with
        a screen reader on, Flutter keeps it until dismissed, and on another screen it would
        undo something out of view (another gezin's item)."""
        self.close_undo()
        self.undo_bar = ft.SnackBar(
            ft.Text(message),
            action=ft.SnackBarAction(label=T["undo"], on_click=self.handler(undo)),
            duration=int(seconds * 1000),
        )
        self.page.show_dialog(self.undo_bar)

    def close_undo(self) -> None:
        bar, self.undo_bar = self.undo_bar, None
        if bar is not None and bar.open:
            bar.open = False
            with contextlib.suppress(RuntimeError):  # already gone from the page
                bar.update()

    def after_drawn(
        self, fill: Callable[[], None], *changed: ft.Control, delay: float = AFTER_DRAWN
    ) -> None:
        """Add to the screen being built once the browser has drawn its first frame: what
        is sent with it is drawn with it (a long timeline made opening a gezin 150 ms
        slower). Dropped when the screen goes (another screen, the lock) before that. The
        screen on display built again keeps its scroll place, so it gets all at once. Only
        the `changed` controls are compared and sent again (the whole screen when none)."""
        if self.redrawing:
            fill()
            return

        build = self.builds

        async def run() -> None:
            await asyncio.sleep(delay)
            if build == self.builds and self.session.unlocked:  # (a cancel may come late)
                fill()
                self.page.update(*changed)

        self.later.append(self.page.run_task(run))

    def drop_later(self) -> None:
        """The screen on display goes: what it left for `after_drawn` must not happen."""
        for task in self.later:
            task.cancel()
        self.later = []
        self.builds += 1

    def handler(self, fn: Callable[..., Awaitable[Any] | Any]) -> Callable[..., Awaitable[None]]:
        """Wrap an event handler: postpone auto-lock, and turn user errors into a sentence."""

        @functools.wraps(fn)
        async def wrapped(*args: Any) -> None:
            self.session.touch()
            try:
                result = fn(*args)
                if asyncio.iscoroutine(result):
                    await result
            except SaidOnField:
                self.page.update()  # said on its field: the field shows it, no bar
            except DichtbijError as exc:
                self.toast(describe(exc))
            except Exception:  # noqa: BLE001 - keep the app alive; no content in the log
                log.exception("ui handler failed")
                self.toast(T["error"])

        return wrapped

    # ---- chrome ----------------------------------------------------------------------

    def app_bar(self, title: str, back: str | None = None) -> ft.AppBar:
        actions: list[ft.Control] = []
        self.net = self.badge = None
        if self.session.unlocked:
            if self.session.app.enrolled:
                self.net = ft.Icon(ft.Icons.CLOUD_QUEUE, size=20)
                self.badge = ft.Text()
                self.show_sync_state(update=False)
                actions.append(
                    ft.Row(
                        [self.net, self.badge],
                        spacing=4,
                        tight=True,
                        vertical_alignment=ft.CrossAxisAlignment.CENTER,
                    )
                )
            actions += [
                self.icon_action(ft.Icons.VISIBILITY_OFF, T["hide"], self.hide),
                self.icon_action(ft.Icons.LOCK_OUTLINE, T["lock"], self.lock),
            ]
        leading = None
        if back:
            leading = self.icon_action(ft.Icons.ARROW_BACK, T["back"], lambda *_: self.go(back))
        room = title_fit.room(
            self.page.width or 412,
            back=bool(back),
            enrolled=self.net is not None,
            unlocked=self.session.unlocked,
        )
        fit = title_fit.fit(title, room)
        return ft.AppBar(
            title=self.title(title, fit),
            actions=actions,
            leading=leading,
            automatically_imply_leading=False,
            toolbar_height=fit.bar_height,
        )

    def title(self, title: str, fit: title_fit.TitleFit) -> ft.Control:
        """The app bar's title, wrapped only at spaces in a size that holds it whole (see
        `title_fit`); a tap on a shrunk one shows it in full, should it still end in '…'."""
        text = ft.Text(
            title,
            max_lines=fit.lines,
            overflow=ft.TextOverflow.ELLIPSIS,
            size=fit.size,
        )
        if fit.size == title_fit.STEPS[0][0]:
            return text
        return ft.GestureDetector(content=text, on_tap=self.handler(lambda _e: self.toast(title)))

    def show_sync_state(self, update: bool = True) -> None:
        """The indicator and the pending count as they are now, changed in place (a rebuild
        would throw away whatever is being typed)."""
        if self.net is None or self.badge is None or not self.session.unlocked:
            return
        state, label = indicator(self.session.online)
        self.net.icon = NET_ICONS[state]
        self.net.semantics_label = label
        self.net.color = ft.Colors.ERROR if state == "offline" else None
        pending = self.session.app.sync_status()["pending"]
        self.badge.value = T["sync_pending"].format(pending=pending)
        if update:
            with contextlib.suppress(RuntimeError):  # the app bar was replaced meanwhile
                self.net.update()
                self.badge.update()

    def stop_watching(self) -> None:
        if self.watcher is not None:
            self.watcher.cancel()
            self.watcher = None

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

    def folded(
        self, tile: ft.ExpansionTile, contents: Callable[[], list[ft.Control]]
    ) -> ft.ExpansionTile:
        """An ExpansionTile whose contents are made when it is first opened (or at once when
        it shows open): a closed section costs the screen nothing to build, send or draw."""

        def unfold(_e: Any) -> None:
            if not tile.controls:
                tile.controls = contents()
                tile.update()

        if tile.expanded:
            tile.controls = contents()
        tile.on_change = self.handler(unfold)
        return tile

    def switch(self, label: str, **options: Any) -> ft.Switch:
        """A switch whose label wraps under itself: Flutter lays the label out in a row
        without a width, so a long one ran off the right edge of the screen."""
        width = (self.page.width or 412) - 32 - SWITCH_WIDTH  # the screen's padding
        return ft.Switch(label=ft.Text(label, width=width), **options)

    @staticmethod
    def said(text: str, subject: str) -> ft.Text:
        """A button's text that names what it acts on for a screen reader ("Leefloon: op de
        checklist"), where twelve buttons would otherwise all be called "Op de checklist"."""
        return ft.Text(text, semantics_label=f"{subject}: {text.lower()}")

    @staticmethod
    def dialog(title: str, **options: Any) -> ft.AlertDialog:
        """A dialog that a screen reader announces by its title, not as a bare "Melding"."""
        return ft.AlertDialog(title=ft.Text(title), semantics_label=title, **options)

    @staticmethod
    def one_of(heading: str) -> OneOf:
        """A row for single-choice chips, announced as a radio group named `heading`."""
        return OneOf(label=heading)

    @staticmethod
    def many_of(heading: str) -> ManyOf:
        """A row for multiple-choice chips, announced as one group named `heading`."""
        return ManyOf(label=heading)

    @staticmethod
    def question(text: str) -> ft.Control:
        """The visible question above a group that is named by it: a screen reader hears it
        once, with the group, not twice."""
        return ft.Semantics(
            content=ft.Text(text, weight=ft.FontWeight.BOLD), exclude_semantics=True
        )

    @staticmethod
    def named(control: ft.Control, label: str) -> ft.Control:
        """A control that screen readers (and tests) know by `label`: Flutter's dropdowns
        otherwise read as a bare button, or merge into the card around them. A dropdown also
        says its current value ("Fase, Eerste onthaal"), kept up to date when it changes."""
        wrapper = ft.Semantics(content=control, label=label, container=True)
        if not isinstance(control, ft.Dropdown):
            return wrapper

        def shown() -> str:
            chosen = [o for o in control.options if o.key == control.value]
            return (chosen[0].text or chosen[0].key or "") if chosen else ""

        if shown() and shown() in label:
            return wrapper  # the label already says it
        wrapper.value = shown()
        chained = control.on_select

        async def on_select(e: Any) -> None:
            wrapper.value = shown()
            wrapper.update()
            if chained is not None:
                result = chained(e)  # type: ignore[call-arg]  # Flet's union allows 0-arg; ours take e
                if asyncio.iscoroutine(result):
                    await result

        control.on_select = on_select
        return wrapper

    def nav_bar(self, route: str) -> ft.NavigationBar:
        return ft.NavigationBar(
            selected_index=routes.tab_of(route),
            on_change=self.handler(
                lambda e: self.go(routes.url(routes.TAB_ROUTES[e.control.selected_index]))
            ),
            destinations=[
                _destination(*tab, (self.page.width or 412) / len(_TABS)) for tab in _TABS
            ],
            # the label is drawn under the icon by us: Flutter's own stops growing at 130 %
            label_behavior=ft.NavigationBarLabelBehavior.ALWAYS_HIDE,
            indicator_color=ft.Colors.TRANSPARENT,
            height=BAR_HEIGHT,
        )

    def screen(
        self,
        route: str,
        title: str,
        controls: list[ft.Control],
        back: str | None = None,
        action: ft.Control | None = None,
    ) -> ft.View:
        """A screen: app bar, its controls scrolling, and its main button (`action`, see
        `action_button`) in a bar under them that covers nothing (a floating button hid the
        field or chip that scrolled under it)."""
        self.heading = title
        # the padding is inside the scrolling: a first field's floating label ("Fase")
        # stands above its box and was cut off under the app bar
        self.scroller = ft.Column(
            [
                ft.Container(
                    ft.Column(controls, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
                    padding=ft.Padding(16, 16, 16, 16),
                )
            ],
            scroll=ft.ScrollMode.AUTO,
            expand=True,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )
        body: ft.Control = self.scroller
        if action is not None:
            bar = ft.Container(
                ft.Row([action], alignment=ft.MainAxisAlignment.END),
                padding=ft.Padding(16, 6, 16, 6),
                border=ft.Border(top=ft.BorderSide(1, ft.Colors.OUTLINE_VARIANT)),
            )
            body = ft.Column([self.scroller, bar], spacing=0, expand=True)
        return ft.View(
            route=route,
            appbar=self.app_bar(title, back),
            navigation_bar=self.nav_bar(route),
            controls=[body],
            padding=ft.Padding.all(0),  # an object: Flet 1.0.5 did not send a change 24 → 0
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )

    @staticmethod
    def action_button(label: str, icon: ft.IconData, on_click: Any) -> ft.Control:
        """A screen's main button (Opslaan, Volgende), for `screen(action=…)`."""
        return ft.FilledButton(label, icon=icon, on_click=on_click)

    # ---- lock ------------------------------------------------------------------------

    async def lock(self, *_: Any) -> None:
        self.stop_watching()
        await self.leave()  # while the vault is still open: the draft is stored encrypted
        self.session.lock()
        await self.go("/")
        self.rebuild()

    async def hide(self, *_: Any) -> None:
        """Blank the screen at once (school gate); a tap brings it back."""
        self.session.hidden = True
        self.session.hidden_from = self.shown or self.page.route
        await self.go("/verborgen")


def main_for(
    data_dir: Path, auto_lock: float, dev_pin: bool = False
) -> Callable[[ft.Page], Awaitable[None]]:
    """`dev_pin`: offer the PIN with the file keystore (weaker; development and tests)."""

    async def main(page: ft.Page) -> None:
        from app.ui.keystore import for_page

        page.title = T["app"]
        theme.apply(page)
        keystore = for_page(page, dev_keystore_dir(data_dir) if dev_pin else None)
        session = UiSession(data_dir, auto_lock, keystore, allow_weak_keystore=dev_pin)
        session.screens_loader = load_later_drawn
        ui = Ui(page, session)

        async def on_route_change(_e: Any = None) -> None:
            await ui.route_changed(page.route or "/")

        async def on_lifecycle(e: ft.AppLifecycleStateChangeEvent) -> None:
            hidden = e.state in (ft.AppLifecycleState.HIDE, ft.AppLifecycleState.PAUSE)
            if hidden and session.unlocked:
                await ui.lock()

        def on_disconnect(_e: Any) -> None:
            ui.stop_watching()
            session.closed = True
            session.close()

        page.on_route_change = on_route_change
        page.on_app_lifecycle_state_change = on_lifecycle
        page.on_close = on_disconnect
        await session.hold()
        ui.rebuild()
        page.run_task(_watch, ui)

    return main


_TABS = [  # icon, icon when chosen, name
    (ft.Icons.TODAY_OUTLINED, ft.Icons.TODAY, "nav_today"),
    (ft.Icons.PEOPLE_OUTLINE, ft.Icons.PEOPLE, "nav_cases"),
    (ft.Icons.ADD_CIRCLE_OUTLINE, ft.Icons.ADD_CIRCLE, "nav_capture"),
    (ft.Icons.MORE_HORIZ, ft.Icons.MORE_HORIZ, "nav_more"),
]


# px: the icon and two lines of label at 200 % text size (Material's bar is 80 px: one line)
BAR_HEIGHT = 96


def _destination(
    icon: ft.IconData, chosen: ft.IconData, key: str, width: float
) -> ft.NavigationBarDestination:
    """A tab whose label grows with the text size like every other text (Flutter caps its
    own tab labels at 130 %). A label wider than its tab (four tabs in 412 px at 200 %)
    breaks at its soft hyphen onto a second line instead of being cut at the tab's edge; the
    width is given because Flutter lays a tab's icon out without one. Screen readers read
    `label`, the word whole."""

    def face(glyph: ft.IconData, weight: ft.FontWeight) -> ft.Control:
        text = ft.Text(
            T[key],
            weight=weight,
            text_align=ft.TextAlign.CENTER,
            max_lines=2,
            style=ft.TextStyle(height=1.0),  # two lines fit in BAR_HEIGHT
        )
        return ft.Column(
            [
                ft.Icon(glyph),
                ft.Semantics(content=ft.Container(text, width=width - 8), exclude_semantics=True),
            ],
            spacing=0,
            tight=True,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        )

    return ft.NavigationBarDestination(
        icon=face(icon, ft.FontWeight.NORMAL),
        selected_icon=face(chosen, ft.FontWeight.BOLD),
        label=T[key].replace("\u00ad", ""),
    )


async def _watch(ui: Ui) -> None:
    """Auto-lock after inactivity (a cheap local check, no network)."""
    while not ui.session.closed:
        await asyncio.sleep(1.0)
        if ui.session.idle_too_long():
            await ui.lock()


async def _reachability(ui: Ui) -> None:
    """While unlocked and enrolled: ask the server's health now and then (backing off while it
    does not answer), show the answer in the app bar, and sync when it is there. Cancelled
    when the app locks or the page closes; never counts as the worker's activity."""
    session, failures = ui.session, 0
    while not session.closed and session.unlocked:
        app = session.app
        if not app.enrolled:
            return
        online = await asyncio.to_thread(app.server_reachable)
        if not session.unlocked:
            return
        failures = 0 if online else failures + 1
        session.online = online
        if online and not session.syncing:
            await session.sync()
            # Only when it changed what the screen shows: a rebuild scrolls back to the top.
            route = ui.shown
            stale = session.pulled if route == "/" else session.pulled + session.pushed
            if stale and route in ("/", "/meer") and session.unlocked:
                ui.rebuild()
        ui.show_sync_state()
        await asyncio.sleep(next_check(bool(session.online), failures))
