"""Routes of the supervisor view under /dashboard: login, password from a one-time code,
the four pages, CSV downloads and logout. HTML for browsers, so not in /openapi.json.

Cookies are HttpOnly and SameSite=Strict; over https they are also Secure and carry the
`__Host-` prefix. Plain http is accepted only when the server itself listens on loopback
(tests, `make run`, or a TLS proxy on the same machine); elsewhere logging in is refused.
Every POST needs a CSRF token: the session's (logout) or, before login, one bound to a
short-lived form cookie; a cross-site Origin or Sec-Fetch-Site is refused as well.
"""

from __future__ import annotations

import csv
import datetime as dt
import hmac
import io
import ipaddress
import secrets
import time
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.core.localtime import today
from sync_server.dashboard import auth, pages, queries, views
from sync_server.dashboard.markup import Html
from sync_server.dashboard.periods import UNITS, BadPeriod, containing, parse, trail
from sync_server.dashboard.style import CSS
from sync_server.db import Database
from sync_server.errors import ApiError, Forbidden, TooManyAttempts, Unauthorized
from sync_server.models import User

SESSION, FORM = "dichtbij_sessie", "dichtbij_formulier"
MAX_FORM = 8 * 1024
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class Refused(Exception):
    """Answer with an HTML page and a status instead of the page asked for."""

    def __init__(self, status: int, title: str, text: str) -> None:
        super().__init__(title)
        self.status, self.title, self.text = status, title, text


