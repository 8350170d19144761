"""A report sent in the request (POST /cards/{name}/reports/upload/{kind}), to a real server.

The upload takes bodies as long as a report may be (10 MiB), past the REST door's usual limit,
and refuses longer ones before reading them; a refused report changes nothing. Each kind has its
own path, whose body the OpenAPI document declares by the kind's JSON Schema, and every report
that schema admits is attached.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from cardinal.content.reports.schemas import REPORT_DEFINITIONS, REPORT_SCHEMAS
from cardinal.domain.report_kinds import MAX_REPORT_BYTES, ReportKind
from tests.support.server import RunningServer, sqlite_server
from tests.unit.reports.schema_documents import reports
from tests.unit.reports.support import DATA

CARD = "churn-card"
METRICS = (DATA / "model_card_metrics.all-types.json").read_bytes()
UPLOAD = f"/cards/{CARD}/reports/upload/model_card_metrics"


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
    query = {"evaluation": "holdout", **params}
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


def test_the_old_upload_path_is_gone(api: httpx.Client) -> None:
    answer = api.post(
        f"/cards/{CARD}/reports/upload",
        content=METRICS,
        params={"kind": "model_card_metrics", "evaluation": "holdout"},
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code in (404, 405), answer.text


def _in_components(schema: Any) -> Any:
    text = json.dumps(schema).replace('"#/$defs/', '"#/components/schemas/')
    return json.loads(text)


def test_the_document_publishes_each_kinds_report_schema(api: httpx.Client) -> None:
    document = api.get("/openapi.json").json()
    paths = document["paths"]
    components = document["components"]["schemas"]
    for name, definition in REPORT_DEFINITIONS.items():
        assert components[name] == _in_components(definition)
    uploads = sorted(path for path in paths if "/reports/upload" in path)
    assert uploads == sorted(f"/cards/{{name}}/reports/upload/{kind}" for kind in ReportKind)
    for kind in ReportKind:
        operation = paths[f"/cards/{{name}}/reports/upload/{kind}"]["post"]
        body = operation["requestBody"]
        assert body["required"] is True
        assert body["content"]["application/json"]["schema"] == _in_components(REPORT_SCHEMAS[kind])
        params = {p["name"]: p["required"] for p in operation["parameters"] if p["in"] != "header"}
        assert params == {"name": True, "evaluation": True, "source": False}


_cards = itertools.count()


@pytest.mark.parametrize("kind", list(ReportKind))
def test_every_report_its_schema_admits_is_attached(api: httpx.Client, kind: ReportKind) -> None:
    @settings(
        max_examples=5,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(reports(kind))
    def attached(document: Any) -> None:
        name = f"generated-{next(_cards)}"
        assert api.post("/cards", json={"name": name, "content": {}}).status_code == 201
        answer = api.post(
            f"/cards/{name}/reports/upload/{kind}",
            content=json.dumps(document).encode(),
            params={"evaluation": "generated"},
            headers={"Content-Type": "application/json"},
        )
        assert answer.status_code == 201, answer.text
        assert answer.json()["kind"] == kind

    attached()
