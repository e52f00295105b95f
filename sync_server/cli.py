"""`dichtbij-server`: serve the API, or administer teams, users and devices.

dichtbij-server --db sqlite:///dichtbij.db serve --port 8443 --tls-cert c.pem --tls-key k.pem
dichtbij-server --db URL admin create-team "Team Gent"
dichtbij-server --db URL admin create-user sara --team "Team Gent" --role outreacher
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from sqlalchemy.exc import SQLAlchemyError

from app.sync import catalogue as signed
from sync_server import accounts, audit, catalogue, integrity
from sync_server import team as sharing
from sync_server.dashboard import auth as dashboard_auth
from sync_server.dashboard.seed import TEAM, seed_demo
from sync_server.db import DEFAULT_URL, Database, upgrade
from sync_server.errors import ApiError
from sync_server.quarantine import quarantine_record


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dichtbij-server", description="De synchronisatieserver van Dichtbij.")
    parser.add_argument(
        "--db",
        default=os.environ.get("DICHTBIJ_DB", DEFAULT_URL),
        metavar="URL",
        help="SQLAlchemy URL: sqlite:///pad/dichtbij.db (standaard) of postgresql+psycopg://…",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    serve = commands.add_parser("serve", help="start the HTTP(S) server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--tls-cert", metavar="FILE")
    serve.add_argument("--tls-key", metavar="FILE")
    serve.add_argument(
        "--max-connections",
        type=int,
        default=200,
        metavar="N",
        help="open connections at most; past that a request gets 503 (default 200)",
    )
    serve.add_argument(
        "--body-budget",
        type=int,
        default=64,
        metavar="MIB",
        help="MiB of request bodies held at once, all connections together (default 64)",
    )

    admin = commands.add_parser("admin", help="teams, users and devices").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    admin.add_parser("create-team", help="a new team").add_argument("name")
    user = admin.add_parser("create-user", help="a new user; prints a one-time enrolment code")
    user.add_argument("login")
    user.add_argument("--team", required=True)
    user.add_argument("--role", required=True, choices=accounts.ROLES)
    admin.add_parser("enrol-code", help="a fresh one-time code for another phone").add_argument(
        "login"
    )
    admin.add_parser(
        "web-code", help="a one-time code to set a (forgotten) web password; supervisors, admins"
    ).add_argument("login")
    listing = admin.add_parser("list-devices", help="devices with user and last sync time")
    listing.add_argument("--json", action="store_true")
    admin.add_parser(
        "revoke-device", help="refuse a lost phone at once; it wipes itself"
    ).add_argument("device_id")
    admin.add_parser(
        "quarantine-record",
        help="stop serving a record phones cannot open (kept, marked, audited)",
    ).add_argument("record_id")
    admin.add_parser(
        "remove-user",
        help="someone leaves: out of the team and every gezin at once, devices revoked; "
        "colleagues' phones rotate the keys of the gezinnen they shared at their next sync",
    ).add_argument("login")
    admin.add_parser(
        "reset-account",
        help="start an account over (forgotten passphrase): keys forgotten, devices revoked, "
        "shared gezinnen rotated away from the old keys; prints a one-time code for a new "
        "first device, which publishes new keys",
    ).add_argument("login")
    admin.add_parser("verify-audit", help="check the audit log's hash chain")
    admin.add_parser("check-db", help="check the database for damage (SQLite: PRAGMA quick_check)")
    supervise = admin.add_parser(
        "supervise", help="let a supervisor also see another team on the web pages"
    )
    supervise.add_argument("login")
    supervise.add_argument("--team", required=True)
    admin.add_parser(
        "seed-demo",
        help="a fictional demo team with a year of activity; prints LOGIN PASSWORD of its "
        "supervisor (again, with a fresh password, when the team exists)",
    )
    keygen = admin.add_parser(
        "catalogue-keygen",
        help="a new organisation key for signed catalogues; phones enrolled from now on trust it",
    )
    keygen.add_argument("keyfile", help="where to write the private key (keep it off the server)")
    publish = admin.add_parser("publish-catalogue", help="sign and publish a newer catalogue")
    publish.add_argument("file", help="catalogue JSON, schema of assets/rights/catalogue.json")
    publish.add_argument("--key", required=True, metavar="KEYFILE", help="the private key file")
    return parser


def run_admin(db: Database, args: argparse.Namespace) -> int:
    with db.transaction() as session:
        if args.action == "create-team":
            team = accounts.create_team(session, args.name)
            print(f"team {team.name} created")
        elif args.action == "create-user":
            user, code = accounts.create_user(session, args.login, args.team, args.role)
            print(
                f"user {user.login} created ({user.role}); one-time enrolment code, valid 7 days:"
            )
            print(code)
        elif args.action == "enrol-code":
            print(accounts.new_enrolment_code(session, args.login))
        elif args.action == "web-code":
            print(accounts.new_enrolment_code(session, args.login, purpose="web"))
        elif args.action == "list-devices":
            devices = accounts.list_devices(session)
            if args.json:
                print(json.dumps(devices, indent=2))
            else:
                for d in devices:
                    state = (
                        "INGETROKKEN"
                        if d["revoked"]
                        else f"laatste sync {d['last_sync'] or 'nooit'}"
                    )
                    print(f"{d['id']}  {d['user']:<16} {d['name']:<20} {state}")
        elif args.action == "quarantine-record":
            record = quarantine_record(session, args.record_id)
            print(f"record {record.id} ({record.kind}, rev {record.rev}) no longer served")
        elif args.action == "revoke-device":
            accounts.revoke_device(session, args.device_id)
            print(f"device {args.device_id} revoked")
        elif args.action == "remove-user":
            marked = sharing.remove_user(session, args.login)
            print(f"user {args.login} removed; devices revoked")
            print(f"{len(marked)} shared gezin(nen) or team log to rotate at the next sync")
        elif args.action == "reset-account":
            marked = sharing.reset_account(session, args.login)
            print(f"account {args.login} reset; devices revoked, published keys forgotten")
            print(f"{len(marked)} shared gezin(nen) or team log to rotate at the next sync")
            print("one-time enrolment code for the new first device, valid 7 days:")
            print(accounts.new_enrolment_code(session, args.login))
        elif args.action == "catalogue-keygen":
            public_key = _new_catalogue_key(args.keyfile)
            catalogue.set_organisation_key(session, public_key)
            print("organisation key registered; public key:")
            print(public_key)
        elif args.action == "publish-catalogue":
            text = _read_text(args.file)
            private = _read_key(args.key)
            row = catalogue.publish(session, text, signed.sign(text, private))
            print(f"catalogue {row.version} of {row.date} published")
        elif args.action == "supervise":
            dashboard_auth.supervise(session, args.login, args.team)
            print(f"{args.login} now also sees team {args.team}")
        elif args.action == "seed-demo":
            done = seed_demo(session)
            if done.created:
                print(f"demo team {TEAM!r} created: {done.records} fictional records")
            print("web pages: /dashboard/login")
            print(f"{done.login} {done.password}")
        elif args.action == "verify-audit":
            try:
                print(f"audit log intact: {audit.verify(session)} entries")
            except ValueError as exc:
                raise ApiError(str(exc)) from None
    return 0


def _new_catalogue_key(path: str) -> str:
    """Write a fresh private key readable by its owner only; never overwrite one."""
    private, public_key = signed.new_signing_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UsageError(f"{path} exists already; choose another file") from None
    with os.fdopen(fd, "w") as out:
        out.write(base64.b64encode(private).decode() + "\n")
    return public_key


def _read_key(path: str) -> bytes:
    try:
        private = base64.b64decode(_read_text(path).strip(), validate=True)
    except ValueError:
        raise UsageError(f"{path} is not a key file of catalogue-keygen") from None
    if len(private) != 32:
        raise UsageError(f"{path} is not a key file of catalogue-keygen")
    return private


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as source:
            return source.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path} ({type(exc).__name__})") from None


def serve(db: Database, args: argparse.Namespace) -> int:
    import uvicorn

    from sync_server.api import create_app

    if bool(args.tls_cert) != bool(args.tls_key):
        raise UsageError("--tls-cert and --tls-key go together")
    damage = integrity.problems(db.engine)
    if damage:
        print(_damaged(damage), file=sys.stderr)
        return 1
    if args.max_connections < 1 or args.body_budget < 1:
        raise UsageError("--max-connections and --body-budget must be at least 1")
    uvicorn.run(
        create_app(db, body_budget=args.body_budget * 1024 * 1024),
        limit_concurrency=args.max_connections,
        host=args.host,
        port=args.port,
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
        log_level="warning",
        access_log=False,  # paths and addresses only, but keep the server quiet by default
    )
    return 0


def check_db(db: Database) -> int:
    damage = integrity.problems(db.engine)
    if damage:
        print(_damaged(damage))
        return 1
    print("database intact")
    return 0


def _damaged(damage: list[str]) -> str:
    shown = "\n".join(f"  {line}" for line in damage)
    return (
        f"dichtbij-server: the database is damaged ({len(damage)} problem(s)); not serving.\n"
        f"{shown}\nRestore the newest backup (docs/server.md, Backups and restore)."
    )


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        args = build_parser().parse_args(argv)
        db = Database(args.db)
        if args.command == "admin" and args.action == "check-db":
            return check_db(db)  # before a migration touches a damaged file
        upgrade(db.engine)
        if args.command == "serve":
            return serve(db, args)
        return run_admin(db, args)
    except UsageError as exc:
        print(f"dichtbij-server: {exc}", file=sys.stderr)
        return 2
    except ApiError as exc:
        print(f"dichtbij-server: {exc.detail}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"dichtbij-server: database error ({integrity.describe(exc)})", file=sys.stderr)
        print(f"dichtbij-server: {integrity.ADVICE}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - one line, no traceback
        print(f"dichtbij-server: unexpected error ({type(exc).__name__})", file=sys.stderr)
        return 1
