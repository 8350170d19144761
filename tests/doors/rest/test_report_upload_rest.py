"""A report sent in the request (POST /cards/{name}/reports/upload), to a real server.

The upload takes bodies as long as a report may be (10 MiB), past the REST door's usual limit,
and refuses longer ones before reading them; a refused report changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from cardinal.domain.report_kinds import MAX_REPORT_BYTES
from tests.support.server import RunningServer, sqlite_server
from tests.unit.reports.support import DATA

CARD = "churn-card"
METRICS = (DATA / "model_card_metrics.all-types.json").read_bytes()
UPLOAD = f"/cards/{CARD}/reports/upload"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with sqlite_server(tmp_path_factory.mktemp("uploads")) as running:
        yield running


@pytest.fixture(scope="module")
def api(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{server.url}/api/v1", timeout=60) as client:
        made = client.post("/cards", json={"name": CARD, "content": {}})
        assert made.status_code == 201, made.text
        yield client


def upload(api: httpx.Client, body: bytes, **params: str) -> httpx.Response:
    query = {"kind": "model_card_metrics", "evaluation": "holdout", **params}
    return api.post(
        UPLOAD, content=body, params=query, headers={"Content-Type": "application/json"}
    )


def card(api: httpx.Client) -> Any:
    return api.get(f"/cards/{CARD}").json()


def test_a_report_longer_than_the_usual_body_limit_is_attached(api: httpx.Client) -> None:
    padded = METRICS + b" " * (2 * 1024 * 1024)
    answer = upload(api, padded, source="holdout-metrics.json")
    assert answer.status_code == 201, answer.text
    attached = answer.json()
    assert attached["source"] == "holdout-metrics.json"
    assert attached["evaluation"] == "holdout"
    assert answer.headers["ETag"] == f'"v{attached["version"]}"'
    stored = card(api)
    assert stored["version"] == attached["version"]
    groups = stored["content"]["evaluation_details"][0]["metric_groups"]
    assert [g["name"] for g in groups] == attached["groups_added"]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b'{"metric_groups": ', 422, "holdout-metrics.json"),
        (b'{"metric_groups": [], "metric_groups": []}', 422, "holdout-metrics.json"),
        (b"\xff\xfe", 422, "not UTF-8"),
        (METRICS + b" " * MAX_REPORT_BYTES, 413, f"{MAX_REPORT_BYTES:,} bytes"),
    ],
)
def test_a_refused_report_changes_nothing(
    api: httpx.Client, body: bytes, status: int, says: str
) -> None:
    before = card(api)
    answer = upload(api, body, source="holdout-metrics.json")
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert says in answer.json()["detail"]
    assert card(api) == before


def test_other_paths_keep_the_usual_limit(api: httpx.Client) -> None:
    before = card(api)
    content = {"model_overview": {"model_description": "x" * (2 * 1024 * 1024)}}
    answer = api.put(f"/cards/{CARD}/content", json={"content": content})
    assert answer.status_code == 413, answer.text
    assert card(api) == before
