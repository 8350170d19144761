"""The churn story through plain boto3, against a real server on both backends."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.server import RunningServer


@pytest.fixture
def server(secured_server: RunningServer) -> RunningServer:
    """The story runs with authentication on, signed with a key Cardinal issued."""
    return secured_server


def _content(**sections: Any) -> str:
    return json.dumps(sections)


BUSINESS = {"business_problem": "Churn", "line_of_business": "Subscriptions"}
USES = {"purpose_of_model": "Rank churn risk", "risk_rating": "Medium"}
INFO = {"caveats_and_recommendations": "Retrain quarterly"}


def _package_details(sm: Any, arn: str) -> dict[str, Any]:
    described = sm.describe_model_package(ModelPackageName=arn)
    return {
        "model_package_arn": described["ModelPackageArn"],
        "model_package_group_name": described["ModelPackageGroupName"],
        "model_package_version": described["ModelPackageVersion"],
        "model_approval_status": described["ModelApprovalStatus"],
        "created_by": {"user_profile_name": described["CreatedBy"]["UserProfileName"]},
    }


def test_churn_story(sagemaker: Any) -> None:
    sm = sagemaker
    first = {"business_details": BUSINESS, "intended_uses": USES, "additional_information": INFO}
    sm.create_model_card(
        ModelCardName="churn-v1", Content=json.dumps(first), ModelCardStatus="Draft"
    )
    sm.create_model_package_group(ModelPackageGroupName="churn")
    v1 = sm.create_model_package(
        ModelPackageGroupName="churn",
        ModelApprovalStatus="PendingManualApproval",
        InferenceSpecification={
            "Containers": [{"Image": "img:1", "ModelDataUrl": "s3://b/v1.tar.gz"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
    )["ModelPackageArn"]
    assert v1.endswith(":model-package/churn/1")
    sm.update_model_package(ModelPackageArn=v1, ModelApprovalStatus="Approved")
    assert sm.describe_model_package(ModelPackageName=v1)["ModelApprovalStatus"] == "Approved"

    linked = {**first, "model_package_details": _package_details(sm, v1)}
    sm.update_model_card(ModelCardName="churn-v1", Content=json.dumps(linked))
    card = sm.describe_model_card(ModelCardName="churn-v1")
    assert card["ModelCardVersion"] == 2
    assert json.loads(card["Content"]) == linked
    assert card["Content"] == json.dumps(linked)
    assert (
        json.loads(sm.describe_model_card(ModelCardName="churn-v1", ModelCardVersion=1)["Content"])
        == first
    )

    sm.update_model_card(ModelCardName="churn-v1", ModelCardStatus="Approved")
    versions = sm.list_model_card_versions(ModelCardName="churn-v1")["ModelCardVersionSummaryList"]
    assert [(v["ModelCardVersion"], v["ModelCardStatus"]) for v in versions] == [
        (2, "Approved"),
        (1, "Draft"),
    ]

    v2 = sm.create_model_package(ModelPackageGroupName="churn")["ModelPackageArn"]
    assert v2.endswith(":model-package/churn/2")
    found = sm.search(
        Resource="ModelCard",
        SearchExpression={
            "Filters": [{"Name": "ModelPackageGroupName", "Operator": "Equals", "Value": "churn"}]
        },
        SortBy="LastModifiedTime",
        SortOrder="Descending",
    )["Results"]
    previous = json.loads(found[0]["ModelCard"]["Content"])
    carried = {
        k: previous[k] for k in ("business_details", "intended_uses", "additional_information")
    }
    second = {**carried, "model_package_details": _package_details(sm, v2)}
    sm.create_model_card(
        ModelCardName="churn-v2", Content=json.dumps(second), ModelCardStatus="Draft"
    )
    described = json.loads(sm.describe_model_card(ModelCardName="churn-v2")["Content"])
    assert described["business_details"] == BUSINESS
    assert described["model_package_details"]["model_package_arn"] == v2

    with pytest.raises(ClientError) as taken:
        sm.create_model_card(
            ModelCardName="churn-v2-copy", Content=json.dumps(second), ModelCardStatus="Draft"
        )
    assert taken.value.response["Error"]["Code"] == "ConflictException"
    assert "churn-v2" in taken.value.response["Error"]["Message"]
