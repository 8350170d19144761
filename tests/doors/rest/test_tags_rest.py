"""Tags over the REST API: the same three operations at every resource's ``.../tags`` URL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import BACKENDS
from tests.doors.rest.test_registry_rest import client_of, serving
from tests.support.server import RunningServer

ARN = "arn:aws:sagemaker:us-east-1:000000000000"
RESOURCES = [
    ("/groups/churn", f"{ARN}:model-package-group/churn"),
    ("/groups/churn/versions/1", f"{ARN}:model-package/churn/1"),
    ("/cards/churn-card", f"{ARN}:model-card/churn-card"),
]


def with_resources(client: httpx.Client) -> httpx.Client:
    assert client.post("/groups", json={"name": "churn"}).status_code == 201
    assert client.post("/groups/churn/versions", json={}).status_code == 201
    card = {"name": "churn-card", "content": {}, "tags": {"kind": "card"}}
    assert client.post("/cards", json=card).status_code == 201
    return client


@pytest.fixture
def api(server: RunningServer) -> Iterator[httpx.Client]:
    with client_of(server) as client:
        yield with_resources(client)


@pytest.fixture(scope="module", params=BACKENDS)
def shared_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """One server for the bad-request table: each request must leave the tags as they were."""
    with serving(request, tmp_path_factory) as client:
        yield with_resources(client)


def tags(api: httpx.Client, resource: str) -> Any:
    response = api.get(f"{resource}/tags")
    assert response.status_code == 200, response.text
    return response.json()["tags"]


def test_add_overwrite_remove_on_every_resource(api: httpx.Client) -> None:
    assert tags(api, "/cards/churn-card") == {"kind": "card"}
    for resource, arn in RESOURCES:
        put = api.put(f"{resource}/tags", json={"tags": {"team": "risk", "tier": "gold"}})
        assert put.status_code == 200, put.text
        assert put.json()["arn"] == arn
        assert {"team": "risk", "tier": "gold"}.items() <= put.json()["tags"].items()

        overwritten = api.put(f"{resource}/tags", json={"tags": {"tier": "silver"}})
        assert overwritten.json()["tags"]["tier"] == "silver"
        assert overwritten.json()["tags"]["team"] == "risk"

        assert api.delete(f"{resource}/tags/team").status_code == 204
        assert "team" not in tags(api, resource)
        # Removing a tag that is not there is not an error, and changes nothing.
        assert api.delete(f"{resource}/tags/team").status_code == 204
        assert tags(api, resource)["tier"] == "silver"
    # Tags of one resource are not another's.
    assert tags(api, "/groups/churn") == {"tier": "silver"}
    assert tags(api, "/cards/churn-card") == {"kind": "card", "tier": "silver"}


def test_keys_with_slashes_and_unicode(api: httpx.Client) -> None:
    body = {"tags": {"team/owner": "ana", "kostenstelle": "Zürich", "a:b=c+d@e": ""}}
    assert api.put("/groups/churn/tags", json=body).status_code == 200
    assert tags(api, "/groups/churn") == body["tags"]
    assert api.delete("/groups/churn/tags/team/owner").status_code == 204
    assert api.delete("/groups/churn/tags/a:b=c+d@e").status_code == 204
    assert tags(api, "/groups/churn") == {"kostenstelle": "Zürich"}


def test_fifty_tags_at_most(api: httpx.Client) -> None:
    fifty = {f"k{i}": "v" for i in range(50)}
    assert api.put("/groups/churn/tags", json={"tags": fifty}).status_code == 200
    assert api.put("/groups/churn/tags", json={"tags": {"k0": "new"}}).status_code == 200
    refused = api.put("/groups/churn/tags", json={"tags": {"one-more": "v"}})
    assert refused.status_code == 422
    assert refused.json()["type"].endswith("/limit-exceeded")
    assert len(tags(api, "/groups/churn")) == 50


def test_deleting_a_version_takes_its_tags(api: httpx.Client) -> None:
    assert api.put("/groups/churn/versions/1/tags", json={"tags": {"a": "1"}}).status_code == 200
    assert api.delete("/groups/churn/versions/1").status_code == 204
    assert api.post("/groups/churn/versions", json={}).json()["version"] == 2
    assert api.get("/groups/churn/versions/1/tags").status_code == 404


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "path"),
    [
        ("get", "/groups/missing/tags", None, 404, None),
        ("get", "/groups/churn/versions/2/tags", None, 404, None),
        ("get", "/cards/missing/tags", None, 404, None),
        ("put", "/groups/missing/tags", {"tags": {"a": "1"}}, 404, None),
        ("put", "/groups/churn/versions/9/tags", {"tags": {"a": "1"}}, 404, None),
        ("put", "/cards/missing/tags", {"tags": {"a": "1"}}, 404, None),
        ("delete", "/groups/missing/tags/a", None, 404, None),
        ("delete", "/cards/missing/tags/a", None, 404, None),
        ("put", "/groups/churn/tags", {"tags": {"a": 1}}, 422, "$.tags.a"),
        ("put", "/groups/churn/tags", {"tags": {"": "v"}}, 422, None),
        ("put", "/groups/churn/tags", {"tags": {"a$b": "v"}}, 422, None),
        ("put", "/groups/churn/tags", {"tags": {"k": "x" * 257}}, 422, "$.tags.k"),
        ("put", "/groups/churn/tags", {"tags": {"k" * 129: "v"}}, 422, None),
        ("put", "/groups/churn/tags", {"tags": {f"k{i}": "v" for i in range(51)}}, 422, None),
        ("put", "/groups/churn/tags", {"a": "1"}, 422, "$.tags"),
        ("put", "/groups/churn/tags", {"tags": {}, "more": 1}, 422, "$.more"),
        ("put", "/groups/bad_name/tags", {"tags": {"a": "1"}}, 422, "$.group"),
        ("put", "/groups/churn/versions/0/tags", {"tags": {"a": "1"}}, 422, "$.version"),
        ("delete", "/groups/churn/tags/a$b", None, 422, "$.key"),
    ],
)
def test_bad_requests_get_problems_and_change_nothing(
    shared_api: httpx.Client, method: str, url: str, body: object, status: int, path: str | None
) -> None:
    api = shared_api
    before = [tags(api, resource) for resource, _ in RESOURCES]
    response = api.request(method, url, json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == status
    if path is not None:
        assert response.json()["path"] == path
    assert [tags(api, resource) for resource, _ in RESOURCES] == before


RESERVED = "System prefix 'aws:' reserved for AWS usage in tag key"


def audit(api: httpx.Client) -> Any:
    response = api.get("/audit", params={"limit": 100})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def refused(response: httpx.Response, path: str, says: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/invalid-input")
    assert response.json()["path"] == path
    assert says in response.json()["detail"]


@pytest.mark.parametrize("key", ["aws:owner", "AWS:owner", "Aws:cost"])
def test_reserved_keys_are_refused_everywhere(shared_api: httpx.Client, key: str) -> None:
    api = shared_api
    before = ([tags(api, resource) for resource, _ in RESOURCES], audit(api))
    for resource, _ in RESOURCES:
        body = {"tags": {"good": "1", key: "v"}}
        refused(api.put(f"{resource}/tags", json=body), "$.tags", f"{RESERVED}: {key}")
        refused(api.delete(f"{resource}/tags/{key}"), "$.key", f"{RESERVED}: {key}")
    group = {"name": "new-group", "tags": {key: "v"}}
    refused(api.post("/groups", json=group), "$.tags", f"{RESERVED}: {key}")
    card = {"name": "new-card", "content": {}, "tags": {"team": "a", key: "v"}}
    refused(api.post("/cards", json=card), "$.tags", f"{RESERVED}: {key}")
    assert api.get("/groups/new-group").status_code == 404
    assert api.get("/cards/new-card").status_code == 404
    assert ([tags(api, resource) for resource, _ in RESOURCES], audit(api)) == before


def test_duplicate_keys_in_a_json_object_are_refused(shared_api: httpx.Client) -> None:
    """JSON parsers keep the last of two equal member names; a tags object that names a key
    twice is refused instead of guessing which value was meant."""
    api = shared_api
    before = ([tags(api, resource) for resource, _ in RESOURCES], audit(api))
    headers = {"content-type": "application/json"}
    for body in (
        '{"tags": {"team": "a", "team": "b"}}',
        '{"tags": {"kind": "card", "new": "1", "kind": "card"}}',
    ):
        for resource, _ in RESOURCES:
            answer = api.put(f"{resource}/tags", content=body, headers=headers)
            refused(answer, "$.tags", "Duplicate tag key: ")
    assert ([tags(api, resource) for resource, _ in RESOURCES], audit(api)) == before


def test_aws_elsewhere_in_keys_and_values_is_fine(api: httpx.Client) -> None:
    body = {"tags": {"aws": "1", "team:aws:x": "2", "awsome": "3", "owner": "aws:someone"}}
    assert api.put("/groups/churn/tags", json=body).status_code == 200
    assert tags(api, "/groups/churn") == body["tags"]
    assert api.delete("/groups/churn/tags/team:aws:x").status_code == 204
    assert "team:aws:x" not in tags(api, "/groups/churn")
