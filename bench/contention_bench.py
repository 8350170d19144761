"""Sixteen writers on one model package group and one model card, with 1, 2 or 4 servers.

It starts ``cardinal serve --workers N`` (open mode; SQLite in a temporary data directory, or a
fresh PostgreSQL database on the local server; every commit durable) for each N asked, on a free
127.0.0.1 port, stopped by its PID. ``--writers`` client processes (each its own boto3 client and
connection) start together; each makes ``--calls`` calls, alternating a CreateModelPackage into
the one group and an UpdateModelCard giving the one card new content, so every call waits for
the same rows as every other writer's.

For each N it reports calls per second, latency p50 / p99 / max (all calls, and each kind), and
errors. Afterwards the group's versions must be exactly 1..R for R registrations and the card's
versions exactly 1..U+1 for U content updates (no gap, no duplicate, nothing lost), or the run
fails. The steady-state columns leave out each writer's first and last ``--edge`` calls (5): the
writers start together, so their first calls queue on the group at once, on servers whose
caches are cold, and their last calls (all card updates) queue on the card at once. With
``--linked-card`` the card documents a version registered first (as a card does that a
registry's approval reads), and every update keeps that link; the group's versions are then
1..R+1.

    .venv/bin/python bench/contention_bench.py
    .venv/bin/python bench/contention_bench.py --backend postgresql --servers 1 2 4
    .venv/bin/python bench/contention_bench.py --backend postgresql --servers 4 --linked-card
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from writes_vs_moto_bench import (
    SPEC,
    client,
    connected_client,
    database,
    start_cardinal,
    start_together,
)

CARD = "contended-card"
GROUP = "contended-group"


def _card_content(description: str, link: str | None) -> str:
    content: dict[str, Any] = {"model_overview": {"model_description": description}}
    if link is not None:
        content["model_package_details"] = {"model_package_arn": link}
    return json.dumps(content)


def _writer(
    endpoint: str,
    writer: int,
    calls: int,
    link: str | None,
    ready: Any,
    start: Any,
    out: Any,
) -> None:
    sagemaker = connected_client(endpoint, ready, start)
    if sagemaker is None:
        return
    try:
        cpu = time.process_time()
        timings: list[tuple[str, float, int]] = []
        errors: list[str] = []
        for call in range(calls):
            started = time.perf_counter()
            try:
                if call % 2 == 0:
                    kind = "register"
                    sagemaker.create_model_package(
                        ModelPackageGroupName=GROUP, InferenceSpecification=SPEC
                    )
                else:
                    kind = "card"
                    content = _card_content(f"writer {writer}, call {call}", link)
                    sagemaker.update_model_card(ModelCardName=CARD, Content=content)
            except Exception as error:
                errors.append(f"{type(error).__name__}: {error}")
                continue
            timings.append((kind, (time.perf_counter() - started) * 1000, call))
        out.put((timings, errors, time.process_time() - cpu))
    except Exception as error:  # the parent reports it and stops
        out.put(([], [f"{type(error).__name__}: {error}"], 0.0))


def _percentiles(values: list[float]) -> str:
    if not values:
        return "- | - | -"
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{statistics.median(ordered):.1f} | {p99:.1f} | {ordered[-1]:.1f}"


def _check(sagemaker: Any, versions_stored: int, card_updates: int) -> list[str]:
    problems = []
    versions: list[int] = []
    for page in sagemaker.get_paginator("list_model_packages").paginate(
        ModelPackageGroupName=GROUP
    ):
        versions += [s["ModelPackageVersion"] for s in page["ModelPackageSummaryList"]]
    if sorted(versions) != list(range(1, versions_stored + 1)):
        problems.append(f"the group's versions are not 1..{versions_stored}")
    card_versions: list[int] = []
    for page in sagemaker.get_paginator("list_model_card_versions").paginate(ModelCardName=CARD):
        card_versions += [s["ModelCardVersion"] for s in page["ModelCardVersionSummaryList"]]
    if sorted(card_versions) != list(range(1, card_updates + 2)):
        problems.append(f"the card's versions are not 1..{card_updates + 1}")
    return problems


def run(backend: str, servers: int, writers: int, calls: int, linked: bool, edge: int) -> str:
    with tempfile.TemporaryDirectory() as directory, database(backend, Path(directory)) as url:
        server = start_cardinal(url, Path(directory), servers)
        try:
            setup = client(server.url)
            setup.create_model_package_group(ModelPackageGroupName=GROUP)
            link = None
            if linked:
                link = setup.create_model_package(
                    ModelPackageGroupName=GROUP, InferenceSpecification=SPEC
                )["ModelPackageArn"]
            setup.create_model_card(
                ModelCardName=CARD, ModelCardStatus="Draft", Content=_card_content("", link)
            )
            context = multiprocessing.get_context("spawn")
            ready, start, out = context.Queue(), context.Event(), context.Queue()
            processes = [
                context.Process(
                    target=_writer, args=(server.url, w, calls, link, ready, start, out)
                )
                for w in range(writers)
            ]
            start_together(processes, ready, start)
            server_cpu = server.cpu_seconds()
            started = time.perf_counter()
            start.set()
            answers = [out.get(timeout=1800) for _ in processes]
            wall = time.perf_counter() - started
            server_cpu = server.cpu_seconds() - server_cpu
            for process in processes:
                process.join()
            timings = [t for answer in answers for t in answer[0]]
            errors = [e for answer in answers for e in answer[1]]
            registered = sum(1 for kind, _, _ in timings if kind == "register")
            updated = sum(1 for kind, _, _ in timings if kind == "card")
            problems = _check(setup, registered + int(linked), updated)
        finally:
            server.stop()
    every = [ms for _, ms, _ in timings]
    steady = [ms for _, ms, call in timings if edge <= call < calls - edge]
    client_cpu = sum(answer[2] for answer in answers)
    row = (
        f"| {backend} | {servers} | {len(timings) / wall:.0f} | {_percentiles(every)} | "
        f"{_percentiles([ms for kind, ms, _ in timings if kind == 'register'])} | "
        f"{_percentiles([ms for kind, ms, _ in timings if kind == 'card'])} | "
        f"{_percentiles(steady)} | "
        f"{server_cpu * 1000 / len(every):.2f} | {client_cpu * 1000 / len(every):.2f} | "
        f"{len(errors)} | "
        f"{'no gap, nothing lost' if not problems else 'FAILED: ' + '; '.join(problems)} |"
    )
    if errors:
        row += f"\n\nfirst error: {errors[0]}"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--servers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--calls", type=int, default=40, help="calls per writer")
    parser.add_argument(
        "--linked-card", action="store_true", help="the card documents a version of the group"
    )
    parser.add_argument(
        "--edge",
        type=int,
        default=5,
        help="each writer's first and last calls left out of the steady-state columns",
    )
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    linked = ", the card linked to a version" if args.linked_card else ""
    print(
        f"{args.writers} writers, {args.calls} calls each (half registrations, half card "
        f"updates{linked}), load average {os.getloadavg()[0]:.2f}, run {uuid.uuid4().hex[:6]}\n"
    )
    print(
        "| backend | servers | calls/s | p50 ms | p99 ms | max ms | register p50 | p99 | max "
        "| card update p50 | p99 | max | steady p50 | p99 | max | server CPU ms/call "
        "| client CPU ms/call | errors | versions |"
    )
    print(
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
        "|---:|---|"
    )
    for backend in backends:
        for servers in args.servers:
            row = run(backend, servers, args.writers, args.calls, args.linked_card, args.edge)
            print(row, flush=True)
    print(f"\nload average afterwards {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
