"""Model cards over the REST API: versions, ETags and If-Match, problem details, diff, clone."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support.server import RunningServer

CARD = {"intended_uses": {"risk_rating": "Low"}}


@pytest.fixture
def api(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=f"{server.url}/api/v1", headers={"X-Cardinal-Actor": "alice"}, timeout=30
    ) as client:
        yield client


def test_create_read_update_with_etags(api: httpx.Client) -> None:
    created = api.post("/cards", json={"name": "churn", "content": CARD})
    assert created.status_code == 201, created.text
    assert created.headers["ETag"] == '"v1"'
    assert created.json()["created_by"] == "alice"
    first = created.json()
    assert (first["version"], first["status"], first["content"]) == (1, "Draft", CARD)

    changed = {"intended_uses": {"risk_rating": "High"}}
    updated = api.put(
        "/cards/churn/content", json={"content": changed}, headers={"If-Match": '"v1"'}
    )
    assert updated.status_code == 200, updated.text
    assert updated.headers["ETag"] == '"v2"'
    assert updated.json()["previous_sha256"] == first["chain_sha256"]

    stale = api.put("/cards/churn/content", json={"content": CARD}, headers={"If-Match": '"v1"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert "is at version 2, not 1" in stale.json()["detail"]
    assert api.get("/cards/churn").json()["version"] == 2

    status = api.put(
        "/cards/churn/status", json={"status": "Approved"}, headers={"If-Match": '"v2"'}
    )
    assert status.status_code == 200
    assert (status.json()["version"], status.json()["status"]) == (2, "Approved")
    assert api.get("/cards/churn/versions/1").json()["content"] == CARD
    versions = api.get("/cards/churn/versions").json()
    assert [v["version"] for v in versions["items"]] == [2, 1]
    diff = api.get("/cards/churn/diff", params={"from": 1, "to": 2}).json()
    assert diff["changes"] == [
        {"path": "$.intended_uses.risk_rating", "kind": "changed", "old": "Low", "new": "High"}
    ]


def test_two_concurrent_edits_with_one_etag_exactly_one_wins(api: httpx.Client) -> None:
    api.post("/cards", json={"name": "race", "content": CARD})

    def edit(reviewer: int) -> int:
        body = {"content": {"model_overview": {"model_description": f"reviewer {reviewer}"}}}
        return api.put("/cards/race/content", json=body, headers={"If-Match": '"v1"'}).status_code

    with ThreadPoolExecutor(2) as pool:
        results = sorted(pool.map(edit, range(2)))
    assert results == [200, 412]
    assert api.get("/cards/race").json()["latest_version"] == 2


def test_each_concurrent_writer_gets_the_etag_of_the_version_it_stored(
    api: httpx.Client,
) -> None:
    api.post("/cards", json={"name": "busy", "content": CARD})
    writers, rounds = 8, 5

    def edit(writer: int) -> tuple[int, str, str]:
        body = {"content": {"model_overview": {"model_description": f"writer {writer}"}}}
        answer = api.put("/cards/busy/content", json=body)
        assert answer.status_code == 200, answer.text
        stored = answer.json()["content"]["model_overview"]["model_description"]
        return writer, answer.headers["ETag"], stored

    with ThreadPoolExecutor(writers) as pool:
        answers = list(pool.map(edit, range(writers * rounds)))
    etags = sorted(int(etag.strip('"v')) for _, etag, _ in answers)
    assert etags == list(range(2, 2 + writers * rounds))
    for writer, etag, description in answers:
        assert description == f"writer {writer}"
        version = api.get(f"/cards/busy/versions/{etag.strip(chr(34) + 'v')}").json()
        assert version["content"]["model_overview"]["model_description"] == f"writer {writer}"


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "path"),
    [
        ("post", "/cards", {"name": "bad_name", "content": {}}, 422, "$.name"),
        (
            "post",
            "/cards",
            {"name": "c", "content": {"intended_uses": {"risk_rating": "Extreme"}}},
            422,
            "$.intended_uses.risk_rating",
        ),
        ("post", "/cards", {"name": "c", "content": {}, "extra": 1}, 422, "$.extra"),
        ("get", "/cards/missing", None, 404, None),
        ("put", "/cards/missing/content", {"content": {}}, 404, None),
        ("get", "/cards?limit=0", None, 422, "$.limit"),
        ("get", "/cards?next=garbage", None, 422, "$.next"),
    ],
)
def test_bad_requests_get_problem_details(
    api: httpx.Client, method: str, url: str, body: object, status: int, path: str | None
) -> None:
    response = api.request(method, url, json=body)
    assert response.status_code == status, response.text
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["status"] == status
    assert problem["type"].startswith("https://cardinal.dev/problems/")
    if path is not None:
        assert problem["path"] == path
    assert api.get("/cards").json()["items"] == []