async def _form(request: Request) -> dict[str, str]:
    """An urlencoded form body (first value of each field); anything else is empty."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return {}
    body = await request.body()
    if len(body) > MAX_FORM:
        return {}
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=20)
    # A NUL can be in no login, code or name (and PostgreSQL refuses it in text): empty.
    return {name: "" if "\x00" in values[0] else values[0] for name, values in fields.items()}


Form = Annotated[dict[str, str], Depends(_form)]


def router(db: Database) -> APIRouter:
    routes = APIRouter(prefix="/dashboard", include_in_schema=False)

    @routes.get("/static/dashboard.css")
    def stylesheet() -> Response:
        return Response(CSS, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    # ---- login, password, logout --------------------------------------------------------

    @routes.get("/login")
    def login_page(request: Request) -> Response:
        return _with_form_cookie(request, pages.login_form)

    @routes.post("/login")
    def login(request: Request, form: Form) -> Response:
        try:
            _check_post(request, form.get("form"), _cookie(request, FORM))
        except Refused as refused:
            return _with_form_cookie(request, pages.login_form, refused.text, refused.status)
        client = _client(request)
        name = form.get("login", "")[:64]
        try:
            with db.transaction() as session:
                auth.end_session(session, _cookie(request, SESSION))  # never reuse an id
            token = auth.login(db, name, form.get("password", ""), client)
        except TooManyAttempts as exc:
            return _too_many(request, pages.login_form, name, exc)
        except Unauthorized:
            with db.transaction() as session:
                auth.count_failure(session, client, name)
            text = "Gebruikersnaam of wachtwoord klopt niet."
            return _with_form_cookie(request, pages.login_form, text, 401, name)
        answer = _redirect("/dashboard")
        _set_cookie(request, answer, SESSION, token)
        _drop_cookie(request, answer, FORM)
        return answer

    @routes.get("/activeren")
    def activate_page(request: Request) -> Response:
        return _with_form_cookie(request, pages.activate_form)

    @routes.post("/activeren")
    def activate(request: Request, form: Form) -> Response:
        name = form.get("login", "")[:64]
        try:
            _check_post(request, form.get("form"), _cookie(request, FORM))
            if form.get("password", "") != form.get("again", ""):
                raise Refused(422, "", "De twee wachtwoorden verschillen.")
        except Refused as refused:
            return _with_form_cookie(
                request, pages.activate_form, refused.text, refused.status, name
            )
        client = _client(request)
        try:
            with db.transaction() as session:
                auth.set_password(
                    session, name, form.get("code", ""), form.get("password", ""), client
                )
        except TooManyAttempts as exc:
            return _too_many(request, pages.activate_form, name, exc)
        except Unauthorized:
            with db.transaction() as session:
                auth.count_failure(session, client, name)
            text = "Deze code hoort niet bij deze gebruikersnaam, is al gebruikt of verlopen."
            return _with_form_cookie(request, pages.activate_form, text, 401, name)
        except Forbidden:
            text = "Alleen teamcoaches en beheerders hebben deze pagina's."
            return _with_form_cookie(request, pages.activate_form, text, 403, name)
        except auth.WeakPassword:
            text = f"Kies een wachtwoord van minstens {auth.MIN_PASSWORD} tekens, niet je naam."
            return _with_form_cookie(request, pages.activate_form, text, 422, name)
        return _html(
            pages.message("Wachtwoord ingesteld", "Meld je nu aan met je nieuwe wachtwoord.")
        )

    @routes.post("/logout")
    def logout(request: Request, form: Form) -> Response:
        token = _cookie(request, SESSION)
        with db.transaction() as session:
            if auth.current_user(session, token) is None:
                return _redirect("/dashboard/login")
            try:
                _check_post(request, form.get("csrf"), auth.csrf_token(token or ""))
            except Refused as refused:
                return _html(
                    pages.message(refused.title, refused.text, "/dashboard"), refused.status
                )
            auth.end_session(session, token)
        answer = _redirect("/dashboard/login")
        _drop_cookie(request, answer, SESSION)
        return answer

    # ---- pages --------------------------------------------------------------------------

    def show(request: Request, page: str) -> Response:
        started = time.perf_counter()
        token = _cookie(request, SESSION)
        with db.transaction() as session:
            sel = _selection(session, token, request)
            if isinstance(sel, Response):
                return sel
            sections = views.PAGES[page][1](session, sel)
        html = pages.dashboard(sel, page, sections, auth.csrf_token(token or ""))
        return _html(html, headers=_timing(started))

    @routes.get("")
    def activity(request: Request) -> Response:
        return show(request, "activiteit")

    @routes.get("/gezinnen")
    def cases(request: Request) -> Response:
        return show(request, "gezinnen")

    @routes.get("/toestellen")
    def devices(request: Request) -> Response:
        return show(request, "toestellen")

    @routes.get("/drempels")
    def barriers(request: Request) -> Response:
        return show(request, "drempels")

    @routes.get("/drempels/rapport")
    def report(request: Request) -> Response:
        return _report(request, as_text=False)

    @routes.get("/drempels/rapport.txt")
    def report_text(request: Request) -> Response:
        return _report(request, as_text=True)

    def _report(request: Request, as_text: bool) -> Response:
        started = time.perf_counter()
        token = _cookie(request, SESSION)
        with db.transaction() as session:
            sel = _selection(session, token, request)
            if isinstance(sel, Response):
                return sel
            lines = views.barrier_report(session, sel)
        if as_text:
            name = f"dichtbij-signaalfunctie-{sel.period.key}.txt"
            return _download("\n".join(lines) + "\n", "text/plain", name, started)
        return _html(pages.report(sel, lines, auth.csrf_token(token or "")), 200, _timing(started))

    @routes.get("/csv/{page}/{table}")
    def csv_table(request: Request, page: str, table: str) -> Response:
        started = time.perf_counter()
        token = _cookie(request, SESSION)
        with db.transaction() as session:
            sel = _selection(session, token, request)
            if isinstance(sel, Response):
                return sel
            if page not in views.PAGES:
                return _html(pages.message("Niet gevonden", "Die pagina bestaat niet."), 404)
            found = [s.table for s in views.PAGES[page][1](session, sel) if s.table.id == table]
        if not found:
            return _html(pages.message("Niet gevonden", "Die tabel bestaat niet."), 404)
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(found[0].csv_rows())
        name = f"dichtbij-{table}-{sel.period.key}.csv"
        # a BOM, so spreadsheets read the accents right
        return _download("\ufeff" + out.getvalue(), "text/csv", name, started)

    return routes


# ---- choosing what to show ---------------------------------------------------------------


def _selection(session: Session, token: str | None, request: Request) -> Any:
    """What the signed-in user asked to see, or the Response that refuses it (no session:
    to the login page; a team or worker out of reach: a message)."""
    user = auth.current_user(session, token)
    if user is None:
        return _redirect("/dashboard/login")
    try:
        return _select(session, user, request.query_params)
    except Refused as refused:
        return _html(pages.message(refused.title, refused.text, "/dashboard"), refused.status)


def _download(body: str, media_type: str, name: str, started: float) -> Response:
    return Response(
        body,
        media_type=f"{media_type}; charset=utf-8",
        headers={
            **HEADERS,
            **_timing(started),
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )


def _select(session: Session, user: User, params: Any) -> views.Selection:
    teams = auth.visible_teams(session, user)
    if not teams:
        raise Refused(403, "Geen toegang", "Je ziet geen enkel team.")
    wanted = params.get("team")
    if wanted:
        team = next((t for t in teams if str(t.id) == wanted), None)
        if team is None:
            raise Refused(403, "Geen toegang", "Dit team hoort niet bij jouw teams.")
    else:
        team = next((t for t in teams if t.id == user.team_id), teams[0])
    unit = params.get("periode") or "maand"
    if unit not in UNITS:
        raise Refused(400, "Onbekende keuze", "Kies per week of per maand.")
    now = dt.datetime.now(dt.UTC)
    key = params.get("van")
    period = containing(unit, today(now))
    if key:
        try:
            period = parse(unit, key)
        except BadPeriod:
            other = UNITS[1 - UNITS.index(unit)]
            try:  # switching between week and month: the last day of the old one, or today
                last = parse(other, key).end - dt.timedelta(days=1)
                period = containing(unit, min(last, today(now)))
            except BadPeriod:
                raise Refused(400, "Onbekende periode", "Die periode bestaat niet.") from None
    members = queries.members(session, team.id)
    login = params.get("medewerker") or ""
    worker = None
    if login:
        worker = next((m for m in members if m.login == login), None)
        if worker is None:
            raise Refused(400, "Onbekende medewerker", "Die medewerker hoort niet bij dit team.")
    days = params.get("dagen") or "7"
    if not days.isdigit() or not 1 <= int(days) <= 365:
        raise Refused(400, "Onbekende keuze", "Kies een aantal dagen van 1 tot 365.")
    return views.Selection(
        viewer=user,
        teams=teams,
        team=team,
        members=members,
        worker=worker,
        period=period,
        periods=trail(period, views.TREND),
        days=int(days),
        now=now,
    )


# ---- requests, cookies, answers ----------------------------------------------------------


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _loopback_server(request: Request) -> bool:
    server = request.scope.get("server") or ("", 0)
    try:
        return ipaddress.ip_address(server[0]).is_loopback
    except ValueError:
        return server[0] == "localhost"


def _name(request: Request, base: str) -> str:
    return f"__Host-{base}" if _secure(request) else base


def _cookie(request: Request, base: str) -> str | None:
    return request.cookies.get(_name(request, base))


def _set_cookie(request: Request, answer: Response, base: str, value: str) -> None:
    answer.set_cookie(
        _name(request, base),
        value,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        max_age=int(auth.LIFETIME.total_seconds()) if base == SESSION else 3600,
    )


def _drop_cookie(request: Request, answer: Response, base: str) -> None:
    answer.delete_cookie(
        _name(request, base), path="/", httponly=True, samesite="strict", secure=_secure(request)
    )


def _check_post(request: Request, submitted: str | None, expected: str | None) -> None:
    """Refuse a POST that is not plainly from our own page over an acceptable transport."""
    if not _secure(request) and not _loopback_server(request):
        raise Refused(
            403, "Alleen via https", "Aanmelden kan alleen over een beveiligde verbinding (https)."
        )
    origin = request.headers.get("origin")
    if origin and origin != "null":
        own = urlsplit(str(request.base_url))
        theirs = urlsplit(origin)
        if (theirs.scheme, theirs.netloc) != (own.scheme, own.netloc):
            raise Refused(403, "Geweigerd", "Dit formulier kwam niet van deze site.")
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise Refused(403, "Geweigerd", "Dit formulier kwam niet van deze site.")
    if not submitted or not expected or not hmac.compare_digest(submitted, expected):
        raise Refused(
            403,
            "Formulier verlopen",
            "Het formulier was verlopen of niet van deze site. Probeer het opnieuw.",
        )


def _with_form_cookie(
    request: Request,
    form_page: Any,
    error: str = "",
    status: int = 200,
    login: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    """A login or password form with a fresh token, also set as a cookie (double submit)."""
    token = secrets.token_urlsafe(32)
    answer = _html(form_page(token, error, login), status, headers)
    _set_cookie(request, answer, FORM, token)
    return answer


def _html(content: Html, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return HTMLResponse(content, status, headers={**HEADERS, **(headers or {})})


def _redirect(url: str) -> Response:
    return RedirectResponse(url, 303, headers=HEADERS)


def _timing(started: float) -> dict[str, str]:
    """How long the server worked on a page (shown by browsers' developer tools; read by
    `python -m bench dashboard`)."""
    return {"Server-Timing": f"app;dur={(time.perf_counter() - started) * 1000:.1f}"}


def _too_many(request: Request, form: Any, name: str, exc: TooManyAttempts) -> Response:
    where = _TOO_MANY.get(str(exc.extra.get("scope")), "vanaf dit adres")
    text = f"Te veel mislukte pogingen {where}: wacht {seconds(_wait(exc))}."
    headers = {"Retry-After": str(exc.extra["retry_after"])}
    return _with_form_cookie(request, form, text, 429, name, headers)


_TOO_MANY = {
    "web_account": "voor deze gebruikersnaam",
    "global": "op deze server",
    "busy": "tegelijk op deze server",
}


def seconds(count: int) -> str:
    """'1 seconde', '5 seconden'."""
    return f"{count} seconde" if count == 1 else f"{count} seconden"


def _wait(exc: ApiError) -> int:
    wait = exc.extra.get("retry_after", 1)
    return int(wait) if isinstance(wait, (int, float, str)) else 1
