"""The HTML of the supervisor view: layout, forms and sections. Plain HTML that works
without script; every value is escaped (`markup`); one local stylesheet."""

from __future__ import annotations

from urllib.parse import urlencode

from app.core.localtime import today
from sync_server.dashboard.markup import Html, join, render
from sync_server.dashboard.periods import UNITS, containing, trail
from sync_server.dashboard.tables import HIDDEN
from sync_server.dashboard.views import PAGES, Section, Selection

BASE = "/dashboard"

_LAYOUT = """<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title} · Dichtbij teamoverzicht</title>
<link rel="stylesheet" href="/dashboard/static/dashboard.css">
</head>
<body>
<a class="skip" href="#inhoud">Naar de inhoud</a>
<header class="top">
<p class="brand">Dichtbij <span>teamoverzicht</span></p>
{account}
</header>
{demo}
{nav}
<main id="inhoud">
<h1>{title}</h1>
{body}
</main>
<footer>
<p>Enkel codes uit de metadata: geen inhoud van notities, geen namen van gezinnen.
Aantallen onder 3 staan als &laquo;{hidden}&raquo;.</p>
</footer>
</body>
</html>
"""


def layout(
    title: str,
    body: Html,
    *,
    sel: Selection | None = None,
    page: str = "",
    csrf: str = "",
) -> Html:
    account = Html("")
    nav = Html("")
    demo = Html("")
    if sel is not None:
        account = render(
            '<form class="account" method="post" action="/dashboard/logout">'
            "<span>Aangemeld als <strong>{login}</strong> ({role})</span>"
            '<input type="hidden" name="csrf" value="{csrf}">'
            '<button type="submit">Afmelden</button></form>',
            login=sel.viewer.login,
            role=_ROLE.get(sel.viewer.role, sel.viewer.role),
            csrf=csrf,
        )
        links = [
            render(
                '<a href="{href}"{current}>{name}</a>',
                href=f"{BASE}{'' if key == 'activiteit' else '/' + key}?{query(sel)}",
                current=Html(' aria-current="page"' if key == page else ""),
                name=name,
            )
            for key, (name, _) in PAGES.items()
        ]
        nav = render('<nav aria-label="Pagina\'s">{links}</nav>', links=join(links, " "))
        if "fictief" in sel.team.name.lower():
            demo = Html(
                '<aside class="demo" aria-label="Demo"><p role="note">'
                "Demo: dit team en al zijn cijfers zijn fictief.</p></aside>"
            )
    return render(
        _LAYOUT,
        title=title,
        body=body,
        account=account,
        nav=nav,
        demo=demo,
        hidden=HIDDEN,
    )


_ROLE = {"supervisor": "teamcoach", "admin": "beheerder"}


def query(sel: Selection, **overrides: object) -> str:
    values: dict[str, object] = {
        "team": sel.team.id,
        "periode": sel.period.unit,
        "van": sel.period.key,
        "medewerker": sel.worker.login if sel.worker else "",
    }
    if sel.days != 7:
        values["dagen"] = sel.days
    values.update(overrides)
    return urlencode(values)


