"""`dichtbij`: the headless interface (scripts, support, tests). Same facade as the UI.

Errors are one line on stderr and an exit code: 2 usage or bad input,
3 wrong passphrase or locked, 4 server unreachable, 5 rejected by the server, 1 other.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from app import cli_notes
from app import cli_team as team_cli
from app.core.errors import DichtbijError, InvalidInput
from app.core.localtime import clock
from app.core.notes import summary as note_summary
from app.core.text import BIDI_CONTROLS, printable
from app.paths import default_data_dir

if TYPE_CHECKING:  # the vault and its crypto load when a command needs them, not for `app`
    from app.services import Services

PASSPHRASE_ENV = "DICHTBIJ_PASSPHRASE"  # noqa: S105 - a variable name, not a secret
EXIT_USAGE = 2


DATA_OPTION: dict[str, Any] = {
    "type": Path,
    "metavar": "DIR",
    "help": "map van de kluis (standaard: FLET_APP_STORAGE_DATA of ~/.local/share/dichtbij); "
    "mag voor of na het commando staan",
}


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (CONTRACT.md)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dichtbij",
        description="Dichtbij: notities en gezinnen, versleuteld op dit toestel.",
        epilog="De wachtzin komt uit DICHTBIJ_PASSPHRASE, anders wordt ernaar gevraagd.",
    )
    parser.add_argument("--data", default=None, **DATA_OPTION)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    commands.add_parser("init", help="maak een nieuwe, lege kluis aan").set_defaults(run=cmd_init)

    case = commands.add_parser("case", help="gezinnen").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    add = case.add_parser("add", help="voeg een gezin toe; toont het id")
    add.add_argument("--name", required=True, help="naam of pseudoniem")
    add.add_argument("--pseudonym", action="store_true", help="de naam is een pseudoniem")
    add.add_argument("--json", action="store_true")
    add.set_defaults(run=cmd_case_add)
    listing = case.add_parser("list", help="alle gezinnen, recentste eerst")
    listing.add_argument("--search", default="")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=cmd_case_list)
    team_cli.register_case(case)

    merge = case.add_parser("merge", help="voeg twee gezinnen samen (hetzelfde gezin, twee keer)")
    merge.add_argument("--into", required=True, metavar="ID", help="het gezin dat blijft")
    merge.add_argument(
        "--from", required=True, dest="other", metavar="ID", help="het gezin dat opgaat"
    )
    merge.set_defaults(run=cmd_case_merge)

    signaal = commands.add_parser(
        "signaal", help="signalen: notities nog zonder gezin"
    ).add_subparsers(dest="action", required=True, parser_class=_Parser)
    listing = signaal.add_parser("list", help="signalen, nieuwste eerst")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=cmd_signaal_list)
    link = signaal.add_parser("link", help="het signaal wordt een notitie van dat gezin")
    link.add_argument("id", metavar="ID")
    link.add_argument("--case", required=True, metavar="CASE_ID")
    link.set_defaults(run=cmd_signaal_link)

    note = commands.add_parser("note", help="notities").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    add = note.add_parser("add", help="bewaar een notitie; toont het id")
    add.add_argument(
        "--case",
        default=None,
        help="id van het gezin (weglaten: eerste contact zonder naam, een signaal)",
    )
    add.add_argument("--text", default="")
    add.add_argument(
        "--domain", action="append", default=[], metavar="CODE", help="levensdomein (herhaalbaar)"
    )
    add.add_argument("--setting", default=None, metavar="CODE")
    add.add_argument("--contact", default="informeel", metavar="CODE", help="soort contact")
    add.add_argument(
        "--attempt",
        default=None,
        metavar="REASON",
        help="mislukte poging (aanklampen): niet_thuis, geen_antwoord, …",
    )
    add.add_argument(
        "--barrier", action="append", default=[], metavar="CODE", help="drempel (herhaalbaar)"
    )
    add.add_argument(
        "--memo", action="store_true", help="persoonlijke geheugensteun, niet in het dossier"
    )
    add.add_argument(
        "--client-may-see", action="store_true", help="de cliënt mag deze notitie zien"
    )
    add.add_argument("--follow-up", default=None, metavar="WHAT", help="opvolging: wat")
    add.add_argument("--who", default="", help="opvolging: wie")
    add.add_argument(
        "--due",
        default=None,
        metavar="DATUM",
        help="opvolging: tegen wanneer (2026-12-04, 4-12-2026, of 4-12: de eerstvolgende)",
    )
    add.add_argument("--json", action="store_true")
    add.set_defaults(run=cmd_note_add)
    listing = note.add_parser("list", help="notities, nieuwste eerst")
    listing.add_argument("--case", default=None)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=cmd_note_list)
    cli_notes.register(note)

    rights = commands.add_parser("rights", help="rechtenverkenner").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    screen = rights.add_parser("screen", help="welke rechten nakijken voor dit profiel, en waarom")
    screen.add_argument(
        "--profile",
        required=True,
        type=Path,
        metavar="FILE",
        help="screeningsprofiel (JSON, zie domain/RIGHTS.md)",
    )
    screen.add_argument("--json", action="store_true")
    screen.set_defaults(run=cmd_rights_screen)
    right_set = rights.add_parser("set", help="zet een recht op de checklist van een gezin")
    right_set.add_argument("--case", required=True, help="id van het gezin")
    right_set.add_argument("--right", required=True, metavar="RIGHT_ID", help="id uit de catalogus")
    right_set.add_argument(
        "--status", required=True, metavar="STATUS", help="niet_bekeken, mogelijk, … toegekend"
    )
    right_set.set_defaults(run=cmd_rights_set)

    conflicts = commands.add_parser(
        "conflicts", help="waarden die twee toestellen anders aanpasten"
    ).add_subparsers(dest="action", required=True, parser_class=_Parser)
    listing = conflicts.add_parser("list", help="de conflicten om na te kijken")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=cmd_conflicts_list)
    resolve = conflicts.add_parser("resolve", help="houd mijn versie of de andere")
    resolve.add_argument("id", help="id van het conflict")
    resolve.add_argument(
        "--keep",
        required=True,
        choices=["mine", "theirs"],
        help="mine: de waarde van dit toestel; theirs: die van het andere toestel",
    )
    resolve.set_defaults(run=cmd_conflicts_resolve)

    enroll_cmd = commands.add_parser(
        "enroll", help="koppel dit toestel aan de server van je organisatie"
    )
    enroll_cmd.add_argument(
        "--server", required=True, metavar="URL", help="https://… (http alleen voor localhost)"
    )
    enroll_cmd.add_argument("--code", required=True, help="eenmalige code van je beheerder")
    enroll_cmd.add_argument(
        "--ca", default=None, metavar="FILE", help="certificaat (PEM) van de organisatie of server"
    )
    enroll_cmd.add_argument(
        "--fingerprint",
        default=None,
        metavar="SHA256",
        help="vingerafdruk van het servercertificaat",
    )
    enroll_cmd.add_argument("--name", default="toestel", help="naam van dit toestel")
    enroll_cmd.set_defaults(run=cmd_enroll)

    team_cli.register(commands, _Parser)

    sync = commands.add_parser("sync", help="synchroniseer nu met de server")
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(run=cmd_sync)

    ui = commands.add_parser("app", help="start de app (web-UI in de browser met --web)")
    ui.add_argument("--web", action="store_true", help="als webserver, zonder browser te openen")
    ui.add_argument("--port", type=int, default=8550)
    ui.add_argument(
        "--auto-lock",
        type=float,
        default=300,
        metavar="SECONDS",
        help="vergrendel na zoveel seconden zonder gebruik",
    )
    ui.add_argument(
        "--dev-pin",
        action="store_true",
        help="ontwikkeling: pincode met een bestand als sleutelopslag (zwakker dan een toestel)",
    )
    ui.set_defaults(run=cmd_app)

    export = commands.add_parser(
        "export", help="het volledige dossier van een gezin, ontsleuteld, op stdout"
    )
    export.add_argument("--case", required=True)
    export.add_argument("--format", choices=["json"], default="json")
    export.set_defaults(run=cmd_export)
    _everywhere(parser, "--data", DATA_OPTION)
    return parser


def _everywhere(parser: argparse.ArgumentParser, flag: str, option: dict[str, Any]) -> None:
    """Accept a global option after the verb too (`dichtbij app --data DIR`), at every level
    of sub-commands. Not given there, it leaves the value from before the verb alone."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                sub.add_argument(flag, default=argparse.SUPPRESS, **option)
                _everywhere(sub, flag, option)


