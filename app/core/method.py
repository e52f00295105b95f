"""Steps of the method the app offers at the right moment (assets/method.json): after a
failed attempt "opnieuw proberen op …" (and a lager pitje when the client wants no contact
now), a one-tap terugbellen, "vraagverduidelijking hernemen?" when a note touches a new
levensdomein later in the traject (it is cyclic), and a short guidance card per phase."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.core.vocabulary import ASSETS_DIR, vocabulary


@cache
def steps() -> dict[str, Any]:
    """assets/method.json, checked against the vocabularies once."""
    raw = json.loads((ASSETS_DIR / "method.json").read_text(encoding="utf-8"))
    reasons = vocabulary("attempt_reason").code_set
    attempt = raw["attempt_follow_up"]
    if set(attempt["after_days"]) != reasons:
        raise ValueError("method.json: every attempt reason needs a retry delay")
    if not set(attempt["time_out_for"]) | set(attempt["moved_for"]) <= reasons:
        raise ValueError("method.json: unknown attempt reason")
    if set(raw["phases"]) != vocabulary("phase").code_set:
        raise ValueError("method.json: every phase needs a guidance card")
    if not set(raw["reclarify_in"]) <= vocabulary("phase").code_set:
        raise ValueError("method.json: unknown phase in reclarify_in")
    settings = vocabulary("setting").code_set
    channels = vocabulary("reach_channel").code_set
    callback = raw["callback"]
    if not set(callback["setting_by_channel"]) <= channels or not (
        set(callback["setting_by_channel"].values()) | {callback["default_setting"]} <= settings
    ):
        raise ValueError("method.json: callback channels and settings must be vocabulary codes")
    return raw


@dataclass(frozen=True)
class AttemptOffer:
    """What to offer after a failed attempt: a follow-up ("Geef niet op"), and for a client
    who wants no contact now a lager pitje until `due` (the right to refuse help)."""

    what: str
    due: str
    time_out: bool
    attempt: str = ""  # what was tried: "huisbezoek, niet thuis"

    def follow_up(self) -> dict[str, str]:
        """On Vandaag days later the retry says what to retry, not only "Opnieuw proberen"."""
        what = self.what
        if self.attempt:
            template = steps()["attempt_follow_up"]["what_after"]
            what = template.format(what=self.what, attempt=self.attempt)
        return {"what": what, "due": self.due}


def after_attempt(reason: str, today: dt.date, setting: str | None = None) -> AttemptOffer:
    attempt = steps()["attempt_follow_up"]
    vocabulary("attempt_reason").check(reason)
    due = today + dt.timedelta(days=attempt["after_days"][reason])
    what = attempt["moved_what"] if reason in attempt["moved_for"] else attempt["what"]
    tried = [vocabulary("setting").label(setting)] if setting else []
    tried.append(vocabulary("attempt_reason").label(reason))
    return AttemptOffer(
        what,
        due.isoformat(),
        reason in attempt["time_out_for"],
        ", ".join(t[:1].lower() + t[1:] for t in tried),
    )


def callback_note(channel: str | None, today: dt.date) -> dict[str, Any]:
    """The fields of the note a one-tap terugbellen saves: the client asked to be called
    back (that is a contact), with a follow-up for today."""
    callback = steps()["callback"]
    setting = callback["setting_by_channel"].get(channel or "", callback["default_setting"])
    return {
        "text": callback["note"],
        "setting": setting,
        "follow_up": {"what": callback["what"], "due": today.isoformat()},
    }


def reclarify(phase: str, known: Iterable[str], touched: Iterable[str]) -> list[str]:
    """The levensdomeinen a note brings up that the gezin never had, when the traject is
    past vraagverduidelijking: worth asking 'vraagverduidelijking hernemen?'."""
    if phase not in steps()["reclarify_in"]:
        return []
    seen = set(known)
    return [code for code in vocabulary("domain").check_all(touched) if code not in seen]


@dataclass(frozen=True)
class Guidance:
    phase: str
    steps: tuple[str, ...]
    follow_up: dict[str, str] | None  # offered with one tap (nazorg: even bellen)


def guidance(phase: str, today: dt.date) -> Guidance:
    card = steps()["phases"][vocabulary("phase").check(phase)]
    offer = card.get("follow_up")
    follow_up = None
    if offer:
        due = today + dt.timedelta(days=offer["after_days"])
        follow_up = {"what": offer["what"], "due": due.isoformat()}
    return Guidance(phase, tuple(card["steps"]), follow_up)
