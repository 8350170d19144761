"""The servers races run against: one on SQLite, two processes sharing PostgreSQL.

They are started once per module and backend; each race works on resources of its own names.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import BACKENDS
from tests.races.support import Servers
from tests.support.databases import PostgresDatabases, sqlite_url
from tests.support.server import RunningServer, start_server


@pytest.fixture(scope="module", params=BACKENDS)
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Servers]:
    directory = tmp_path_factory.mktemp(f"races-{request.param}")
    if request.param == "sqlite":
        yield from _serve(sqlite_url(directory), directory, count=1)
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres")
    with databases.fresh() as url:
        yield from _serve(url, directory, count=2)


def _serve(url: str, directory: Path, *, count: int) -> Iterator[Servers]:
    running: list[RunningServer] = []
    try:
        for i in range(count):
            running.append(start_server(url, directory / f"server-{i}"))
        yield Servers(running, url)
    finally:
        for server in running:
            server.stop()
