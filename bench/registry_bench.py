"""A first benchmark of Cardinal: registrations per second, read latency, keep-alive stalls.

For each backend (a SQLite file in a temporary data directory; a fresh PostgreSQL database on
the local server, dropped afterwards) it

1. seeds ``--versions`` model package versions (and ``--cards`` model cards, a third of them
   linked to versions) in-process through the services, and times the seeding;
2. starts a real ``cardinal serve`` subprocess on 127.0.0.1 and measures, through boto3, the
   p50/p99 latency of the read operations (``--calls`` calls each, after a warm-up);
3. measures the mean latency of a trivial call over a reused connection (a server that writes
   a response in several small writes stalls keep-alive clients ~40 ms per request);
4. measures CreateModelPackage throughput into one fresh group with 1 client and with 8
   concurrent clients (``--registrations`` each), and checks that the versions are exactly
   1..N; the run fails (exit status 1) if they are not, or if any call fails.

It prints markdown tables and writes the figures to ``bench/results/<timestamp>.json``.

    .venv/bin/python bench/registry_bench.py --backend both
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import http.client
import json
import math
import os
import platform
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import botocore.parsers
import psycopg
from botocore.config import Config
from sqlalchemy.engine import make_url
from writes_vs_moto_bench import cpu_seconds

from cardinal.domain.identifiers import Scope
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus, PackageFields
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import NewModelPackage
from cardinal.store import database

HOST = "127.0.0.1"
ACCOUNT = "000000000000"
REGION = "us-east-1"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RESULTS_DIR = Path(__file__).resolve().parent / "results"

BIG_GROUP = "bench-big"
SMALL_GROUP = "bench-small-{:03d}"
REGISTER_GROUP = "bench-register-{}-clients"
CARD = "bench-card-{:05d}"
PAGE = 100
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/bench-xgboost:1.7-1"
STALL_MS = 30.0  # a mean above this on a trivial keep-alive call means a Nagle/delayed-ACK stall
SLOW_P50_MS = 25.0  # a read whose median is above this is reported as slow
TAIL_MS = 50.0  # calls slower than this are counted, to show pauses (e.g. a full GC) in the tail


# Set when the run is interrupted: worker threads stop after their current call.
STOP = threading.Event()


class BenchFailure(Exception):
    """Something the benchmark checks did not hold; the run exits with status 1."""


# --------------------------------------------------------------------------- figures


@dataclass
class Latency:
    operation: str
    detail: str
    calls: int
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    calls_over_tail_threshold: int
    # Of each call, the time botocore takes to parse the answer into Python (its median over
    # the last answer parsed again and again): client work no server can save.
    parse_p50_ms: float = 0.0
    # The server's CPU time (user + system, from /proc) per timed call: less at the mercy of a
    # shared machine's scheduling than the latency is.
    server_cpu_ms: float = 0.0

    @classmethod
    def of(
        cls,
        operation: str,
        detail: str,
        seconds: list[float],
        parse_p50_ms: float,
        server_cpu_ms: float = 0.0,
    ) -> Latency:
        ms = sorted(s * 1000 for s in seconds)
        return cls(
            operation=operation,
            detail=detail,
            calls=len(ms),
            p50_ms=percentile(ms, 50),
            p99_ms=percentile(ms, 99),
            mean_ms=statistics.fmean(ms),
            max_ms=ms[-1],
            calls_over_tail_threshold=sum(1 for v in ms if v > TAIL_MS),
            parse_p50_ms=parse_p50_ms,
            server_cpu_ms=server_cpu_ms,
        )


@dataclass
class Throughput:
    clients: int
    registrations: int
    seconds: float
    versions_per_second: float
    versions_check: str


@dataclass
class KeepAlive:
    boto3_mean_ms: float
    boto3_p50_ms: float
    boto3_p99_ms: float
    boto3_calls_over_stall_threshold: int
    raw_keepalive_mean_ms: float
    raw_new_connection_mean_ms: float
    raw_reads_per_response: float
    stalled: bool


@dataclass
class BackendResult:
    backend: str
    database: str
    versions: int
    cards: int
    seed_versions_seconds: float = 0.0
    seed_versions_per_second: float = 0.0
    seed_cards_seconds: float = 0.0
    layout: dict[str, Any] = field(default_factory=dict)
    latencies: list[Latency] = field(default_factory=list)
    keep_alive: KeepAlive | None = None
    throughput: list[Throughput] = field(default_factory=list)
    server_log_problems: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    tails: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- databases


def _require_local(url: str) -> None:
    host = make_url(url).host
    if host != HOST:
        raise SystemExit(f"the benchmark only talks to {HOST}; the PostgreSQL URL names {host!r}")


def _libpq(url: str, dbname: str | None = None) -> str:
    parsed = make_url(url)
    if dbname is not None:
        parsed = parsed.set(database=dbname)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def sqlite_database() -> Iterator[tuple[str, Path]]:
    with tempfile.TemporaryDirectory(prefix="cardinal-bench-") as directory:
        data_dir = Path(directory)
        url = f"sqlite:///{data_dir / 'cardinal.db'}"
        engine = database.create_database_engine(url)
        database.upgrade(engine)
        engine.dispose()
        yield url, data_dir


@contextlib.contextmanager
def postgres_database(admin_url: str) -> Iterator[tuple[str, Path]]:
    """A fresh, migrated database on the local server, dropped afterwards."""
    _require_local(admin_url)
    name = f"cardinal_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(admin_url), autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    log(f"created PostgreSQL database {name}")
    try:
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        engine = database.create_database_engine(url)
        database.upgrade(engine)
        engine.dispose()
        with tempfile.TemporaryDirectory(prefix="cardinal-bench-") as directory:
            yield url, Path(directory)
    finally:
        with psycopg.connect(_libpq(admin_url), autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"dropped PostgreSQL database {name}")


def postgres_facts(url: str) -> dict[str, str]:
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        facts = {}
        for setting in ("server_version", "shared_buffers", "synchronous_commit", "fsync"):
            row = connection.execute(f"SHOW {setting}").fetchone()
            facts[setting] = str(row[0]) if row else "?"
        return facts


def analyze_postgres(url: str) -> None:
    """What autovacuum would do soon after a bulk load: fresh planner statistics."""
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far."""
        return cpu_seconds(self.process.pid)

    def stop(self) -> None:
        """Stop this server by its PID: SIGTERM, then SIGKILL after 15 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        log(f"server pid {self.process.pid} stopped (exit {self.process.returncode})")

    def log_problems(self) -> list[str]:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return [line for line in lines if "Traceback" in line or "ERROR" in line][:20]


def start_server(database_url: str, data_dir: Path, *, open_mode: bool = True) -> Server:
    """``cardinal serve`` on a free 127.0.0.1 port; by default in open mode (CARDINAL_AUTH=off:
    the benchmark measures the registry, not SigV4), else with authentication on."""
    port = free_port()
    log_path = data_dir / f"server-{port}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARDINAL_")}
    if open_mode:
        env["CARDINAL_AUTH"] = "off"
    command = [
        sys.executable, "-m", "cardinal", "serve",
        "--host", HOST,
        "--port", str(port),
        "--data-dir", str(data_dir),
        "--database-url", database_url,
    ]  # fmt: skip
    with log_path.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    server = Server(url=f"http://{HOST}:{port}", port=port, process=process, log_path=log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchFailure(f"cardinal serve exited early:\n{log_path.read_text()}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                log(f"server pid {process.pid} on {server.url}")
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise BenchFailure(f"cardinal serve did not start in 60 s:\n{log_path.read_text()}")


_SESSION: list[boto3.session.Session] = []


def client(endpoint: str, key: str = "bench") -> Any:
    """A boto3 SageMaker client; it keeps its connection alive.

    All clients come from one session, made and used to make clients in the main thread only,
    so that botocore's large SageMaker service model is loaded once.
    """
    if not _SESSION:
        _SESSION.append(boto3.session.Session())
    return _SESSION[0].client(
        "sagemaker",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key,
        aws_secret_access_key="unused",
        config=Config(
            retries={"max_attempts": 1, "mode": "standard"},
            connect_timeout=10,
            read_timeout=120,
        ),
    )


# --------------------------------------------------------------------------- seeding


@dataclass(frozen=True)
class Layout:
    """Where the seeded versions go: most into one big group, the rest spread over small ones.

    Every tenth registration goes to a small group, round robin, so the small groups' versions
    are spread over the whole time range, as in a registry where many groups grow at once.
    """

    versions: int
    small_groups: int
    cards: int

    @classmethod
    def for_versions(cls, versions: int, cards: int) -> Layout:
        return cls(versions, max(1, min(100, versions // 1000)), cards)

    def group_of(self, index: int) -> str:
        if index % 10 == 9:
            return SMALL_GROUP.format((index // 10) % self.small_groups)
        return BIG_GROUP

    @property
    def big_count(self) -> int:
        return self.versions - self.versions // 10

    def small_count(self, group: int) -> int:
        return len(range(group, self.versions // 10, self.small_groups))


def _new_package(index: int) -> NewModelPackage:
    status = ApprovalStatus.APPROVED if index % 5 == 0 else ApprovalStatus.PENDING_MANUAL_APPROVAL
    return NewModelPackage(
        description=f"XGBoost churn classifier, training run {index}",
        approval_status=status,
        fields=PackageFields(
            inference_specification={
                "Containers": [
                    {"Image": IMAGE, "ModelDataUrl": f"s3://bench-models/run-{index}/model.tar.gz"}
                ],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
            customer_metadata={"training-run": f"run-{index}", "team": "bench"},
        ),
    )


def _card_content(index: int, link: tuple[str, str, int] | None) -> str:
    content: dict[str, Any] = {
        "model_overview": {
            "model_description": f"Benchmark model {index}: gradient-boosted trees.",
            "model_owner": "bench-team",
            "problem_type": "Binary classification",
            "algorithm_type": "XGBoost",
        },
        "intended_uses": {
            "purpose_of_model": "Rank active subscribers by churn risk.",
            "risk_rating": ("Low", "Medium", "High")[index % 3],
        },
        "business_details": {"business_problem": "Predict churn within 60 days."},
    }
    if link is not None:
        group, arn, version = link
        content["model_package_details"] = {
            "model_package_arn": arn,
            "model_package_group_name": group,
            "model_package_version": version,
            "model_approval_status": "PendingManualApproval",
        }
    return json.dumps(content)


def _links(layout: Layout, scope: Scope) -> dict[int, tuple[str, str, int]]:
    """Card index -> (group, package ARN, version): every third card documents a version,
    alternately one of the big group's and one of a small group's."""
    linked = list(range(0, layout.cards, 3))
    big, small = linked[0::2], linked[1::2]
    links: dict[int, tuple[str, str, int]] = {}
    step = max(1, layout.big_count // max(1, len(big)))
    for j, card in enumerate(big):
        version = 1 + j * step
        if version <= layout.big_count:
            links[card] = (BIG_GROUP, scope.arn("model-package", f"{BIG_GROUP}/{version}"), version)
    for j, card in enumerate(small):
        group_index = j % layout.small_groups
        version = 1 + j // layout.small_groups
        if version <= layout.small_count(group_index):
            group = SMALL_GROUP.format(group_index)
            links[card] = (group, scope.arn("model-package", f"{group}/{version}"), version)
    return links


def _in_threads(count: int, threads: int, work: Callable[[int], object], what: str) -> None:
    done = [0]
    lock = threading.Lock()
    errors: list[BaseException] = []
    every = max(1, count // 10)

    def run(worker: int) -> None:
        for index in range(worker, count, threads):
            if errors or STOP.is_set():
                return
            try:
                work(index)
            except BaseException as error:
                errors.append(error)
                return
            with lock:
                done[0] += 1
                if done[0] % every == 0:
                    log(f"  {what}: {done[0]:,}/{count:,}")

    with ThreadPoolExecutor(threads) as pool:
        try:
            list(pool.map(run, range(threads)))
        except BaseException:
            STOP.set()
            raise
    if errors:
        raise errors[0]


def seed(url: str, layout: Layout, threads: int, result: BackendResult) -> None:
    """Seed through the services in-process, as many small transactions as a server makes."""
    services = Services.for_database(url)
    ctx = RequestContext(Scope(ACCOUNT, REGION), actor="bench-seed", request_id="bench-seed")
    try:
        services.groups.create_model_package_group(ctx, BIG_GROUP, "Benchmark: the big group")
        for group in range(layout.small_groups):
            services.groups.create_model_package_group(ctx, SMALL_GROUP.format(group))
        log(f"seeding {layout.versions:,} model package versions ({threads} threads)")
        started = time.perf_counter()
        _in_threads(
            layout.versions,
            threads,
            lambda i: services.packages.register_model_package(
                ctx, layout.group_of(i), _new_package(i)
            ),
            "versions",
        )
        result.seed_versions_seconds = time.perf_counter() - started
        result.seed_versions_per_second = layout.versions / result.seed_versions_seconds
        log(
            f"seeded {layout.versions:,} versions in {result.seed_versions_seconds:.1f} s "
            f"({result.seed_versions_per_second:,.0f}/s)"
        )

        links = _links(layout, ctx.scope)
        statuses = (ModelCardStatus.DRAFT, ModelCardStatus.PENDING_REVIEW, ModelCardStatus.APPROVED)

        def make_card(i: int) -> None:
            link = links.get(i)
            services.cards.create_model_card(
                ctx, CARD.format(i), _card_content(i, link), statuses[i % 3]
            )
            if i % 10 == 5:  # a tenth of the cards get a second content version
                services.cards.update_model_card(
                    ctx, CARD.format(i), content=_card_content(i + layout.cards, link)
                )

        log(f"seeding {layout.cards:,} model cards ({len(links):,} linked to versions)")
        started = time.perf_counter()
        _in_threads(layout.cards, threads, make_card, "cards")
        result.seed_cards_seconds = time.perf_counter() - started
        log(f"seeded {layout.cards:,} cards in {result.seed_cards_seconds:.1f} s")
        result.layout = {
            "big_group": BIG_GROUP,
            "big_group_versions": layout.big_count,
            "small_groups": layout.small_groups,
            "small_group_versions": layout.small_count(0),
            "cards": layout.cards,
            "linked_cards": len(links),
            "cards_linked_to_big_group": sum(1 for g, _, _ in links.values() if g == BIG_GROUP),
            "cards_with_two_versions": sum(1 for i in range(layout.cards) if i % 10 == 5),
        }
    finally:
        services.close()


# --------------------------------------------------------------------------- measuring


def quiet_client_gc() -> None:
    """Keep this process's full garbage collections out of the figures.

    The benchmark holds botocore's SageMaker service model (millions of objects); a full
    collection then takes ~80 ms and lands on whichever call is running. Freezing what is
    alive now takes those objects out of every later collection.
    """
    gc.collect()
    gc.freeze()


def timed(call: Callable[[int], Any], count: int, warmup: int) -> list[float]:
    for i in range(warmup):
        call(i)
    quiet_client_gc()
    seconds = []
    for i in range(count):
        started = time.perf_counter()
        call(i)
        seconds.append(time.perf_counter() - started)
    return seconds


class LastAnswer:
    """The raw answer of the client's latest call, kept to time botocore parsing it alone."""

    def __init__(self, sm: Any) -> None:
        self.answer: tuple[Any, dict[str, Any]] | None = None
        sm.meta.events.register("before-parse.sagemaker.*", self._keep)
        self._parser = botocore.parsers.create_parser(sm.meta.service_model.protocol)

    def _keep(self, operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        self.answer = (operation_model, dict(response_dict))

    def parse_p50_ms(self, count: int = 200) -> float:
        assert self.answer is not None, "no answer was kept"
        operation, response = self.answer
        seconds = []
        for _ in range(count):
            started = time.perf_counter()
            self._parser.parse(response, operation.output_shape)
            seconds.append(time.perf_counter() - started)
        return statistics.median(seconds) * 1000


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise BenchFailure(message)


def middle_token(sm: Any, group: str, pages: int) -> tuple[str, float]:
    """The NextToken of page ``pages`` of the group, walking there page by page."""
    token = None
    started = time.perf_counter()
    for _ in range(pages):
        params: dict[str, Any] = {"ModelPackageGroupName": group, "MaxResults": PAGE}
        if token:
            params["NextToken"] = token
        token = sm.list_model_packages(**params).get("NextToken")
        _expect(token is not None, f"ListModelPackages of {group} ended before page {pages}")
    assert token is not None
    return token, time.perf_counter() - started


def measure_reads(
    sm: Any, server: Server, layout: Layout, calls: int, warmup: int, result: BackendResult
) -> None:
    rng = random.Random(20261125)
    scope = Scope(ACCOUNT, REGION)
    big = layout.big_count
    versions = [rng.randint(1, big) for _ in range(calls + warmup)]
    cards = [rng.randrange(layout.cards) for _ in range(calls + warmup)]
    big_filter = {
        "Filters": [{"Name": "ModelPackageGroupName", "Operator": "Equals", "Value": BIG_GROUP}]
    }

    def small_filter(i: int) -> dict[str, Any]:
        name = SMALL_GROUP.format(i % layout.small_groups)
        return {"Filters": [{"Name": "ModelPackageGroupName", "Operator": "Equals", "Value": name}]}

    # Each response is checked once, so that the figures measure the work they claim to.
    first = sm.list_model_packages(ModelPackageGroupName=BIG_GROUP, MaxResults=PAGE)
    listed = [p["ModelPackageVersion"] for p in first["ModelPackageSummaryList"]]
    _expect(listed == list(range(1, min(PAGE, big) + 1)), "first page is not versions 1..100")
    pages = max(1, big // PAGE // 2)
    token, walk = middle_token(sm, BIG_GROUP, pages)
    middle = sm.list_model_packages(
        ModelPackageGroupName=BIG_GROUP, MaxResults=PAGE, NextToken=token
    )
    expected_first = pages * PAGE + 1
    got = [p["ModelPackageVersion"] for p in middle["ModelPackageSummaryList"]]
    _expect(got[:1] == [expected_first], f"middle page starts at {got[:1]}, not {expected_first}")
    log(f"walked {pages} pages of {PAGE} to the middle of {BIG_GROUP} in {walk:.1f} s")
    hits = sm.search(Resource="ModelPackage", SearchExpression=big_filter, MaxResults=PAGE)
    _expect(len(hits["Results"]) == min(PAGE, big), "Search ModelPackage: wrong page size")
    hits = sm.search(Resource="ModelPackage", SearchExpression=small_filter(0), MaxResults=PAGE)
    _expect(
        len(hits["Results"]) == min(PAGE, layout.small_count(0)),
        "Search ModelPackage (small group): wrong page size",
    )
    card_hits = sm.search(
        Resource="ModelCard",
        SearchExpression=big_filter,
        SortBy="LastModifiedTime",
        MaxResults=PAGE,
    )
    linked_big = result.layout["cards_linked_to_big_group"]
    _expect(len(card_hits["Results"]) == min(PAGE, linked_big), "Search ModelCard: wrong page size")

    operations: list[tuple[str, str, Callable[[int], Any]]] = [
        (
            "DescribeModelPackage",
            f"random version of {BIG_GROUP} ({big:,} versions), by ARN",
            lambda i: sm.describe_model_package(
                ModelPackageName=scope.arn("model-package", f"{BIG_GROUP}/{versions[i]}")
            ),
        ),
        (
            "ListModelPackages",
            f"first page of {PAGE} in {BIG_GROUP}",
            lambda i: sm.list_model_packages(ModelPackageGroupName=BIG_GROUP, MaxResults=PAGE),
        ),
        (
            "ListModelPackages",
            f"page {pages + 1} of {PAGE} in {BIG_GROUP} (NextToken)",
            lambda i: sm.list_model_packages(
                ModelPackageGroupName=BIG_GROUP, MaxResults=PAGE, NextToken=token
            ),
        ),
        (
            "DescribeModelCard",
            f"random card of {layout.cards:,}",
            lambda i: sm.describe_model_card(ModelCardName=CARD.format(cards[i])),
        ),
        (
            "ListModelCards",
            f"first page of {PAGE}",
            lambda i: sm.list_model_cards(MaxResults=PAGE),
        ),
        (
            "Search ModelPackage",
            f"ModelPackageGroupName Equals {BIG_GROUP}, default sort, {PAGE} results",
            lambda i: sm.search(
                Resource="ModelPackage", SearchExpression=big_filter, MaxResults=PAGE
            ),
        ),
        (
            "Search ModelPackage",
            f"ModelPackageGroupName Equals a small group ({layout.small_count(0)} versions), "
            f"default sort, {PAGE} results",
            lambda i: sm.search(
                Resource="ModelPackage", SearchExpression=small_filter(i), MaxResults=PAGE
            ),
        ),
        (
            "Search ModelCard",
            f"ModelPackageGroupName Equals {BIG_GROUP}, SortBy LastModifiedTime, {PAGE} results",
            lambda i: sm.search(
                Resource="ModelCard",
                SearchExpression=big_filter,
                SortBy="LastModifiedTime",
                MaxResults=PAGE,
            ),
        ),
    ]
    last = LastAnswer(sm)
    for operation, detail, call in operations:
        timed(call, 0, warmup)
        cpu = server.cpu_seconds()
        seconds = timed(call, calls, 0)
        cpu_ms = (server.cpu_seconds() - cpu) * 1000 / calls
        figures = Latency.of(operation, detail, seconds, last.parse_p50_ms(), cpu_ms)
        result.latencies.append(figures)
        log(
            f"{operation} ({detail}): p50 {figures.p50_ms:.1f} ms, p99 {figures.p99_ms:.1f} ms, "
            f"server CPU {cpu_ms:.2f} ms a call"
        )
        if figures.p50_ms > SLOW_P50_MS:
            result.problems.append(
                f"{operation} ({detail}) is slow: p50 {figures.p50_ms:.1f} ms, "
                f"p99 {figures.p99_ms:.1f} ms over {figures.calls} calls"
            )
        if figures.calls_over_tail_threshold:
            result.tails.append(
                f"{operation} ({detail}): {figures.calls_over_tail_threshold} of "
                f"{figures.calls} calls over {TAIL_MS:.0f} ms, max {figures.max_ms:.0f} ms"
            )


def _signed_list_groups(endpoint: str) -> tuple[bytes, dict[str, str]]:
    """A SigV4-signed ListModelPackageGroups request, as boto3 would send it."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    body = b'{"MaxResults":1}'
    request = AWSRequest(
        method="POST",
        url=endpoint + "/",
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "SageMaker.ListModelPackageGroups",
        },
    )
    SigV4Auth(Credentials("bench", "unused"), "sagemaker", REGION).add_auth(request)
    return body, dict(request.headers.items())


def _raw_round_trips(port: int, request: bytes, count: int, reuse: bool) -> tuple[float, float]:
    """Mean seconds per request over a raw socket (client TCP_NODELAY on, request in one
    write), and how many reads it took to receive each response."""
    total = 0.0
    reads = 0
    sock: socket.socket | None = None
    for _ in range(count):
        started = time.perf_counter()
        if sock is None:
            sock = socket.create_connection((HOST, port))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(request)
        received = b""
        length = None
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                raise BenchFailure("the server closed a keep-alive connection mid-response")
            reads += 1
            received += chunk
            head, separator, rest = received.partition(b"\r\n\r\n")
            if separator and length is None:
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
            if length is not None and len(rest) >= length:
                break
        total += time.perf_counter() - started
        if not reuse:
            sock.close()
            sock = None
    if sock is not None:
        sock.close()
    return total / count, reads / count


def measure_keep_alive(sm: Any, server: Server, calls: int, warmup: int) -> KeepAlive:
    boto_seconds = timed(lambda i: sm.list_model_package_groups(MaxResults=1), calls, warmup)
    ms = sorted(s * 1000 for s in boto_seconds)
    body, headers = _signed_list_groups(server.url)
    lines = ["POST / HTTP/1.1", f"Host: {HOST}:{server.port}", f"Content-Length: {len(body)}"]
    lines += [
        f"{k}: {v}" for k, v in headers.items() if k.lower() not in ("host", "content-length")
    ]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    _raw_round_trips(server.port, request, warmup, reuse=True)
    raw_reused, reads = _raw_round_trips(server.port, request, calls, reuse=True)
    raw_new, _ = _raw_round_trips(server.port, request, min(calls, 200), reuse=False)
    mean = statistics.fmean(ms)
    return KeepAlive(
        boto3_mean_ms=mean,
        boto3_p50_ms=percentile(ms, 50),
        boto3_p99_ms=percentile(ms, 99),
        boto3_calls_over_stall_threshold=sum(1 for v in ms if v > STALL_MS),
        raw_keepalive_mean_ms=raw_reused * 1000,
        raw_new_connection_mean_ms=raw_new * 1000,
        raw_reads_per_response=reads,
        stalled=mean > STALL_MS or raw_reused * 1000 > STALL_MS,
    )


def measure_registrations(
    endpoint: str, clients: int, registrations: int, result: BackendResult
) -> Throughput:
    group = REGISTER_GROUP.format(clients)
    setup = client(endpoint)
    setup.create_model_package_group(ModelPackageGroupName=group)
    sms = [client(endpoint, key=f"bench-writer-{c}") for c in range(clients)]
    for sm in sms:  # open each client's connection before the clock starts
        sm.list_model_package_groups(MaxResults=1)
    quiet_client_gc()
    shares = [
        registrations // clients + (1 if c < registrations % clients else 0) for c in range(clients)
    ]
    barrier = threading.Barrier(clients + 1)
    returned: list[list[int]] = [[] for _ in range(clients)]
    errors: list[str] = []

    def writer(c: int) -> None:
        sm = sms[c]
        barrier.wait()
        for n in range(shares[c]):
            if STOP.is_set():
                return
            try:
                arn = sm.create_model_package(
                    ModelPackageGroupName=group,
                    ModelPackageDescription=f"writer {c} registration {n}",
                    ModelApprovalStatus="PendingManualApproval",
                    InferenceSpecification={
                        "Containers": [
                            {"Image": IMAGE, "ModelDataUrl": f"s3://bench-models/w{c}-{n}.tar.gz"}
                        ],
                        "SupportedContentTypes": ["text/csv"],
                        "SupportedResponseMIMETypes": ["text/csv"],
                    },
                    CustomerMetadataProperties={"writer": str(c)},
                )["ModelPackageArn"]
                returned[c].append(int(arn.rsplit("/", 1)[1]))
            except Exception as error:
                errors.append(f"writer {c}, registration {n}: {type(error).__name__}: {error}")
                if len(errors) > 20:
                    return

    threads = [threading.Thread(target=writer, args=(c,), daemon=True) for c in range(clients)]
    for thread in threads:
        thread.start()
    try:
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
    except BaseException:
        STOP.set()
        barrier.abort()
        raise
    seconds = time.perf_counter() - started

    problems = list(errors[:20])
    expected = list(range(1, registrations + 1))
    numbers = sorted(v for part in returned for v in part)
    if numbers != expected:
        problems.append(_version_mismatch("returned ARNs", numbers, registrations))
    stored: list[int] = []
    for page in setup.get_paginator("list_model_packages").paginate(
        ModelPackageGroupName=group, PaginationConfig={"PageSize": PAGE}
    ):
        stored.extend(p["ModelPackageVersion"] for p in page["ModelPackageSummaryList"])
    if sorted(stored) != expected:
        problems.append(_version_mismatch("stored versions", sorted(stored), registrations))
    check = "1..N, no gap, no duplicate" if not problems else "FAILED"
    result.failures.extend(f"{clients} client(s): {p}" for p in problems)
    rate = len(numbers) / seconds
    log(f"CreateModelPackage, {clients} client(s): {rate:,.0f} versions/s; versions {check}")
    return Throughput(clients, registrations, seconds, rate, check)


def _version_mismatch(what: str, numbers: list[int], expected: int) -> str:
    duplicates = len(numbers) - len(set(numbers))
    missing = sorted(set(range(1, expected + 1)) - set(numbers))
    extra = sorted(set(numbers) - set(range(1, expected + 1)))
    return (
        f"{what}: {len(numbers)} versions, expected 1..{expected}; {duplicates} duplicate(s), "
        f"{len(missing)} missing (first {missing[:10]}), {len(extra)} unexpected "
        f"(first {extra[:10]})"
    )


# --------------------------------------------------------------------------- one backend


def run_backend(backend: str, args: argparse.Namespace) -> BackendResult:
    layout = Layout.for_versions(args.versions, args.cards)
    opened: contextlib.AbstractContextManager[tuple[str, Path]] = (
        sqlite_database() if backend == "sqlite" else postgres_database(args.postgres_url)
    )
    with opened as (url, data_dir):
        result = BackendResult(
            backend=backend,
            database=(
                f"SQLite {sqlite3.sqlite_version}, WAL, file in a temporary directory"
                if backend == "sqlite"
                else "PostgreSQL {server_version} on {HOST} (shared_buffers {shared_buffers}, "
                "synchronous_commit {synchronous_commit})".format(HOST=HOST, **postgres_facts(url))
            ),
            versions=args.versions,
            cards=args.cards,
        )
        log(f"== {backend}: {result.database}")
        seed(url, layout, args.seed_threads, result)
        if backend == "postgresql":
            started = time.perf_counter()
            analyze_postgres(url)
            log(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")
        server = start_server(url, data_dir)
        try:
            sm = client(server.url)
            measure_reads(sm, server, layout, args.calls, args.warmup, result)
            result.keep_alive = measure_keep_alive(sm, server, args.calls, args.warmup)
            ka = result.keep_alive
            log(
                f"keep-alive ListModelPackageGroups(MaxResults=1): boto3 mean {ka.boto3_mean_ms:.2f} ms, "
                f"raw keep-alive {ka.raw_keepalive_mean_ms:.2f} ms, new connection "
                f"{ka.raw_new_connection_mean_ms:.2f} ms"
            )
            if ka.stalled:
                result.problems.append(
                    f"keep-alive stall: a trivial call takes {ka.boto3_mean_ms:.1f} ms on average "
                    f"over a reused connection ({ka.raw_keepalive_mean_ms:.1f} ms raw) against "
                    f"{ka.raw_new_connection_mean_ms:.1f} ms on a new connection"
                )
            for clients in (1, 8):
                result.throughput.append(
                    measure_registrations(server.url, clients, args.registrations, result)
                )
        except BenchFailure as error:
            result.failures.append(str(error))
        finally:
            server.stop()
            result.server_log_problems = server.log_problems()
            if result.server_log_problems:
                result.problems.append(
                    f"the server logged {len(result.server_log_problems)} error line(s), e.g. "
                    f"{result.server_log_problems[0]}"
                )
    return result


# --------------------------------------------------------------------------- report


def render(results: list[BackendResult], args: argparse.Namespace) -> str:
    names = [r.backend for r in results]
    out = [
        f"## Cardinal registry benchmark, {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        f"{os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}; "
        f"{args.versions:,} seeded versions, {args.cards:,} cards, {args.calls:,} calls per "
        f"read, {args.registrations:,} registrations per setting.",
        "",
    ]
    for r in results:
        out.append(f"- **{r.backend}**: {r.database}")
    out += ["", "### Seeding (in-process, through the services)", ""]
    out.append("| | " + " | ".join(names) + " |")
    out.append("|---|" + "---:|" * len(names))
    out.append(
        f"| {args.versions:,} versions (s) | "
        + " | ".join(f"{r.seed_versions_seconds:.1f}" for r in results)
        + " |"
    )
    out.append(
        "| versions/s | " + " | ".join(f"{r.seed_versions_per_second:,.0f}" for r in results) + " |"
    )
    out.append(
        f"| {args.cards:,} cards (s) | "
        + " | ".join(f"{r.seed_cards_seconds:.1f}" for r in results)
        + " |"
    )
    out += ["", "### CreateModelPackage through boto3, into one group", ""]
    out.append("| clients | " + " | ".join(f"{n} versions/s" for n in names) + " | versions |")
    out.append("|---|" + "---:|" * len(names) + "---|")
    for index, clients in enumerate((1, 8)):
        cells = []
        checks = set()
        for r in results:
            if index < len(r.throughput):
                cells.append(f"{r.throughput[index].versions_per_second:,.0f}")
                checks.add(r.throughput[index].versions_check)
            else:
                cells.append("—")
                checks.add("not measured")
        out.append(f"| {clients} | " + " | ".join(cells) + f" | {'; '.join(sorted(checks))} |")
    out += ["", f"### Read latency through boto3 ({args.calls:,} calls each, ms)", ""]
    out.append(
        "| operation | what | "
        + " | ".join(
            f"{n} p50 | {n} p99 | {n}: of which boto3 parses | {n}: server CPU" for n in names
        )
        + " |"
    )
    out.append("|---|---|" + "---:|---:|---:|---:|" * len(names))
    rows = max((len(r.latencies) for r in results), default=0)
    for row in range(rows):
        first = next(r.latencies[row] for r in results if row < len(r.latencies))
        cells = []
        for r in results:
            if row < len(r.latencies):
                figures = r.latencies[row]
                cells.append(
                    f"{figures.p50_ms:.1f} | {figures.p99_ms:.1f} | {figures.parse_p50_ms:.1f} | "
                    f"{figures.server_cpu_ms:.2f}"
                )
            else:
                cells.append("— | — | — | —")
        out.append(f"| {first.operation} | {first.detail} | " + " | ".join(cells) + " |")
    out += ["", "### Keep-alive: ListModelPackageGroups(MaxResults=1), reused connection (ms)", ""]
    out.append("| | " + " | ".join(names) + " |")
    out.append("|---|" + "---:|" * len(names))
    ka = [r.keep_alive for r in results]

    def cell(pick: Callable[[KeepAlive], str]) -> str:
        return " | ".join(pick(k) if k else "—" for k in ka)

    out.append("| boto3 mean | " + cell(lambda k: f"{k.boto3_mean_ms:.2f}") + " |")
    out.append(
        "| boto3 p50 / p99 | "
        + cell(lambda k: f"{k.boto3_p50_ms:.2f} / {k.boto3_p99_ms:.2f}")
        + " |"
    )
    out.append(
        f"| boto3 calls over {STALL_MS:.0f} ms | "
        + cell(lambda k: str(k.boto3_calls_over_stall_threshold))
        + " |"
    )
    out.append(
        "| raw socket, kept alive, mean | "
        + cell(lambda k: f"{k.raw_keepalive_mean_ms:.2f}")
        + " |"
    )
    out.append(
        "| raw socket, new connection each, mean | "
        + cell(lambda k: f"{k.raw_new_connection_mean_ms:.2f}")
        + " |"
    )
    out.append(
        "| reads per response (raw) | " + cell(lambda k: f"{k.raw_reads_per_response:.2f}") + " |"
    )
    out.append("| stall (~40 ms)? | " + cell(lambda k: "YES" if k.stalled else "no") + " |")
    problems = [f"{r.backend}: {p}" for r in results for p in r.problems]
    failures = [f"{r.backend}: {f}" for r in results for f in r.failures]
    out += ["", "### Server problems", ""]
    out += [f"- {p}" for p in problems] or ["- none found"]
    tails = [f"{r.backend}: {t}" for r in results for t in r.tails]
    if tails:
        out += ["", f"### Tail: calls over {TAIL_MS:.0f} ms", ""]
        out += [f"- {t}" for t in tails]
    if failures:
        out += ["", "### FAILURES", ""]
        out += [f"- {f}" for f in failures]
    return "\n".join(out)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--versions", type=int, default=100_000, help="versions to seed")
    parser.add_argument("--cards", type=int, default=3_000, help="model cards to seed")
    parser.add_argument(
        "--registrations", type=int, default=2_000, help="CreateModelPackage calls per setting"
    )
    parser.add_argument("--calls", type=int, default=1_000, help="timed calls per read")
    parser.add_argument("--warmup", type=int, default=50, help="untimed calls before each read")
    parser.add_argument("--seed-threads", type=int, default=2, help="threads seeding in-process")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("CARDINAL_TEST_DATABASE_URL", DEFAULT_POSTGRES_URL),
        help="admin URL of the local PostgreSQL server; the benchmark database is made there",
    )
    args = parser.parse_args(argv)
    if args.versions < 1000 or args.cards < 30 or args.registrations < 8 or args.calls < 1:
        parser.error("need --versions >= 1000, --cards >= 30, --registrations >= 8, --calls >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Only ever talk to 127.0.0.1, never through a proxy.
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = f"{HOST},localhost"
    if args.backend != "sqlite":
        _require_local(args.postgres_url)

    def on_term(signum: int, _frame: Any) -> None:
        STOP.set()
        raise SystemExit(128 + signum)  # unwinds through the clean-ups: server, database

    signal.signal(signal.SIGTERM, on_term)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    started = time.perf_counter()
    results = []
    for backend in backends:
        try:
            results.append(run_backend(backend, args))
        except BenchFailure as error:
            failed = BackendResult(backend, "?", args.versions, args.cards)
            failed.failures.append(str(error))
            results.append(failed)
    elapsed = time.perf_counter() - started

    report = render(results, args)
    print(report)
    arguments = vars(args) | {"postgres_url": make_url(args.postgres_url).render_as_string()}
    return write_results("", {"arguments": arguments}, elapsed, results)


def write_results(
    prefix: str, facts: dict[str, Any], elapsed: float, results: Sequence[Any]
) -> int:
    """Write the run to ``bench/results/<prefix><UTC timestamp>.json`` (the machine, ``facts``
    and every result) and list the failures; the exit status: 1 if any result failed."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{prefix}{stamp}.json"
    document = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
        },
        **facts,
        "elapsed_seconds": elapsed,
        "results": [asdict(r) for r in results],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    print(f"\nResults: {path} (whole run {elapsed / 60:.1f} min)")
    failures = [f for r in results for f in r.failures]
    if failures:
        print("\nBENCHMARK FAILED:", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
