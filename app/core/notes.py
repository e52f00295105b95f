"""A contact note: what happened, where, about which levensdomeinen, and what comes next.

A note belongs to a gezin or is an anonymous *signaal* (first contact, linked
later). It says whether it is a personal memory aid (memo: sealed with the
worker's own key, never shared) or part of the dossier, and whether the client
may see it. A failed attempt (*aanklampen*) is a note of contact kind `poging`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from app.core.dates import parse_day
from app.core.errors import InvalidInput
from app.core.localtime import local_day
from app.core.records import plain
from app.core.text import MAX_NAME, clean_text
from app.core.vocabulary import vocabulary

KIND = "note"


@dataclass(frozen=True)
class FollowUp:
    """Wie doet wat tegen wanneer."""

    what: str
    who: str = ""
    due: str | None = None
    done: bool = False
    done_at: str | None = None  # when it was ticked off (afgevinkt)


@dataclass(frozen=True)
class CheckIn:
    """The after-a-car-ride template; draagkracht and draaglast on 0–10."""

    how: str = ""
    topics: str = ""
    agreed: str = ""
    draagkracht: int | None = None
    draaglast: int | None = None
    together: bool = False  # "samen met de cliënt ingeschat": an instrument used with them


@dataclass(frozen=True)
class Note:
    id: str
    case_id: str | None
    text: str
    created_at: str
    domains: tuple[str, ...] = ()
    setting: str | None = None
    contact: str = "informeel"
    attempt_reason: str | None = None
    follow_up: FollowUp | None = None
    visibility: str = "dossier"
    client_may_see: bool = False
    barriers: tuple[str, ...] = ()
    check_in: CheckIn | None = None
    by: str = ""  # the login of who wrote it ("" in older notes: the gezin's owner)

    @property
    def is_memo(self) -> bool:
        return self.visibility == "memo"

    def __getitem__(self, key: str) -> Any:
        """Dict-style access (`note["text"]`) for scripts and tests."""
        return getattr(self, key)

    def to_data(self) -> dict[str, Any]:
        data = plain(asdict(self))
        del data["id"], data["case_id"]
        if not data["by"]:
            del data["by"]  # older notes and notes written before enrolment name nobody
        return data

    @classmethod
    def from_data(cls, note_id: str, case_id: str | None, data: dict[str, Any]) -> Note:
        follow_up = data.get("follow_up")
        check_in = data.get("check_in")
        return cls(
            id=note_id,
            case_id=case_id,
            text=data.get("text", ""),
            created_at=data["created_at"],
            domains=tuple(data.get("domains", ())),
            setting=data.get("setting"),
            contact=data.get("contact", "informeel"),
            attempt_reason=data.get("attempt_reason"),
            follow_up=FollowUp(**follow_up) if follow_up else None,
            visibility=data.get("visibility", "dossier"),
            client_may_see=data.get("client_may_see", False),
            barriers=tuple(data.get("barriers", ())),
            check_in=CheckIn(**check_in) if check_in else None,
            by=data.get("by", ""),
        )


def new_note(
    note_id: str,
    case_id: str | None,
    created_at: str,
    *,
    text: str = "",
    domains: list[str] | tuple[str, ...] = (),
    setting: str | None = None,
    contact: str = "informeel",
    attempt_reason: str | None = None,
    follow_up: dict[str, Any] | None = None,
    visibility: str = "dossier",
    client_may_see: bool = False,
    barriers: list[str] | tuple[str, ...] = (),
    check_in: dict[str, Any] | None = None,
    by: str = "",
) -> Note:
    """A validated note; raises InvalidInput naming the first bad field."""
    contact = vocabulary("contact").check(contact)
    checkin = _check_in(check_in) if check_in else None
    if contact == "poging":
        reason = vocabulary("attempt_reason").check(attempt_reason or "")
    elif attempt_reason:
        raise InvalidInput("attempt_reason", "only_for_attempts")
    else:
        reason = None
    # An attempt or a check-in says enough by its structure; any other note needs words.
    required = contact != "poging" and checkin is None
    return Note(
        id=note_id,
        case_id=case_id,
        text=clean_text(text, "text", required=required),
        created_at=created_at,
        domains=tuple(vocabulary("domain").check_all(domains)),
        setting=vocabulary("setting").check(setting) if setting else None,
        contact=contact,
        attempt_reason=reason,
        follow_up=_follow_up(follow_up) if follow_up else None,
        visibility=vocabulary("visibility").check(visibility),
        client_may_see=bool(client_may_see),
        barriers=tuple(vocabulary("barrier").check_all(barriers)),
        check_in=checkin,
        by=by,
    )


def edit_note(note: Note, **changes: Any) -> Note:
    """Re-validate a note with some fields changed (id, case and creation time stay)."""
    fields = note.to_data()
    fields.pop("created_at")
    if fields["follow_up"] is None:
        fields.pop("follow_up")
    if fields["check_in"] is None:
        fields.pop("check_in")
    fields.update(changes)
    return new_note(note.id, note.case_id, note.created_at, **fields)


def complete_follow_up(note: Note, at: str | None = None) -> Note:
    """Afvinken: the follow-up is done (at `at`); a follow-up done already keeps its time."""
    if note.follow_up is None:
        raise InvalidInput("follow_up", "none")
    if note.follow_up.done:
        return note
    return replace(note, follow_up=replace(note.follow_up, done=True, done_at=at))


def reopen_follow_up(note: Note) -> Note:
    """Undo an Afvinken: the follow-up is open again."""
    if note.follow_up is None:
        raise InvalidInput("follow_up", "none")
    return replace(note, follow_up=replace(note.follow_up, done=False, done_at=None))


def note_meta(note: Note) -> dict[str, Any]:
    """The only facts about a note that may leave the phone unencrypted (docs/privacy.md)."""
    meta: dict[str, Any] = {
        "day": local_day(note.created_at),  # the Belgian calendar day
        "contact": note.contact,
        "domains": list(note.domains),
        "barriers": list(note.barriers),
    }
    if note.setting:
        meta["setting"] = note.setting
    if note.attempt_reason:
        meta["attempt_reason"] = note.attempt_reason
    if note.check_in is not None:
        meta["check_in"] = True
        # The scores alone (0-10), for the team's averages in the supervisor view.
        if note.check_in.draagkracht is not None:
            meta["draagkracht"] = note.check_in.draagkracht
        if note.check_in.draaglast is not None:
            meta["draaglast"] = note.check_in.draaglast
    return meta


def _follow_up(raw: dict[str, Any]) -> FollowUp:
    return FollowUp(
        what=clean_text(raw.get("what"), "follow_up", required=True),
        who=clean_text(raw.get("who"), "follow_up_who", required=False, limit=MAX_NAME),
        due=parse_day(raw.get("due"), "follow_up_due"),
        done=bool(raw.get("done", False)),
        done_at=raw.get("done_at") if raw.get("done") else None,
    )


def _scale(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise InvalidInput(field, "out_of_range", low=0, high=10)
    return value


def _check_in(raw: dict[str, Any]) -> CheckIn:
    return CheckIn(
        how=clean_text(raw.get("how"), "check_in", required=False),
        topics=clean_text(raw.get("topics"), "check_in", required=False),
        agreed=clean_text(raw.get("agreed"), "check_in", required=False),
        draagkracht=_scale(raw.get("draagkracht"), "draagkracht"),
        draaglast=_scale(raw.get("draaglast"), "draaglast"),
        together=bool(raw.get("together", False)),
    )


def capture_kind(note: Note) -> str:
    """ "note", "check_in" or "attempt": the form the note was captured with."""
    if note.contact == "poging":
        return "attempt"
    if note.check_in is not None or note.contact == "check_in":
        return "check_in"
    return "note"


def summary(note: Note, full: bool = False) -> dict[str, Any]:
    """A note as plain data for scripts (`note list` / `note show`); `full` adds the rest:
    check-in answers and scores, attempt reason, visibility."""
    follow = note.follow_up
    out: dict[str, Any] = {
        "id": note.id,
        "case_id": note.case_id,
        "text": note.text,
        "domains": list(note.domains),
        "setting": note.setting,
        "created_at": note.created_at,
        "kind": capture_kind(note),
        "contact": note.contact,
        "barriers": list(note.barriers),
        "follow_up": (
            {"what": follow.what, "who": follow.who, "due": follow.due, "done_at": follow.done_at}
            if follow
            else None
        ),
    }
    if full:
        out["follow_up_done"] = bool(follow and follow.done)
        out["attempt_reason"] = note.attempt_reason
        out["visibility"] = note.visibility
        out["client_may_see"] = note.client_may_see
        out["check_in"] = asdict(note.check_in) if note.check_in else None
    return out
