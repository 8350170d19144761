"""The release gate over REST."""

from __future__ import annotations

import httpx

from tests.support.server import RunningServer


def test_gate_opens_when_both_are_approved(server: RunningServer) -> None:
    with httpx.Client(base_url=f"{server.url}/api/v1", timeout=30) as api:
        api.post("/groups", json={"name": "churn"}).raise_for_status()
        arn = api.post("/groups/churn/versions", json={}).json()["arn"]
        link = {"model_package_details": {"model_package_arn": arn}}
        api.post("/cards", json={"name": "churn-v1", "content": link}).raise_for_status()
        closed = api.get("/groups/churn/versions/1/gate").json()
        assert closed["open"] is False
        assert len(closed["missing"]) == 2
        api.post("/groups/churn/versions/1/approve", json={}).raise_for_status()
        api.put("/cards/churn-v1/status", json={"status": "Approved"}).raise_for_status()
        opened = api.get("/groups/churn/versions/1/gate").json()
        assert (opened["open"], opened["missing"], opened["model_card_name"]) == (
            True,
            [],
            "churn-v1",
        )
        missing = api.get("/groups/churn/versions/9/gate")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
