"""A scripted browser for the supervisor pages (requests + the HTML forms), for tests."""

from __future__ import annotations

import csv
import io
import re

import requests

PAGES = ("", "/gezinnen", "/toestellen", "/drempels", "/drempels/rapport")


class WebClient:
    def __init__(self, base: str, address: str | None = None) -> None:
        self.base = base
        self.http = requests.Session()
        # The server trusts X-Forwarded-For from loopback: a stand-in for another address.
        if address:
            self.http.headers["X-Forwarded-For"] = address

    def get(self, path: str, **params) -> requests.Response:
        return self.http.get(self.base + path, params=params, allow_redirects=False, timeout=30)

    def post(self, path: str, data: dict, **headers) -> requests.Response:
        return self.http.post(
            self.base + path, data=data, headers=headers, allow_redirects=False, timeout=30
        )

    def form_token(self, path: str) -> str:
        page = self.get(path)
        assert page.status_code == 200, page.status_code
        return re.search(r'name="form" value="([^"]+)"', page.text).group(1)

    def activate(self, login: str, code: str, password: str, again: str | None = None):
        token = self.form_token("/dashboard/activeren")
        data = {"form": token, "login": login, "code": code, "password": password}
        data["again"] = password if again is None else again
        return self.post("/dashboard/activeren", data)

    def login(self, login: str, password: str) -> requests.Response:
        token = self.form_token("/dashboard/login")
        return self.post("/dashboard/login", {"form": token, "login": login, "password": password})

    def csrf(self) -> str:
        page = self.get("/dashboard")
        assert page.status_code == 200, page.status_code
        return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)

    def csv(self, page: str, table: str, **params) -> list[list[str]]:
        answer = self.get(f"/dashboard/csv/{page}/{table}", **params)
        assert answer.status_code == 200, (answer.status_code, answer.text[:300])
        assert answer.headers["content-type"].startswith("text/csv")
        return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))

    def table(self, page: str, table: str, **params) -> dict[str, list[str]]:
        """A CSV as {first cell: the other cells}."""
        return {row[0]: row[1:] for row in self.csv(page, table, **params)[1:]}
