"""Every error of the REST door is problem details (RFC 9457), a 500 included.

The routing and parsing errors Starlette and FastAPI raise (404, 405, a body that is not JSON or
not UTF-8) come back as ``application/problem+json``. An unexpected failure, here a database
that has lost a table, is answered with a problem that names a request id and not the error;
the server log has the error and its traceback under that id, logged once.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.databases import sqlite_url
from tests.support.server import RunningServer, start_server

PROBLEM = "application/problem+json"
AUTH = (
    "AWS4-HMAC-SHA256 Credential=alice/20261125/us-east-1/sagemaker/aws4_request, "
    "SignedHeaders=host, Signature=abcd"
)


@pytest.fixture
def api(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{server.url}/api/v1", timeout=30, trust_env=False) as client:
        yield client


def assert_problem(answer: httpx.Response, status: int) -> dict[str, object]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    problem: dict[str, object] = answer.json()
    assert problem["status"] == status
    assert str(problem["type"]).startswith("https://")
    assert problem["title"]
    assert problem["detail"]
    return problem


@pytest.mark.parametrize("backend", ["sqlite"])
def test_routing_and_parsing_errors_are_problems(api: httpx.Client) -> None:
    assert_problem(api.get("/nothing-here"), 404)

    not_allowed = api.put("/groups", json={})
    assert_problem(not_allowed, 405)
    assert "POST" in not_allowed.headers["allow"]

    broken_json = api.post(
        "/groups", content=b'{"name": ', headers={"Content-Type": "application/json"}
    )
    assert_problem(broken_json, 422)

    not_utf8 = api.post(
        "/groups", content=b'{"name": "\xff\xfe"}', headers={"Content-Type": "application/json"}
    )
    assert_problem(not_utf8, 400)

    assert api.get("/groups").json()["items"] == []


@pytest.fixture
def broken_server(tmp_path: Path) -> Iterator[RunningServer]:
    """A server whose SQLite database has lost the table of model package groups."""
    url = sqlite_url(tmp_path / "db")
    running = start_server(url, tmp_path / "server")
    with sqlite3.connect(tmp_path / "db" / "cardinal.db") as database:
        database.execute("DROP TABLE model_package_groups")
    yield running
    running.stop()


def test_an_unexpected_failure_is_a_problem_naming_a_logged_request_id(
    broken_server: RunningServer,
) -> None:
    answer = httpx.get(f"{broken_server.url}/api/v1/groups", timeout=30, trust_env=False)

    problem = assert_problem(answer, 500)
    assert str(problem["type"]).endswith("/internal-error")
    request_id = str(problem["request_id"])
    assert re.fullmatch(r"[0-9a-f-]{36}", request_id)
    assert request_id in str(problem["detail"])
    assert "model_package_groups" not in answer.text
    assert "no such table" not in answer.text.lower()

    log = broken_server.log.read_text()
    assert f"request {request_id} failed: GET '/api/v1/groups'" in log
    assert "no such table: model_package_groups" in log
    assert log.count(" ERROR ") == 1
    assert "Exception in ASGI application" not in log

    # The server goes on serving what the database still holds, on both doors.
    assert httpx.get(f"{broken_server.url}/healthz", timeout=10, trust_env=False).is_success
    cards = httpx.get(f"{broken_server.url}/api/v1/cards", timeout=10, trust_env=False)
    assert cards.status_code == 200, cards.text
    failed = httpx.post(
        broken_server.url,
        content=b'{"ModelPackageGroupName": "churn"}',
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "SageMaker.DescribeModelPackageGroup",
            "Authorization": AUTH,
        },
        timeout=10,
        trust_env=False,
    )
    assert failed.status_code == 500
    assert failed.json()["__type"] == "InternalFailure"
    assert "no such table" not in failed.text.lower()