# ---- commands ------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    passphrase = read_passphrase(confirm=True)
    data_dir = args.data
    if (data_dir / "vault.json").exists():
        from app.core.errors import VaultExists

        raise VaultExists("vault exists")
    from app.services import open_vault

    with open_vault(data_dir, passphrase, create=True):
        pass
    print(f"Kluis aangemaakt in {data_dir}", file=sys.stderr)
    return 0


def cmd_case_add(args: argparse.Namespace) -> int:
    with _open(args) as app:
        case_id = app.add_case(args.name, pseudonym=args.pseudonym)
    _emit({"id": case_id} if args.json else case_id)
    return 0


def cmd_case_list(args: argparse.Namespace) -> int:
    with _open(args) as app:
        found = app.cases(args.search)
        shared = {c.id: app.shared_with(c.id) for c in found} if args.json else {}
    if args.json:
        _emit(
            [
                {
                    "id": c.id,
                    "name": c.name,
                    "phase": c.phase,
                    "status": c.status,
                    "shared_with": shared[c.id],
                }
                for c in found
            ]
        )
    else:
        for c in found:
            print(printable(f"{c.id}  {c.name}  ({c.phase}, {c.status})"))
    return 0


def cmd_case_merge(args: argparse.Namespace) -> int:
    with _open(args) as app:
        app.merge_cases(args.into, args.other)
    print(f"Samengevoegd in {args.into}", file=sys.stderr)
    return 0


