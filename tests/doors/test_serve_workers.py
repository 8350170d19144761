"""`cardinal serve --workers N` on both backends: N processes answer on one port, concurrent
writers through them leave no gaps and a trail that verifies, and stopping the server stops
every process."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.server import RunningServer, start_server

STARTED = re.compile(r"Started server process \[(\d+)\]")


def _started(server: RunningServer, count: int) -> list[int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = [int(p) for p in STARTED.findall(server.log.read_text())]
        if len(pids) >= count:
            return pids
        time.sleep(0.1)
    raise AssertionError(f"{count} processes did not start:\n{server.log.read_text()}")


def _alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()


def test_workers_share_the_port_and_stop_together(database_url: str, tmp_path: Path) -> None:
    server = start_server(database_url, tmp_path / "server", extra_args=["--workers", "2"])
    try:
        pids = _started(server, 2)
        assert len(set(pids)) == 2
        assert server.process.pid not in pids
        assert "2 server processes." in server.log.read_text()
        api = f"{server.url}/api/v1"
        assert httpx.post(f"{api}/groups", json={"name": "churn"}).status_code == 201

        def register(_: int) -> int:
            # A new connection each time, so the kernel hands them to either process.
            made = httpx.post(f"{api}/groups/churn/versions", json={}, timeout=60)
            assert made.status_code == 201, made.text
            return int(made.json()["version"])

        with ThreadPoolExecutor(8) as pool:
            versions = sorted(pool.map(register, range(40)))
        assert versions == list(range(1, 41))
        verified = httpx.post(f"{api}/verify", timeout=120).json()
        assert verified["ok"], verified["breaks"]
    finally:
        server.stop()
    deadline = time.monotonic() + 15
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in pids if _alive(p)], "a server process outlived the server"


def test_workers_must_be_at_least_one(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="--workers"):
        start_server(f"sqlite:///{tmp_path / 'c.db'}", tmp_path, extra_args=["--workers", "0"])
