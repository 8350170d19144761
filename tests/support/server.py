"""A real `cardinal serve` process on a free port, for tests that talk to Cardinal over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    data_dir: Path
    # The SigV4 key clients sign with when authentication is on: (access key id, secret).
    credentials: tuple[str, str] | None = None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(
    database_url: str,
    data_dir: Path,
    *,
    extra_env: dict[str, str] | None = None,
    extra_args: list[str] | None = None,
) -> RunningServer:
    """A server in open mode unless ``extra_env`` sets CARDINAL_AUTH=on."""
    port = free_port()
    log = data_dir / f"server-{port}.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CARDINAL_AUTH": "off", **(extra_env or {})}
    env.pop("CARDINAL_DATABASE_URL", None)
    command = [
        sys.executable, "-m", "cardinal", "serve",
        "--port", str(port),
        "--data-dir", str(data_dir),
        "--database-url", database_url,
        *(extra_args or []),
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    server = RunningServer(
        url=f"http://127.0.0.1:{port}", process=process, log=log, data_dir=data_dir
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"cardinal serve exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"cardinal serve did not start in 30 s:\n{log.read_text()}")


@contextmanager
def sqlite_server(data_dir: Path) -> Iterator[RunningServer]:
    """A server on a new SQLite store in ``data_dir``, stopped on leaving."""
    running = start_server(f"sqlite:///{data_dir / 'cardinal.db'}", data_dir)
    try:
        yield running
    finally:
        running.stop()
