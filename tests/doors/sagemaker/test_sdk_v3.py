"""The churn story through sagemaker-core 2.x (the SDK v3 resources), on both backends.

The SDK runs in its own virtual environment (sdk_scenarios/churn_v3.py); this test checks what
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
    """The SDK v3 interpreter; resolved before the server starts, so a skip costs nothing."""
    return sdk_python("v3")


def test_churn_story_with_sagemaker_core_2(
    python: Path, server: RunningServer, tmp_path: Path
) -> None:
    seen = run_ok(python, "churn_v3.py", server, tmp_path)

    # What the SDK saw.
    assert seen["endpoint"] == server.url
    assert seen["blocked"] == [], "the SDK tried to reach something other than the server"
    assert {c["service"] for c in seen["calls"]} == {"sagemaker"}
    assert [c for c in seen["calls"] if "error" in c] == []
    assert seen["card_1"] == {
        "arn": f"{ARN}:model-card/churn-v1",
        "version": 1,
        "created_by": "alice",
    }
    assert seen["group_arn"] == f"{ARN}:model-package-group/churn"
    assert seen["groups"] == ["churn"]
    assert seen["v1"] == {"arn": V1, "name": "churn/1", "version": 1, "status": "Approved"}
    assert seen["versions_draft"] == [[2, "Draft"], [1, "Draft"]]
    # get_all_versions filters by the object's own status (an SDK trait): only version 2 now.
    assert seen["versions_approved"] == [[2, "Approved"]]
    assert seen["packages"] == [[V1, "Approved"], [V2, "PendingManualApproval"]]
    assert seen["batch"] == [[V1, 1, "Approved"], [V2, 2, "PendingManualApproval"]]
    assert seen["cards"] == [["churn-v1", 2, "Approved"], ["churn-v2", 1, "Draft"]]
    operations = [c["operation"] for c in seen["calls"]]
    # The v3 registration helper looks the group up by listing (no Search) and finds it.
    assert "Search" not in operations
    before_registering = [
        operations[i - 1] for i, o in enumerate(operations) if o == "CreateModelPackage"
    ]
    assert before_registering == ["ListModelPackageGroups", "ListModelPackageGroups"]
    assert operations.count("CreateModelPackageGroup") == 1
    # Retries would show as repeated calls with errors; there were none (checked above), and
    # the only writes are the ones the story makes.
    assert operations.count("UpdateModelCard") == 2
    assert operations.count("CreateModelCard") == 2
    assert operations.count("CreateModelPackage") == 2
    assert operations.count("UpdateModelPackage") == 1

    # What the server holds, read with boto3.
    sm: Any = client_for(server)
    card_1 = sm.describe_model_card(ModelCardName="churn-v1")
    assert (card_1["ModelCardVersion"], card_1["ModelCardStatus"]) == (2, "Approved")
    linked = json.loads(card_1["Content"])
    assert linked["model_package_details"]["model_package_arn"] == V1
    first = json.loads(
        sm.describe_model_card(ModelCardName="churn-v1", ModelCardVersion=1)["Content"]
    )
    assert first == {k: linked[k] for k in CARRIED}
    versions = sm.list_model_card_versions(ModelCardName="churn-v1")["ModelCardVersionSummaryList"]
    assert [(v["ModelCardVersion"], v["ModelCardStatus"]) for v in versions] == [
        (2, "Approved"),
        (1, "Draft"),
    ]

    card_2 = sm.describe_model_card(ModelCardName="churn-v2")
    assert (card_2["ModelCardVersion"], card_2["ModelCardStatus"]) == (1, "Draft")
    second = json.loads(card_2["Content"])
    assert second == seen["card_2"]
    assert {k: second[k] for k in CARRIED} == first
    assert second["model_package_details"]["model_package_arn"] == V2
    assert second["model_package_details"]["model_package_version"] == 2

    group = sm.describe_model_package_group(ModelPackageGroupName="churn")
    assert group["ModelPackageGroupDescription"] == "Customer churn models"
    v1 = sm.describe_model_package(ModelPackageName=V1)
    assert v1["ModelApprovalStatus"] == "Approved"
    assert v1["ModelPackageDescription"] == "Churn model, release 1"
    # The registration helper builds its own request, so the content types reach the server.
    assert v1["InferenceSpecification"]["SupportedContentTypes"] == ["text/csv"]
    assert v1["InferenceSpecification"]["Containers"][0]["ModelDataUrl"] == (
        "s3://models/churn/v1.tar.gz"
    )
    v2 = sm.describe_model_package(ModelPackageName=V2)
    assert (v2["ModelPackageVersion"], v2["ModelApprovalStatus"]) == (2, "PendingManualApproval")

    found = sm.search(
        Resource="ModelCard",
        SearchExpression={
            "Filters": [{"Name": "ModelPackageGroupName", "Operator": "Equals", "Value": "churn"}]
        },
        SortBy="LastModifiedTime",
        SortOrder="Descending",
    )["Results"]
    assert [r["ModelCard"]["ModelCardName"] for r in found] == ["churn-v2", "churn-v1"]
