"""What a server does with a PostgreSQL database's schema when it starts: an empty database gets
the schema, under a lock that lets any number of servers start at once; an outdated one is
refused with the way to upgrade it, unless the upgrade is asked for."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import inspect

from cardinal.domain.errors import InvalidState
from cardinal.services.schema import SchemaChange, prepare_database
from cardinal.store import database
from tests.support.databases import PostgresDatabases

pytestmark = pytest.mark.postgres


@pytest.fixture
def empty(postgres: PostgresDatabases) -> Iterator[str]:
    with postgres.fresh(migrated=False) as url:
        yield url


def revision_of(url: str) -> str | None:
    engine = database.create_database_engine(url)
    try:
        return database.current_revision(engine)
    finally:
        engine.dispose()


def test_servers_starting_at_once_on_an_empty_database_make_the_schema_once(empty: str) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        changes = list(pool.map(lambda _: prepare_database(empty, create=True), range(4)))
    assert sorted(changes, key=str) == [SchemaChange.CREATED] + [SchemaChange.NONE] * 3
    assert revision_of(empty) == database.head_revision()


def test_an_empty_database_is_left_empty_unless_creating_is_asked_for(empty: str) -> None:
    with pytest.raises(InvalidState, match="run `cardinal db upgrade`"):
        prepare_database(empty)
    engine = database.create_database_engine(empty)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_an_outdated_schema_is_refused_with_the_way_to_upgrade_unless_asked(empty: str) -> None:
    engine = database.create_database_engine(empty)
    try:
        database.upgrade(engine, "0003")
    finally:
        engine.dispose()
    with pytest.raises(InvalidState, match=r"revision 0003, not .*--upgrade"):
        prepare_database(empty, create=True)
    assert revision_of(empty) == "0003"
    assert prepare_database(empty, create=True, upgrade=True) is SchemaChange.UPGRADED
    assert revision_of(empty) == database.head_revision()
    assert prepare_database(empty) is SchemaChange.NONE
