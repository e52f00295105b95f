"""`admin quarantine-record`: a record no phone can open leaves the pull feed and the
supervisor figures, stays in the database marked, is audited, and a new revision of its
id from its owner replaces it; on SQLite and PostgreSQL."""

import uuid

from sqlalchemy import select

from app.services import enroll
from app.sync.transport import ServerClient
from sync_server.cli import main
from sync_server.models import AuditEntry, Fact, Record
from tests.conftest import FAST_KDF, PASSPHRASE


def test_a_quarantined_record_is_no_longer_served(server, tmp_path, capsys):
    phone = enroll(tmp_path / "a", PASSPHRASE, server.url, server.user("gif"), kdf=FAST_KDF)
    case_id = phone.add_case("Gezin Gif")
    good = [phone.add_note(case_id, f"goed {i}") for i in range(3)]
    phone.sync()
    sealed = phone.vault.seal(phone.vault.latest(good[0]))
    poison_id = str(uuid.uuid4())  # the payload's associated data names another id
    state = phone.vault.local("server")
    client = ServerClient(state["url"], credential=state["credential"])
    poison = {**sealed, "id": poison_id}
    assert client.push([poison])[0]["status"] == "accepted"
    with server.db.transaction() as session:
        assert session.get(Fact, poison_id) is not None

    assert main(["--db", server.db_url, "admin", "quarantine-record", poison_id]) == 0
    assert "no longer served" in capsys.readouterr().out
    assert main(["--db", server.db_url, "admin", "quarantine-record", poison_id]) == 1

    pulled = client.pull(0, 500)["records"]
    # the key, the gezin, the notes and the account's identity
    assert poison_id not in [r["id"] for r in pulled] and len(pulled) == 6
    second = enroll(tmp_path / "b", PASSPHRASE, server.url, server.code("gif"), kdf=FAST_KDF)
    second.sync()  # before the quarantine: UntrustedAnswer at every sync
    assert sorted(n.id for n in second.notes()) == sorted(good)
    with server.db.transaction() as session:
        row = session.get(Record, poison_id)
        assert row is not None and row.quarantined_at is not None  # kept, as evidence
        assert session.get(Fact, poison_id) is None
        actions = session.scalars(select(AuditEntry.action)).all()
        assert "quarantine_record" in actions

    # Its owner's new revision of that id replaces it; another user cannot take the id.
    replaced = {**poison, "rev": 1, "base_rev": 0, "hlc": sealed["hlc"][:-1] + "f"}
    assert client.push([replaced])[0]["status"] == "accepted"
    assert poison_id in [r["id"] for r in client.pull(0, 500)["records"]]
    client.close(), phone.close(), second.close()
