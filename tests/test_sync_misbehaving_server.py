"""Answers the real server never gives, from a tiny fake server process on loopback
(tests/fake_server.py): the phone stops, writes nothing it need not, and still pushes."""

import pytest

from app.core.errors import ServerUnreachable
from app.services import open_vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.fake_server import FakeServer


@pytest.fixture
def fake(request):
    server = FakeServer(request.param).start()
    yield server
    server.stop()


def _enrolled(tmp_path, url):
    """A vault that believes it is enrolled with `url` (what enrolment would store)."""
    app = open_vault(tmp_path / "vault", PASSPHRASE, create=True, kdf=FAST_KDF)
    server = {"url": url, "credential": "dbj_fake", "device_id": "fake", "login": "x"}
    app.vault.update_local({"set": {"server": server, "cursor": 0}})
    return app


@pytest.mark.parametrize("fake", ["endless", "endless-empty"], indirect=True)
def test_a_server_that_says_has_more_forever_is_not_followed(fake, tmp_path):
    app = _enrolled(tmp_path, fake.url)
    journal = tmp_path / "vault" / "journal.bin"
    before = journal.stat().st_size
    report = app.sync()  # before: one pull and one fsync'd frame per empty page, for ever
    assert report.pulled == 0
    assert fake.counts()["pulls"] == 1
    # At most the frame that notes the time of this sync; no frame per empty page.
    assert journal.stat().st_size - before < 400
    app.close()


@pytest.mark.parametrize("fake", ["pull-fails"], indirect=True)
def test_the_outbox_is_pushed_when_the_pull_fails(fake, tmp_path):
    app = _enrolled(tmp_path, fake.url)
    app.add_note(app.add_case("Gezin Duw"), "moet de server bereiken")
    with pytest.raises(ServerUnreachable):
        app.sync()  # the pull's error is still reported...
    assert fake.counts()["pushed"] == 3  # ...after the case key, gezin and note went out
    assert app.sync_status()["pending"] == 0
    app.close()
