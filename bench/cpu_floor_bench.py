"""Server CPU per request, from /healthz to a registration: Cardinal and moto in one run.

It starts ``cardinal serve`` (open mode, SQLite in a temporary data directory, every commit
durable) and moto's server (in memory), both on 127.0.0.1 and stopped by their PIDs, and from
one client over a kept-alive connection sends ``--calls`` requests of each kind after 50 untimed
ones, reading each server's user + system CPU time before and after:

* ``GET /healthz`` (Cardinal only): answered on the event loop, no worker thread, no database:
  what the HTTP server, Starlette and the access log cost a request;
* DescribeModelPackageGroup through boto3: a signed request, one worker thread, one read;
* CreateModelPackage through boto3: the same, with a durable write and its audit event.

The goal "server CPU per registration 3x less than moto's" can be read against these rows.

    .venv/bin/python bench/cpu_floor_bench.py [--calls 1000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx
from writes_vs_moto_bench import SPEC, Server, client, start_cardinal, start_moto

GROUP = "floor-group"


def cpu_per_call(server: Server, call: Callable[[], object], calls: int) -> float:
    """Milliseconds of the server's CPU per call, after 50 untimed calls."""
    for _ in range(50):
        call()
    before = server.cpu_seconds()
    for _ in range(calls):
        call()
    return (server.cpu_seconds() - before) * 1000 / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="timed calls of each kind")
    args = parser.parse_args()
    rows: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as directory:
        data = Path(directory)
        cardinal = start_cardinal(f"sqlite:///{data / 'cardinal.db'}", data, 1)
        moto = start_moto(data)
        try:
            with httpx.Client() as plain:
                health = f"{cardinal.url}/healthz"
                rows["GET /healthz"] = {
                    "cardinal": cpu_per_call(cardinal, lambda: plain.get(health), args.calls)
                }
            describe, register = "DescribeModelPackageGroup", "CreateModelPackage"
            rows[describe], rows[register] = {}, {}
            for server in (cardinal, moto):
                sagemaker = client(server.url)
                sagemaker.create_model_package_group(ModelPackageGroupName=GROUP)
                rows[describe][server.name] = cpu_per_call(
                    server,
                    lambda s=sagemaker: s.describe_model_package_group(ModelPackageGroupName=GROUP),
                    args.calls,
                )
                rows[register][server.name] = cpu_per_call(
                    server,
                    lambda s=sagemaker: s.create_model_package(
                        ModelPackageGroupName=GROUP, InferenceSpecification=SPEC
                    ),
                    args.calls,
                )
        finally:
            cardinal.stop()
            moto.stop()
    print("| request | Cardinal CPU ms | moto CPU ms | Cardinal / moto |")
    print("|---|---:|---:|---:|")
    for name, row in rows.items():
        ours, theirs = row["cardinal"], row.get("moto")
        ratio = "-" if theirs is None else f"{ours / theirs:.2f}"
        shown = "-" if theirs is None else f"{theirs:.3f}"
        print(f"| {name} | {ours:.3f} | {shown} | {ratio} |")
    print(f"\nload average afterwards {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
