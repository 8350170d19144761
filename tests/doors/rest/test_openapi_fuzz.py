"""Schemathesis against the published OpenAPI of a real server: no 5xx, and every answer is
one the document promises (status code, content type, body schema).

It runs once against a server on SQLite and once against one on PostgreSQL (the backends store
text differently, and no input may reach a backend that refuses it); each run is bounded and
deterministic: a fixed number of examples per operation, derandomized, no shrinking, no example
database.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.schemas import BaseSchema

from tests.conftest import BACKENDS
from tests.support.databases import PostgresDatabases, sqlite_url
from tests.support.server import RunningServer, start_server

MAX_EXAMPLES = 25
HEADERS = {"X-Cardinal-Actor": "fuzz"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module", params=BACKENDS)
def fuzzed_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    directory = tmp_path_factory.mktemp("fuzz")
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = sqlite_url(directory)
        else:
            databases: PostgresDatabases = request.getfixturevalue("postgres")
            url = stack.enter_context(databases.fresh())
        running = start_server(url, directory / "server")
        stack.callback(running.stop)
        yield running


@pytest.fixture(scope="module")
def published(fuzzed_server: RunningServer) -> BaseSchema:
    schema = schemathesis.openapi.from_url(f"{fuzzed_server.url}/api/v1/openapi.json")
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=MAX_EXAMPLES,
        deterministic=True,
        no_shrink=True,
        allow_x00=True,
    )
    return schema


def _fuzz(
    operation: APIOperation[Any, Any, Any, Any], mode: GenerationMode, found: list[str]
) -> None:
    """Run ``operation`` with generated cases; note each failing request (a few per operation)."""
    failures = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Case) -> None:  # type: ignore[type-arg]
        nonlocal failures
        try:
            case.call_and_validate(checks=CHECKS, headers=HEADERS, timeout=30)
        except (AssertionError, FailureGroup, Failure) as failure:
            failures += 1
            if failures <= 3:
                found.append(f"{operation.label} ({mode.value}): {str(failure)[:1500]}")

    try:
        run()
    except Unsatisfiable:
        # An operation with nothing to get wrong (POST /verify) has no negative cases.
        if mode is GenerationMode.POSITIVE:
            raise


def test_the_published_api_keeps_its_promises(published: BaseSchema) -> None:
    found: list[str] = []
    operations = [result.ok() for result in published.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) > 10
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, found)
    assert not found, f"{len(found)} failing requests:\n\n" + "\n\n".join(found)
