"""Team work in the facade: this account's identity, its colleagues and their
veiligheidsnummers (docs/sharing.md). `app.services.Services` mixes this in, so the
screens and the CLI call these methods on the one facade.

What the server says about the team (`GET /v1/team`) is device-local state, read again
at every sync: it is the server's claim, never trusted by itself. What the worker decided
(the digits they verified, a duo partner, "later") is a user-scope `colleague` record,
so the worker's other phones know it too. The private keys are the user-scope
`identity` record, made once per account.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Any

from app.core.errors import InvalidInput, NotEnrolled, ServerRejected, ServerUnreachable
from app.core.kinds import COLLEAGUE_KIND, IDENTITY_KIND
from app.facade.base import FacadeBase
from app.sync.transport import ServerClient
from app.team import safety
from app.team.identity import Identity, PublicKeys

TEAM_STATE = "team"  # device-local: the last team list the server gave
# Record ids are UUIDs; these are derived from the logins, so every phone of a worker
# writes the same record (and a second identity of one account cannot arise unnoticed).
_NAMESPACE = uuid.UUID("5b0f7d2e-3c1a-4e57-9a64-2f1d3c8b7e90")
STATUSES = ("verified", "unverified", "changed", "no_keys")


@dataclass(frozen=True)
class Colleague:
    """A team member as this phone sees them. `number`: the veiligheidsnummer computed
    from the keys the server gave ("" when they have none yet); `status`: verified,
    unverified, changed (their keys changed since this worker verified them: reading
    stays possible, new shares wait) or no_keys; `later`: the worker chose "later"."""

    login: str
    number: str
    status: str
    duo: bool
    later: bool = False


def identity_id(login: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"identity:{login}"))


def colleague_id(me: str, login: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"colleague:{me}:{login}"))


def received_keys(team: dict[str, Any], login: str) -> PublicKeys | None:
    """The keys the server gave for `login` (None: none published, or not in the team)."""
    member = team.get("members", {}).get(login)
    if not member or not member.get("x25519") or not member.get("ed25519"):
        return None
    return PublicKeys.from_wire({"login": login, **member})


def status_of(received: PublicKeys | None, decided: dict[str, Any]) -> str:
    verified = decided.get("verified")
    if verified:
        same = received is not None and (
            _b64(received.x25519),
            _b64(received.ed25519),
        ) == (verified.get("x25519"), verified.get("ed25519"))
        return "verified" if same else "changed"
    return "unverified" if received is not None else "no_keys"


def verified_keys(login: str, decided: dict[str, Any]) -> PublicKeys | None:
    """The keys this worker compared in person (what signatures are checked against)."""
    verified = decided.get("verified")
    if not verified:
        return None
    try:
        return PublicKeys.from_wire({"login": login, **verified})
    except InvalidInput:
        return None


class TeamWork(FacadeBase):
    """The team part of the facade (mixed into Services)."""

    # ---- me ----------------------------------------------------------------------------

    def my_login(self) -> str:
        """This account's login ("" before enrolment)."""
        return str((self._vault.local("server") or {}).get("login") or "")

    def my_fingerprint(self) -> str:
        """This account's veiligheidsnummer: 60 digits in 12 groups of 5, one string."""
        login = self.my_login()
        identity = self._identity()
        if not login:
            raise NotEnrolled("this vault was never enrolled")
        if identity is None:
            raise InvalidInput("fingerprint", "not_yet")
        return identity.public(login).number()

    def fingerprint_qr(self) -> str:
        """The veiligheidsnummer as a QR code (SVG text), for a colleague's scanner."""
        return safety.qr_svg(self.my_fingerprint())

    def team_name(self) -> str:
        """The team's name as the server gave it ("" before the first sync read it)."""
        return str(self._team().get("team") or "")

    # ---- colleagues --------------------------------------------------------------------

    def colleagues(self) -> list[Colleague]:
        """The team's other members (after a sync), by login."""
        team = self._team()
        me = self.my_login()
        found = []
        for login in sorted(team.get("members", {})):
            if login == me:
                continue
            received = received_keys(team, login)
            decided = self._decided(login)
            found.append(
                Colleague(
                    login=login,
                    number=received.number() if received else "",
                    status=status_of(received, decided),
                    duo=bool(decided.get("duo")),
                    later=bool(decided.get("later")),
                )
            )
        return found

    def colleague(self, login: str) -> Colleague:
        for found in self.colleagues():
            if found.login == login:
                return found
        raise InvalidInput("colleague", "unknown", value=login)

    def verify_colleague(self, login: str, digits: str) -> None:
        """The worker compared `digits` (their colleague's own number) with the number this
        phone computed from the keys the server gave: the same 60 digits, or
        InvalidInput("fingerprint", "mismatch") and nothing changes."""
        received = received_keys(self._team(), self.colleague(login).login)
        if received is None:
            raise InvalidInput("fingerprint", "no_keys")
        if not safety.same_number(digits, received.number()):
            raise InvalidInput("fingerprint", "mismatch")
        verified = {
            "x25519": _b64(received.x25519),
            "ed25519": _b64(received.ed25519),
            "number": safety.digits_of(received.number()),
            "at": self._stamp(),
        }
        self._decide(login, verified=verified, later=False)

    def set_duo(self, login: str, on: bool) -> None:
        """Mark (or unmark) a colleague as a duo partner of this worker."""
        self.colleague(login)
        self._decide(login, duo=bool(on))

    def later_colleague(self, login: str) -> None:
        """ "Later": the changed keys are noted; shares with them stay blocked until verified."""
        self.colleague(login)
        self._decide(login, later=True)

    # ---- sync --------------------------------------------------------------------------

    def _sync_team_before(self, client: ServerClient) -> None:
        """On a first sync (no team list kept yet, or no identity): read the team list and
        make this account's identity when it has none anywhere (the server has no keys for it
        and none came from its other phones). Later syncs read it only when the pull says it
        changed (`_follow_team`), so a sync with nothing to do stays one request."""
        if self._team() and self._identity() is not None:
            return
        if not self._try_read_team(client, None):
            return
        me = self.my_login()
        if me and self._identity() is None and received_keys(self._team(), me) is None:
            identity = Identity.new()
            self._save_new(IDENTITY_KIND.name, identity_id(me), identity.to_data(), {}, None)

    def _follow_team(self, client: ServerClient, version: str | None) -> bool:
        """Read the team list again when the pull answer's `team_version` differs from the
        one kept (a server that does not say is asked every time); True when it was read."""
        if version is not None and version == self._team().get("version"):
            return False
        return self._try_read_team(client, version)

    def _try_read_team(self, client: ServerClient, version: str | None) -> bool:
        """False when the server refused or could not be reached: the sync itself reports
        that (or wipes). A server that says nothing at all is raised at once."""
        try:
            self._read_team(client, version)
        except ServerUnreachable as exc:
            if exc.details.get("hung"):
                raise  # a server that says nothing would make the sync wait twice as long
            return False
        except ServerRejected:
            return False
        return True

    def _sync_team_after(self, client: ServerClient) -> None:
        """Publish the identity's public keys once its record is on the server."""
        me = self.my_login()
        identity = self._identity()
        record = self._vault.get(IDENTITY_KIND.name, identity_id(me)) if me else None
        if identity is None or record is None or not self._vault.is_synced(record):
            return
        published = received_keys(self._team(), me)
        if published == identity.public(me):
            return
        try:
            client.put_keys(_b64(identity.x25519_public), _b64(identity.ed25519_public))
        except ServerRejected as exc:
            if exc.details.get("status") != 409:
                raise
            return  # other keys are published: a reset account's new phone decides them
        self._read_team(client)

    def _read_team(self, client: ServerClient, version: str | None = None) -> None:
        """Keep the team list; `version` is the pull's digest of it (None: not known)."""
        answer = client.team()
        members = {}
        for member in answer.get("members", []):
            if member.get("x25519") and member.get("ed25519"):
                PublicKeys.from_wire(member)  # a bad key from the server: refused here
            members[member["login"]] = {
                "x25519": member.get("x25519"),
                "ed25519": member.get("ed25519"),
                "role": member.get("role"),
                "keys_at": member.get("keys_at"),
            }
        state = {
            "team": answer.get("team"),
            "team_case": answer.get("team_case"),
            "me": answer.get("me"),
            "members": members,
            "rotate": answer.get("rotate", []),
            "version": version,
        }
        if state != self._team():
            self._vault.update_local({"set": {TEAM_STATE: state}})

    # ---- internals ---------------------------------------------------------------------

    def _team(self) -> dict[str, Any]:
        return self._vault.local(TEAM_STATE) or {}

    def _identity(self) -> Identity | None:
        me = self.my_login()
        record = self._vault.get(IDENTITY_KIND.name, identity_id(me)) if me else None
        return Identity.from_data(record.data) if record is not None else None

    def _decided(self, login: str) -> dict[str, Any]:
        record = self._vault.get(COLLEAGUE_KIND.name, colleague_id(self.my_login(), login))
        return dict(record.data) if record is not None else {}

    def _decide(self, login: str, **changes: Any) -> None:
        me = self.my_login()
        record_id = colleague_id(me, login)
        record = self._vault.get(COLLEAGUE_KIND.name, record_id)
        data = {"v": 1, "login": login, "verified": None, "duo": False, "later": False}
        data.update(record.data if record is not None else {})
        data.update(changes)
        self._put_named(COLLEAGUE_KIND.name, None, record_id, data)

    def _put_named(self, kind: str, case_id: str | None, record_id: str, data: dict) -> None:
        """Write a record whose id is derived (every phone of the worker writes the same
        one): its first revision, or the next one over what this phone holds."""
        record = self._vault.get(kind, record_id)
        if record is None:
            self._save_new(kind, record_id, data, {}, case_id)
        else:
            self._vault.put(self._revise(record, data, {}))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
