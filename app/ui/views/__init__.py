"""Route → the one screen to show (a back button names its parent route). Locked: the lock
screen only; nothing readable behind it. Which view draws which address is app/ui/routes.py.
The screen comes as an `ft.View` that `Ui.show` copies into the page's one frame."""

from __future__ import annotations

import flet as ft

from app.ui import routes
from app.ui.views import lock


def route_view(ui, route: str) -> ft.View:
    if not ui.session.unlocked:
        return lock.build(ui)
    if route == "/verborgen":
        return lock.hidden(ui)
    return routes.show(ui, route)
