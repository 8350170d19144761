"""Starting requests together: a barrier per race, one boto3 client per thread and server."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from cardinal.services.container import Services
from tests.conftest import make_client
from tests.support.contexts import OPERATOR
from tests.support.server import RunningServer


@dataclass(frozen=True)
class Answer:
    """How one request ended: "OK" or the error code, with the HTTP status."""

    code: str
    status: int


def outcome(call: Callable[[], Any]) -> Answer:
    try:
        call()
    except ClientError as error:
        return Answer(
            error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]
        )
    return Answer("OK", 200)


@dataclass
class Servers:
    """The servers under test (one on SQLite, two on PostgreSQL) and their database."""

    running: list[RunningServer]
    database_url: str
    _clients: dict[int, Any] = field(default_factory=dict)

    def client(self, index: int) -> Any:
        """A client of the ``index``-th writer; writers are spread over the servers."""
        if index not in self._clients:
            server = self.running[index % len(self.running)]
            self._clients[index] = make_client(server.url, key=f"writer-{index}")
        return self._clients[index]

    def assert_audit_agrees(self) -> None:
        """Every hash chain holds and every resource's state is what its audit trail says."""
        services = Services.for_database(self.database_url)
        try:
            report = services.verification.verify_evidence(OPERATOR)
        finally:
            services.close()
        assert report.breaks == []


def race(servers: Servers, *calls: Callable[[Any], Any]) -> list[Answer]:
    """Run each call in its own thread with its own client, released together by a barrier."""
    clients = [servers.client(i + 1) for i in range(len(calls))]
    barrier = threading.Barrier(len(calls))

    def run(i: int) -> Answer:
        barrier.wait(timeout=30)
        return outcome(lambda: calls[i](clients[i]))

    with ThreadPoolExecutor(len(calls)) as pool:
        answers = list(pool.map(run, range(len(calls))))
    server_errors = [a for a in answers if a.status >= 500]
    assert server_errors == [], server_errors
    return answers
