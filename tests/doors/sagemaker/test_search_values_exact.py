"""SageMaker's Search matches enum values exactly, as AWS does; only the filter language of the
REST API and the CLI takes them in any case."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.support.server import RunningServer


def _names(sagemaker: Any, value: str) -> list[str]:
    found = sagemaker.search(
        Resource="ModelCard",
        SearchExpression={
            "Filters": [{"Name": "RiskRating", "Operator": "Equals", "Value": value}]
        },
    )["Results"]
    return [hit["ModelCard"]["ModelCardName"] for hit in found]


def test_search_matches_a_risk_rating_exactly(sagemaker: Any, server: RunningServer) -> None:
    content = json.dumps({"intended_uses": {"risk_rating": "Medium"}})
    sagemaker.create_model_card(ModelCardName="churn", Content=content, ModelCardStatus="Draft")

    assert _names(sagemaker, "Medium") == ["churn"]
    assert _names(sagemaker, "medium") == []
    assert _names(sagemaker, "extreme") == []

    rest = httpx.get(f"{server.url}/api/v1/search/cards", params={"q": "risk = medium"})
    assert [item["name"] for item in rest.json()["items"]] == ["churn"]
