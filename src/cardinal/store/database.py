"""Connecting to the database: engines for SQLite and PostgreSQL, and schema migrations.

SQLite runs in WAL mode with foreign keys on and a busy timeout; a write transaction starts
with ``BEGIN IMMEDIATE`` so that concurrent writers in several processes queue for the write
lock instead of failing when a read lock cannot be upgraded. Writers to one SQLite file take
turns (:func:`writers_turn`: a lock of the process, then a file lock beside the database shared
with other processes) before they ask SQLite for its write lock: a waiting writer then starts
the moment the one before commits, where SQLite's busy handler would have it sleep and retry, up
to 100 ms at a time, and let later writers in first (seconds-long tails with a dozen writers). ``synchronous=FULL`` makes SQLite
sync the log at every commit, so a commit that was acknowledged survives a power loss or an
operating-system crash (``NORMAL`` would be faster but may drop the last commits then).
PostgreSQL uses psycopg 3.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.engine.url import make_url

try:
    import fcntl
except ImportError:  # not POSIX: writers in other processes wait in SQLite's busy handler
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from alembic.config import Config

WRITE_OPTION = "cardinal_write"
SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_SYNCHRONOUS = "FULL"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_database_engine(url: str, *, pool_size: int = 10) -> Engine:
    url = normalise_url(url)
    if is_sqlite(url):
        return _sqlite_engine(url)
    return create_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, future=True
    )


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        pool_size=16,
        max_overflow=16,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class WritersTurn:
    """The turn of one SQLite file's writers: a lock of the process, handed to waiting writers
    in the order they asked (a writer that just committed cannot take the turn again ahead of
    them) and re-entrant for its holder; then, at the outermost entry, an exclusive ``flock`` on
    the file's ``-writers`` lock file, so writers in other processes on the same file (``serve
    --workers``, the CLI beside a server) take turns too. The kernel wakes a waiter when the
    lock is released, where SQLite's busy handler would sleep and retry. Without ``fcntl`` (not
    POSIX) the process's lock alone is held."""

    def __init__(self, lock_file: Path | None) -> None:
        self._guard = threading.Lock()
        self._holder: int | None = None
        self._waiting: deque[tuple[int, threading.Lock]] = deque()
        self._depth = 0
        self._lock_file = lock_file
        self._fd: int | None = None
        self._pid = os.getpid()

    @property
    def waiting(self) -> int:
        """How many writers of this process wait for the turn."""
        return len(self._waiting)

    def _descriptor(self) -> int | None:
        if self._lock_file is None or fcntl is None:
            return None
        if self._fd is None or self._pid != os.getpid():
            # A forked child must not share its parent's open file (and so its lock).
            self._fd = os.open(self._lock_file, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def __enter__(self) -> None:
        me = threading.get_ident()
        with self._guard:
            if self._holder == me:
                self._depth += 1
                return
            ticket: threading.Lock | None = None
            if self._holder is None:
                self._holder = me
            else:
                ticket = threading.Lock()
                ticket.acquire()
                self._waiting.append((me, ticket))
        if ticket is not None:
            self._wait_for(ticket, me)
        try:
            descriptor = self._descriptor()
            if descriptor is not None and fcntl is not None:
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            self._depth = 1
        except BaseException:
            self._hand_over()
            raise

    def _wait_for(self, ticket: threading.Lock, me: int) -> None:
        """Block until the holder hands the turn to this thread (it releases ``ticket``)."""
        try:
            ticket.acquire()
        except BaseException:  # interrupted: leave the queue, or pass on a turn just received
            with self._guard:
                if (me, ticket) in self._waiting:
                    self._waiting.remove((me, ticket))
                    raise
            self._hand_over()
            raise

    def __exit__(self, *exc_info: object) -> None:
        self._depth -= 1
        if self._depth:
            return
        try:
            if self._fd is not None and fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._hand_over()

    def _hand_over(self) -> None:
        with self._guard:
            if self._waiting:
                self._holder, ticket = self._waiting.popleft()
                ticket.release()
            else:
                self._holder = None


_TURNS: dict[str, WritersTurn] = {}
_TURNS_GUARD = threading.Lock()


def writers_turn(engine: Engine) -> AbstractContextManager[Any]:
    """What a write transaction holds: for an SQLite file, its :class:`WritersTurn` (one per file
    in a process, shared by every engine on it); for PostgreSQL, nothing (its row locks order
    writers)."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        key, lock_file = str(id(engine)), None
    else:
        path = Path(database).resolve()
        key, lock_file = str(path), path.with_name(path.name + "-writers")
    with _TURNS_GUARD:
        return _TURNS.setdefault(key, WritersTurn(lock_file))


def alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "cardinal.store:migrations")
    config.attributes["connection"] = connection
    return config


# The key of the PostgreSQL advisory lock held while a schema is checked or migrated ("Crdl").
SCHEMA_LOCK_KEY = 0x4372646C


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Hold PostgreSQL's advisory lock on the schema: servers starting at once, and `cardinal db
    upgrade`, take turns. SQLite needs none (a migration takes its write lock)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY})
            connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (all migrations by default)."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    with create_engine("sqlite://").connect() as connection:
        return ScriptDirectory.from_config(alembic_config(connection)).get_current_head()
