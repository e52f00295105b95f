"""The migrations build exactly the tables the models describe, on SQLite and PostgreSQL:
a model change without its migration fails here, not on an organisation's server."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from sync_server.db import Database, upgrade
from sync_server.models import Base


def test_migrations_match_the_models(db_url):
    db = Database(db_url)
    upgrade(db.engine)
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    db.dispose()
    assert differences == []
