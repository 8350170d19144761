"""POST /verify answered as NDJSON: progress lines as the walk goes, then the same report."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from cardinal.client import CardinalClient
from tests.support.server import RunningServer, sqlite_server

STAGES = ["model card versions", "embedded card versions", "audit events", "resource states"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with sqlite_server(tmp_path_factory.mktemp("verify")) as running:
        with httpx.Client(base_url=f"{running.url}/api/v1") as api:
            for name in ("a", "b"):
                assert api.post("/cards", json={"name": name, "content": {}}).status_code == 201
                content = {"model_overview": {"model_description": f"card {name}"}}
                assert api.put(f"/cards/{name}/content", json={"content": content}).is_success
        yield running


def test_progress_then_the_report(server: RunningServer) -> None:
    with httpx.Client(base_url=f"{server.url}/api/v1") as api:
        plain = api.post("/verify").json()
        streamed = api.post("/verify", headers={"Accept": "application/x-ndjson"})
    assert streamed.status_code == 200
    assert streamed.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(text) for text in streamed.text.splitlines()]
    *progress, last = lines
    assert last == {"result": plain}
    assert plain["ok"] is True
    assert plain["card_versions"] == 4
    stages = [p["progress"]["stage"] for p in progress]
    assert sorted(set(stages), key=stages.index) == STAGES
    for p in progress:
        assert 0 <= p["progress"]["done"] <= p["progress"]["total"]
    finals = {p["progress"]["stage"]: p["progress"] for p in progress}
    assert finals["model card versions"] == {
        "stage": "model card versions", "done": 4, "total": 4
    }  # fmt: skip


def test_the_client_reports_progress(server: RunningServer) -> None:
    seen: list[tuple[str, int, int]] = []
    with CardinalClient(server.url) as client:
        report = client.verify(lambda stage, done, total: seen.append((stage, done, total)))
        assert report == client.verify()
    assert report.ok
    assert ("model card versions", 4, 4) in seen
    assert [s for s, _, _ in seen if s not in STAGES] == []
