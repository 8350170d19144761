"""The migrations build exactly the schema the tables describe, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command

from cardinal.store import database
from tests.support.databases import PostgresDatabases, sqlite_url


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        yield sqlite_url(tmp_path, migrated=False)
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres")
    with databases.fresh(migrated=False) as url:
        yield url


def test_upgrade_to_head_then_check(empty_database_url: str) -> None:
    engine = database.create_database_engine(empty_database_url)
    try:
        assert database.current_revision(engine) is None
        database.upgrade(engine)
        assert database.current_revision(engine) == database.head_revision()
        with engine.begin() as connection:
            command.check(database.alembic_config(connection))
        database.upgrade(engine)
        assert database.current_revision(engine) == database.head_revision()
    finally:
        engine.dispose()
