"""What each page of the supervisor view shows: its tables (and the chart above a table),
built from the figures of one selection (team, worker or whole team, period)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from sync_server.dashboard import figures, queries
from sync_server.dashboard.charts import bar_chart
from sync_server.dashboard.markup import Html
from sync_server.dashboard.periods import Period
from sync_server.dashboard.tables import (
    Count,
    Ratio,
    Table,
    add_counts,
    complement,
    label,
    labels,
    nested,
    right_name,
)
from sync_server.models import Team, User

TREND = 12  # periods in every trend
REFERRAL, NETWORK_SNAPSHOT = "referral", "network_snapshot"


@dataclass
class Selection:
    viewer: User
    teams: list[Team]  # the teams the viewer may see
    team: Team
    members: list[User]
    worker: User | None  # None: the whole team
    period: Period
    periods: list[Period]  # the trend, ending with `period`
    days: int = 7  # devices silent for this many days are at risk
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def owner_id(self) -> int | None:
        return self.worker.id if self.worker else None

    @property
    def who(self) -> str:
        return self.worker.login if self.worker else "hele team"


@dataclass
class Section:
    table: Table
    chart: Html | None = None


Page = Callable[[Session, Selection], list[Section]]


def activity(session: Session, sel: Selection) -> list[Section]:
    p = sel.period
    act = figures.activity(queries.note_facts(session, sel.team.id, sel.owner_id, p.first, p.after))
    team = act
    if sel.worker is not None:  # the team's figures decide what this worker's may show
        team = figures.activity(queries.note_facts(session, sel.team.id, None, p.first, p.after))
    first, after = sel.periods[0].first, sel.periods[-1].after
    mine = sel.owner_id
    if mine is None:  # the team's trend: totals only, no worker's figure to withhold in it
        contacts, attempts = figures.contact_trend(
            queries.contact_counts(session, sel.team.id, None, first, after), sel.periods
        )
        trend_of: list[dict[int, tuple[int, int]]] = [{} for _ in sel.periods[:-1]]
        trend_of.append({o: (w.contacts, w.attempts) for o, w in team.workers.items()})
    else:  # a worker's trend withholds what the team's per-worker table would, per period
        by_owner = queries.contact_counts_by_owner(session, sel.team.id, first, after)
        trend_of = figures.owner_trend(by_owner, sel.periods)
        contacts = [per.get(mine, (0, 0))[0] for per in trend_of]
        attempts = [per.get(mine, (0, 0))[1] for per in trend_of]
    held = _withheld(sel, trend_of, team)
    key = Table("kerncijfers", f"Kerncijfers, {p.label}", ["Cijfer", "Waarde"])
    own_c, own_a = mine in held["contacts"][-1], mine in held["attempts"][-1]
    key.add("Contacten", Count(act.contacts, own_c))
    key.add("Aanklampen: pogingen zonder contact", Count(act.attempts, own_a))
    key.add("Pogingen per contact", Ratio(act.attempts, act.contacts, own_c or own_a))
    caseload = Count(act.caseload, mine in held["cases"])
    key.add("Actieve caseload (gezinnen met een notitie)", caseload)
    key.add("Signalen (contact zonder gezin)", nested(act.signalen, act.contacts))
    key.add("Check-ins", nested(act.check_ins, act.contacts))
    key.add("Gezinnen met een hogere draagkracht", Count(act.kracht_moves[0]))
    key.add("Gezinnen met een lagere draagkracht", Count(act.kracht_moves[1]))
    key.add("Gezinnen met een hogere draaglast", Count(act.last_moves[0]))
    key.add("Gezinnen met een lagere draaglast", Count(act.last_moves[1]))
    trend = Table(
        "verloop", "Contacten en pogingen per periode", ["Periode", "Contacten", "Pogingen"]
    )
    drawn_c, drawn_a = list(contacts), list(attempts)
    for i, (period, c, a) in enumerate(zip(sel.periods, contacts, attempts, strict=True)):
        hide_c, hide_a = mine in held["contacts"][i], mine in held["attempts"][i]
        trend.add(period.label, Count(c, hide_c), Count(a, hide_a))
        drawn_c[i], drawn_a[i] = (-1 if hide_c else c), (-1 if hide_a else a)
    sections = [
        Section(key),
        Section(
            trend,
            bar_chart(
                "verloop",
                f"Contacten en pogingen, laatste {TREND} periodes ({sel.who})",
                [q.short for q in sel.periods],
                [("Contacten", drawn_c), ("Pogingen", drawn_a)],
            ),
        ),
    ]
    if sel.worker is None:
        people = Table(
            "medewerkers",
            f"Per medewerker, {p.label}",
            ["Medewerker", "Contacten", "Pogingen", "Caseload"],
            note="«verborgen»: samen met een kleiner aantal weggelaten, zodat het niet uit "
            "het teamtotaal terug te rekenen is.",
        )
        for member in _group_members(sel, act):
            line = act.workers.get(member.id) or figures.Worker()
            people.add(
                member.login,
                Count(line.contacts, member.id in held["contacts"][-1]),
                Count(line.attempts, member.id in held["attempts"][-1]),
                Count(len(line.cases), member.id in held["cases"]),
            )
        sections.append(Section(people))
    kinds = Table("soort-contact", "Soort contact", ["Soort contact", "Notities"])
    add_counts(kinds, "contact", act.by_contact)
    places = Table("plaats", "Waar (setting)", ["Plaats", "Contacten", "Pogingen"])
    for code, name in labels("setting"):
        if act.setting_contacts[code] or act.setting_attempts[code]:
            places.add(name, act.setting_contacts[code], act.setting_attempts[code])
    domains = Table("levensdomeinen", "Levensdomeinen aangeraakt", ["Levensdomein", "Notities"])
    add_counts(domains, "domain", act.by_domain)
    reasons = Table("aanklampen", "Aanklampen: waarom geen contact", ["Reden", "Pogingen"])
    add_counts(reasons, "attempt_reason", act.attempt_reasons)
    return [*sections, Section(kinds), Section(places), Section(domains), Section(reasons)]


def _group_members(sel: Selection, act: figures.Activity) -> list[User]:
    """The rows of the per-worker table: outreachers, and anyone else with notes."""
    return [m for m in sel.members if m.role == "outreacher" or m.id in act.workers]


def _withheld(
    sel: Selection, trend_of: list[dict[int, tuple[int, int]]], team: figures.Activity
) -> dict[str, Any]:
    """Per period, the workers whose contacts and attempts are withheld (complementary
    suppression against the team total), and for the chosen period whose caseload."""
    out: dict[str, Any] = {"contacts": [], "attempts": []}
    for per in trend_of:
        if not per:
            out["contacts"].append(set())
            out["attempts"].append(set())
            continue
        ids = [m.id for m in sel.members if m.role == "outreacher" or m.id in per]
        for column, at in (("contacts", 0), ("attempts", 1)):
            values = {i: per.get(i, (0, 0))[at] for i in ids}
            total = sum(v[at] for v in per.values())
            out[column].append(complement(values, total))
    ids = [m.id for m in _group_members(sel, team)]
    loads = {i: len(team.workers[i].cases) if i in team.workers else 0 for i in ids}
    out["cases"] = complement(loads, team.caseload)
    return out


def cases(session: Session, sel: Selection) -> list[Section]:
    p = sel.period
    flow = figures.case_flow(queries.case_facts(session, sel.team.id, sel.owner_id), sel.periods)
    checks = figures.rights(queries.right_facts(session, sel.team.id, sel.owner_id), p, sel.periods)
    refs = figures.referrals(queries.other_facts(session, sel.team.id, sel.owner_id, REFERRAL), p)
    snaps = figures.per_period(
        queries.other_facts(session, sel.team.id, sel.owner_id, NETWORK_SNAPSHOT), sel.periods
    )
    shorts = [q.short for q in sel.periods]
    moves = Table(
        "gezinnen-verloop", "Nieuwe en afgesloten gezinnen", ["Periode", "Nieuw", "Afgesloten"]
    )
    for period, new, closed in zip(sel.periods, flow.opened, flow.closed, strict=True):
        moves.add(period.label, new, closed)
    status = Table("gezinnen-status", "Gezinnen per status (nu)", ["Status", "Gezinnen"])
    add_counts(status, "case_status", flow.statuses)
    phases = Table(
        "fases", "Fase van het traject (gezinnen niet afgesloten, nu)", ["Fase", "Gezinnen"]
    )
    add_counts(phases, "phase", flow.phases)
    by_status = Table(
        "rechten-status",
        "Rechten op de checklists, per status",
        ["Status", "Nu", f"Laatst gewijzigd in {p.label}"],
    )
    for code, name in labels("right_status"):
        if checks.by_status[code]:
            now = checks.by_status[code]
            by_status.add(name, now, nested(checks.changed[code], now))
    wins = Table(
        "snelle-winst",
        "Snelle winst: toegekende rechten",
        ["Recht", "Toegekend"],
        note="Rechten met status toegekend op de checklists, nu.",
    )
    for right_id, count in sorted(checks.granted.items(), key=lambda kv: (-kv[1], kv[0])):
        wins.add(right_name(right_id), count)
    granted = Table("toegekend-verloop", "Toegekende rechten per periode", ["Periode", "Toegekend"])
    for period, count in zip(sel.periods, checks.granted_trend, strict=True):
        granted.add(period.label, count)
    steps = Table("doorverwijzingen-stap", "Doorverwijzingen per stap", ["Stap", "Aantal"])
    add_counts(steps, "referral_step", refs.by_step)
    outcomes = Table(
        "doorverwijzingen-uitkomst", "Doorverwijzingen per uitkomst", ["Uitkomst", "Aantal"]
    )
    add_counts(outcomes, "referral_outcome", refs.by_outcome)
    maps = Table(
        "netwerkkaarten", "Netwerkkaart-momentopnames per periode", ["Periode", "Momentopnames"]
    )
    if any(snaps):
        for period, count in zip(sel.periods, snaps, strict=True):
            maps.add(period.label, count)
    return [
        Section(
            moves,
            bar_chart(
                "gezinnen-verloop",
                f"Nieuwe en afgesloten gezinnen ({sel.who})",
                shorts,
                [("Nieuw", flow.opened), ("Afgesloten", flow.closed)],
            ),
        ),
        Section(status),
        Section(phases),
        Section(by_status),
        Section(wins),
        Section(
            granted,
            bar_chart(
                "toegekend-verloop",
                f"Toegekende rechten ({sel.who})",
                shorts,
                [("Toegekend", checks.granted_trend)],
            ),
        ),
        Section(steps),
        Section(outcomes),
        Section(
            maps,
            bar_chart(
                "netwerkkaarten", "Netwerkkaart-momentopnames", shorts, [("Momentopnames", snaps)]
            )
            if any(snaps)
            else None,
        ),
    ]


def devices(session: Session, sel: Selection) -> list[Section]:
    table = Table(
        "toestellen",
        f"Toestellen die {sel.days} dagen of langer niet synchroniseerden",
        ["Medewerker", "Toestel", "Laatste sync", "Dagen stil", "Wachtende items"],
        note="Wat op deze toestellen nog niet gesynchroniseerd is, bestaat nergens anders: "
        "bij verlies of defect is het weg.",
        empty="Geen: elk toestel synchroniseerde recent.",
    )
    for device in queries.stale_devices(session, sel.team.id, sel.days, sel.now):
        if sel.worker is not None and device.login != sel.worker.login:
            continue
        since = device.last_sync or device.enrolled
        silent = (sel.now - since).days
        table.add(
            device.login,
            device.name,
            _when(device.last_sync) if device.last_sync else "nooit",
            str(silent),
            "onbekend" if device.pending is None else str(device.pending),
        )
    return [Section(table), Section(_unshared(session, sel))]


def _unshared(session: Session, sel: Selection) -> Table:
    table = Table(
        "gezinnen-zonder-tweede-lezer",
        "Gezinnen zonder tweede lezer",
        ["Medewerker", "Gezinnen zonder tweede lezer"],
        note="Gezinnen die alleen deze medewerker kan lezen: bij een verloren toestel of een "
        "vertrek kan niemand ze nog openen. Deel ze met een collega of draag ze over.",
        empty="Geen medewerkers.",
    )
    counts = queries.unshared_gezinnen(session, sel.team.id)
    for member in sel.members:
        if member.role != "outreacher" or member.removed_at is not None:
            continue
        if sel.worker is not None and member.login != sel.worker.login:
            continue
        table.add(member.login, Count(counts.get(member.login, 0)))
    return table


def barriers(session: Session, sel: Selection) -> list[Section]:
    found = _barrier_figures(session, sel)
    shorts = [q.short for q in sel.periods]
    span = f"{sel.periods[0].label} tot {sel.periods[-1].label}"
    totals = Table("drempels-totaal", f"Drempels, {span}", ["Drempel", "Notities"])
    add_counts(totals, "barrier", found.totals)
    trend = Table(
        "drempels-verloop", "Drempels per periode", ["Drempel", *[q.medium for q in sel.periods]]
    )
    for code, name in labels("barrier"):
        if code in found.trend:
            trend.add(name, *found.trend[code])
    used = [(c, n) for c, n in labels("domain") if any(d == c for _, d in found.by_domain)]
    pairs = Table(
        "drempels-domein",
        f"Drempels per levensdomein, {span}",
        ["Drempel", *[name for _, name in used]],
        note="Notities met die drempel en dat levensdomein.",
    )
    for code, name in labels("barrier"):
        if found.totals[code]:
            pairs.add(name, *[found.by_domain[(code, domain)] for domain, _ in used])
    top = [code for code, _ in found.totals.most_common(4)]
    chart = (
        bar_chart(
            "drempels-verloop",
            f"Meest gemelde drempels per periode ({sel.who})",
            shorts,
            [(label("barrier", code), found.trend[code]) for code in top],
        )
        if top
        else None
    )
    return [Section(totals), Section(trend, chart), Section(pairs)]


def _barrier_figures(session: Session, sel: Selection) -> figures.Barriers:
    first, after = sel.periods[0].first, sel.periods[-1].after
    return figures.barriers(
        queries.barrier_notes(session, sel.team.id, sel.owner_id, first, after), sel.periods
    )


def barrier_report(session: Session, sel: Selection) -> list[str]:
    """A short text for policy makers: which barriers keep coming back, where, and whether
    they grow. Team-level counts only, small ones hidden; nothing about any gezin."""

    found = _barrier_figures(session, sel)
    span = f"{sel.periods[0].label} tot en met {sel.periods[-1].label}"
    lines = [
        f"Signaalfunctie: structurele drempels, {sel.team.name} ({sel.who})",
        f"Periode: {span}.",
        f"Notities met minstens één drempel: {Count(found.notes).text()}.",
        "",
    ]
    if not found.totals:
        return [*lines, "Er zijn in deze periode geen drempels gemeld."]
    half = len(sel.periods) // 2
    for code, total in found.totals.most_common():
        early, late = sum(found.trend[code][:half]), sum(found.trend[code][half:])
        if early >= 3 and late >= 3:
            direction = (
                "stijgend"
                if late > early * 1.2
                else ("dalend" if late < early * 0.8 else "ongeveer gelijk")
            )
            direction = f" Verloop: {direction} ({early} in de eerste, {late} in de tweede helft)."
        else:
            direction = ""
        domains = sorted(
            ((d, n) for (b, d), n in found.by_domain.items() if b == code and n >= 3),
            key=lambda dn: -dn[1],
        )[:3]
        where = ", ".join(f"{label('domain', d)} ({n})" for d, n in domains)
        lines.append(
            f"- {label('barrier', code)}: {Count(total).text()} notities."
            + (f" Vooral bij: {where}." if where else "")
            + direction
        )
    lines += [
        "",
        "Aantallen onder 3 staan als < 3. Bron: codes die outreachers bij hun notities "
        "aanduiden; geen inhoud van notities, geen namen, geen gegevens per gezin.",
    ]
    return lines


def _when(moment: dt.datetime) -> str:
    from app.core.localtime import brussels

    return brussels(moment).strftime("%Y-%m-%d %H:%M")


PAGES: dict[str, tuple[str, Page]] = {
    "activiteit": ("Activiteit", activity),
    "gezinnen": ("Gezinnen en rechten", cases),
    "toestellen": ("Toestellen: lang niet gesynchroniseerd", devices),
    "drempels": ("Signaalfunctie", barriers),
}