def selector(sel: Selection, page: str) -> Html:
    """The GET form that chooses team, period and worker; no script needed."""
    action = f"{BASE}{'' if page == 'activiteit' else '/' + page}"
    teams = Html("")
    if len(sel.teams) > 1:
        teams = render(
            '<p class="field"><label for="kies-team">Team</label>'
            '<select id="kies-team" name="team">{options}</select></p>',
            options=_options([(str(t.id), t.name) for t in sel.teams], str(sel.team.id)),
        )
    else:
        teams = render('<input type="hidden" name="team" value="{id}">', id=sel.team.id)
    today_period = containing(sel.period.unit, today(sel.now))
    recent = trail(today_period, 26 if sel.period.unit == "week" else 13)[::-1]
    if sel.period not in recent:
        recent.append(sel.period)
    workers = [("", "Hele team")] + [(m.login, m.login) for m in sel.members]
    days = Html("")
    if page == "toestellen":
        days = render(
            '<p class="field"><label for="kies-dagen">Niet gesynchroniseerd sinds (dagen)'
            '</label><input id="kies-dagen" type="number" name="dagen" min="1" max="365" '
            'value="{days}"></p>',
            days=sel.days,
        )
    previous, following = sel.period.previous(), sel.period.next()
    steps = render(
        '<p class="steps"><a href="{base}?{prev}" rel="prev">&lsaquo; {prev_label}</a>{next}</p>',
        base=action,
        prev=query(sel, van=previous.key),
        prev_label=previous.label,
        next=render(
            ' <a href="{base}?{q}" rel="next">{label} &rsaquo;</a>',
            base=action,
            q=query(sel, van=following.key),
            label=following.label,
        )
        if following.start <= today(sel.now)
        else Html(""),
    )
    return render(
        '<form class="select" method="get" action="{action}" aria-label="Keuze">'
        "{teams}"
        '<p class="field"><label for="kies-periode">Per week of maand</label>'
        '<select id="kies-periode" name="periode">{units}</select></p>'
        '<p class="field"><label for="kies-van">Periode</label>'
        '<select id="kies-van" name="van">{periods}</select></p>'
        '<p class="field"><label for="kies-medewerker">Medewerker</label>'
        '<select id="kies-medewerker" name="medewerker">{workers}</select></p>'
        "{days}"
        '<button type="submit">Toon</button></form>{steps}',
        action=action,
        teams=teams,
        units=_options([(u, u) for u in UNITS], sel.period.unit),
        periods=_options([(p.key, p.label) for p in recent], sel.period.key),
        workers=_options(workers, sel.worker.login if sel.worker else ""),
        days=days,
        steps=steps,
    )


def _options(choices: list[tuple[str, str]], chosen: str) -> Html:
    return join(
        render(
            '<option value="{value}"{selected}>{text}</option>',
            value=value,
            text=text,
            selected=Html(" selected" if value == chosen else ""),
        )
        for value, text in choices
    )


def section(item: Section, csv_href: str) -> Html:
    table = item.table
    if not table.rows:
        body = render('<p class="empty">{text}</p>', text=table.empty)
    else:
        head = join((render('<th scope="col">{c}</th>', c=c) for c in table.columns), "")
        rows = join(
            render(
                "<tr>{cells}</tr>",
                cells=join(
                    (
                        render('<th scope="row">{v}</th>', v=cell.text())
                        if i == 0
                        else render(
                            '<td class="{cls}">{v}</td>', v=cell.text(), cls="num" if i else ""
                        )
                        for i, cell in enumerate(row)
                    ),
                    "",
                ),
            )
            for row in table.rows
        )
        body = render(
            '<div class="scroll" role="region" tabindex="0" aria-label="Tabel: {title}">'
            '<table id="tabel-{id}">'
            '<caption class="visually-hidden">{title}</caption>'
            "<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
            '<p class="csv"><a href="{csv}" download>CSV: {title}</a></p>',
            id=table.id,
            title=table.title,
            head=head,
            rows=rows,
            csv=csv_href,
        )
    note = render('<p class="note">{n}</p>', n=table.note) if table.note else Html("")
    return render(
        '<section aria-labelledby="kop-{id}"><h2 id="kop-{id}">{title}</h2>{chart}{note}{body}'
        "</section>",
        id=table.id,
        title=table.title,
        chart=_chart(item.chart, table.title),
        note=note,
        body=body,
    )


def _chart(chart: Html | None, title: str) -> Html:
    """A chart keeps a readable size on a phone: its box scrolls sideways instead of
    shrinking the text, and a keyboard can scroll it too."""
    if chart is None:
        return Html("")
    return render(
        '<div class="scroll chart-box" role="region" tabindex="0" aria-label="Grafiek: {t}">'
        "{c}</div>",
        t=title,
        c=chart,
    )


