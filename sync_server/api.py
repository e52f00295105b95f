"""The HTTP API: FastAPI routes over accounts and syncing. Every bad input gets a 4xx
with a clear message; OpenAPI at /openapi.json describes every endpoint."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.sync import protocol
from app.sync.protocol import ProtocolError
from sync_server import accounts, catalogue, intake, integrity, syncing, team
from sync_server.compression import WireCompression
from sync_server.dashboard import web as dashboard
from sync_server.db import Database
from sync_server.errors import ApiError, BadRequest
from sync_server.headers import SecurityHeaders

_bearer = HTTPBearer(auto_error=False, description="The device credential from enrolment")
Credential = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class Problem(BaseModel):
    error: str
    detail: str


class Health(BaseModel):
    status: str


class EnrolBegin(BaseModel):
    code: str = Field(min_length=1, max_length=64, description="one-time enrolment code")


class EnrolBeginAnswer(BaseModel):
    login: str
    existing: bool
    kdf: dict[str, Any] | None


class NewAccount(BaseModel):
    """Opaque to the server: the passphrase-wrapped user key and the sharing key pair."""

    kdf: dict[str, Any]
    envelope: str = Field(max_length=4096)
    public_key: str = Field(max_length=4096)
    wrapped_private_key: str = Field(max_length=4096)


class EnrolComplete(EnrolBegin):
    authenticator: str = Field(min_length=40, max_length=64, description="base64 of 32 bytes")
    device_name: str = Field(
        default="toestel",
        max_length=100,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description="no control characters",
    )
    new_account: NewAccount | None = None


class EnrolAnswer(BaseModel):
    device_id: str
    credential: str
    login: str
    team: str
    role: str
    escrow: dict[str, Any]
    protocol: int
    catalogue_key: str | None = Field(
        default=None, description="the organisation's Ed25519 key for signed catalogues"
    )


class SealedRecord(BaseModel):
    fmt: int
    id: str = Field(pattern=protocol.ID_PATTERN)
    kind: str
    case_id: str | None = Field(pattern=protocol.UUID_PATTERN)
    rev: int = Field(ge=1, lt=2**31)
    base_rev: int = Field(ge=0, lt=2**31)
    device_id: str = Field(pattern=protocol.UUID_PATTERN)
    hlc: str = Field(pattern=protocol.HLC_PATTERN)
    deleted: bool
    meta: dict[str, Any]
    key: str
    kv: int = Field(ge=0, lt=2**31)
    payload: str = Field(max_length=protocol.MAX_PAYLOAD_BYTES * 4 // 3 + 4)


class PushBody(BaseModel):
    records: list[SealedRecord] = Field(max_length=protocol.MAX_BATCH)
    since: int | None = Field(
        default=None, ge=0, lt=2**63, description="the device's pull cursor (next_cursor)"
    )


class PushResult(BaseModel):
    id: str
    status: str = Field(description="accepted | conflict | refused")
    rev: int | None


class PushAnswer(BaseModel):
    results: list[PushResult]
    next_cursor: int | None = Field(
        description="the new pull cursor when `since` was the end of the feed, else null"
    )


class PullAnswer(BaseModel):
    records: list[SealedRecord]
    next_cursor: int
    has_more: bool
    team_version: str | None = Field(
        default=None,
        description="on the last page (has_more false): a digest of GET /v1/team; "
        "the phone reads the team list again only when it changes",
    )


class StatusBody(BaseModel):
    pending: int = Field(ge=0, lt=2**31, description="items waiting in the device's outbox")


class CatalogueOffer(BaseModel):
    version: str
    date: str
    text: str = Field(description="the catalogue JSON, exactly as signed")
    signature: str = Field(description="Ed25519 over a context string and the text, base64")


class Me(BaseModel):
    login: str
    team: str
    role: str
    device_id: str


class Keys(BaseModel):
    """The account's public identity keys (docs/sharing.md), raw 32 bytes in base64."""

    x25519: str = Field(max_length=64, description="X25519 public key, base64 of 32 bytes")
    ed25519: str = Field(max_length=64, description="Ed25519 public key, base64 of 32 bytes")


class KeysAnswer(Keys):
    keys_at: str | None = Field(description="when these keys were published (ISO time)")


class TeamMember(BaseModel):
    login: str
    role: str
    x25519: str | None = Field(description="published X25519 key (base64), null before")
    ed25519: str | None = Field(description="published Ed25519 key (base64), null before")
    keys_at: str | None


class Rotation(BaseModel):
    case_id: str = Field(description="a gezin (or the team log) whose keys must rotate")
    login: str = Field(description="the removed user it must be rotated away from")


class TeamAnswer(BaseModel):
    team: str
    team_case: str = Field(description="the id of the team's own log (team data)")
    me: str
    members: list[TeamMember] = Field(description="active users of the team")
    rotate: list[Rotation]


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (401, 403, 404, 409, 413, 422, 429)
}


