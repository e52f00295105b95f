"""Migrations stand on their own: they import no live code of the project (a later change
to it must not change what an old revision does), and a backfill works on old rows."""

import ast
import datetime as dt

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from sync_server.db import MIGRATIONS, Database

ALLOWED = {"__future__", "alembic", "datetime", "sqlalchemy", "typing"}


def test_migrations_import_no_live_code():
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in ALLOWED, f"{path.name} imports {name}"


def _migrate(db: Database, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_records_stored_before_the_supervisor_view_get_their_facts(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    _migrate(db, "0002")
    now = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    summer_evening = "1782856800000-00000-0a1b2c3d"  # 2026-06-30 22:00 UTC: 1 July in Belgium
    row = {
        "team_id": 1,
        "owner_id": 1,
        "case_id": None,
        "rev": 1,
        "base_rev": 0,
        "device_id": "d",
        "hlc": summer_evening,
        "deleted": False,
        "key_scope": "case",
        "kv": 1,
        "fmt": 1,
        "payload": b"x",
        "received_at": now,
    }
    with db.engine.begin() as c:
        meta = sa.MetaData()
        meta.reflect(c)
        c.execute(sa.insert(meta.tables["teams"]), {"id": 1, "name": "t", "created_at": now})
        user = {"id": 1, "login": "u", "team_id": 1, "role": "outreacher", "change_seq": 0}
        c.execute(sa.insert(meta.tables["users"]), {**user, "created_at": now})
        c.execute(
            sa.insert(meta.tables["records"]),
            [
                {
                    **row,
                    "id": "n",
                    "kind": "note",
                    "meta": {"day": "2026-06-30", "domains": ["wonen"]},
                },
                {
                    **row,
                    "id": "r",
                    "kind": "right_check",
                    "meta": {"right": "x", "status": "toegekend"},
                },
                {**row, "id": "k", "kind": "case_key", "meta": {}},
                {**row, "id": "g", "kind": "note", "deleted": True, "meta": {}},
            ],
        )
    _migrate(db, "head")
    with db.engine.connect() as c:
        facts = {r.record_id: r for r in c.execute(sa.text("SELECT * FROM facts"))}
    db.dispose()
    assert set(facts) == {"n", "r"}
    assert (facts["n"].day, facts["n"].domains) == ("2026-06-30", "wonen")
    assert (facts["r"].day, facts["r"].right_id, facts["r"].status) == (
        "2026-07-01",
        "x",
        "toegekend",
    )


def test_gezinnen_stored_before_sharing_belong_to_their_worker(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    _migrate(db, "0007")
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    gezin = "0b7c2a34-1d2e-4f50-8a6b-7c8d9e0f1a2b"
    row = {
        "team_id": 1,
        "case_id": gezin,
        "rev": 1,
        "base_rev": 0,
        "device_id": "d",
        "hlc": "1782856800000-00000-0a1b2c3d",
        "deleted": False,
        "kv": 1,
        "fmt": 1,
        "payload": b"x",
        "received_at": now,
        "meta": {},
    }
    with db.engine.begin() as c:
        meta = sa.MetaData()
        meta.reflect(c)
        c.execute(sa.insert(meta.tables["teams"]), {"id": 1, "name": "t", "created_at": now})
        for user_id in (1, 2):
            user = {"id": user_id, "login": f"u{user_id}", "team_id": 1, "role": "outreacher"}
            c.execute(sa.insert(meta.tables["users"]), {**user, "change_seq": 0, "created_at": now})
        c.execute(
            sa.insert(meta.tables["records"]),
            [
                {**row, "id": gezin, "kind": "case", "owner_id": 2, "key_scope": "case"},
                {
                    **row,
                    "id": f"{gezin}.key",
                    "kind": "case_key",
                    "owner_id": 2,
                    "key_scope": "user",
                },
                {**row, "id": "m", "kind": "note", "owner_id": 1, "key_scope": "user"},
            ],
        )
    _migrate(db, "head")
    with db.engine.connect() as c:
        cases = c.execute(sa.text("SELECT id, owner_id, epoch FROM cases")).all()
        members = c.execute(sa.text("SELECT case_id, user_id FROM case_members")).all()
    db.dispose()
    assert [tuple(r) for r in cases] == [(gezin, 2, 1)]
    assert [tuple(r) for r in members] == [(gezin, 2)]