def dashboard(sel: Selection, page: str, sections: list[Section], csrf: str) -> Html:
    name, _ = PAGES[page]
    intro = render(
        '<p class="scope">{team} · {who} · {period}</p>',
        team=sel.team.name,
        who=sel.who,
        period=sel.period.label,
    )
    extra = Html("")
    if page == "drempels":
        extra = render(
            '<p class="report"><a href="{base}/drempels/rapport?{q}">Kort rapport voor beleid'
            '</a> · <a href="{base}/drempels/rapport.txt?{q}" download>als tekstbestand</a></p>',
            base=BASE,
            q=query(sel),
        )
    parts = [section(s, f"{BASE}/csv/{page}/{s.table.id}?{query(sel)}") for s in sections]
    body = join([intro, selector(sel, page), extra, *parts])
    return layout(f"{name}", body, sel=sel, page=page, csrf=csrf)


def report(sel: Selection, lines: list[str], csrf: str) -> Html:
    items: list[Html] = []
    bullets: list[Html] = []
    for line in lines[1:]:
        if line.startswith("- "):
            bullets.append(render("<li>{t}</li>", t=line[2:]))
            continue
        if bullets:
            items.append(render("<ul>{b}</ul>", b=join(bullets)))
            bullets = []
        if line:
            items.append(render("<p>{t}</p>", t=line))
    if bullets:
        items.append(render("<ul>{b}</ul>", b=join(bullets)))
    body = render('<article class="report">{items}</article>', items=join(items))
    return layout(lines[0], body, sel=sel, page="drempels", csrf=csrf)


def login_form(form_token: str, error: str = "", login: str = "") -> Html:
    body = render(
        "{error}"
        '<form class="login" method="post" action="/dashboard/login">'
        '<input type="hidden" name="form" value="{token}">'
        '<label>Gebruikersnaam <input name="login" autocomplete="username" required '
        'value="{login}"></label>'
        '<label>Wachtwoord <input name="password" type="password" '
        'autocomplete="current-password" required></label>'
        '<button type="submit">Aanmelden</button></form>'
        "<p>Eerste keer, of wachtwoord vergeten? Vraag de beheerder een eenmalige code en "
        '<a href="/dashboard/activeren">stel een wachtwoord in</a>.</p>',
        error=_error(error),
        token=form_token,
        login=login,
    )
    return layout("Aanmelden", body)


def activate_form(form_token: str, error: str = "", login: str = "") -> Html:
    body = render(
        "{error}"
        "<p>Met de eenmalige code van de beheerder kies je een wachtwoord voor deze pagina's "
        "(minstens 12 tekens). Een eerder wachtwoord vervalt en je wordt overal afgemeld.</p>"
        '<form class="login" method="post" action="/dashboard/activeren">'
        '<input type="hidden" name="form" value="{token}">'
        '<label>Gebruikersnaam <input name="login" autocomplete="username" required '
        'value="{login}"></label>'
        '<label>Eenmalige code <input name="code" autocomplete="one-time-code" required></label>'
        '<label>Nieuw wachtwoord <input name="password" type="password" minlength="12" '
        'autocomplete="new-password" required></label>'
        '<label>Herhaal het wachtwoord <input name="again" type="password" minlength="12" '
        'autocomplete="new-password" required></label>'
        '<button type="submit">Wachtwoord instellen</button></form>',
        error=_error(error),
        token=form_token,
        login=login,
    )
    return layout("Wachtwoord instellen", body)


def message(title: str, text: str, link: str = "/dashboard/login") -> Html:
    return layout(
        title,
        render('<p role="alert">{t}</p><p><a href="{href}">Verder</a></p>', t=text, href=link),
    )


def _error(text: str) -> Html:
    return render('<p class="error" role="alert">{t}</p>', t=text) if text else Html("")
