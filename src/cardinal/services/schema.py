"""Bringing a database's schema up to date, and checking it before serving.

SQLite, the embedded default, is migrated whenever Cardinal opens it. A PostgreSQL database is
migrated only by an explicit `cardinal db upgrade` (several servers may share it), and Cardinal
refuses to run on one whose schema is behind.
"""

from __future__ import annotations

from cardinal.domain.errors import InvalidState
from cardinal.store import database


def upgrade_schema(url: str) -> tuple[str | None, str | None]:
    """Apply every migration the database has not had; the revisions before and after."""
    engine = database.create_database_engine(url)
    try:
        before = database.current_revision(engine)
        database.upgrade(engine)
        return before, database.current_revision(engine)
    finally:
        engine.dispose()


def prepare_database(url: str) -> None:
    """Migrate an SQLite database; refuse a PostgreSQL one whose schema is not current."""
    if database.is_sqlite(url):
        upgrade_schema(url)
        return
    engine = database.create_database_engine(url)
    try:
        current, head = database.current_revision(engine), database.head_revision()
    finally:
        engine.dispose()
    if current != head:
        raise InvalidState(
            f"The database schema is at revision {current or 'none'}, not {head}: "
            "run `cardinal db upgrade` first."
        )
