"""Every screen's address, as data: a path pattern, the view that draws it and the tab of
the bottom bar it belongs to. The router, the bottom bar and every link read this one
table, so a new screen is one row here (and `url(name, …)` builds its links).

Patterns name their parts in braces (`/gezin/{case_id}`); a part matches one path segment.
A view is called as `view(ui, **parts, **query)` with the query's first values (a query key
renamed to the view's argument by `query`), so its signature says what the address carries.
A view is named ("module.function" in app/ui/views) and imported when first shown: the lock
screen asks for an address before anything else, and importing every view (and with them
the services, the sync client and requests) then cost it 190 ms.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import flet as ft

TODAY, CASES, CAPTURE, MORE = range(4)  # the bottom bar's tabs, left to right
TAB_ROUTES = ("today", "cases", "capture", "more")  # the route each tab opens


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    draws: str  # the view: "module.function" in app.ui.views
    tab: int
    query: tuple[tuple[str, str], ...] = ()  # (key in the address, argument of the view)

    @property
    def view(self) -> Callable[..., ft.View]:
        module, function = self.draws.split(".")
        view: Callable[..., ft.View] = getattr(
            importlib.import_module(f"app.ui.views.{module}"), function
        )
        return view

    def parts(self, path: str) -> dict[str, str] | None:
        """The named parts of `path` when it is this route's address, else None."""
        want, got = self.pattern.strip("/").split("/"), path.strip("/").split("/")
        if len(want) != len(got):
            return None
        found: dict[str, str] = {}
        for pattern, segment in zip(want, got, strict=True):
            if pattern.startswith("{"):
                if not segment:
                    return None
                found[pattern.strip("{}")] = segment
            elif pattern != segment:
                return None
        return found


ROUTES: tuple[Route, ...] = (
    Route("today", "/", "today.build", TODAY),
    Route("cases", "/gezinnen", "cases.list_view", CASES),
    Route("case", "/gezin/{case_id}", "cases.detail", CASES),
    Route("rights", "/rechten/{case_id}", "rights.checklist", CASES),
    Route("right", "/recht/{case_id}/{right_id}", "rights.right_detail", CASES),
    Route("screening", "/screening/{case_id}", "screening.screening", CASES),
    Route("for_client", "/voor-client/{case_id}", "rights.for_client", CASES),
    Route("network", "/netwerk/{case_id}", "network.overview", CASES),
    Route("person_new", "/netwerk/{case_id}/nieuw", "network.person_form", CASES),
    Route("person", "/netwerk/{case_id}/persoon/{node_id}", "network.person_form", CASES),
    Route(
        "network_questions",
        "/netwerk/{case_id}/vragen",
        "network.questions",
        CASES,
        (("v", "index"),),
    ),
    Route("snapshots", "/netwerk/{case_id}/momenten", "network_history.snapshots", CASES),
    Route(
        "comparison",
        "/netwerk/{case_id}/vergelijk",
        "network_history.comparison",
        CASES,
        (("van", "before"), ("tot", "after")),
    ),
    Route("network_share", "/netwerk/{case_id}/delen", "network_history.share", CASES),
    Route("signalen", "/signalen", "signalen.list_view", CASES),
    Route("signaal", "/signaal/{note_id}", "signalen.link_view", CASES),
    Route("merge", "/samenvoegen/{case_id}", "signalen.merge_view", CASES),
    Route(
        "capture",
        "/notitie",
        "capture.build",
        CAPTURE,
        (("gezin", "origin"), ("bewerk", "editing")),
    ),
    Route("note", "/notitie/{note_id}", "note.build", CASES),
    Route("more", "/meer", "more.build", MORE),
    Route("conflicts", "/conflicten", "more.conflicts", MORE),
    Route("pin", "/pincode", "lock.pin_route", MORE),
    Route("privacy", "/privacy", "more.privacy", MORE),
    Route("colleagues", "/collegas", "team.colleagues", MORE),
    Route("colleague", "/collega/{login}", "team.colleague", MORE),
    Route("sharing", "/delen/{case_id}", "sharing.build", CASES),
)


def table() -> tuple[Route, ...]:
    return ROUTES


def find(route: str) -> tuple[Route, dict[str, Any]]:
    """The route of an address and the arguments for its view; Vandaag when unknown."""
    split = urlsplit(route)
    query = {k: v[0] for k, v in parse_qs(split.query).items()}
    for candidate in table():
        parts = candidate.parts(split.path or "/")
        if parts is not None:
            renamed = {dict(candidate.query).get(k, k): v for k, v in query.items()}
            return candidate, {**renamed, **parts}
    return table()[0], {}


def show(ui, route: str) -> ft.View:
    """The view of `route`: its parts and query as keyword arguments the view accepts."""
    found, arguments = find(route)
    accepted = found.view.__code__.co_varnames[: found.view.__code__.co_argcount]
    return found.view(ui, **{k: v for k, v in arguments.items() if k in accepted})


def tab_of(route: str) -> int:
    return find(route)[0].tab


def url(name: str, **arguments: Any) -> str:
    """The address of the route called `name`, from its view's arguments:
    url("case", case_id=x) → "/gezin/x"; url("capture", origin=x) → "/notitie?gezin=x"."""
    [found] = [r for r in table() if r.name == name]
    path, query = found.pattern, {}
    keys = {argument: key for key, argument in found.query}
    for argument, value in arguments.items():
        if "{" + argument + "}" in path:
            path = path.replace("{" + argument + "}", quote(str(value), safe=""))
        elif value is not None:
            query[keys.get(argument, argument)] = value
    if "{" in path:
        raise KeyError(f"{name} needs {path}")
    return f"{path}?{urlencode(query)}" if query else path
