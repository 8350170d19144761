"""How long `cardinal` takes to answer: `--version`, `--help`, and commands against a server.

It starts a real ``cardinal serve`` (open mode, SQLite in a temporary data directory, 127.0.0.1
only, stopped by its PID), registers one model version with an approved card, then runs each
command ``--runs`` times as a new process (the way a CI job runs it) and prints the median, the
fastest and the slowest wall time in milliseconds, and the load average, since the machine is
shared. `python -c pass` is timed the same way, as the floor of any Python command.

Each command runs first once untimed with Python allowed to cache bytecode, so the timed runs
find every module compiled, as after `pip install` (which compiles) or any earlier run. The last
column times the same command with no bytecode at all (an empty ``PYTHONPYCACHEPREFIX`` and
``PYTHONDONTWRITEBYTECODE=1``): what every run costs on an install that was not compiled, in an
environment that forbids caching it.

    .venv/bin/python bench/cli_start_bench.py
    .venv/bin/python bench/cli_start_bench.py --runs 21
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HOST = "127.0.0.1"
CARDINAL = str(Path(sys.executable).with_name("cardinal"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def timed(command: list[str], env: dict[str, str], runs: int, ok: tuple[int, ...]) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, check=False)
        times.append((time.perf_counter() - started) * 1000)
        if done.returncode not in ok:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr!r}")
    return times


def seed(url: str) -> None:
    api = f"{url}/api/v1"
    with httpx.Client(base_url=api, timeout=30) as client:
        client.post("/groups", json={"name": "churn"}).raise_for_status()
        arn = client.post("/groups/churn/versions", json={}).json()["arn"]
        content = {"model_package_details": {"model_package_arn": arn}}
        client.post("/cards", json={"name": "churn-1", "content": content}).raise_for_status()
        client.put("/cards/churn-1/status", json={"status": "Approved"}).raise_for_status()
        client.post("/groups/churn/versions/1/approve", json={}).raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        port = free_port()
        url = f"http://{HOST}:{port}"
        env = {**os.environ, "CARDINAL_AUTH": "off", "CARDINAL_DATA_DIR": directory}
        env.pop("CARDINAL_DATABASE_URL", None)
        log = Path(directory) / "server.log"
        with log.open("wb") as out:
            server = subprocess.Popen(
                [CARDINAL, "serve", "--port", str(port)], env=env, stdout=out, stderr=out
            )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"the server did not start:\n{log.read_text()}")
                time.sleep(0.1)
            seed(url)
            client_env = {**env, "CARDINAL_ENDPOINT": url}
            client_env.pop("PYTHONDONTWRITEBYTECODE", None)
            uncompiled_env = {
                **client_env,
                "PYTHONDONTWRITEBYTECODE": "1",
                "PYTHONPYCACHEPREFIX": str(Path(directory) / "no-bytecode"),
            }
            cases = [
                ("python -c pass", [sys.executable, "-c", "pass"], (0,)),
                ("cardinal --version", [CARDINAL, "--version"], (0,)),
                ("cardinal --help", [CARDINAL, "--help"], (0,)),
                ("cardinal gate churn/1 (server)", [CARDINAL, "gate", "churn/1"], (0,)),
                (
                    "cardinal card show churn-1 (server)",
                    [CARDINAL, "card", "show", "churn-1"],
                    (0,),
                ),
                ("cardinal group list (server)", [CARDINAL, "group", "list"], (0,)),
            ]
            print(f"{args.runs} runs each; load average {os.getloadavg()[0]:.2f}")
            print(f"{'command':40} {'median ms':>10} {'min':>7} {'max':>7} {'no bytecode':>12}")
            for name, command, ok in cases:
                timed(command, client_env, 1, ok)
                times = timed(command, client_env, args.runs, ok)
                uncompiled = timed(command, uncompiled_env, args.runs, ok)
                print(
                    f"{name:40} {statistics.median(times):10.0f} {min(times):7.0f} "
                    f"{max(times):7.0f} {statistics.median(uncompiled):12.0f}"
                )
            print(f"load average afterwards {os.getloadavg()[0]:.2f}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
