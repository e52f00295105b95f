"""HTTP to the sync server: TLS verified (certifi or the organisation's own CA, optionally a
pinned certificate fingerprint), plain http only to this machine, retries with back-off.
Answers may come gzip-compressed; request bodies are sent gzip-compressed once the server
has said (RFC 7694: `Accept-Encoding` in an answer) that it takes them."""

from __future__ import annotations

import gzip
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import certifi
import requests
from requests.adapters import HTTPAdapter

from app.core.errors import InvalidInput, ServerRejected, ServerUnreachable

GZIP_MIN_BYTES = 1024  # smaller request bodies go plain: gzip would barely help
GZIP_LEVEL = 6
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
# Connect, read (seconds). A server that accepts and then says nothing is given up on after
# the read timeout and not retried, so a hung server is reported within 20 s in all.
TIMEOUT = (5, 15)
HEALTH_TIMEOUT = (3, 5)  # the reachability check: short, it runs in the background
_jitter = secrets.SystemRandom()


@dataclass(frozen=True)
class TlsConfig:
    ca_file: str | None = None  # PEM of the organisation's CA (or its server's own certificate)
    fingerprint: str | None = None  # SHA-256 of the server certificate, hex


class _PinnedAdapter(HTTPAdapter):
    """Also require the server certificate to have one exact SHA-256 fingerprint."""

    def __init__(self, fingerprint: str) -> None:
        self._fingerprint = fingerprint.replace(":", "").lower()
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["assert_fingerprint"] = self._fingerprint
        super().init_poolmanager(*args, **kwargs)


def check_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("https", "http") or not parsed.hostname:
        raise InvalidInput("server", "bad_url")
    if parsed.scheme == "http" and parsed.hostname not in LOCAL_HOSTS:
        raise InvalidInput("server", "insecure")
    return url.rstrip("/")


class ServerClient:
    """One server, one device credential. Errors become ServerUnreachable / ServerRejected."""

    def __init__(
        self,
        url: str,
        tls: TlsConfig | None = None,
        credential: str | None = None,
        retries: int = 3,
    ) -> None:
        self.url = check_url(url)
        self.credential = credential
        self.retries = retries
        self.bytes_sent = 0  # request bodies as they went on the wire
        self.bytes_received = 0  # response bodies as they came off the wire (before decoding)
        self._gzip_requests = False  # until the server says it takes them
        self._http = requests.Session()
        # No proxies, netrc or CA bundle from the environment: exactly the trust set here.
        self._http.trust_env = False
        self.tls = tls = tls or TlsConfig()
        self._http.verify = tls.ca_file or certifi.where()
        if tls.fingerprint:
            self._http.mount("https://", _PinnedAdapter(tls.fingerprint))

    def close(self) -> None:
        self._http.close()

    # ---- endpoints -------------------------------------------------------------------

    def health(self) -> bool:
        try:
            answer = self._call("GET", "/health", retries=0, timeout=HEALTH_TIMEOUT)
            return answer.get("status") == "ok"
        except (ServerUnreachable, ServerRejected):
            return False

    def enrol_begin(self, code: str) -> dict[str, Any]:
        return self._call("POST", "/v1/enrol/begin", json={"code": code}, retries=0)

    def enrol_complete(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/v1/enrol/complete", json=body, retries=0)

    def push(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self.push_answer(records)["results"]

    def push_answer(self, records: list[dict[str, Any]], since: int | None = None) -> dict:
        """The whole answer: `results`, and `next_cursor` when `since` (the stored pull
        cursor) was the end of the feed, so this push need not come back as an echo."""
        body: dict[str, Any] = {"records": records}
        if since is not None:
            body["since"] = since
        return self._call("POST", "/v1/push", json=body)

    def pull(self, since: int, limit: int) -> dict[str, Any]:
        return self._call("GET", "/v1/pull", params={"since": since, "limit": limit})

    def catalogue(self, have: str) -> dict[str, Any]:
        """The organisation's signed catalogue if newer than version `have`, else {}."""
        return self._call("GET", "/v1/catalogue", params={"after": have})

    def status(self, pending: int) -> None:
        self._call("POST", "/v1/status", json={"pending": pending})

    def put_keys(self, x25519: str, ed25519: str) -> dict[str, Any]:
        """Publish the account's public identity keys (base64); 409 keys_exist when the
        account published other ones already."""
        return self._call("PUT", "/v1/keys", json={"x25519": x25519, "ed25519": ed25519})

    def team(self) -> dict[str, Any]:
        """The team as this account sees it: {team, team_case, me, members, rotate}."""
        return self._call("GET", "/v1/team")

    # ---- plumbing --------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        retries: int | None = None,
        timeout: tuple[float, float] = TIMEOUT,
        **kwargs: Any,
    ) -> Any:
        """Every endpoint is idempotent, so connection errors and 5xx are retried with
        exponential back-off and jitter; a short Retry-After is honoured once; a 4xx is final,
        and so is a timeout (a hung server would only hang again)."""
        headers: dict[str, str] = {}
        if self.credential:
            headers["Authorization"] = f"Bearer {self.credential}"
        if "json" in kwargs:
            body = json.dumps(kwargs.pop("json"), separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
            if self._gzip_requests and len(body) >= GZIP_MIN_BYTES:
                body = gzip.compress(body, GZIP_LEVEL)
                headers["Content-Encoding"] = "gzip"
            kwargs["data"] = body
        attempts = 1 + (self.retries if retries is None else retries)
        failures = 0
        waited = False
        while True:
            try:
                response = self._http.request(
                    method, self.url + path, headers=headers, timeout=timeout, **kwargs
                )
            except requests.Timeout:
                raise ServerUnreachable("no answer in time", hung=True) from None
            except requests.RequestException as exc:
                failure: Exception = ServerUnreachable(f"no answer ({type(exc).__name__})")
            else:
                self._count(response)
                if response.status_code == 415 and headers.pop("Content-Encoding", ""):
                    # RFC 7694: the server takes no compressed body after all; send it plain.
                    self._gzip_requests = False
                    kwargs["data"] = gzip.decompress(kwargs["data"])
                    continue
                if "gzip" in response.headers.get("Accept-Encoding", "").lower():
                    self._gzip_requests = True  # RFC 7694: it takes gzip request bodies
                if response.status_code < 400:
                    return response.json() if response.content else {}
                wait = _short_retry_after(response)
                if wait is not None and not waited:
                    waited = True
                    time.sleep(wait)
                    continue
                if response.status_code < 500:
                    raise _rejection(response, path)
                failure = ServerUnreachable(f"server error {response.status_code}")
            failures += 1
            if failures >= attempts:
                raise failure
            time.sleep(0.2 * 2 ** (failures - 1) + _jitter.uniform(0, 0.2))

    def _count(self, response: requests.Response) -> None:
        body = response.request.body
        self.bytes_sent += len(body) if isinstance(body, bytes | str) else 0
        raw = response.raw
        self.bytes_received += raw.tell() if raw is not None else len(response.content)


def _short_retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    if response.status_code in (429, 503) and value.isdigit() and int(value) <= 5:
        return float(value)
    return None


def _rejection(response: requests.Response, path: str) -> ServerRejected:
    """The refusal by status, error code and the endpoint that refused: what app/messages.py
    words in Dutch. The server's own English reason stays in the exception's text only."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    wait = response.headers.get("Retry-After", "")
    return ServerRejected(
        str(body.get("detail", f"HTTP {response.status_code}")),
        status=response.status_code,
        error=str(body.get("error", "")),
        wipe=bool(body.get("wipe")),
        path=path,
        retry_after=int(wait) if wait.isdigit() else None,
    )