def cmd_signaal_list(args: argparse.Namespace) -> int:
    with _open(args) as app:
        found = app.signalen()
    if args.json:
        _emit([{"id": n.id, "text": n.text, "created_at": n.created_at} for n in found])
    else:
        for n in found:
            print(printable(f"{clock(n.created_at)}  {n.id}  {n.text[:60]}"))
    return 0


def cmd_signaal_link(args: argparse.Namespace) -> int:
    with _open(args) as app:
        app.link_signaal(args.id, args.case)
    print(f"Gekoppeld aan {args.case}", file=sys.stderr)
    return 0


def cmd_note_add(args: argparse.Namespace) -> int:
    fields: dict[str, Any] = {
        "domains": args.domain,
        "setting": args.setting,
        "contact": "poging" if args.attempt else args.contact,
        "attempt_reason": args.attempt,
        "barriers": args.barrier,
        "visibility": "memo" if args.memo else "dossier",
        "client_may_see": args.client_may_see,
    }
    if args.follow_up is not None:
        fields["follow_up"] = {"what": args.follow_up, "who": args.who, "due": args.due}
    elif args.due or args.who:
        raise InvalidInput("follow_up", "empty")
    with _open(args) as app:
        note_id = app.add_note(args.case, args.text, **fields)
    _emit({"id": note_id} if args.json else note_id)
    return 0


def cmd_note_list(args: argparse.Namespace) -> int:
    with _open(args) as app:
        found = app.notes(args.case)
    if args.json:
        _emit([note_summary(n) for n in found])
    else:
        for n in found:
            print(printable(f"{clock(n.created_at)}  {n.id}  {n.text[:60]}"))
    return 0


def cmd_rights_screen(args: argparse.Namespace) -> int:
    """Needs no vault and no passphrase: the profile is read from a file, nothing is stored."""
    from app.core.rights import catalogue_date, screen

    try:
        profile = json.loads(args.profile.read_text(encoding="utf-8"))
    except OSError:
        raise InvalidInput("profile", "unreadable") from None
    except ValueError:
        raise InvalidInput("profile", "not_json") from None
    result = screen(profile)
    if args.json:
        _emit(
            [{"right": s.right, "reason": s.reason, "loket": s.loket} for s in result.suggestions]
        )
    else:
        print(f"Catalogus van {catalogue_date()}. Suggesties om te bespreken, geen beslissingen:")
        for s in result.suggestions:
            print(f"- {s.name} ({s.loket}): {s.reason}")
        if result.questions:
            print("Nog te vragen: " + ", ".join(result.questions))
    return 0


def cmd_rights_set(args: argparse.Namespace) -> int:
    with _open(args) as app:
        app.set_right(args.case, args.right, status=args.status)
    return 0


