"""`dichtbij fingerprint / colleagues / colleague …`: team work from the command line, through
the same services as the app (docs/sharing.md)."""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add the team verbs to the top-level sub-command parser."""
    commands.add_parser(
        "fingerprint", help="jouw veiligheidsnummer (60 cijfers), om met een collega te vergelijken"
    ).set_defaults(run=cmd_fingerprint)

    listing = commands.add_parser("colleagues", help="je teamgenoten (na een synchronisatie)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=cmd_colleagues)

    colleague = commands.add_parser("colleague", help="een collega").add_subparsers(
        dest="action", required=True, parser_class=parser_class
    )
    verify = colleague.add_parser(
        "verify", help="bevestig het veiligheidsnummer dat je collega je toonde"
    )
    verify.add_argument("login", metavar="LOGIN")
    verify.add_argument(
        "--fingerprint", required=True, metavar="DIGITS", help="de 60 cijfers (spaties mogen)"
    )
    verify.set_defaults(run=cmd_colleague_verify)
    duo = colleague.add_parser("duo", help="duopartner aan- of afzetten")
    duo.add_argument("login", metavar="LOGIN")
    duo.add_argument("--off", action="store_true", help="geen duopartner meer")
    duo.set_defaults(run=cmd_colleague_duo)


def register_case(case: Any) -> None:
    """Add `share` and `unshare` to the `case` sub-command parser."""
    share = case.add_parser("share", help="laat een geverifieerde collega dit gezin lezen")
    share.add_argument("--case", required=True, metavar="ID")
    share.add_argument("--with", required=True, dest="login", metavar="LOGIN")
    share.set_defaults(run=cmd_case_share)
    unshare = case.add_parser(
        "unshare", help="stop met delen: nieuwe sleutel, de collega krijgt niets nieuws meer"
    )
    unshare.add_argument("--case", required=True, metavar="ID")
    unshare.add_argument("--with", required=True, dest="login", metavar="LOGIN")
    unshare.set_defaults(run=cmd_case_unshare)


def cmd_case_share(args: argparse.Namespace) -> int:
    import sys

    from app.cli import _open, printable

    with _open(args) as app:
        app.share_case(args.case, args.login)
    print(
        printable(f"Gedeeld met {args.login}; synchroniseer om het te versturen."), file=sys.stderr
    )
    return 0


def cmd_case_unshare(args: argparse.Namespace) -> int:
    import sys

    from app.cli import _open, printable

    with _open(args) as app:
        app.unshare_case(args.case, args.login)
    print(
        printable(
            f"{args.login} krijgt niets nieuws meer van dit gezin. Wat al op hun toestel "
            "staat, kan niet teruggenomen worden."
        ),
        file=sys.stderr,
    )
    return 0


def cmd_fingerprint(args: argparse.Namespace) -> int:
    from app.cli import _emit, _open

    with _open(args) as app:
        _emit(app.my_fingerprint())
    return 0


def cmd_colleagues(args: argparse.Namespace) -> int:
    from app.cli import _emit, _open, printable

    with _open(args) as app:
        found = app.colleagues()
    if args.json:
        _emit(
            [
                {"login": c.login, "fingerprint": c.number, "verified": c.status == "verified"}
                for c in found
            ]
        )
    else:
        for c in found:
            duo = ", duopartner" if c.duo else ""
            print(printable(f"{c.login}  {c.status}{duo}  {c.number or '-'}"))
    return 0


def cmd_colleague_verify(args: argparse.Namespace) -> int:
    import sys

    from app.cli import _open, printable

    with _open(args) as app:
        app.verify_colleague(args.login, args.fingerprint)
    print(printable(f"{args.login} is geverifieerd."), file=sys.stderr)
    return 0


def cmd_colleague_duo(args: argparse.Namespace) -> int:
    from app.cli import _open

    with _open(args) as app:
        app.set_duo(args.login, not args.off)
    return 0
