"""Unversioned model packages over the REST API, on both backends: created, read, listed,
updated, tagged, documented by a card and deleted; bad requests are refused and change nothing;
what is made over REST is what the SageMaker API describes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import BACKENDS, make_client
from tests.doors.rest.test_registry_rest import all_pages, ok, serving

HERE = "arn:aws:sagemaker:us-east-1:000000000000"
SPEC = {
    "Containers": [{"Image": "registry.example/churn:1", "ModelDataUrl": "s3://m/1.tgz"}],
    "SupportedTransformInstanceTypes": ["ml.m5.large"],
    "SupportedRealtimeInferenceInstanceTypes": ["ml.m5.large"],
}


@pytest.fixture(scope="module", params=BACKENDS)
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    with serving(request, tmp_path_factory) as client:
        yield client


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    return problem


def test_a_package_is_created_read_and_described_by_the_sagemaker_api(
    api: httpx.Client,
) -> None:
    created = api.post(
        "/packages",
        json={
            "name": "churn-market",
            "description": "for the marketplace",
            "inference_specification": SPEC,
            "certify_for_marketplace": True,
            "customer_metadata": {"owner": "risk"},
            "tags": {"team": "risk"},
        },
    )
    body = ok(created, 201)
    assert created.headers["Location"].endswith("/api/v1/packages/churn-market")
    assert body["arn"] == f"{HERE}:model-package/churn-market"
    assert body["inference_specification"] == SPEC
    assert body["certify_for_marketplace"] is True
    assert body["created_by"] == "alice"
    assert "approval_status" not in body
    assert ok(api.get("/packages/churn-market")) == body
    assert ok(api.get("/packages/churn-market/tags"))["tags"] == {"team": "risk"}

    sm = make_client(str(api.base_url).rstrip("/").removesuffix("/api/v1"))
    described = sm.describe_model_package(ModelPackageName=body["arn"])
    assert described["InferenceSpecification"] == SPEC
    assert described["CertifyForMarketplace"] is True
    assert described["CustomerMetadataProperties"] == {"owner": "risk"}
    assert described["CreatedBy"]["UserProfileName"] == "alice"


def test_bad_requests_are_refused_and_change_nothing(api: httpx.Client) -> None:
    ok(api.post("/packages", json={"name": "churn-bad", "inference_specification": SPEC}), 201)
    before = ok(api.get("/packages", params={"name_contains": "churn-bad"}))
    no_realtime = {k: v for k, v in SPEC.items() if k != "SupportedRealtimeInferenceInstanceTypes"}
    cases: list[tuple[str, str, dict[str, Any], int, str]] = [
        ("post", "/packages", {"name": "bad_name"}, 422, "$.name"),
        ("post", "/packages", {"name": "x", "approval_status": "Approved"}, 422, "approval_status"),
        (
            "post",
            "/packages",
            {"name": "churn-bad-spec", "inference_specification": no_realtime},
            422,
            "SupportedRealtimeInferenceInstanceTypes",
        ),
        ("post", "/packages", {"name": "churn-bad"}, 409, "already exists"),
        (
            "patch",
            "/packages/churn-bad",
            {"remove_customer_metadata": ["a"]},
            422,
            "$.remove_customer_metadata",
        ),
        ("patch", "/packages/churn-none", {"customer_metadata": {"a": "1"}}, 404, "churn-none"),
        ("delete", "/packages/churn-none", {}, 404, "churn-none"),
    ]
    for method, url, payload, status, says in cases:
        kwargs = {"json": payload} if method != "delete" else {}
        problem = _problem(api.request(method.upper(), url, **kwargs), status)
        assert says in json.dumps(problem), (url, payload, problem)
    assert ok(api.get("/packages", params={"name_contains": "churn-bad"})) == before


def test_updates_lists_tags_and_deletes(api: httpx.Client) -> None:
    for name in ("churn-list-a", "churn-list-b", "churn-list-c"):
        ok(api.post("/packages", json={"name": name, "inference_specification": SPEC}), 201)
    ok(api.post("/groups", json={"name": "churn-list"}), 201)
    ok(api.post("/groups/churn-list/versions", json={}), 201)
    items, pages = all_pages(api, "/packages", name_contains="churn-list", limit=2)
    assert [item["name"] for item in items] == ["churn-list-a", "churn-list-b", "churn-list-c"]
    assert pages == 2

    updated = ok(
        api.patch(
            "/packages/churn-list-a",
            json={
                "customer_metadata": {"stage": "review"},
                "lifecycle": {"stage": "Staging", "stage_status": "InProgress"},
            },
        )
    )
    assert updated["customer_metadata"] == {"stage": "review"}
    assert updated["lifecycle"]["stage"] == "Staging"
    ok(api.put("/packages/churn-list-b/tags", json={"tags": {"tier": "gold"}}))
    assert ok(api.get("/packages/churn-list-b/tags"))["tags"] == {"tier": "gold"}
    ok(api.delete("/packages/churn-list-b/tags/tier"), 204)
    assert ok(api.get("/packages/churn-list-b/tags"))["tags"] == {}

    card = {
        "name": "churn-list-card",
        "content": {
            "model_package_details": {"model_package_arn": f"{HERE}:model-package/churn-list-c"}
        },
    }
    ok(api.post("/cards", json=card), 201)
    problem = _problem(api.delete("/packages/churn-list-c"), 409)
    assert "documented by model card 'churn-list-card'" in problem["detail"]
    ok(api.delete("/cards/churn-list-card"), 204)
    ok(api.delete("/packages/churn-list-c"), 204)
    _problem(api.get("/packages/churn-list-c"), 404)
    items, _ = all_pages(api, "/packages", name_contains="churn-list")
    assert [item["name"] for item in items] == ["churn-list-a", "churn-list-b"]


def test_the_store_verifies_after_all_of_it(api: httpx.Client) -> None:
    """Runs last: every change above is in the audit trail, and the stored state matches it."""
    report = ok(api.post("/verify"))
    assert report["ok"] is True, report
