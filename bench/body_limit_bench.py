"""How requests with bodies near the size limit slow everyone else down.

It starts a real ``cardinal serve`` on a SQLite file in a temporary data directory, creates one
model package group, and then measures the latency of small requests sent one after another
from one thread, a DescribeModelPackageGroup (SageMaker door: parsed, checked, answered from the
database in a worker thread) and a ``GET /healthz`` (answered on the event loop), in turn:

1. with nothing else going on;
2. while a second thread sends, back to back, an AddTags whose body is just under the
   SageMaker limit (``--body-bytes``, default 4 MiB: some 120,000 tags), which the server
   parses and checks in full before refusing it (``ValidationException``: more than 50 tags);
3. while a second thread sends, back to back, a valid CreateModelCard whose content is 100,000
   characters outside the Basic Multilingual Plane (botocore escapes each to 12 bytes: a 1.2 MB
   body, the largest legitimate card), which the server stores;
4. while a second thread sends, back to back, a REST ``POST /api/v1/cards`` whose body is just
   under the REST limit (``--rest-body-bytes``, default 1 MiB: card content of some 60,000
   custom details), refused as too long (422) after it has been parsed and checked.

Then it streams a 200 MB body without ``Content-Length`` and reports how long the refusal took
and how much of the body the client got to send, and checks that nothing was stored.

    .venv/bin/python bench/body_limit_bench.py
    .venv/bin/python bench/body_limit_bench.py --calls 200     # quicker

It only talks to 127.0.0.1 and stops the server it started by its PID. It exits with status 1
if a request gets an answer other than the expected one or the server logs an error.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

HOST = "127.0.0.1"
ACCOUNT = "000000000000"
REGION = "us-east-1"
GROUP = "bench-group"
GROUP_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package-group/{GROUP}"
AUTH = (
    f"AWS4-HMAC-SHA256 Credential=bench/20261201/{REGION}/sagemaker/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123456789abcdef"
)
CONTENT_TYPE = "application/x-amz-json-1.1"
MIB = 1024 * 1024
STREAMED_BYTES = 200 * 1000 * 1000
CHUNK = 64 * 1024
EMOJI = "\U0001f600"  # outside the BMP: botocore sends it as a 12-byte surrogate-pair escape


class BenchFailure(Exception):
    """A request got an answer the benchmark did not expect; the run exits with status 1."""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the server


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

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


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server() -> Iterator[Server]:
    with tempfile.TemporaryDirectory(prefix="cardinal-bench-") as directory:
        data_dir = Path(directory)
        port = free_port()
        log_path = data_dir / "server.log"
        env = {k: v for k, v in os.environ.items() if k != "CARDINAL_DATABASE_URL"}
        env["CARDINAL_AUTH"] = "off"
        command = [
            sys.executable, "-m", "cardinal", "serve",
            "--host", HOST,
            "--port", str(port),
            "--data-dir", str(data_dir),
            "--database-url", f"sqlite:///{data_dir / 'cardinal.db'}",
        ]  # fmt: skip
        with log_path.open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        server = Server(f"http://{HOST}:{port}", process, log_path)
        try:
            _wait_until_up(server)
            log(f"server pid {process.pid} on {server.url}")
            yield server
        finally:
            server.stop()


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise BenchFailure(f"cardinal serve exited early:\n{server.log_path.read_text()}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=1, trust_env=False).is_success:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise BenchFailure(f"cardinal serve did not start in 60 s:\n{server.log_path.read_text()}")


# --------------------------------------------------------------------------- requests


def http_client(server: Server) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=120, trust_env=False)


def sagemaker_headers(operation: str) -> dict[str, str]:
    return {
        "Content-Type": CONTENT_TYPE,
        "X-Amz-Target": f"SageMaker.{operation}",
        "Authorization": AUTH,
    }


def sagemaker_call(client: httpx.Client, operation: str, body: bytes) -> httpx.Response:
    return client.post("/", content=body, headers=sagemaker_headers(operation))


def expect(response: httpx.Response, status: int, what: str) -> None:
    if response.status_code != status:
        raise BenchFailure(f"{what}: HTTP {response.status_code}, {response.text[:300]}")


def add_tags_body(size: int) -> bytes:
    """An AddTags body of at most ``size`` bytes holding as many tags as fit."""
    head = json.dumps({"ResourceArn": GROUP_ARN, "Tags": []}).encode()[:-2]
    tag = json.dumps({"Key": "k0000000", "Value": "v"}).encode()
    count = (size - len(head) - 2) // (len(tag) + 2)
    tags = b", ".join(json.dumps({"Key": f"k{i:07d}", "Value": "v"}).encode() for i in range(count))
    return head + tags + b"]}"


def largest_card_content() -> str:
    """Valid card content of exactly 100,000 characters, almost all of them outside the BMP."""
    details: dict[str, str] = {}
    content = {"additional_information": {"custom_details": details}}
    index = 0
    while len(json.dumps(content, ensure_ascii=False)) < 100_000 - 1100:
        details[f"d{index:03d}"] = EMOJI * 1024
        index += 1
    room = 100_000 - len(json.dumps(content, ensure_ascii=False)) - len(', "last": ""')
    details["last"] = EMOJI * room
    text = json.dumps(content, ensure_ascii=False)
    assert len(text) == 100_000, len(text)
    return text


def rest_card_body(size: int) -> bytes:
    """A REST card body of at most ``size`` bytes, its content far over 100,000 characters."""
    head = b'{"name": "bench-rest-card", "content": {"additional_information": {"custom_details": {'
    tail = b"}}}}"
    item = b'"k0000000": "v"'
    count = (size - len(head) - len(tail)) // (len(item) + 2)
    details = b", ".join(f'"k{i:07d}": "v"'.encode() for i in range(count))
    return head + details + tail


# --------------------------------------------------------------------------- measuring


@dataclass
class Series:
    name: str
    ms: list[float]

    def percentile(self, p: float) -> float:
        ordered = sorted(self.ms)
        return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]

    def cells(self) -> list[str]:
        return [f"{self.percentile(50):.1f}", f"{self.percentile(99):.1f}", f"{max(self.ms):.1f}"]


@dataclass
class Scenario:
    name: str
    describe: Series
    healthz: Series
    big_calls: int
    big_mean_ms: float | None


Background = Callable[[httpx.Client], None]


def measure(server: Server, name: str, calls: int, background: Background | None) -> Scenario:
    """``calls`` small requests of each kind, in turn, while ``background`` runs in a loop."""
    describe_body = json.dumps({"ModelPackageGroupName": GROUP}).encode()
    stop = threading.Event()
    big_ms: list[float] = []
    errors: list[BaseException] = []

    def loop() -> None:
        assert background is not None
        with http_client(server) as client:
            while not stop.is_set():
                started = time.perf_counter()
                try:
                    background(client)
                except BaseException as error:  # reported by the main thread
                    errors.append(error)
                    return
                big_ms.append((time.perf_counter() - started) * 1000)

    with http_client(server) as client:
        for _ in range(20):  # warm-up: connection, caches
            expect(sagemaker_call(client, "DescribeModelPackageGroup", describe_body), 200, name)
            expect(client.get("/healthz"), 200, "healthz")
        thread = threading.Thread(target=loop, daemon=True) if background else None
        if thread is not None:
            thread.start()
            time.sleep(0.5)  # let the first big request get going
        gc.collect()
        gc.freeze()
        describe_ms: list[float] = []
        healthz_ms: list[float] = []
        try:
            for _ in range(calls):
                started = time.perf_counter()
                response = sagemaker_call(client, "DescribeModelPackageGroup", describe_body)
                describe_ms.append((time.perf_counter() - started) * 1000)
                expect(response, 200, "DescribeModelPackageGroup")
                started = time.perf_counter()
                response = client.get("/healthz")
                healthz_ms.append((time.perf_counter() - started) * 1000)
                expect(response, 200, "healthz")
                if errors:
                    break
        finally:
            stop.set()
            if thread is not None:
                thread.join()
            gc.unfreeze()
    if errors:
        raise BenchFailure(f"{name}: {errors[0]}")
    return Scenario(
        name=name,
        describe=Series("DescribeModelPackageGroup", describe_ms),
        healthz=Series("GET /healthz", healthz_ms),
        big_calls=len(big_ms),
        big_mean_ms=statistics.fmean(big_ms) if big_ms else None,
    )


@dataclass
class Refusal:
    status: int
    seconds: float
    sent_bytes: int
    stored: bool
    error: str | None


def refuse_streamed_body(server: Server) -> Refusal:
    """A 200 MB CreateModelPackageGroup streamed without Content-Length: valid JSON (padded
    with spaces), so only the size limit can refuse it."""
    name = "bench-refused"
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        head = json.dumps({"ModelPackageGroupName": name}).encode()[:-1]
        sent += len(head)
        yield head
        padding = b" " * CHUNK
        while sent + CHUNK < STREAMED_BYTES:
            sent += CHUNK
            yield padding
        sent += 1
        yield b"}"

    status, error = 0, None
    started = time.perf_counter()
    with http_client(server) as client:
        try:
            response = client.post(
                "/", content=body(), headers=sagemaker_headers("CreateModelPackageGroup")
            )
            status = response.status_code
        except httpx.TransportError as failure:
            error = f"{type(failure).__name__}: {failure}"
        seconds = time.perf_counter() - started
    with http_client(server) as client:
        described = sagemaker_call(
            client,
            "DescribeModelPackageGroup",
            json.dumps({"ModelPackageGroupName": name}).encode(),
        )
    return Refusal(status, seconds, sent, described.status_code == 200, error)


# --------------------------------------------------------------------------- the run


def run(calls: int, body_bytes: int, rest_body_bytes: int) -> int:
    add_tags = add_tags_body(body_bytes)
    rest_body = rest_card_body(rest_body_bytes)
    content = largest_card_content()
    card_counter = iter(range(10**9))

    def big_add_tags(client: httpx.Client) -> None:
        expect(sagemaker_call(client, "AddTags", add_tags), 400, "AddTags near the limit")

    def big_card(client: httpx.Client) -> None:
        body = json.dumps(
            {"ModelCardName": f"bench-card-{next(card_counter)}", "Content": content,
             "ModelCardStatus": "Draft"}
        ).encode()  # fmt: skip
        expect(sagemaker_call(client, "CreateModelCard", body), 200, "CreateModelCard")

    def big_rest(client: httpx.Client) -> None:
        response = client.post(
            "/api/v1/cards", content=rest_body, headers={"Content-Type": "application/json"}
        )
        expect(response, 422, "REST POST /cards near the limit")

    card_bytes = len(json.dumps({"ModelCardName": "bench-card-0", "Content": content}).encode())
    log(
        f"bodies: AddTags {len(add_tags):,} bytes, CreateModelCard {card_bytes:,} bytes, "
        f"REST {len(rest_body):,} bytes"
    )
    scenarios: list[Scenario] = []
    with running_server() as server:
        with http_client(server) as client:
            expect(
                sagemaker_call(
                    client,
                    "CreateModelPackageGroup",
                    json.dumps({"ModelPackageGroupName": GROUP}).encode(),
                ),
                200,
                "CreateModelPackageGroup",
            )
        plan: list[tuple[str, Background | None]] = [
            ("alone", None),
            (f"+ AddTags {len(add_tags) / MIB:.1f} MiB, back to back", big_add_tags),
            (f"+ CreateModelCard {card_bytes / MIB:.1f} MiB, back to back", big_card),
            (f"+ REST POST /cards {len(rest_body) / MIB:.1f} MiB, back to back", big_rest),
        ]
        for name, background in plan:
            log(f"measuring: {name}")
            scenarios.append(measure(server, name, calls, background))
        log("streaming a 200 MB body without Content-Length")
        refusal = refuse_streamed_body(server)
        problems = [
            line
            for line in server.log_path.read_text(errors="replace").splitlines()
            if "Traceback" in line or "ERROR" in line
        ]
    print_report(scenarios, refusal, calls, problems)
    return 1 if problems else 0


def print_report(
    scenarios: list[Scenario], refusal: Refusal, calls: int, problems: list[str]
) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\nSmall requests, {calls} of each kind in turn from one thread (ms); "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load average {load:.1f}\n"
    )
    print(
        "| background | Describe p50 | p99 | max | healthz p50 | p99 | max "
        "| big requests | big mean ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in scenarios:
        big = f"{s.big_mean_ms:,.0f}" if s.big_mean_ms is not None else ""
        cells = " | ".join([*s.describe.cells(), *s.healthz.cells()])
        print(f"| {s.name} | {cells} | {s.big_calls or ''} | {big} |")
    print("\nA 200 MB CreateModelPackageGroup streamed without Content-Length:\n")
    print("| answer | seconds | MB the client sent | group stored |")
    print("|---|---:|---:|---|")
    answer = str(refusal.status) if refusal.status else f"none ({refusal.error})"
    print(
        f"| {answer} | {refusal.seconds:.2f} | {refusal.sent_bytes / 1e6:,.1f} "
        f"| {'yes' if refusal.stored else 'no'} |"
    )
    if problems:
        print("\nServer log problems:\n" + "\n".join(problems[:20]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=500, help="small calls of each kind")
    parser.add_argument(
        "--body-bytes",
        type=int,
        default=4 * MIB - 1024,
        help="size of the big AddTags body (default: just under the 4 MiB limit)",
    )
    parser.add_argument(
        "--rest-body-bytes",
        type=int,
        default=MIB - 1024,
        help="size of the big REST body (default: just under the 1 MiB limit)",
    )
    args = parser.parse_args()
    try:
        sys.exit(run(args.calls, args.body_bytes, args.rest_body_bytes))
    except BenchFailure as failure:
        log(f"FAILED: {failure}")
        sys.exit(1)


if __name__ == "__main__":
    main()
