"""`dichtbij note show / edit / delete / done`: a note's whole life from the command line,
through the same services as the app (so every change syncs and merges like any edit)."""

from __future__ import annotations

import argparse
from typing import Any

from app.core.notes import summary


def register(note: Any) -> None:
    """Add the verbs to the `note` sub-command parser."""
    show = note.add_parser("show", help="één notitie, met alle velden")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    show.set_defaults(run=cmd_note_show)

    edit = note.add_parser("edit", help="pas een notitie aan (wat je niet opgeeft, blijft)")
    edit.add_argument("id")
    edit.add_argument("--text", default=None)
    edit.add_argument(
        "--domain",
        action="append",
        default=None,
        metavar="CODE",
        help="levensdomein (herhaalbaar; vervangt de vorige)",
    )
    edit.add_argument("--setting", default=None, metavar="CODE")
    edit.add_argument(
        "--barrier",
        action="append",
        default=None,
        metavar="CODE",
        help="drempel (herhaalbaar; vervangt de vorige)",
    )
    edit.set_defaults(run=cmd_note_edit)

    delete = note.add_parser("delete", help="wis een notitie (het wissen synchroniseert)")
    delete.add_argument("id")
    delete.set_defaults(run=cmd_note_delete)

    done = note.add_parser("done", help="vink de opvolging van een notitie af")
    done.add_argument("id")
    done.set_defaults(run=cmd_note_done)


def cmd_note_show(args: argparse.Namespace) -> int:
    from app.cli import _emit, _open, printable

    with _open(args) as app:
        note = summary(app.note(args.id), full=True)
    if args.json:
        _emit(note)
    else:
        for key, value in note.items():
            print(printable(f"{key}: {value}"))
    return 0


def cmd_note_edit(args: argparse.Namespace) -> int:
    from app.cli import _open

    changes: dict[str, Any] = {}
    if args.text is not None:
        changes["text"] = args.text
    if args.domain is not None:
        changes["domains"] = args.domain
    if args.setting is not None:
        changes["setting"] = args.setting or None
    if args.barrier is not None:
        changes["barriers"] = args.barrier
    with _open(args) as app:
        app.edit_note(args.id, **changes)
    return 0


def cmd_note_delete(args: argparse.Namespace) -> int:
    from app.cli import _open

    with _open(args) as app:
        app.delete_note(args.id)
    return 0


def cmd_note_done(args: argparse.Namespace) -> int:
    from app.cli import _open

    with _open(args) as app:
        app.complete_follow_up(args.id)
    return 0
