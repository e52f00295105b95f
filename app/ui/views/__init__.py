"""Route → the one view to show (a back button names its parent route). Locked: the lock
screen only; nothing readable behind it."""

from __future__ import annotations

import flet as ft

from app.ui.views import capture, cases, lock, more, network, note, rights, signalen, today


def route_view(ui, route: str) -> list[ft.View]:
    if not ui.session.unlocked:
        return [lock.build(ui)]
    if route == "/verborgen":
        return [lock.hidden(ui)]
    path = route.split("?", 1)[0]
    if path.startswith("/gezin/"):
        view = cases.detail(ui, path.removeprefix("/gezin/"))
        ui.session.keep_open = None
        return [view]
    if path.startswith("/rechten/"):
        return [rights.checklist(ui, path.removeprefix("/rechten/"))]
    if path.startswith("/recht/"):
        case_id, _, right_id = path.removeprefix("/recht/").partition("/")
        return [rights.right_detail(ui, case_id, right_id)]
    if path.startswith("/netwerk/"):
        return [network.route(ui, route)]
    if path.startswith("/screening/"):
        return [rights.screening(ui, path.removeprefix("/screening/"))]
    if path.startswith("/voor-client/"):
        return [rights.for_client(ui, path.removeprefix("/voor-client/"))]
    if path == "/signalen":
        return [signalen.list_view(ui)]
    if path.startswith("/signaal/"):
        return [signalen.link_view(ui, path.removeprefix("/signaal/"))]
    if path.startswith("/samenvoegen/"):
        return [signalen.merge_view(ui, path.removeprefix("/samenvoegen/"))]
    if path == "/gezinnen":
        return [cases.list_view(ui)]
    if path == "/notitie":
        return [capture.build(ui, route)]
    if path.startswith("/notitie/"):
        return [note.build(ui, path.removeprefix("/notitie/"))]
    if path == "/meer":
        return [more.build(ui)]
    if path == "/conflicten":
        return [more.conflicts(ui)]
    if path == "/pincode" and ui.session.keystore is not None:
        return [lock.pin_setup(ui)]
    if path == "/privacy":
        return [more.privacy(ui)]
    return [today.build(ui)]
