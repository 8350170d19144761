"""The ``cli`` fixture: `cardinal` against a running server, and against a local store, on
each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import Cli
from tests.support.server import start_server


@pytest.fixture(params=["server", "local"])
def cli(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Iterator[Cli]:
    files = tmp_path / "files"
    files.mkdir()
    if request.param == "local":
        data_dir = tmp_path / "local"
        yield Cli(["--database-url", database_url, "--data-dir", str(data_dir)], files, data_dir)
        return
    running = start_server(database_url, tmp_path / "server")
    try:
        yield Cli(["--endpoint", running.url], files, running.data_dir)
    finally:
        running.stop()
