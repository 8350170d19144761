"""How Cardinal configures every SQLite connection it opens."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from cardinal.store.database import create_database_engine
from tests.support.databases import sqlite_url


def test_every_sqlite_connection_syncs_each_commit_in_wal_mode(tmp_path: Path) -> None:
    engine = create_database_engine(sqlite_url(tmp_path))
    try:
        for _ in range(3):
            with engine.connect() as connection:
                assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
                assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()
