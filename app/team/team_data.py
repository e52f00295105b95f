"""Team data in the facade: the team's own log and key, team settings, and the changes a
sync makes on the team's behalf (docs/sharing.md, "Team data").

The team log is a gezin-like membership log (`GET /v1/team` names it): the first member
who verifies a colleague writes its `create` entry (a worker alone has no team data to
share), a member adds a colleague when they verify them, and its epoch keys seal the
team's records (team settings now). `Services` mixes this in.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from app.core.errors import InvalidInput, MembershipRefused, NotFound
from app.core.kinds import MEMBERSHIP_KIND, TEAM_SETTING_KIND
from app.team.membership import Entry
from app.team.service import _NAMESPACE
from app.team.sharing import Sharing

TEAM_SETTINGS = {"share_new_with_duo": False}  # every team setting and its default
SHARE_NEW = "share_new"  # device-local: gezinnen made here, to share with the duo partners
NO_TEAM_KEY = "Je ziet nog geen teamgegevens: een collega moet je eerst verifiëren."


def team_setting_id(team_case: str, name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"team_setting:{team_case}:{name}"))


class TeamData(Sharing):
    """The team part of the facade that needs the team log (mixed into Services)."""

    # ---- the screens' API -------------------------------------------------------------

    def team_data_status(self) -> str | None:
        """Why this worker sees no team data (a Dutch sentence), or None when they do."""
        return None if self._team_keys() else NO_TEAM_KEY

    def team_settings(self) -> dict[str, Any]:
        """The team's settings (defaults until someone of the team set them)."""
        team_case = self._team().get("team_case")
        found = dict(TEAM_SETTINGS)
        if team_case:
            for name in TEAM_SETTINGS:
                record = self._vault.get(TEAM_SETTING_KIND.name, team_setting_id(team_case, name))
                if record is not None:
                    found[name] = record.data.get("value", found[name])
        return found

    def set_team_setting(self, name: str, value: bool) -> None:
        """Change a team setting for the whole team (sealed under the team key)."""
        if name not in TEAM_SETTINGS:
            raise InvalidInput("team_setting", "unknown_code", value=name, allowed=[*TEAM_SETTINGS])
        team_case = self._team().get("team_case")
        if not team_case or not self._team_keys():
            # Without the team key the vault would make a key of its own for the team's
            # records, which no colleague could open.
            raise InvalidInput("team_setting", "no_team_key")
        record_id = team_setting_id(team_case, name)
        data = {"v": 1, "name": name, "value": bool(value)}
        self._put_named(TEAM_SETTING_KIND.name, team_case, record_id, data)

    def verify_colleague(self, login: str, digits: str) -> None:
        """As TeamWork's, and a member of the team log gives the colleague the team key."""
        super().verify_colleague(login, digits)
        self.open_shared_keys()  # entries they signed, held until now, open at once
        self._add_to_team_log(login)

    def _new_case_made(self, case_id: str) -> None:
        """A gezin made on this phone: shared with the duo partners at the next sync, when
        the team's setting says so."""
        if self.team_settings()["share_new_with_duo"]:
            self._vault.update_local({"merge": {SHARE_NEW: {case_id: True}}})

    # ---- at every sync, after the pull --------------------------------------------------

    def _sync_team_log(self) -> None:
        """Give verified colleagues the team key (starting the team log when nobody did);
        write the rotations the server asks for; share new gezinnen with the duo partners."""
        if self._identity() is None or not self.my_login():
            return
        for colleague in self.colleagues():
            if colleague.status == "verified":
                self._add_to_team_log(colleague.login)
        self._rotate()
        self._share_new()

    def _rotate(self) -> None:
        """For someone an admin removed: the first member who stays writes the `remove`."""
        me = self.my_login()
        for item in self._team().get("rotate", []):
            case_id, login = item.get("case_id"), item.get("login")
            if not case_id or not login:
                continue
            log = self._fold(case_id).log
            staying = sorted(set(log.members) - {login})
            if login in log.members and staying and staying[0] == me:
                # Refused: another member's entry came first, or a member is not verified.
                with contextlib.suppress(MembershipRefused):
                    self._change(case_id, "remove", login)

    def _share_new(self) -> None:
        waiting = self._vault.local(SHARE_NEW) or {}
        if not waiting:
            return
        partners = [c.login for c in self.colleagues() if c.duo and c.status == "verified"]
        for case_id in waiting:
            for login in partners:
                try:
                    if login not in self._fold(case_id).log.members:
                        self.share_case(case_id, login)
                except (MembershipRefused, InvalidInput):
                    continue
                except NotFound:
                    break  # erased meanwhile: nothing to share
        self._vault.update_local({"drop": {SHARE_NEW: list(waiting)}})

    def _add_to_team_log(self, login: str) -> None:
        """A member gives a verified colleague the team key. The team log is started by the
        first member who verifies someone (a worker alone has no team data to share); when
        another member started it first, the server refuses ours and theirs stands."""
        team_case = self._team().get("team_case")
        if not team_case or self._identity() is None:
            return
        with contextlib.suppress(MembershipRefused):
            if not self._entries_of(team_case):
                self._change(team_case, "create", self.my_login())
            log = self._fold(team_case).log
            if self.my_login() in log.members and login not in log.members:
                self._change(team_case, "add", login)

    def _team_keys(self) -> dict[int, bytes]:
        team_case = self._team().get("team_case")
        return self._vault.case_keys(team_case) if team_case else {}

    def _entries_of(self, case_id: str) -> list[Entry]:
        found = []
        for record in self._vault.find(MEMBERSHIP_KIND.name):
            if record.case_id == case_id:
                found.append(Entry.from_data(record.data))
        return found