def cmd_conflicts_list(args: argparse.Namespace) -> int:
    from app.core.kinds import field_label

    with _open(args) as app:
        found = app.conflicts()
    items = [
        {
            "id": c.id,
            "kind": c.data["record_kind"],
            "record_id": c.data["record_id"],
            "field": c.data["field"],
        }
        for c in found
    ]
    if args.json:
        _emit(items)
    else:
        for item in items:
            print(f"{item['id']}  {field_label(item['kind'], item['field'])}  ({item['kind']})")
    return 0


def cmd_conflicts_resolve(args: argparse.Namespace) -> int:
    with _open(args) as app:
        app.resolve_conflict(args.id, keep_mine=args.keep == "mine")
    return 0


def cmd_enroll(args: argparse.Namespace) -> int:
    from app.services import enroll

    passphrase = read_passphrase()
    ca = str(Path(args.ca).resolve()) if args.ca else None
    with enroll(
        args.data,
        passphrase,
        args.server,
        args.code,
        ca_file=ca,
        fingerprint=args.fingerprint,
        device_name=args.name,
    ) as app:
        status = app.sync_status()
    print(f"Gekoppeld aan {status['server']}; synchroniseer met: dichtbij sync", file=sys.stderr)
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    with _open(args) as app:
        report = app.sync()
    if args.json:
        _emit(report.as_dict())
    else:
        print(
            f"{report.pushed} verstuurd, {report.pulled} ontvangen, "
            f"{report.conflicts} conflicten, {report.pending} wachtend"
        )
        if report.quarantined:
            from app.ui.strings import T, counted

            print(
                T["sync_quarantined"].format(count=counted(report.quarantined, "item")),
                file=sys.stderr,
            )
        if report.catalogue == "updated":
            print("Nieuwe rechtencatalogus van de organisatie in gebruik.")
        elif report.catalogue:
            print(
                "Aangeboden rechtencatalogus geweigerd (handtekening of inhoud klopt niet); "
                "de vorige blijft in gebruik.",
                file=sys.stderr,
            )
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    from app.ui.start import run

    run(
        args.data,
        web=args.web or not os.environ.get("DISPLAY"),
        port=args.port,
        auto_lock=args.auto_lock,
        dev_pin=args.dev_pin,
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with _open(args) as app:
        _emit(app.export_case(args.case))
    return 0


# ---- plumbing ------------------------------------------------------------------------


def read_passphrase(confirm: bool = False) -> str:
    """From DICHTBIJ_PASSPHRASE, else asked on the terminal (never echoed, never logged)."""
    env = os.environ.get(PASSPHRASE_ENV)
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise UsageError(f"no passphrase: set {PASSPHRASE_ENV} or run in a terminal")
    first = getpass.getpass("Wachtzin: ")
    if confirm and getpass.getpass("Herhaal de wachtzin: ") != first:
        raise UsageError("the two passphrases differ")
    return first


def _open(args: argparse.Namespace) -> Services:
    from app.services import open_vault

    return open_vault(args.data, read_passphrase())


def _emit(value: Any) -> None:
    if isinstance(value, str):
        print(value)
    else:
        print(json_text(value))


def json_text(value: Any) -> str:
    """One JSON document, UTF-8 where possible. Characters that could drive a terminal
    (C1 controls, bidi overrides) and lone surrogates from older data become \\u escapes:
    the same JSON value, safe to show."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=_jsonable)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Outside strings JSON is ASCII, so these only ever stand inside a string, where an escape
# is the same character.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff" + "".join(sorted(BIDI_CONTROLS)) + "]")


def _jsonable(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    raise TypeError(type(value).__name__)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        args = build_parser().parse_args(argv)
        if args.data is None:
            args.data = default_data_dir()
        run: Callable[[argparse.Namespace], int] = args.run
        return run(args)
    except UsageError as exc:
        print(f"dichtbij: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except DichtbijError as exc:
        from app.messages import describe

        print(f"dichtbij: {printable(describe(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dichtbij: onderbroken", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: no traceback, no content
        print(
            f"dichtbij: onverwachte fout ({type(exc).__name__}); er is niets verloren",
            file=sys.stderr,
        )
        return 1
