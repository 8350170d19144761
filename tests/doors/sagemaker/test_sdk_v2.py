"""The churn story through the SageMaker Python SDK v2 (`sagemaker.model_card`), on both backends.

The SDK runs in its own virtual environment (sdk_scenarios/churn_v2.py); this test checks what
the script observed, then checks the server's state with boto3 from Cardinal's environment.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import client_for
from tests.support.sdk import run_ok, sdk_python
from tests.support.server import RunningServer

pytestmark = pytest.mark.sdk

ARN = "arn:aws:sagemaker:us-east-1:000000000000"
V1 = f"{ARN}:model-package/churn/1"
V2 = f"{ARN}:model-package/churn/2"
CARRIED = ("business_details", "intended_uses", "additional_information")


@pytest.fixture
def server(secured_server: RunningServer) -> RunningServer:
    """The story runs with authentication on, signed with a key Cardinal issued."""
    return secured_server


@pytest.fixture
def python() -> Path:
    """The SDK v2 interpreter; resolved before the server starts, so a skip costs nothing."""
    return sdk_python("v2")


def _content(sm: Any, name: str, version: int | None = None) -> dict[str, Any]:
    request: dict[str, Any] = {"ModelCardName": name}
    if version is not None:
        request["ModelCardVersion"] = version
    return json.loads(sm.describe_model_card(**request)["Content"])


def test_churn_story_with_sdk_v2(python: Path, server: RunningServer, tmp_path: Path) -> None:
    seen = run_ok(python, "churn_v2.py", server, tmp_path)

    # What the SDK saw.
    assert seen["endpoint"] == server.url
    assert seen["blocked"] == [], "the SDK tried to reach something other than the server"
    assert {c["service"] for c in seen["calls"]} == {"sagemaker"}
    assert [c for c in seen["calls"] if "error" in c] == []
    assert seen["card_1"] == {
        "arn": f"{ARN}:model-card/churn-v1",
        "version": 1,
        "created_by": {"UserProfileName": "alice"},
    }
    assert (seen["v1_arn"], seen["v2_arn"]) == (V1, V2)
    # The SDK keeps the link under the descriptor's private name, "_" + "_model_package_details".
    assert seen["private_link_keys"] == ["__model_package_details"]
    assert seen["link"]["model_package_arn"] == V1
    assert seen["link"]["model_approval_status"] == "Approved"
    assert "already been associated with ['churn-v1']" in seen["second_card_for_v1"]
    assert seen["history"] == [{"version": 2, "status": "Draft"}, {"version": 1, "status": "Draft"}]
    assert seen["card_1_status"] == "Approved"
    metric_types = [
        m["type"] for g in seen["evaluation_details"][0]["metric_groups"] for m in g["metric_data"]
    ]
    assert metric_types == ["number", "number", "linear_graph", "bar_chart", "matrix"]
    operations = [c["operation"] for c in seen["calls"]]
    # One content update (the link) and one status update; nothing else wrote to the cards.
    assert operations.count("UpdateModelCard") == 2
    assert operations.count("CreateModelCard") == 2
    # The registration helper found the group with Search and did not create it again.
    assert operations.count("CreateModelPackageGroup") == 1

    # What the server holds, read with boto3.
    sm: Any = client_for(server)
    card_1 = sm.describe_model_card(ModelCardName="churn-v1")
    assert (card_1["ModelCardVersion"], card_1["ModelCardStatus"]) == (2, "Approved")
    assert card_1["CreatedBy"]["UserProfileName"] == "alice"
    first, linked = _content(sm, "churn-v1", 1), _content(sm, "churn-v1")
    assert "model_package_details" not in first
    assert linked["model_package_details"]["model_package_arn"] == V1
    assert linked["model_package_details"]["model_package_version"] == 1
    assert linked["evaluation_details"] == first["evaluation_details"] == seen["evaluation_details"]
    versions = sm.list_model_card_versions(ModelCardName="churn-v1")["ModelCardVersionSummaryList"]
    assert [(v["ModelCardVersion"], v["ModelCardStatus"]) for v in versions] == [
        (2, "Approved"),
        (1, "Draft"),
    ]

    card_2 = sm.describe_model_card(ModelCardName="churn-v2")
    assert (card_2["ModelCardVersion"], card_2["ModelCardStatus"]) == (1, "Draft")
    second = json.loads(card_2["Content"])
    assert second == seen["card_2"]
    assert {k: second[k] for k in CARRIED} == {k: linked[k] for k in CARRIED}
    assert second["model_package_details"]["model_package_arn"] == V2
    assert "evaluation_details" not in second
    assert "training_details" not in second

    packages = sm.list_model_packages(ModelPackageGroupName="churn")["ModelPackageSummaryList"]
    assert sorted((p["ModelPackageArn"], p["ModelApprovalStatus"]) for p in packages) == [
        (V1, "Approved"),
        (V2, "PendingManualApproval"),
    ]
    v1 = sm.describe_model_package(ModelPackageName=V1)
    assert v1["InferenceSpecification"]["Containers"][0]["Image"] == "churn-image:1"
    assert v1["InferenceSpecification"]["SupportedContentTypes"] == ["text/csv"]

    found = sm.search(
        Resource="ModelCard",
        SearchExpression={
            "Filters": [{"Name": "ModelPackageGroupName", "Operator": "Equals", "Value": "churn"}]
        },
        SortBy="LastModifiedTime",
        SortOrder="Descending",
    )["Results"]
    assert [r["ModelCard"]["ModelCardName"] for r in found] == ["churn-v2", "churn-v1"]
    assert [r["ModelCard"]["ModelId"] for r in found] == [V2, V1]
