"""How much longer a server process's first calls take than the calls after them.

For each trial it starts ``cardinal serve`` (open mode, one process; SQLite in a temporary data
directory or a fresh PostgreSQL database, 127.0.0.1 only, stopped by its PID) and makes, in
order, ``--calls`` rounds of: DescribeModelPackageGroup of a group that does not exist (refused),
CreateModelPackageGroup, CreateModelPackage, then CreateModelCard in the first round and
UpdateModelCard in the others, the card documenting the first version registered. The times are
the server's own, read from its access log (from the request's first byte to the answer's last),
so boto3's own first-call work is not in them. It prints, per call kind, the median over the
trials of the first, the second and the last round's time, in milliseconds.

    .venv/bin/python bench/first_calls_bench.py [--backend sqlite|postgresql|both] [--trials 5]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import tempfile
from pathlib import Path

from writes_vs_moto_bench import SPEC, client, database, start_cardinal

KINDS = ("describe (refused)", "create group", "register version", "card write")
ACCESS = re.compile(r'"POST /" (\d{3}) ([\d.]+)ms')


def trial(backend: str, calls: int) -> list[list[float]]:
    """The server's milliseconds for each round's calls, one list per round."""
    with tempfile.TemporaryDirectory() as directory, database(backend, Path(directory)) as url:
        server = start_cardinal(url, Path(directory), 1)
        try:
            sagemaker = client(server.url)
            link = ""
            for round_ in range(calls):
                with contextlib.suppress(sagemaker.exceptions.ClientError):
                    sagemaker.describe_model_package_group(ModelPackageGroupName="missing")
                sagemaker.create_model_package_group(ModelPackageGroupName=f"group-{round_}")
                arn = sagemaker.create_model_package(
                    ModelPackageGroupName="group-0", InferenceSpecification=SPEC
                )["ModelPackageArn"]
                link = link or arn
                content = json.dumps(
                    {
                        "model_overview": {"model_description": f"round {round_}"},
                        "model_package_details": {"model_package_arn": link},
                    }
                )
                if round_ == 0:
                    sagemaker.create_model_card(
                        ModelCardName="card", ModelCardStatus="Draft", Content=content
                    )
                else:
                    sagemaker.update_model_card(ModelCardName="card", Content=content)
        finally:
            server.stop()
        times = [
            float(ms) for _, ms in ACCESS.findall((Path(directory) / "cardinal.log").read_text())
        ]
    if len(times) != calls * len(KINDS):
        raise SystemExit(f"expected {calls * len(KINDS)} access-log lines, found {len(times)}")
    return [times[i : i + len(KINDS)] for i in range(0, len(times), len(KINDS))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--calls", type=int, default=10, help="rounds of calls per trial")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    print("| backend | call | first ms | second ms | last ms |")
    print("|---|---|---:|---:|---:|")
    for backend in backends:
        rounds = [trial(backend, args.calls) for _ in range(args.trials)]
        for k, kind in enumerate(KINDS):
            first, second, last = (
                statistics.median(r[which][k] for r in rounds) for which in (0, 1, -1)
            )
            print(f"| {backend} | {kind} | {first:.1f} | {second:.1f} | {last:.1f} |")
    print(f"\nload average afterwards {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
