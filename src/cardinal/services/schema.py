"""Bringing a database's schema up to date, and checking it before serving.

SQLite, the embedded default, is migrated whenever Cardinal opens it. A PostgreSQL database may
be shared by several servers: a server starting on an empty one creates the schema, and any
other refuses to run on a schema that is behind unless it is asked to upgrade it (`cardinal db
upgrade`, or `cardinal serve --upgrade`). Both happen under an advisory lock, so servers that
start at once take turns and one of them does the work.
"""

from __future__ import annotations

from enum import StrEnum

from cardinal.domain.errors import InvalidState
from cardinal.store import database


class SchemaChange(StrEnum):
    NONE = "none"
    CREATED = "created"
    UPGRADED = "upgraded"


def upgrade_schema(url: str) -> tuple[str | None, str | None]:
    """Apply every migration the database has not had; the revisions before and after."""
    engine = database.create_database_engine(url)
    try:
        with database.schema_lock(engine):
            before = database.current_revision(engine)
            database.upgrade(engine)
            return before, database.current_revision(engine)
    finally:
        engine.dispose()


def prepare_database(url: str, *, create: bool = False, upgrade: bool = False) -> SchemaChange:
    """Migrate an SQLite database. On PostgreSQL, create the schema in an empty database if
    ``create``, migrate an outdated one if ``upgrade``, and refuse one that is not current
    otherwise (InvalidState, saying how to upgrade it)."""
    if database.is_sqlite(url):
        before, after = upgrade_schema(url)
        if before == after:
            return SchemaChange.NONE
        return SchemaChange.CREATED if before is None else SchemaChange.UPGRADED
    engine = database.create_database_engine(url)
    try:
        with database.schema_lock(engine):
            current, head = database.current_revision(engine), database.head_revision()
            if current == head:
                return SchemaChange.NONE
            if current is None and create:
                database.upgrade(engine)
                return SchemaChange.CREATED
            if current is not None and upgrade:
                database.upgrade(engine)
                return SchemaChange.UPGRADED
    finally:
        engine.dispose()
    if current is None:
        raise InvalidState(
            "The database has no Cardinal schema: run `cardinal db upgrade` first (`cardinal "
            "serve` creates it in an empty database)."
        )
    raise InvalidState(
        f"The database schema is at revision {current}, not {head}: run `cardinal db upgrade` "
        "first, or start the server with --upgrade."
    )
