"""`admin seed-demo`: a fictional team with a year of activity, so the supervisor view has
something to show. Everything here is invented and labelled as such.

The records go through the same validation and push as a phone's (`syncing.push`); their
payloads are random bytes, which is all the server could ever see of real ones anyway.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.localtime import CET, today
from app.core.rights import catalogue
from app.core.vocabulary import vocabulary
from app.sync.protocol import KINDS
from sync_server import accounts, security, syncing
from sync_server.dashboard import auth
from sync_server.dashboard.draws import Draws
from sync_server.models import Device, Team, User, utcnow

TEAM = "Demoteam (fictief)"
SUPERVISOR = "demo.teamcoach"
# Invented first names; (login, notes per working day, devices).
WORKERS = (
    ("demo.amina", 5.5),
    ("demo.bart", 4.5),
    ("demo.chloe", 6.0),
    ("demo.dries", 3.0),
    ("demo.elif", 5.0),
    ("demo.femke", 2.0),
    ("demo.goran", 4.0),
    ("demo.hanne", 0.6),
)
DAYS = 365
# Where each structural barrier tends to show up, so the demo's cross table tells a story.
BARRIER_DOMAINS = {
    "digitaal": ["administratie", "werk", "inkomen"],
    "wachtlijst": ["wonen", "psychisch", "kinderen"],
    "taal": ["taal", "opleiding", "werk"],
    "procedure": ["administratie", "inkomen", "verblijf"],
    "kinderopvang": ["kinderen", "werk"],
    "mobiliteit": ["mobiliteit", "werk", "gezondheid"],
    "kosten": ["gezondheid", "schulden", "energie"],
    "wantrouwen": ["psychisch", "netwerk"],
}
BATCH = 500
SNAPSHOT = "network_snapshot"


@dataclass
class Seeded:
    login: str
    password: str
    records: int
    created: bool


def seed_demo(session: Session, seed: int = 2026) -> Seeded:
    """Create the demo team once; every call (also a later one) sets a fresh password
    for its supervisor and returns it."""
    password = secrets.token_urlsafe(12)
    if session.scalar(select(Team).where(Team.name == TEAM)) is not None:
        auth.set_password_directly(session, SUPERVISOR, password)
        return Seeded(SUPERVISOR, password, 0, False)
    accounts.create_team(session, TEAM)
    accounts.create_user(session, SUPERVISOR, TEAM, "supervisor")
    auth.set_password_directly(session, SUPERVISOR, password)
    total = populate(session, TEAM, WORKERS, seed)
    return Seeded(SUPERVISOR, password, total, True)


def populate(
    session: Session, team: str, workers: Sequence[tuple[str, float]], seed: int = 2026
) -> int:
    """Outreachers with a phone each and a year of fictional activity up to today, pushed
    as a phone would; returns the number of records. Also used by the benchmark."""
    rng = Draws(seed)
    end = today()
    now = utcnow()
    total = 0
    for index, (login, rate) in enumerate(workers):
        user, _ = accounts.create_user(session, login, team, "outreacher")
        device = _device(session, user, now)
        records = _activity(rng, device.id, end, rate)
        for start in range(0, len(records), BATCH):
            syncing.push(session, device, user, records[start : start + BATCH])
        total += len(records)
        _last_sync(device, now, index)
    return total


def _device(session: Session, user: User, now: dt.datetime) -> Device:
    device = Device(
        id=str(uuid.uuid4()),
        user_id=user.id,
        name="demo-gsm",
        credential_hash=security.digest(security.new_credential()),  # nobody holds it
        created_at=now - dt.timedelta(days=DAYS + 30),
    )
    session.add(device)
    session.flush()
    return device


def _last_sync(device: Device, now: dt.datetime, index: int) -> None:
    """Most phones synced this morning; two did not for a while (data at risk)."""
    silent = {3: (9, 14), 6: (23, None)}.get(index)
    if silent:
        device.last_sync_at = now - dt.timedelta(days=silent[0], hours=3)
        device.pending = silent[1]
    else:
        device.last_sync_at = now - dt.timedelta(hours=2 + index)
        device.pending = 0


# ---- a year of one worker ---------------------------------------------------------------


@dataclass
class _Case:
    id: str
    opened: dt.date
    closed: dt.date | None
    domains: list[str]


def _activity(rng: Draws, device_id: str, end: dt.date, rate: float) -> list[dict]:
    start = end - dt.timedelta(days=DAYS - 1)
    cases: list[_Case] = []
    records: list[dict[str, Any]] = []
    domains = list(vocabulary("domain").codes)
    day = start - dt.timedelta(days=60)  # some gezinnen were already followed a year ago
    while day <= end:
        if day.weekday() < 5 and rng.random() < rate / 40:
            closed = day + dt.timedelta(days=rng.randint(90, 420))
            cases.append(
                _Case(
                    str(uuid.uuid4()),
                    day,
                    closed if closed <= end else None,
                    rng.sample(domains, 2),
                )
            )
        if day >= start and day.weekday() < 5:
            open_now = [
                c for c in cases if c.opened <= day and (c.closed is None or c.closed >= day)
            ]
            for _ in range(_poisson(rng, rate)):
                records.append(_note(rng, device_id, day, open_now, start, end))
        day += dt.timedelta(days=1)
    for case in cases:
        records.append(_case(rng, device_id, case, end))
        records.extend(_rights(rng, device_id, case, end))
        if SNAPSHOT in KINDS:
            records.extend(_snapshots(rng, device_id, case, end))
    return records


def _snapshots(rng: Draws, device_id: str, case: _Case, end: dt.date) -> list[dict]:
    """A netwerkkaart at the start and, for some gezinnen, again a few months later."""
    days = [case.opened + dt.timedelta(days=rng.randint(7, 30))]
    if rng.random() < 0.5:
        days.append(days[0] + dt.timedelta(days=rng.randint(60, 150)))
    last = case.closed or end
    return [
        _record(rng, device_id, SNAPSHOT, case.id, day, 14, {"day": day.isoformat()})
        for day in days
        if day <= last
    ]


def _poisson(rng: Draws, mean: float) -> int:
    count, limit, product = 0, pow(2.718281828, -mean), rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _note(
    rng: Draws,
    device_id: str,
    day: dt.date,
    open_now: list[_Case],
    start: dt.date,
    end: dt.date,
) -> dict:
    case = rng.choice(open_now) if open_now and rng.random() > 0.06 else None
    attempt = rng.random() < 0.22
    meta: dict[str, Any] = {"day": day.isoformat(), "domains": [], "barriers": []}
    if attempt:
        meta["contact"] = "poging"
        meta["attempt_reason"] = rng.choices(
            ["niet_thuis", "geen_antwoord", "afspraak_gemist", "afgezegd"], [5, 4, 2, 1]
        )[0]
        meta["setting"] = rng.choices(["huisbezoek", "telefoon", "bericht"], [5, 3, 2])[0]
    else:
        meta["contact"] = rng.choices(
            ["informeel", "gesprek", "check_in", "samen_op_pad", "overleg", "groep"],
            [6, 5, 2, 2, 1, 1],
        )[0]
        meta["setting"] = rng.choices(
            [
                "schoolpoort",
                "huisbezoek",
                "straat",
                "buurthuis",
                "wachtzaal",
                "autorit",
                "kantoor",
                "telefoon",
                "bericht",
                "samen_op_pad",
            ],
            [6, 6, 3, 2, 1, 2, 2, 3, 2, 2],
        )[0]
        pool = case.domains if case else ["inkomen", "wonen"]
        meta["domains"] = rng.sample(pool, rng.choice([1, 1, 2]))
        if rng.random() < 0.14:
            barrier = _barrier(rng, day, start, end)
            meta["barriers"] = [barrier]
            meta["domains"] = rng.sample(BARRIER_DOMAINS[barrier], rng.choice([1, 1, 2]))
        if meta["contact"] == "check_in":
            meta["check_in"] = True
            if rng.random() < 0.8:
                meta["draagkracht"] = rng.randint(3, 9)
                meta["draaglast"] = rng.randint(2, 8)
    hour = rng.randint(8, 17)
    return _record(rng, device_id, "note", case.id if case else None, day, hour, meta)


def _barrier(rng: Draws, day: dt.date, start: dt.date, end: dt.date) -> str:
    """`digitaal` grows through the year and `kinderopvang` peaks after the summer: trends a
    supervisor can bring to policy."""
    progress = (day - start).days / max((end - start).days, 1)
    autumn = 3.0 if day.month in (9, 10) else 1.0
    weights = {
        "digitaal": 2 + 6 * progress,
        "wachtlijst": 4,
        "taal": 2,
        "procedure": 3,
        "kinderopvang": 1.5 * autumn,
        "mobiliteit": 1,
        "kosten": 2,
        "wantrouwen": 1,
    }
    return rng.choices(list(weights), list(weights.values()))[0]


def _case(rng: Draws, device_id: str, case: _Case, end: dt.date) -> dict:
    age = ((case.closed or end) - case.opened).days
    phases = ["eerste_onthaal", "vraagverduidelijking", "doel_strategie", "uitvoering"]
    phase = phases[min(age // 30, 3)]
    if case.closed:
        meta = {
            "phase": rng.choice(["afsluiting", "nazorg"]),
            "status": "afgesloten",
            "closed": case.closed.isoformat(),
        }
    else:
        status = "lager_pitje" if rng.random() < 0.12 else "actief"
        meta = {"phase": phase, "status": status}
    meta["opened"] = case.opened.isoformat()
    last = case.closed or min(end, case.opened + dt.timedelta(days=rng.randint(0, age)))
    return _record(rng, device_id, "case", case.id, last, 16, meta, record_id=case.id)


def _rights(rng: Draws, device_id: str, case: _Case, end: dt.date) -> list[dict]:
    ids = [r["id"] for r in catalogue()["rights"]]
    statuses = ["toegekend", "aangevraagd", "besproken", "mogelijk", "geweigerd", "nvt"]
    out = []
    for right in rng.sample(ids, rng.randint(0, 4)):
        last = case.closed or end
        span = max((last - case.opened).days, 0)
        changed = case.opened + dt.timedelta(days=rng.randint(0, span))
        status = rng.choices(statuses, [35, 20, 15, 15, 8, 7])[0]
        out.append(
            _record(
                rng,
                device_id,
                "right_check",
                case.id,
                changed,
                11,
                {"right": right, "status": status},
                record_id=f"{case.id[:-12]}{rng.getrandbits(48):012x}",
            )
        )
    return out


def _record(
    rng: Draws,
    device_id: str,
    kind: str,
    case_id: str | None,
    day: dt.date,
    hour: int,
    meta: dict,
    record_id: str | None = None,
) -> dict:
    moment = dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59)), CET)
    wall = int(moment.timestamp() * 1000)
    return {
        "fmt": 1,
        "id": record_id or str(uuid.uuid4()),
        "kind": kind,
        "case_id": case_id,
        "rev": 1,
        "base_rev": 0,
        "device_id": device_id,
        "hlc": f"{wall:015d}-00000-{device_id[:8]}",
        "deleted": False,
        "meta": meta,
        "key": "case",
        "kv": 1,
        "payload": base64.b64encode(os.urandom(rng.randint(60, 700))).decode(),
    }
