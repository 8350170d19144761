"""How Cardinal configures every SQLite connection it opens."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import text

from cardinal.store.database import WritersTurn, create_database_engine, writers_turn
from cardinal.store.unit_of_work import Store, UnitOfWork
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


def test_writers_to_one_file_take_turns_in_the_process(tmp_path: Path) -> None:
    """A write waits for the writer before it in this process (on a lock shared by every engine
    on the file), not in SQLite's busy handler."""
    first = Store(create_database_engine(sqlite_url(tmp_path)))
    second = Store(create_database_engine(sqlite_url(tmp_path)))
    other = Store(create_database_engine(sqlite_url(tmp_path / "other")))
    held = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def slow(uow: UnitOfWork) -> None:
        order.append("first begins")
        held.set()
        release.wait(10)
        order.append("first commits")

    def quick(uow: UnitOfWork) -> None:
        order.append("second begins")

    try:
        writer = threading.Thread(target=lambda: first.write(slow, audited=False))
        writer.start()
        held.wait(10)
        waiting = threading.Thread(target=lambda: second.write(quick, audited=False))
        waiting.start()
        other.write(lambda uow: order.append("another file"), audited=False)
        waiting.join(0.3)
        assert waiting.is_alive()  # its turn comes after the first writer's
        release.set()
        writer.join(10)
        waiting.join(10)
        assert order == ["first begins", "another file", "first commits", "second begins"]
    finally:
        release.set()
        for store in (first, second, other):
            store.engine.dispose()


def test_writers_in_the_process_get_the_turn_in_the_order_they_asked(tmp_path: Path) -> None:
    """The turn is handed over first come, first served: a writer that has just committed asks
    again behind those already waiting, and cannot take the turn back ahead of them."""
    engine = create_database_engine(sqlite_url(tmp_path))
    turn = writers_turn(engine)
    assert isinstance(turn, WritersTurn)
    order: list[str] = []

    def writer(name: str) -> None:
        with turn:
            order.append(name)

    try:
        waiting: list[threading.Thread] = []
        with turn:
            for name in ("second", "third", "fourth"):
                thread = threading.Thread(target=writer, args=(name,))
                thread.start()
                waiting.append(thread)
                deadline = time.monotonic() + 10
                while turn.waiting < len(waiting) and time.monotonic() < deadline:
                    time.sleep(0.001)
            order.append("first")
        with turn:  # asks again at once, while the others are still being woken
            order.append("first again")
        for thread in waiting:
            thread.join(10)
        assert order == ["first", "second", "third", "fourth", "first again"]
    finally:
        engine.dispose()


def test_the_holder_of_the_turn_may_take_it_again(tmp_path: Path) -> None:
    engine = create_database_engine(sqlite_url(tmp_path))
    turn = writers_turn(engine)
    try:
        with turn, turn:
            pass
        done = threading.Event()
        other = threading.Thread(target=lambda: (turn.__enter__(), done.set(), turn.__exit__()))
        other.start()
        other.join(10)
        assert done.is_set()  # the nested entries released the turn entirely
    finally:
        engine.dispose()


_WRITER_IN_ANOTHER_PROCESS = """
import sys, time
from sqlalchemy import text
from cardinal.store.database import create_database_engine
from cardinal.store.unit_of_work import Store

store = Store(create_database_engine(sys.argv[1]))
print(time.time(), flush=True)
store.write(lambda uow: uow.connection.execute(text("INSERT INTO marks VALUES ('other')")), audited=False)
print(time.time(), flush=True)
"""


def test_a_writer_in_another_process_waits_for_the_turn_held_here(tmp_path: Path) -> None:
    """The writers' turn of a file is shared with other processes (a file lock beside the
    database): while this process holds it, even with no SQLite transaction open, a writer in
    another process waits, and it writes as soon as the turn is released."""
    url = sqlite_url(tmp_path)
    engine = create_database_engine(url)
    Store(engine).write(
        lambda uow: uow.connection.execute(text("CREATE TABLE marks (who TEXT)")), audited=False
    )
    try:
        with writers_turn(engine):
            other = subprocess.Popen(
                [sys.executable, "-c", _WRITER_IN_ANOTHER_PROCESS, url],
                stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            assert other.stdout is not None
            asked = float(other.stdout.readline())
            time.sleep(1.0)
            assert other.poll() is None  # still waiting for the turn
            released = time.time()
        written = float(other.stdout.readline())
        assert other.wait(30) == 0
        other.stdout.close()
        assert asked < released <= written
        with engine.connect() as connection:
            assert connection.execute(text("SELECT who FROM marks")).scalars().all() == ["other"]
    finally:
        engine.dispose()
