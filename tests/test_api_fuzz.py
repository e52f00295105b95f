"""schemathesis against /openapi.json of a real server process, with an enrolled device:
no input it can generate makes the server answer 5xx, and every 4xx says what was wrong."""

import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from app.services import enroll
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.server_process import ServerProcess


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    proc = ServerProcess(f"sqlite:///{root / 'd.db'}", root / "server.log").start()
    app = enroll(root / "phone", PASSPHRASE, proc.url, proc.user("fuzzer"), kdf=FAST_KDF)
    app.add_note(app.add_case("Gezin Fuzz"), "iets om te pullen")
    app.sync()
    proc.credential = app.vault.local("server")["credential"]
    app.close()
    yield proc
    proc.stop()
    proc.db.dispose()


def _operations(url):
    schema = schemathesis.openapi.from_url(url + "/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


def test_no_server_error_and_clear_4xx(fuzz_server):
    """Every operation, generated cases (valid and invalid), with a real device credential."""
    operations = _operations(fuzz_server.url)
    assert len(operations) >= 7
    headers = {"Authorization": f"Bearer {fuzz_server.credential}"}
    for operation, mode in itertools.product(operations, list(GenerationMode)):

        @given(case=operation.as_strategy(mode))
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(base_url=fuzz_server.url, headers=headers)
            assert response.status_code < 500, (operation.label, mode, response.text[:300])
            if 400 <= response.status_code < 500:
                body = response.json()
                assert isinstance(body.get("detail"), str) and body["detail"].strip(), body

        try:
            check()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # nothing invalid to send (no input at all)


def test_health_and_openapi_are_published(fuzz_server):
    import requests

    assert requests.get(fuzz_server.url + "/health", timeout=5).json() == {"status": "ok"}
    spec = requests.get(fuzz_server.url + "/openapi.json", timeout=5).json()
    assert {"/health", "/v1/push", "/v1/pull", "/v1/enrol/begin", "/v1/enrol/complete"} <= set(
        spec["paths"]
    )
