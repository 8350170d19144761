"""Search with the filter language, the audit trail, verify and report attachment over REST."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from cardinal.services.container import Services
from tests.support.server import RunningServer, start_server
from tests.unit.reports.s3server import s3_server

ARN = "arn:aws:sagemaker:us-east-1:000000000000"


@pytest.fixture
def api(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=f"{server.url}/api/v1", headers={"X-Cardinal-Actor": "alice"}, timeout=30
    ) as client:
        yield client


def card(api: httpx.Client, name: str, risk: str, status: str = "Draft", **extra: Any) -> None:
    body = {"name": name, "content": {"intended_uses": {"risk_rating": risk}}, "status": status}
    created = api.post("/cards", json={**body, **extra})
    assert created.status_code == 201, created.text


def names(page: httpx.Response) -> list[str]:
    assert page.status_code == 200, page.text
    return [item["name"] for item in page.json()["items"]]


def test_search_cards_with_the_filter_language(api: httpx.Client) -> None:
    card(api, "churn-a", "High", tags={"team": "retention"})
    card(api, "churn-b", "Low", "PendingReview")
    card(api, "fraud", "High", "Approved")

    def search(q: str, **params: Any) -> list[str]:
        return names(api.get("/search/cards", params={"q": q, "sort": "name", **params}))

    assert search("", order="asc") == ["churn-a", "churn-b", "fraud"]
    assert search("risk = High") == ["fraud", "churn-a"]
    assert search("name ~ churn and status in (Draft, PendingReview)", order="asc") == [
        "churn-a",
        "churn-b",
    ]
    assert search("tag.team = retention") == ["churn-a"]
    assert search("not exists tag.team and (risk = Low or status = Approved)") == [
        "fraud",
        "churn-b",
    ]
    assert search('ModelCardName = "fraud" and version >= 1') == ["fraud"]
    assert search("created > 2000-01-01T00:00:00 and created < 2000-01-02") == []

    hit = api.get("/search/cards", params={"q": "name = churn-a"}).json()["items"][0]
    assert hit["risk_rating"] == "High"
    assert hit["status"] == "Draft"
    assert hit["latest_version"] == 1
    assert hit["arn"] == f"{ARN}:model-card/churn-a"
    assert set(hit) == {
        "name",
        "arn",
        "status",
        "latest_version",
        "risk_rating",
        "model_package_arn",
        "last_modified_at",
    }


def test_search_pages_follow_next_links(api: httpx.Client) -> None:
    for i in range(5):
        card(api, f"card-{i}", "Low")
    seen: list[str] = []
    url: str | None = "/search/cards?q=risk%20%3D%20Low&sort=created&order=asc&limit=2"
    while url is not None:
        page = api.get(url)
        seen += names(page)
        url = page.json()["next"]
    assert seen == [f"card-{i}" for i in range(5)]


def test_search_packages_and_groups(api: httpx.Client, sagemaker: Any) -> None:
    sagemaker.create_model_package_group(
        ModelPackageGroupName="customer-churn", Tags=[{"Key": "team", "Value": "retention"}]
    )
    sagemaker.create_model_package_group(ModelPackageGroupName="fraud")
    for _ in range(3):
        sagemaker.create_model_package(ModelPackageGroupName="customer-churn")
    sagemaker.update_model_package(
        ModelPackageArn=f"{ARN}:model-package/customer-churn/2",
        ModelApprovalStatus="Approved",
        ApprovalDescription="looks good",
    )

    packages = api.get(
        "/search/packages",
        params={"q": "group = customer-churn and version >= 2", "sort": "version"},
    ).json()["items"]
    assert [(p["name"], p["version"]) for p in packages] == [
        ("customer-churn/3", 3),
        ("customer-churn/2", 2),
    ]
    approved = api.get("/search/packages", params={"q": "approval = Approved"}).json()["items"]
    assert approved == [
        {
            "name": "customer-churn/2",
            "group": "customer-churn",
            "version": 2,
            "arn": f"{ARN}:model-package/customer-churn/2",
            "approval_status": "Approved",
            "last_modified_at": approved[0]["last_modified_at"],
        }
    ]
    described = api.get(
        "/search/packages", params={"q": "not exists approval_description", "sort": "version"}
    )
    assert [p["version"] for p in described.json()["items"]] == [3, 1]

    groups = api.get("/search/groups", params={"q": "tag.team = retention"}).json()["items"]
    assert [(g["name"], g["arn"]) for g in groups] == [
        ("customer-churn", f"{ARN}:model-package-group/customer-churn")
    ]
    assert names(api.get("/search/groups", params={"sort": "name", "order": "asc"})) == [
        "customer-churn",
        "fraud",
    ]


BAD_SEARCHES = [
    ("cards", {"q": "group = customer-churn and risk ="}, "at column 34: expected a value", "$.q"),
    ("cards", {"q": "approval = Approved"}, "'approval' is not a property of ModelCard", "$.q"),
    ("cards", {"q": "name > x"}, "compares numbers and times", "$.q"),
    ("cards", {"q": "name ~ a or model ~ b"}, "CONTAINS", "$.q"),
    ("cards", {"q": "name = a\x00"}, "NUL character", "$.q"),
    ("packages", {"q": "version = two"}, "'two' is not a number", "$.q"),
    ("groups", {"q": "(name = x"}, "expected ')'", "$.q"),
    ("cards", {"sort": "risk"}, "cannot be sorted by 'RiskRating'", "$.sort"),
    ("cards", {"sort": "nonsense"}, "'nonsense' is not a searchable property", "$.sort"),
    ("cards", {"next": "garbage"}, "", "$.next"),
    ("cards", {"order": "sideways"}, "", "$.order"),
    ("cards", {"q": "x" * 5000}, "", "$.q"),
]


def test_bad_searches_are_problems_at_the_query_parameter(api: httpx.Client) -> None:
    for resource, params, detail, path in BAD_SEARCHES:
        answer = api.get(f"/search/{resource}", params=params)
        assert answer.status_code == 422, (params, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert detail in answer.json()["detail"], (params, answer.text)
        assert answer.json()["path"] == path, (params, answer.text)


def test_audit_trail_filters_and_pages(api: httpx.Client) -> None:
    card(api, "audited", "Low")
    api.put("/cards/audited/status", json={"status": "PendingReview"})
    api.put(
        "/cards/audited/content",
        json={"content": {"intended_uses": {"risk_rating": "High"}}},
        headers={"X-Cardinal-Actor": "bob"},
    )
    card(api, "other", "Low")
    arn = f"{ARN}:model-card/audited"

    events = api.get("/audit", params={"resource": arn}).json()["items"]
    assert [(e["action"], e["actor"]) for e in events] == [
        ("model-card:create", "alice"),
        ("model-card:status", "alice"),
        ("model-card:content", "bob"),
    ]
    first, second = events[0], events[1]
    assert second["previous_sha256"] == first["sha256"]
    assert first["after"] is not None
    assert {"seq", "occurred_at", "request_id", "before"} <= set(first)

    assert [e["actor"] for e in api.get("/audit", params={"actor": "bob"}).json()["items"]] == [
        "bob"
    ]
    creates = api.get("/audit", params={"action": "model-card:create", "order": "desc"})
    assert [e["resource_arn"] for e in creates.json()["items"]] == [
        f"{ARN}:model-card/other",
        arn,
    ]
    assert api.get("/audit", params={"since": "2999-01-01T00:00:00"}).json()["items"] == []
    assert api.get("/audit", params={"until": "2000-01-01T00:00:00Z"}).json()["items"] == []
    assert (
        len(api.get("/audit", params={"since": "2000-01-01T00:00:00+02:00"}).json()["items"]) == 4
    )

    seqs: list[int] = []
    url: str | None = "/audit?limit=3&order=desc"
    while url is not None:
        page = api.get(url).json()
        seqs += [e["seq"] for e in page["items"]]
        url = page["next"]
    assert seqs == [4, 3, 2, 1]


BAD_AUDIT_QUERIES = [
    {"action": "model-card:explode"},
    {"since": "yesterday"},
    {"order": "up"},
    {"limit": "0"},
    {"limit": "101"},
    {"next": "not-a-token"},
    {"actor": "a\x00b"},
    {"since": "0001-01-01T00:00:00+05:00"},
]


def test_bad_audit_queries_are_problems(api: httpx.Client) -> None:
    for params in BAD_AUDIT_QUERIES:
        answer = api.get("/audit", params=params)
        assert answer.status_code == 422, (params, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"


def test_verify_reports_ok_then_the_break(api: httpx.Client, services: Services) -> None:
    card(api, "kept", "Low")
    api.put("/cards/kept/content", json={"content": {"intended_uses": {"risk_rating": "High"}}})
    report = api.post("/verify")
    assert report.status_code == 200, report.text
    assert report.json() == {
        "ok": True,
        "card_versions": 2,
        "package_card_versions": 0,
        "audit_events": 2,
        "resources": 1,
        "resources_before_trail": 0,
        "breaks": [],
    }

    with services.store.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE model_card_versions SET content = REPLACE(content, 'Low', 'Medium') "
                "WHERE version = 1"
            )
        )
    broken = api.post("/verify")
    assert broken.status_code == 200
    assert broken.json()["ok"] is False
    found = broken.json()["breaks"][0]
    assert (found["position"], found["field"]) == ("version 1", "content_sha256")
    assert found["stored"] != found["recomputed"]


@pytest.fixture
def s3_api(database_url: str, tmp_path: Path) -> Iterator[tuple[httpx.Client, Any]]:
    """A server that reads reports from an S3-compatible server on 127.0.0.1."""
    with s3_server() as s3:
        env = {
            "CARDINAL_S3_ENDPOINT_URL": s3.endpoint_url,
            "CARDINAL_S3_ACCESS_KEY_ID": s3.settings.access_key_id or "",
            "CARDINAL_S3_SECRET_ACCESS_KEY": s3.settings.secret_access_key or "",
            "CARDINAL_S3_REGION": s3.settings.region or "",
        }
        running = start_server(database_url, tmp_path / "s3-server", extra_env=env)
        try:
            with httpx.Client(
                base_url=f"{running.url}/api/v1", headers={"X-Cardinal-Actor": "alice"}, timeout=30
            ) as client:
                yield client, s3.client()
        finally:
            running.stop()


def test_attach_a_report_to_a_card(s3_api: tuple[httpx.Client, Any], tmp_path: Path) -> None:
    api, s3 = s3_api
    card(api, "scored", "Low")
    report = tmp_path / "metrics.json"
    report.write_text(
        json.dumps(
            {
                "metric_groups": [
                    {
                        "name": "binary",
                        "metric_data": [{"name": "auc", "type": "number", "value": 0.91}],
                    }
                ]
            }
        )
    )
    local = api.post(
        "/cards/scored/reports",
        json={"location": str(report), "kind": "model_card_metrics", "evaluation": "holdout"},
    )
    assert local.status_code == 422
    assert "the server reads reports from S3 only" in local.json()["detail"]
    s3.create_bucket(Bucket="reports")
    s3.put_object(
        Bucket="reports",
        Key="metrics.json",
        Body=report.read_bytes(),
        ContentType="application/json",
    )
    uri = "s3://reports/metrics.json"
    body = {"location": uri, "kind": "model_card_metrics", "evaluation": "holdout"}
    attached = api.post("/cards/scored/reports", json=body)
    assert attached.status_code == 201, attached.text
    assert attached.json() == {
        "name": "scored",
        "version": 2,
        "evaluation": "holdout",
        "kind": "model_card_metrics",
        "source": uri,
        "created_evaluation": True,
        "groups_added": ["binary"],
        "groups_replaced": [],
    }
    assert attached.headers["ETag"] == '"v2"'
    assert attached.headers["Location"] == "/api/v1/cards/scored/versions/2"
    content = api.get("/cards/scored").json()["content"]
    assert content["evaluation_details"][0]["metric_groups"][0]["name"] == "binary"

    again = api.post("/cards/scored/reports", json=body).json()
    assert (again["version"], again["groups_replaced"]) == (3, ["binary"])

    missing = api.post("/cards/nobody/reports", json=body)
    assert missing.status_code == 404
    absent = api.post("/cards/scored/reports", json={**body, "location": "s3://reports/none.json"})
    assert absent.status_code == 404
    assert absent.json()["detail"] == (
        "Report s3://reports/none.json: cannot read it: bucket 'reports' has no object 'none.json'"
    )
    no_bucket = api.post("/cards/scored/reports", json={**body, "location": "s3://nobody/a.json"})
    assert no_bucket.status_code == 404
    assert "there is no bucket 'nobody'" in no_bucket.json()["detail"]
    wrong_kind = api.post("/cards/scored/reports", json={**body, "kind": "clarify_bias"})
    assert wrong_kind.status_code == 422
    assert api.get("/cards/scored").json()["version"] == 3

    api.put("/cards/scored/status", json={"status": "Archived"})
    archived = api.post("/cards/scored/reports", json=body)
    assert archived.status_code == 409
    assert archived.headers["content-type"] == "application/problem+json"


def test_a_server_given_no_s3_store_reads_no_report_from_s3(api: httpx.Client) -> None:
    card(api, "unscored", "Low")
    body = {"location": "s3://reports/metrics.json", "kind": "model_monitor", "evaluation": "e"}

    refused = api.post("/cards/unscored/reports", json=body)
    missing = api.post("/cards/nobody/reports", json=body)

    assert refused.status_code == 403
    assert refused.json()["rule"] == "s3_settings"
    assert "CARDINAL_S3_ENDPOINT_URL or CARDINAL_S3_ACCESS_KEY_ID" in refused.json()["detail"]
    assert missing.status_code == 403
    assert api.get("/cards/unscored").json()["version"] == 1
