"""Test databases: a fresh SQLite file, or a fresh PostgreSQL database cloned from a migrated template."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from cardinal.store import database

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str:
    return os.environ.get("CARDINAL_TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)


def _libpq(url: str, dbname: str | None = None) -> str:
    parsed = make_url(url)
    if dbname is not None:
        parsed = parsed.set(database=dbname)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def postgres_available() -> str | None:
    """None when the PostgreSQL test server answers, else why not."""
    try:
        with psycopg.connect(_libpq(postgres_admin_url()), connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL at {make_url(postgres_admin_url()).render_as_string()}: {error}"


class PostgresDatabases:
    """Creates databases on the test server; each test gets its own, dropped afterwards."""

    def __init__(self) -> None:
        self.admin = postgres_admin_url()
        self.template = f"cardinal_tpl_{uuid.uuid4().hex[:10]}"
        self._execute(f'CREATE DATABASE "{self.template}"')
        engine = database.create_database_engine(self.url(self.template))
        database.upgrade(engine)
        engine.dispose()

    def url(self, name: str) -> str:
        return make_url(self.admin).set(database=name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        with psycopg.connect(_libpq(self.admin), autocommit=True) as connection:
            connection.execute(statement)  # type: ignore[arg-type]

    @contextmanager
    def fresh(self, *, migrated: bool = True) -> Iterator[str]:
        name = f"cardinal_t_{uuid.uuid4().hex[:12]}"
        template = f' TEMPLATE "{self.template}"' if migrated else ""
        self._execute(f'CREATE DATABASE "{name}"{template}')
        try:
            yield self.url(name)
        finally:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')


def sqlite_url(directory: Path, *, migrated: bool = True) -> str:
    url = f"sqlite:///{directory / 'cardinal.db'}"
    if migrated:
        engine = database.create_database_engine(url)
        database.upgrade(engine)
        engine.dispose()
    return url


def module_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, stack: ExitStack
) -> str:
    """A fresh, migrated database of the backend in ``request.param`` for a module-scoped
    fixture; a PostgreSQL one is dropped when ``stack`` closes."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path_factory.mktemp("db"))
    databases: PostgresDatabases = request.getfixturevalue("postgres")
    return stack.enter_context(databases.fresh())
