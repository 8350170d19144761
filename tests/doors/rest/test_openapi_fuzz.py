"""Schemathesis against the published OpenAPI of a real server: no 5xx, and every answer is
one the document promises (status code, content type, body schema), and every request the
document calls valid is accepted (positive data acceptance), on every operation.

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
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import PositiveDataAcceptanceConfig
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
# A request the document calls valid is accepted: answered, or refused only for what the store
# holds (a random name that names nothing, a state that forbids the change, a stale version),
# never for its shape.
ACCEPTED = ["2xx", "403", "404", "409", "412"]
# A filter (``q``) is a sentence of the search language, which no JSON Schema describes;
# tests/doors/rest/test_search_audit_rest.py covers it. Valid requests leave it out.
GRAMMAR_PARAMETERS = {"q"}


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
    )
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=ACCEPTED
    )
    return schema


def _fuzz(
    operation: APIOperation[Any, Any, Any, Any], mode: GenerationMode, found: list[str]
) -> None:
    """Run ``operation`` with generated cases; note each failing request (a few per operation)."""
    failures = 0
    # NUL is refused in any text of any request, a rule the document states in its description
    # but that JSON Schema can't put on free-form content: only requests meant to be refused
    # carry it.
    operation.schema.config.generation.update(allow_x00=mode is GenerationMode.NEGATIVE)
    checks = [*CHECKS, positive_data_acceptance] if mode is GenerationMode.POSITIVE else CHECKS

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
        if mode is GenerationMode.POSITIVE and case.query:
            case.query = {k: v for k, v in case.query.items() if k not in GRAMMAR_PARAMETERS}
        try:
            case.call_and_validate(checks=checks, headers=HEADERS, timeout=30)
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
