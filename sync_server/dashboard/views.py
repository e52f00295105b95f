"""What each page of the supervisor view shows: its tables (and the chart above a table),
built from the figures of one selection (team, worker or whole team, period)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

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
    label,
    labels,
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
    first, after = sel.periods[0].first, sel.periods[-1].after
    contacts, attempts = figures.contact_trend(
        queries.contact_counts(session, sel.team.id, sel.owner_id, first, after), sel.periods
    )
    key = Table("kerncijfers", f"Kerncijfers, {p.label}", ["Cijfer", "Waarde"])
    key.add("Contacten", act.contacts)
    key.add("Aanklampen: pogingen zonder contact", act.attempts)
    key.add("Pogingen per contact", Ratio(act.attempts, act.contacts))
    key.add("Actieve caseload (gezinnen met een notitie)", act.caseload)
    key.add("Signalen (contact zonder gezin)", act.signalen)
    key.add("Check-ins", act.check_ins)
    key.add("Gezinnen met een hogere draagkracht", Count(act.kracht_moves[0]))
    key.add("Gezinnen met een lagere draagkracht", Count(act.kracht_moves[1]))
    key.add("Gezinnen met een hogere draaglast", Count(act.last_moves[0]))
    key.add("Gezinnen met een lagere draaglast", Count(act.last_moves[1]))
    trend = Table(
        "verloop", "Contacten en pogingen per periode", ["Periode", "Contacten", "Pogingen"]
    )
    for period, c, a in zip(sel.periods, contacts, attempts, strict=True):
        trend.add(period.label, c, a)
    sections = [
        Section(key),
        Section(
            trend,
            bar_chart(
                "verloop",
                f"Contacten en pogingen, laatste {TREND} periodes ({sel.who})",
                [q.short for q in sel.periods],
                [("Contacten", contacts), ("Pogingen", attempts)],
            ),
        ),
    ]
    if sel.worker is None:
        people = Table(
            "medewerkers",
            f"Per medewerker, {p.label}",
            ["Medewerker", "Contacten", "Pogingen", "Caseload"],
        )
        for member in sel.members:
            line = act.workers.get(member.id)
            if line is None and member.role != "outreacher":
                continue
            line = line or figures.Worker()
            people.add(member.login, line.contacts, line.attempts, len(line.cases))
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
            by_status.add(name, checks.by_status[code], checks.changed[code])
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
    return [Section(table)]


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
