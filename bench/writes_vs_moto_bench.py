"""Registrations through boto3: Cardinal against moto's in-memory server, in one run.

It starts a real ``cardinal serve`` (open mode, or with ``--auth on`` authentication on and every
call signed with an access key the benchmark makes first; SQLite in a temporary data directory,
or a fresh PostgreSQL database on the local server; every commit durable) and moto's server
(``python -m moto.server``: in memory, nothing durable), both on free 127.0.0.1 ports and
stopped by their PIDs, and sends the same CreateModelPackage calls to each, into one fresh
model package group:

* 1 client: ``--registrations`` calls one after another over one kept-alive connection;
* ``--processes`` client processes (each its own boto3 client and connection), sharing
  ``--registrations`` calls and starting together.

For each it reports registrations per second (over the wall time), latency p50 / p99 / max, and
the server's CPU time per registration (user + system, read from /proc before and after, the
server's worker processes included), then the ratios Cardinal / moto. Afterwards Cardinal's
versions must be exactly 1..N (no gap, no duplicate), or the run fails.

    .venv/bin/python bench/writes_vs_moto_bench.py
    .venv/bin/python bench/writes_vs_moto_bench.py --backend postgresql --registrations 2000
    .venv/bin/python bench/writes_vs_moto_bench.py --auth on
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import httpx
import psycopg
from botocore.config import Config

HOST = "127.0.0.1"
REGION = "us-east-1"
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
CONTAINERS = [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"}]
SPEC = {
    "Containers": CONTAINERS,
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]

    def cpu_seconds(self) -> float:
        """User + system time of the server and its live children (uvicorn's workers)."""
        return cpu_seconds(self.process.pid, *_children(self.process.pid))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def cpu_seconds(*pids: int) -> float:
    """User + system CPU time the live processes ``pids`` have used so far (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def wait_until_up(server: Server, probe: str, log: Path) -> Server:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited early:\n{log.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{server.url}{probe}", timeout=1).status_code < 500:
                return server
        time.sleep(0.1)
    server.stop()
    raise SystemExit(f"{server.name} did not start:\n{log.read_text()}")


def start_cardinal(database_url: str, data_dir: Path, workers: int, auth: bool = False) -> Server:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARDINAL_")}
    env["CARDINAL_AUTH"] = "on" if auth else "off"
    env["CARDINAL_DATA_DIR"] = str(data_dir)
    if auth:
        issue_access_key(database_url, env)
    log = data_dir / "cardinal.log"
    command = [
        sys.executable, "-m", "cardinal", "serve", "--host", HOST, "--port", str(port),
        "--data-dir", str(data_dir), "--database-url", database_url, "--workers", str(workers),
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    return wait_until_up(Server("cardinal", f"http://{HOST}:{port}", process), "/healthz", log)


def issue_access_key(database_url: str, env: dict[str, str]) -> None:
    """An admin with an access key on the store, set as this process's AWS credentials, which
    the client processes inherit (moto takes any)."""
    local = [sys.executable, "-m", "cardinal"]
    where = ["--database-url", database_url]
    for command in (
        [*local, "db", "upgrade", *where],
        [*local, "users", "create", "bench", "--role", "admin", *where],
    ):
        subprocess.run(command, env=env, check=True, capture_output=True)
    issued = subprocess.run(
        [*local, "keys", "create", "bench", "--output", "json", *where],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    key = json.loads(issued.stdout)
    os.environ["AWS_ACCESS_KEY_ID"] = key["access_key_id"]
    os.environ["AWS_SECRET_ACCESS_KEY"] = key["secret_access_key"]


def start_moto(data_dir: Path) -> Server:
    port = free_port()
    log = data_dir / "moto.log"
    command = [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    return wait_until_up(Server("moto", f"http://{HOST}:{port}", process), "/moto-api/", log)


def client(endpoint: str) -> Any:
    return boto3.session.Session().client(
        "sagemaker",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "bench"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "bench"),
        config=Config(retries={"max_attempts": 1}, read_timeout=120),
    )


def register(sagemaker: Any, group: str, count: int) -> list[float]:
    """Latencies in ms of ``count`` registrations into ``group``."""
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        sagemaker.create_model_package(
            ModelPackageGroupName=group,
            InferenceSpecification=SPEC,
            ModelApprovalStatus="PendingManualApproval",
        )
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def start_together(processes: list[Any], ready: Any, start: Any) -> None:
    """Start the client processes and return once every one has imported boto3 and connected
    (each puts one item on ``ready``), so the clock starts with all of them waiting on
    ``start``: on two CPUs, sixteen processes importing boto3 take several seconds."""
    for process in processes:
        process.start()
    for _ in processes:
        problem = ready.get(timeout=600)
        if problem is not None:
            start.set()
            raise SystemExit(f"a client process could not start: {problem}")


def connected_client(endpoint: str, ready: Any, start: Any) -> Any | None:
    """In a client process: a boto3 client with its connection open, returned once the parent
    has seen every process report on ``ready`` and set ``start``; None (reported) if it could
    not connect."""
    try:
        sagemaker = client(endpoint)
        sagemaker.list_model_package_groups(MaxResults=1)  # the connection, before the clock
    except Exception as error:
        ready.put(f"{type(error).__name__}: {error}")
        return None
    ready.put(None)
    start.wait()
    return sagemaker


def _process(endpoint: str, group: str, count: int, ready: Any, start: Any, out: Any) -> None:
    sagemaker = connected_client(endpoint, ready, start)
    if sagemaker is None:
        return
    try:
        out.put(register(sagemaker, group, count))
    except Exception as error:  # the parent reports it and stops
        out.put(f"{type(error).__name__}: {error}")


@dataclass
class Result:
    rate: float
    p50: float
    p99: float
    worst: float
    cpu_ms: float


def measure(server: Server, clients: int, registrations: int) -> Result:
    group = f"bench-{uuid.uuid4().hex[:8]}"
    setup = client(server.url)
    setup.create_model_package_group(ModelPackageGroupName=group)
    if clients == 1:
        setup.list_model_package_groups(MaxResults=1)
        cpu = server.cpu_seconds()
        started = time.perf_counter()
        latencies = register(setup, group, registrations)
    else:
        context = multiprocessing.get_context("spawn")
        ready, start, out = context.Queue(), context.Event(), context.Queue()
        share = registrations // clients
        processes = [
            context.Process(target=_process, args=(server.url, group, share, ready, start, out))
            for _ in range(clients)
        ]
        start_together(processes, ready, start)
        cpu = server.cpu_seconds()
        started = time.perf_counter()
        start.set()
        answers = [out.get(timeout=900) for _ in processes]
        failed = [a for a in answers if isinstance(a, str)]
        if failed:
            raise SystemExit(f"a client of {server.name} failed: {failed[0]}")
        latencies = [ms for answer in answers for ms in answer]
        for process in processes:
            process.join()
    wall = time.perf_counter() - started
    cpu = server.cpu_seconds() - cpu
    if server.name == "cardinal":
        check_versions(setup, group, len(latencies))
    ordered = sorted(latencies)
    return Result(
        rate=len(latencies) / wall,
        p50=statistics.median(ordered),
        p99=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        worst=ordered[-1],
        cpu_ms=cpu * 1000 / len(latencies),
    )


def check_versions(sagemaker: Any, group: str, count: int) -> None:
    versions: list[int] = []
    for page in sagemaker.get_paginator("list_model_packages").paginate(
        ModelPackageGroupName=group
    ):
        versions += [s["ModelPackageVersion"] for s in page["ModelPackageSummaryList"]]
    if sorted(versions) != list(range(1, count + 1)):
        raise SystemExit(f"versions of {group} are not 1..{count}: a gap or a duplicate")


@contextlib.contextmanager
def database(backend: str, directory: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'cardinal.db'}"
        return
    name = f"cardinal_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--registrations", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="cardinal serve --workers")
    parser.add_argument(
        "--auth", choices=["off", "on"], default="off", help="Cardinal's authentication"
    )
    args = parser.parse_args()
    os.environ.pop("AWS_ACCESS_KEY_ID", None)
    os.environ.pop("AWS_SECRET_ACCESS_KEY", None)
    with tempfile.TemporaryDirectory() as directory, database(args.backend, Path(directory)) as url:
        cardinal = start_cardinal(url, Path(directory), args.workers, args.auth == "on")
        moto = start_moto(Path(directory))
        try:
            print(
                f"backend {args.backend}, authentication {args.auth}, "
                f"cardinal serve --workers {args.workers}, "
                f"{args.registrations} registrations per setting, "
                f"load average {os.getloadavg()[0]:.2f}\n"
            )
            print(
                "| clients | server | registrations/s | p50 ms | p99 ms | max ms | server CPU ms/registration |"
            )
            print("|---|---|---:|---:|---:|---:|---:|")
            for clients in (1, args.processes):
                results = {
                    s.name: measure(s, clients, args.registrations) for s in (cardinal, moto)
                }
                for name, r in results.items():
                    print(
                        f"| {clients} | {name} | {r.rate:.0f} | {r.p50:.1f} | {r.p99:.1f} | "
                        f"{r.worst:.1f} | {r.cpu_ms:.2f} |"
                    )
                c, m = results["cardinal"], results["moto"]
                print(
                    f"| {clients} | cardinal / moto | {c.rate / m.rate:.2f} | {c.p50 / m.p50:.2f} | "
                    f"{c.p99 / m.p99:.2f} | {c.worst / m.worst:.2f} | {c.cpu_ms / m.cpu_ms:.2f} |"
                )
            print(f"\nload average afterwards {os.getloadavg()[0]:.2f}")
        finally:
            cardinal.stop()
            moto.stop()


if __name__ == "__main__":
    main()
