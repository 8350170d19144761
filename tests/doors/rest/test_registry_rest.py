"""The model registry over the REST API: groups, versions, approval, metadata, lifecycle, deletes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import httpx
import pytest

from tests.conftest import BACKENDS
from tests.support.databases import module_database
from tests.support.server import RunningServer, start_server

SPEC = {"Containers": [{"Image": "registry.example/churn:1", "ModelDataUrl": "s3://m/1.tgz"}]}


def client_of(server: RunningServer) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.url}/api/v1", headers={"X-Cardinal-Actor": "alice"}, timeout=30
    )


@pytest.fixture
def api(server: RunningServer) -> Iterator[httpx.Client]:
    with client_of(server) as client:
        yield client


@contextmanager
def serving(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """A server on a fresh database of the backend in ``request.param``, for a whole module."""
    with ExitStack() as stack:
        url = module_database(request, tmp_path_factory, stack)
        running = start_server(url, tmp_path_factory.mktemp("server"))
        stack.callback(running.stop)
        yield stack.enter_context(client_of(running))


@pytest.fixture(scope="module", params=BACKENDS)
def shared_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[httpx.Client]:
    """One server for the bad-request table: each request must leave the state as it was."""
    with serving(request, tmp_path_factory) as client:
        ok(client.post("/groups", json={"name": "churn", "tags": {"team": "risk"}}), 201)
        ok(client.post("/groups/churn/versions", json={"customer_metadata": {"a": "1"}}), 201)
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def all_pages(api: httpx.Client, url: str, **params: Any) -> tuple[list[Any], int]:
    """Every item of a list, following ``next`` links; and how many pages it took."""
    page = ok(api.get(url, params=params))
    items, pages = list(page["items"]), 1
    while page["next"] is not None:
        page = ok(api.get(page["next"]))
        items.extend(page["items"])
        pages += 1
    return items, pages


def test_churn_story(api: httpx.Client) -> None:
    created = api.post(
        "/groups",
        json={"name": "customer-churn", "description": "Who leaves", "tags": {"team": "risk"}},
    )
    group = ok(created, 201)
    assert created.headers["Location"].endswith("/api/v1/groups/customer-churn")
    assert group["arn"] == (
        "arn:aws:sagemaker:us-east-1:000000000000:model-package-group/customer-churn"
    )
    assert (group["description"], group["created_by"]) == ("Who leaves", "alice")
    assert ok(api.get("/groups/customer-churn")) == group

    registered = api.post(
        "/groups/customer-churn/versions",
        json={
            "description": "First model",
            "inference_specification": SPEC,
            "customer_metadata": {"framework": "xgboost", "owner": "ana"},
            "source_uri": "s3://models/churn/1",
            "domain": "MACHINE_LEARNING",
            "task": "CLASSIFICATION",
        },
    )
    v1 = ok(registered, 201)
    assert registered.headers["Location"].endswith("/groups/customer-churn/versions/1")
    assert (v1["name"], v1["group"], v1["version"]) == ("customer-churn/1", "customer-churn", 1)
    assert v1["arn"].endswith(":model-package/customer-churn/1")
    assert v1["approval_status"] == "PendingManualApproval"
    assert v1["inference_specification"] == SPEC
    assert v1["customer_metadata"] == {"framework": "xgboost", "owner": "ana"}
    assert (v1["source_uri"], v1["domain"], v1["task"]) == (
        "s3://models/churn/1",
        "MACHINE_LEARNING",
        "CLASSIFICATION",
    )
    assert (v1["model_card"], v1["lifecycle"], v1["approval_description"]) == (None, None, None)

    approved = ok(
        api.post(
            "/groups/customer-churn/versions/1/approve",
            json={"description": "AUC 0.91 on holdout"},
            headers={"X-Cardinal-Actor": "bob"},
        )
    )
    assert (approved["approval_status"], approved["approval_description"]) == (
        "Approved",
        "AUC 0.91 on holdout",
    )
    assert (approved["created_by"], approved["last_modified_by"]) == ("alice", "bob")

    v2 = ok(
        api.post(
            "/groups/customer-churn/versions",
            json={"description": "Retrained", "approval_status": "PendingManualApproval"},
        ),
        201,
    )
    assert v2["version"] == 2
    v3 = ok(api.post("/groups/customer-churn/versions", json={}), 201)
    assert v3["version"] == 3

    items, pages = all_pages(api, "/groups/customer-churn/versions", limit=1)
    assert ([p["version"] for p in items], pages) == ([1, 2, 3], 3)
    approved_only, _ = all_pages(api, "/groups/customer-churn/versions", approval_status="Approved")
    assert [p["version"] for p in approved_only] == [1]

    patched = ok(
        api.patch(
            "/groups/customer-churn/versions/1",
            json={"customer_metadata": {"auc": "0.91", "owner": None}},
        )
    )
    assert patched["customer_metadata"] == {"framework": "xgboost", "auc": "0.91"}
    assert patched["approval_status"] == "Approved"

    staged = ok(
        api.patch(
            "/groups/customer-churn/versions/1",
            json={
                "lifecycle": {
                    "stage": "Production",
                    "stage_status": "Deployed",
                    "stage_description": "Serving 100% of traffic",
                },
                "source_uri": "s3://models/churn/1b",
            },
        )
    )
    assert staged["lifecycle"] == {
        "stage": "Production",
        "stage_status": "Deployed",
        "stage_description": "Serving 100% of traffic",
    }
    assert staged["source_uri"] == "s3://models/churn/1b"
    assert staged["customer_metadata"] == {"framework": "xgboost", "auc": "0.91"}

    rejected = ok(
        api.post("/groups/customer-churn/versions/2/reject", json={"description": "Drift too high"})
    )
    assert (rejected["approval_status"], rejected["approval_description"]) == (
        "Rejected",
        "Drift too high",
    )
    # A decision replaces the reason of the one before: without a description, it has none.
    again = ok(api.post("/groups/customer-churn/versions/2/approve"))
    assert (again["approval_status"], again["approval_description"]) == ("Approved", None)
    assert ok(api.get("/groups/customer-churn/versions/2")) == again

    groups, _ = all_pages(api, "/groups", name_contains="churn")
    assert [g["name"] for g in groups] == ["customer-churn"]


def test_client_token_registers_once(api: httpx.Client) -> None:
    ok(api.post("/groups", json={"name": "g"}), 201)
    first = ok(api.post("/groups/g/versions", json={"client_token": "run-42"}), 201)
    second = ok(api.post("/groups/g/versions", json={"client_token": "run-42"}), 201)
    assert first == second
    assert [p["version"] for p in all_pages(api, "/groups/g/versions")[0]] == [1]


def test_groups_page_with_next_links(api: httpx.Client) -> None:
    names = [f"group-{i}" for i in range(5)]
    for name in names:
        ok(api.post("/groups", json={"name": name}), 201)
    items, pages = all_pages(api, "/groups", limit=2)
    assert ([g["name"] for g in items], pages) == (names, 3)


def test_deletes_refused_while_something_depends(api: httpx.Client) -> None:
    ok(api.post("/groups", json={"name": "churn"}), 201)
    v1 = ok(api.post("/groups/churn/versions", json={}), 201)
    ok(api.post("/groups/churn/versions", json={}), 201)

    held = api.delete("/groups/churn")
    assert held.status_code == 409
    assert held.headers["content-type"] == "application/problem+json"
    assert "still holds 2" in held.json()["detail"]

    card = {"model_package_details": {"model_package_arn": v1["arn"]}}
    ok(api.post("/cards", json={"name": "churn-v1", "content": card}), 201)
    documented = api.delete("/groups/churn/versions/1")
    assert documented.status_code == 409
    assert "churn-v1" in documented.json()["detail"]
    ok(api.get("/groups/churn/versions/1"))

    ok(api.delete("/groups/churn/versions/2"), 204)
    assert api.get("/groups/churn/versions/2").status_code == 404
    ok(api.delete("/cards/churn-v1"), 204)
    ok(api.delete("/groups/churn/versions/1"), 204)
    ok(api.delete("/groups/churn"), 204)
    assert api.get("/groups/churn").status_code == 404
    # Numbers are never given twice, even after deletes.
    ok(api.post("/groups", json={"name": "churn"}), 201)
    assert ok(api.post("/groups/churn/versions", json={}), 201)["version"] == 1


def test_embedded_card_registered_through_sagemaker_shows(
    api: httpx.Client, sagemaker: Any
) -> None:
    ok(api.post("/groups", json={"name": "g"}), 201)
    content = {"model_overview": {"model_creator": "ana"}}
    sagemaker.create_model_package(
        ModelPackageGroupName="g",
        ModelCard={"ModelCardContent": json.dumps(content), "ModelCardStatus": "Draft"},
    )
    package = ok(api.get("/groups/g/versions/1"))
    assert package["model_card"] == {"status": "Draft", "version": 1, "content": content}


def _state(api: httpx.Client) -> Any:
    return {
        "groups": all_pages(api, "/groups")[0],
        "versions": all_pages(api, "/groups/churn/versions")[0],
        "tags": ok(api.get("/groups/churn/tags")),
    }


FIFTY_ONE = {f"k{i}": "v" for i in range(51)}


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "path"),
    [
        ("post", "/groups", {"name": "bad_name"}, 422, "$.name"),
        ("post", "/groups", {"name": "-lead"}, 422, "$.name"),
        ("post", "/groups", {"name": "x" * 64}, 422, "$.name"),
        ("post", "/groups", {"name": "g", "colour": "red"}, 422, "$.colour"),
        ("post", "/groups", {"name": "g", "description": "a\x00b"}, 422, "$.description"),
        ("post", "/groups", {"name": "g", "tags": {"k": 5}}, 422, "$.tags.k"),
        ("post", "/groups", {"name": "churn"}, 409, None),
        ("post", "/groups", None, 422, "$"),
        ("get", "/groups/missing", None, 404, None),
        ("get", "/groups/bad_name", None, 422, "$.group"),
        ("get", "/groups?limit=0", None, 422, "$.limit"),
        ("get", "/groups?limit=101", None, 422, "$.limit"),
        ("get", "/groups?next=garbage", None, 422, "$.next"),
        ("delete", "/groups/churn", None, 409, None),
        ("delete", "/groups/missing", None, 404, None),
        ("post", "/groups/missing/versions", {}, 404, None),
        ("post", "/groups/bad_name/versions", {}, 422, "$.group"),
        ("post", "/groups/churn/versions", {"approval_status": "Maybe"}, 422, "$.approval_status"),
        ("post", "/groups/churn/versions", {"version": 9}, 422, "$.version"),
        ("post", "/groups/churn/versions", {"customer_metadata": FIFTY_ONE}, 422, None),
        ("post", "/groups/churn/versions", {"customer_metadata": {"k": ""}}, 422, None),
        (
            "post",
            "/groups/churn/versions",
            {"lifecycle": {"stage": "Prod"}},
            422,
            "$.lifecycle.stage_status",
        ),
        (
            "post",
            "/groups/churn/versions",
            {"inference_specification": {"Containers": []}},
            422,
            "$.inference_specification.Containers",
        ),
        (
            "post",
            "/groups/churn/versions",
            {"inference_specification": {"Containers": [{"Imag": "x"}]}},
            422,
            "$.inference_specification.Containers[0].Imag",
        ),
        ("post", "/groups/churn/versions", {"client_token": "no spaces"}, 422, "$.client_token"),
        ("post", "/groups/churn/versions", {"description": "x" * 1025}, 422, "$.description"),
        ("get", "/groups/missing/versions", None, 404, None),
        ("get", "/groups/churn/versions?approval_status=Maybe", None, 422, "$.approval_status"),
        ("get", "/groups/churn/versions/9", None, 404, None),
        ("get", "/groups/churn/versions/0", None, 422, "$.version"),
        ("get", "/groups/churn/versions/1000000000", None, 422, "$.version"),
        ("get", "/groups/churn/versions/one", None, 422, "$.version"),
        (
            "patch",
            "/groups/churn/versions/1",
            {"remove_customer_metadata": ["a"]},
            422,
            "$.remove_customer_metadata",
        ),
        ("patch", "/groups/churn/versions/1", {"approval_status": "Approved"}, 422, None),
        ("patch", "/groups/churn/versions/1", {"customer_metadata": FIFTY_ONE}, 422, None),
        ("patch", "/groups/churn/versions/1", {"lifecycle": {"stage": "a b"}}, 422, None),
        ("patch", "/groups/churn/versions/9", {"source_uri": "s3://x"}, 404, None),
        ("post", "/groups/churn/versions/1/approve", {"description": 5}, 422, "$.description"),
        ("post", "/groups/churn/versions/1/approve", {"status": "Approved"}, 422, "$.status"),
        ("post", "/groups/churn/versions/9/approve", {}, 404, None),
        ("post", "/groups/missing/versions/1/reject", {}, 404, None),
        ("delete", "/groups/churn/versions/9", None, 404, None),
        ("delete", "/groups/missing/versions/1", None, 404, None),
    ],
)
def test_bad_requests_get_problems_and_change_nothing(
    shared_api: httpx.Client, method: str, url: str, body: object, status: int, path: str | None
) -> None:
    api = shared_api
    before = _state(api)
    assert [v["version"] for v in before["versions"]] == [1]

    response = api.request(method, url, json=body)

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"].startswith("https://cardinal.dev/problems/")
    if path is not None:
        assert problem["path"] == path
    assert _state(api) == before
