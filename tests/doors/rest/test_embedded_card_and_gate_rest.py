"""What the CLI needed from the REST API: an embedded model card at registration, and the card
version in the gate's answer."""

from __future__ import annotations

import httpx

from tests.support.server import RunningServer

ARN = "arn:aws:sagemaker:us-east-1:000000000000"
EMBEDDED = {"model_overview": {"model_creator": "alice"}, "intended_uses": {"risk_rating": "Low"}}


def test_register_with_an_embedded_card(server: RunningServer) -> None:
    with httpx.Client(base_url=f"{server.url}/api/v1", timeout=30) as api:
        assert api.post("/groups", json={"name": "churn"}).status_code == 201
        made = api.post(
            "/groups/churn/versions",
            json={"model_card": {"content": EMBEDDED, "status": "PendingReview"}},
        )
        assert made.status_code == 201, made.text
        assert made.json()["model_card"] == {
            "status": "PendingReview",
            "version": 1,
            "content": EMBEDDED,
        }
        assert api.get("/groups/churn/versions/1").json()["model_card"]["content"] == EMBEDDED
        plain = api.post("/groups/churn/versions", json={}).json()
        assert plain["model_card"] is None

        bad = api.post(
            "/groups/churn/versions",
            json={"model_card": {"content": {"intended_uses": {"risk_rating": "Huge"}}}},
        )
        assert bad.status_code == 422
        assert bad.json()["path"] == "$.intended_uses.risk_rating"
        versions = api.get("/groups/churn/versions").json()["items"]
        assert [v["version"] for v in versions] == [1, 2]


def test_the_gate_names_the_card_version(server: RunningServer) -> None:
    with httpx.Client(base_url=f"{server.url}/api/v1", timeout=30) as api:
        api.post("/groups", json={"name": "churn"}).raise_for_status()
        api.post("/groups/churn/versions", json={}).raise_for_status()
        assert api.get("/groups/churn/versions/1/gate").json()["model_card_version"] is None
        link = {"model_package_details": {"model_package_arn": f"{ARN}:model-package/churn/1"}}
        api.post("/cards", json={"name": "churn-v1", "content": link}).raise_for_status()
        changed = {**link, "model_overview": {"model_description": "gbm"}}
        api.put("/cards/churn-v1/content", json={"content": changed}).raise_for_status()
        gate = api.get("/groups/churn/versions/1/gate").json()
        assert (gate["model_card_name"], gate["model_card_version"]) == ("churn-v1", 2)
