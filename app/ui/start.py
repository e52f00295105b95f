"""Starting the app, and what code loads when: the web server listens before the screens'
code is imported, which then loads while the browser starts Flutter (the server waits idle
then); the other screens' code loads with the unlock. Nothing here imports the screens at
module level, so `python -m app app` reaches the listening server sooner (about 0.1 s)."""

from __future__ import annotations

import importlib
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

import flet as ft


def run(data_dir: Path, web: bool, port: int, auto_lock: float, dev_pin: bool = False) -> None:
    if web:
        os.environ.setdefault("FLET_FORCE_WEB_SERVER", "1")  # serve; never open a browser
        threading.Thread(target=warm_up, args=(port,), daemon=True).start()

    async def main(page: ft.Page) -> Any:
        from app.ui.shell import main_for  # loaded by `warm_up` meanwhile, on the web

        return await main_for(data_dir, auto_lock, dev_pin)(page)

    ft.run(
        main,
        view=ft.AppView.WEB_BROWSER if web else ft.AppView.FLET_APP,
        host="127.0.0.1",
        port=port,
        no_cdn=True,
        assets_dir=str(Path(__file__).resolve().parents[2] / "assets"),
    )


# What the lock screen and Vandaag draw: Flet loads each kind of control on first use.
FIRST_DRAWN = (
    "View", "AppBar", "NavigationBar", "NavigationBarDestination", "Text", "TextField",
    "FilledButton", "FilledTonalButton", "OutlinedButton", "TextButton", "IconButton", "Icon",
    "Row", "Column", "Container", "Semantics", "ProgressBar", "ProgressRing", "ListTile",
    "Divider", "SnackBar", "Theme", "PageTransitionsTheme",
)  # fmt: skip


def warm_up(port: int) -> None:
    """Once the web server answers, load the shell and what the lock screen needs while the
    browser starts Flutter, so the first screen need not wait for these imports. Started
    before the server, it would only delay it; kept short, so it is done before anyone can
    type."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.02)
    for module in ("app.ui.shell", "app.ui.keystore", "app.ui.views"):
        importlib.import_module(module)
    for name in FIRST_DRAWN:
        getattr(ft, name)


# What the other screens draw (Flet loads each kind of control on first use, 3–14 ms
# each); loaded with the view modules by the unlock (`load_later_drawn`).
LATER_DRAWN = (
    "AlertDialog", "Card", "Chip", "CircleAvatar", "DatePicker", "Dropdown", "DropdownOption",
    "ExpansionTile", "GestureDetector", "Image", "InteractiveViewer", "Markdown", "Radio",
    "RadioGroup", "Segment", "SegmentedButton", "SnackBarAction", "Switch", "TextStyle",
)  # fmt: skip


def load_later_drawn() -> None:
    """Called on the worker thread of the unlock, after the vault opened (the worker waits
    for it anyway): the first gezin, note or netwerkkaart then need not wait for imports.
    After the unlock, on the event loop or a thread, it slowed the first taps instead."""
    from app.ui import routes

    for name in LATER_DRAWN:
        getattr(ft, name)
    for module in dict.fromkeys(r.draws.split(".")[0] for r in routes.ROUTES):
        importlib.import_module(f"app.ui.views.{module}")  # imported when first shown else
