"""What SQLite's ``synchronous=FULL`` (Cardinal's setting) costs against ``NORMAL``.

In one run, on the same disk, it registers ``--registrations`` model package versions through
the services into a fresh SQLite file, once with each setting and with 1 and with 8 threads,
alternating the settings round by round (``--rounds``) so that noise falls on both alike. Each
registration is one write transaction, as a server request is. It prints the registrations per
second of each setting and the ratio FULL / NORMAL.

    .venv/bin/python bench/sqlite_sync_bench.py
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import event

from cardinal.domain.identifiers import Scope
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import NewModelPackage
from cardinal.store import database
from cardinal.store.unit_of_work import Store

CTX = RequestContext(Scope("000000000000", "us-east-1"), actor="bench", request_id="bench")


def services_with(path: Path, synchronous: str) -> Services:
    url = f"sqlite:///{path}"
    engine = database.create_database_engine(url)
    database.upgrade(engine)

    @event.listens_for(engine, "connect")
    def _sync(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    engine.dispose()  # later connections get both listeners, this one last
    with engine.connect() as connection:
        found = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    assert found == {"FULL": 2, "NORMAL": 1}[synchronous], found
    return Services.over(Store(engine))


def registrations_per_second(services: Services, group: str, count: int, threads: int) -> float:
    services.groups.create_model_package_group(CTX, group)

    def register(_: int) -> None:
        services.packages.register_model_package(CTX, group, NewModelPackage())

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(register, range(count)))
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--registrations", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rates: dict[tuple[str, int], list[float]] = {}
    with tempfile.TemporaryDirectory() as directory:
        built = {
            setting: services_with(Path(directory) / f"{setting}.db", setting)
            for setting in ("FULL", "NORMAL")
        }
        for round_ in range(args.rounds):
            for threads in (1, 8):
                for setting, services in built.items():
                    rate = registrations_per_second(
                        services, f"r{round_}-t{threads}", args.registrations, threads
                    )
                    rates.setdefault((setting, threads), []).append(rate)
        for services in built.values():
            services.close()
    print("| threads | FULL reg/s | NORMAL reg/s | FULL / NORMAL |")
    print("|---:|---:|---:|---:|")
    for threads in (1, 8):
        full = statistics.median(rates[("FULL", threads)])
        normal = statistics.median(rates[("NORMAL", threads)])
        print(f"| {threads} | {full:,.0f} | {normal:,.0f} | {full / normal:.2f} |")


if __name__ == "__main__":
    main()