def create_app(db: Database, body_budget: int = intake.DEFAULT_BUDGET) -> FastAPI:
    app = FastAPI(
        title="Dichtbij sync server",
        version=str(protocol.VERSION),
        description="Stores end-to-end encrypted records of the Dichtbij field app. "
        "See docs/sync-protocol.md.",
    )
    app.add_middleware(WireCompression)  # gzip for pull answers and push bodies
    app.add_middleware(intake.Intake, db=db, budget=body_budget)  # credential before body
    app.add_middleware(SecurityHeaders)  # outermost: on 413s and 404s too

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        body: dict[str, object] = {"error": exc.code, "detail": exc.detail}
        headers = {}
        if "wipe" in exc.extra:
            body["wipe"] = exc.extra["wipe"]
        if "retry_after" in exc.extra:
            headers["Retry-After"] = str(exc.extra["retry_after"])
        return JSONResponse(body, exc.status, headers=headers)

    @app.exception_handler(SQLAlchemyError)
    async def _database_error(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        status, body = integrity.answer(exc, request.method, request.url.path)
        return JSONResponse(body, status, headers={"Retry-After": "5"} if status == 503 else {})

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed"}
        error = codes.get(exc.status_code, "http_error")
        return JSONResponse({"error": error, "detail": str(exc.detail)}, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return JSONResponse({"error": "invalid", "detail": f"{where}: {first['msg']}"}, 422)

    @app.get("/health", response_model=Health, tags=["ops"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/enrol/begin", response_model=EnrolBeginAnswer, responses=ERRORS, tags=["enrol"])
    def enrol_begin(body: EnrolBegin, request: Request) -> dict[str, Any]:
        client = _client(request)
        with _counting_failures(db, client), db.transaction() as session:
            return accounts.enrol_begin(session, body.code, client)

    @app.post("/v1/enrol/complete", response_model=EnrolAnswer, responses=ERRORS, tags=["enrol"])
    def enrol_complete(body: EnrolComplete, request: Request) -> dict[str, Any]:
        client = _client(request)
        authenticator = _b64(body.authenticator, "authenticator", 32)
        new = body.new_account.model_dump() if body.new_account else None
        with _counting_failures(db, client), db.transaction() as session:
            done = accounts.enrol_complete(
                session, body.code, authenticator, body.device_name, new, client
            )
            return {
                "device_id": done.device_id,
                "credential": done.credential,
                "login": done.user.login,
                "team": done.team.name,
                "role": done.user.role,
                "escrow": done.user.escrow or {},
                "protocol": protocol.VERSION,
                "catalogue_key": catalogue.organisation_key(session),
            }

    @app.get("/v1/me", response_model=Me, responses=ERRORS, tags=["sync"])
    def me(credential: Credential) -> dict[str, Any]:
        with db.transaction() as session:
            dev, user = accounts.authenticate(session, _token(credential))
            team = accounts.team_of(session, user)
            return {"login": user.login, "team": team.name, "role": user.role, "device_id": dev.id}

    @app.post("/v1/push", response_model=PushAnswer, responses=ERRORS, tags=["sync"])
    def push(body: PushBody, credential: Credential) -> dict[str, Any]:
        batch = [r.model_dump() for r in body.records]
        with db.transaction() as session:
            dev, user = accounts.authenticate(session, _token(credential))
            try:
                return syncing.push(session, dev, user, batch, body.since)
            except ProtocolError as exc:
                raise BadRequest(str(exc)) from None

    @app.get("/v1/pull", response_model=PullAnswer, responses=ERRORS, tags=["sync"])
    def pull(
        credential: Credential,
        since: Annotated[
            int, Query(ge=0, lt=2**53, description="next_cursor of the last page")
        ] = 0,
        limit: Annotated[int, Query(ge=1, le=protocol.MAX_PAGE)] = protocol.DEFAULT_PAGE,
    ) -> dict[str, Any]:
        with db.transaction() as session:
            dev, user = accounts.authenticate(session, _token(credential))
            return syncing.pull(session, dev, user, since, limit)

    @app.put(
        "/v1/keys",
        response_model=KeysAnswer,
        responses={**ERRORS, 400: {"model": Problem}},
        tags=["team"],
    )
    def publish_keys(body: Keys, credential: Credential) -> dict[str, Any]:
        """Publish the account's public keys; other keys than the published ones: 409."""
        with db.transaction() as session:
            _, user = accounts.authenticate(session, _token(credential))
            return team.publish_keys(session, user, body.x25519, body.ed25519)

    @app.get("/v1/team", response_model=TeamAnswer, responses=ERRORS, tags=["team"])
    def team_list(credential: Credential) -> dict[str, Any]:
        """The team's members with their published keys, and the rotations waiting."""
        with db.transaction() as session:
            _, user = accounts.authenticate(session, _token(credential))
            return team.team_list(session, user)

    @app.get(
        "/v1/catalogue",
        response_model=CatalogueOffer,
        responses={**ERRORS, 204: {"description": "the phone's catalogue is the newest"}},
        tags=["sync"],
    )
    def newer_catalogue(
        credential: Credential,
        after: Annotated[
            str, Query(pattern=r"^[0-9]{1,9}(\.[0-9]{1,9}){0,3}$", description="version held")
        ],
    ) -> Any:
        with db.transaction() as session:
            accounts.authenticate(session, _token(credential))
            offer = catalogue.offer(session, after)
        return offer if offer else Response(status_code=204)

    @app.post("/v1/status", status_code=204, responses=ERRORS, tags=["sync"])
    def status(body: StatusBody, credential: Credential) -> None:
        with db.transaction() as session:
            dev, _ = accounts.authenticate(session, _token(credential))
            dev.pending = body.pending

    app.include_router(dashboard.router(db))  # the supervisor pages (docs/supervisor.md)
    return app


class _counting_failures:  # noqa: N801 - used as a context manager
    """After a refused enrolment attempt, record the failure in its own transaction."""

    def __init__(self, db: Database, client: str) -> None:
        self.db, self.client = db, client

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: BaseException | None, _tb: object) -> None:
        if isinstance(exc, ApiError) and exc.extra.get("failed_attempt"):
            with self.db.transaction() as session:
                accounts.count_failure(session, self.client)


def _token(credential: HTTPAuthorizationCredentials | None) -> str | None:
    return credential.credentials if credential else None


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _b64(text: str, field: str, size: int) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        raise BadRequest(f"{field} must be base64") from None
    if len(raw) != size:
        raise BadRequest(f"{field} must be {size} bytes")
    return raw
