"""A damaged server database is noticed: at start, by `admin check-db`, and in a request it
gives a JSON error and one clear log line, never a plain-text 500."""

import sqlite3

import requests
from sqlalchemy import text

from app.services import enroll
from sync_server.cli import main
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.server_process import ServerProcess


def _phone_with_notes(server, root, login, count):
    app = enroll(root / login, PASSPHRASE, server.url, server.user(login), kdf=FAST_KDF)
    case_id = app.add_case("Gezin Schade")
    for i in range(count):
        app.add_note(case_id, f"notitie {i} " + "x" * 300)
    app.sync()
    return app


def _damage_table(path, table):
    """Overwrite every page of one table's b-tree with garbage, as a failing disk would."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = db.execute("PRAGMA page_size").fetchone()[0]
        pages = [p for (p,) in db.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,))]
    assert len(pages) > 3
    with open(path, "r+b") as raw:
        for page in pages:
            raw.seek((page - 1) * size)
            raw.write(b"\xa5" * size)
    return len(pages)


def test_damage_is_noticed_at_start_by_check_db_and_answered_in_json(tmp_path, capsys):
    path = tmp_path / "dichtbij.db"
    url = f"sqlite:///{path}"
    server = ServerProcess(url, tmp_path / "server.log").start()
    app = _phone_with_notes(server, tmp_path, "schade", 150)
    credential = app.vault.local("server")["credential"]
    app.close()
    server.stop()
    server.db.dispose()
    assert main(["--db", url, "admin", "check-db"]) == 0
    assert "database intact" in capsys.readouterr().out

    server.start()  # whole at start; the disk fails while it runs
    pages = _damage_table(path, "records")
    print(f"damaged_pages: {pages} pages")
    answer = requests.get(
        server.url + "/v1/pull?since=0",
        headers={"Authorization": f"Bearer {credential}"},
        timeout=30,
    )
    assert answer.status_code == 500
    assert answer.json()["error"] == "database_error"
    server.stop()
    log = (tmp_path / "server.log").read_text()
    assert "database error on GET /v1/pull" in log and "admin check-db" in log
    assert credential not in log

    assert main(["--db", url, "admin", "check-db"]) == 1
    out = capsys.readouterr().out
    assert "damaged" in out and "Restore the newest backup" in out
    assert main(["--db", url, "serve", "--port", "9"]) == 1  # refuses before listening
    assert "the database is damaged" in capsys.readouterr().err


def test_a_database_error_is_a_json_answer_on_both_databases(server, tmp_path):
    app = enroll(tmp_path / "p", PASSPHRASE, server.url, server.user("tabel"), kdf=FAST_KDF)
    credential = app.vault.local("server")["credential"]
    app.close()
    with server.db.engine.begin() as db:
        db.execute(text("ALTER TABLE changes RENAME TO changes_elders"))
    try:
        answer = requests.get(
            server.url + "/v1/pull",
            headers={"Authorization": f"Bearer {credential}"},
            timeout=30,
        )
    finally:
        with server.db.engine.begin() as db:
            db.execute(text("ALTER TABLE changes_elders RENAME TO changes"))
    assert answer.status_code == 500, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["error"] == "database_error"
    assert "changes" not in answer.json()["detail"]
    assert main(["--db", server.db_url, "admin", "check-db"]) == 0
