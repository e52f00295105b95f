"""The capture form's state: one small object, no Flet, so its rules are tested directly.

A form is bound to where it was opened (the Notitie tab, or one gezin): its draft is
kept under that binding only, so opening the form for gezin B never shows what was typed
for gezin A. A fresh form from a gezin preselects that gezin and nothing else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from app.core.contact import rules as contact_rules
from app.core.notes import Note, capture_kind

MODES = ("note", "check_in", "attempt")
DRAFT_PREFIX = "capture"


class PickTargetFirst(Exception):
    """Neither a gezin nor a signaal was chosen."""


@dataclass
class CaptureForm:
    origin: str | None = None  # the gezin the form was opened from (None: the Notitie tab)
    editing: str | None = None  # the note being changed (None: a new note)
    mode: str = "note"
    case_id: str | None = None
    signaal: bool = False
    new_gezin: bool = False  # a gezin not yet in the app, made with the note
    new_name: str = ""
    setting: str | None = None
    contact: str | None = None  # None: the setting's suggestion
    domains: list[str] = field(default_factory=list)
    barriers: list[str] = field(default_factory=list)
    text: str = ""
    how: str = ""
    topics: str = ""
    agreed: str = ""
    draagkracht: int | None = None  # None: niet ingevuld
    draaglast: int | None = None
    together: bool = False  # the scores were estimated together with the client
    follow_up: bool = False
    what: str = ""
    who: str = ""
    due: str = ""
    memo: bool = False
    client: bool = False
    attempt_reason: str | None = None  # when an attempt is edited
    attempt_note: str = ""  # a word with a failed attempt ("briefje in de bus"), may be empty
    follow_done: bool = False  # an edited follow-up keeps whether (and when) it was done
    follow_done_at: str | None = None

    # ---- binding and drafts ------------------------------------------------------------

    @classmethod
    def fresh(cls, origin: str | None) -> CaptureForm:
        return cls(origin=origin, case_id=origin)

    @staticmethod
    def draft_name(origin: str | None) -> str:
        return f"{DRAFT_PREFIX}:gezin:{origin}" if origin else f"{DRAFT_PREFIX}:tab"

    @property
    def name(self) -> str:
        if self.editing:
            return f"{DRAFT_PREFIX}:edit:{self.editing}"
        return self.draft_name(self.origin)

    @classmethod
    def from_note(cls, note: Note) -> CaptureForm:
        """A form to change `note`, filled with what it holds."""
        mode = capture_kind(note)
        check, follow = note.check_in, note.follow_up
        return cls(
            editing=note.id,
            mode=mode,
            case_id=note.case_id,
            signaal=note.case_id is None,
            setting=note.setting,
            contact=note.contact if mode == "note" else None,
            domains=list(note.domains),
            barriers=list(note.barriers),
            text=note.text,
            how=check.how if check else "",
            topics=check.topics if check else "",
            agreed=check.agreed if check else "",
            draagkracht=check.draagkracht if check else None,
            draaglast=check.draaglast if check else None,
            together=check.together if check else False,
            follow_up=follow is not None,
            what=follow.what if follow else "",
            who=follow.who if follow else "",
            due=follow.due or "" if follow else "",
            memo=note.is_memo,
            client=note.client_may_see,
            attempt_reason=note.attempt_reason,
            attempt_note=note.text if mode == "attempt" else "",
            follow_done=follow.done if follow else False,
            follow_done_at=follow.done_at if follow else None,
        )

    @classmethod
    def restore_edit(cls, note: Note, draft: dict[str, Any] | None) -> CaptureForm:
        """Unsaved changes to `note` kept as a draft, or the note as it is."""
        if not draft or draft.get("editing") != note.id:
            return cls.from_note(note)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in draft.items() if k in known})

    @classmethod
    def restore(cls, origin: str | None, draft: dict[str, Any] | None) -> CaptureForm:
        """The draft kept for this binding, or a fresh form when there is none (or it was
        written for another binding, or by an older version of the form)."""
        if not draft or "origin" not in draft or draft["origin"] != origin:
            return cls.fresh(origin)
        known = {f.name for f in fields(cls)}
        form = cls(**{k: v for k, v in draft.items() if k in known})
        if form.mode not in MODES:
            form.mode = "note"
        return form

    def to_draft(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def touched(self) -> bool:
        """Whether anything differs from a fresh form (a draft is worth keeping)."""
        return self.to_draft() != CaptureForm.fresh(self.origin).to_draft()

    # ---- choices -----------------------------------------------------------------------

    def pick_case(self, case_id: str | None) -> None:
        """A gezin, or (None) an anonymous signaal."""
        self.case_id, self.signaal, self.new_gezin = case_id, case_id is None, False

    def pick_new_gezin(self) -> None:
        """A gezin not yet in the app: named in the form, made when the note is saved."""
        self.case_id, self.signaal, self.new_gezin = None, False, True

    def pick_setting(self, code: str) -> None:
        self.setting = None if self.setting == code else code

    def pick_contact(self, code: str) -> None:
        self.contact = code

    def toggle_domain(self, code: str) -> None:
        _toggle(self.domains, code)

    def toggle_barrier(self, code: str) -> None:
        _toggle(self.barriers, code)

    def pick_reason(self, code: str) -> None:
        self.attempt_reason = code

    @property
    def shown_contact(self) -> str:
        """The contact kind chip shown as chosen: the worker's pick or the suggestion."""
        return self.contact or contact_rules().suggested(self.setting)

    @property
    def suggestion(self) -> str | None:
        """The kind the place put in, when it differs from the default: said under Waar?,
        as the chip it changed sits below the fold."""
        if self.contact is not None or self.mode != "note":
            return None
        suggested = contact_rules().suggested(self.setting)
        return None if suggested == contact_rules().default else suggested

    # ---- what is saved -----------------------------------------------------------------

    def target(self) -> str | None:
        """The gezin chosen, or None for a signaal or a new gezin (`new_gezin`)."""
        if not self.case_id and not self.signaal and not self.new_gezin:
            raise PickTargetFirst
        return self.case_id

    def note_fields(self) -> tuple[str | None, str, dict[str, Any]]:
        """(gezin or None, text, the other fields of `add_note`) for the current mode; what
        other modes' fields hold is never saved."""
        case_id = self.target()
        fields_: dict[str, Any] = {
            "domains": list(self.domains),
            "setting": self.setting,
            "barriers": list(self.barriers),
            "visibility": "memo" if self.memo else "dossier",
            "client_may_see": self.client,
        }
        if self.follow_up:
            fields_["follow_up"] = {"what": self.what, "who": self.who, "due": self.due or None}
            if self.editing and self.follow_done:
                fields_["follow_up"].update(done=True, done_at=self.follow_done_at)
        if self.mode == "check_in":
            fields_["contact"] = contact_rules().modes["check_in"]
            fields_["check_in"] = {
                "how": self.how,
                "topics": self.topics,
                "agreed": self.agreed,
                "draagkracht": self.draagkracht,
                "draaglast": self.draaglast,
                "together": self.together,
            }
            return case_id, "", fields_
        fields_["contact"] = self.shown_contact
        return case_id, self.text, fields_

    def edit_fields(self) -> dict[str, Any]:
        """The changes for `edit_note`: every field the form shows for the note's kind (a
        check-in's own text, if any, stays as it is)."""
        if self.mode == "attempt":
            return {
                "attempt_reason": self.attempt_reason,
                "setting": self.setting,
                "text": self.attempt_note,
            }
        _case, text, changes = self.note_fields()
        changes.setdefault("follow_up", None)
        if self.mode == "note":
            changes["text"] = text
        return changes

    def attempt_fields(self, reason: str) -> tuple[str | None, dict[str, Any]]:
        return self.target(), {
            "contact": contact_rules().modes["attempt"],
            "attempt_reason": reason,
            "setting": self.setting,
            "text": self.attempt_note,
        }


def _toggle(codes: list[str], code: str) -> None:
    if code in codes:
        codes.remove(code)
    else:
        codes.append(code)
