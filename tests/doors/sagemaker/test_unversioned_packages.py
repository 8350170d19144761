"""Unversioned model packages (CreateModelPackage with ModelPackageName and no group) through
boto3, on both backends: created, described, listed by ModelPackageType, updated, tagged,
documented by a model card, cloned and deleted as AWS documents them; no approval status and no
embedded card apply to them, and a request giving one changes nothing.

One server per backend serves the module; each test uses names of its own. The last test runs
`cardinal verify` on the store all the others left behind.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import BACKENDS, make_client
from tests.support.databases import module_database
from tests.support.server import start_server

HERE = "arn:aws:sagemaker:us-east-1:000000000000"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
SPEC = {
    "Containers": [{"Image": IMAGE, "ModelDataUrl": "s3://models/churn/model.tar.gz"}],
    "SupportedTransformInstanceTypes": ["ml.m5.large"],
    "SupportedRealtimeInferenceInstanceTypes": ["ml.m5.large", "ml.c5.xlarge"],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
}


@dataclass(frozen=True)
class Door:
    sm: Any
    database_url: str


@pytest.fixture(scope="module", params=BACKENDS)
def door(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Door]:
    with ExitStack() as stack:
        url = module_database(request, tmp_path_factory, stack)
        server = start_server(url, tmp_path_factory.mktemp("unversioned-server"))
        stack.callback(server.stop)
        yield Door(make_client(server.url), url)


def _refused(call: Any, **params: Any) -> dict[str, str]:
    with pytest.raises(ClientError) as refused:
        call(**params)
    error: dict[str, str] = refused.value.response["Error"]
    return error


def _described(sm: Any, name: str) -> dict[str, Any]:
    described: dict[str, Any] = sm.describe_model_package(ModelPackageName=name)
    described.pop("ResponseMetadata")
    return described


def _names(listed: dict[str, Any]) -> list[str]:
    return [summary["ModelPackageName"] for summary in listed["ModelPackageSummaryList"]]


def test_an_unversioned_package_is_described_back_as_created(door: Door) -> None:
    sm = door.sm
    created = sm.create_model_package(
        ModelPackageName="Churn-Marketplace",
        ModelPackageDescription="churn model for the marketplace",
        InferenceSpecification=SPEC,
        CertifyForMarketplace=True,
        CustomerMetadataProperties={"owner": "retention"},
        Domain="MACHINE_LEARNING",
        Task="CLASSIFICATION",
        Tags=[{"Key": "team", "Value": "retention"}],
    )
    arn = f"{HERE}:model-package/Churn-Marketplace"
    assert created["ModelPackageArn"] == arn
    for name in ("Churn-Marketplace", arn):
        described = sm.describe_model_package(ModelPackageName=name)
        assert described["ModelPackageName"] == "Churn-Marketplace"
        assert described["ModelPackageArn"] == arn
        assert described["ModelPackageDescription"] == "churn model for the marketplace"
        assert described["InferenceSpecification"] == SPEC
        assert described["CertifyForMarketplace"] is True
        assert described["CustomerMetadataProperties"] == {"owner": "retention"}
        assert (described["Domain"], described["Task"]) == ("MACHINE_LEARNING", "CLASSIFICATION")
        assert described["ModelPackageStatus"] == "Completed"
        for absent in ("ModelPackageGroupName", "ModelPackageVersion", "ModelApprovalStatus"):
            assert absent not in described
    tags = sm.list_tags(ResourceArn=arn)["Tags"]
    assert tags == [{"Key": "team", "Value": "retention"}]


def test_a_taken_name_is_refused_unless_the_same_client_token_repeats(door: Door) -> None:
    sm = door.sm
    first = sm.create_model_package(
        ModelPackageName="churn-token", InferenceSpecification=SPEC, ClientToken="token-1"
    )
    again = sm.create_model_package(
        ModelPackageName="churn-token", InferenceSpecification=SPEC, ClientToken="token-1"
    )
    assert again["ModelPackageArn"] == first["ModelPackageArn"]
    error = _refused(
        sm.create_model_package,
        ModelPackageName="churn-token",
        ModelPackageDescription="another",
        ClientToken="token-2",
    )
    assert error["Code"] == "ConflictException"
    assert "already exists" in error["Message"]
    described = sm.describe_model_package(ModelPackageName="churn-token")
    assert "ModelPackageDescription" not in described


def test_requests_that_do_not_apply_are_refused_and_change_nothing(door: Door) -> None:
    sm = door.sm
    arn = sm.create_model_package(ModelPackageName="churn-refusals", InferenceSpecification=SPEC)[
        "ModelPackageArn"
    ]
    before = _described(sm, arn)
    refusals = [
        ({"ModelApprovalStatus": "Approved"}, "ModelApprovalStatus does not apply"),
        ({"ApprovalDescription": "fine"}, "ApprovalDescription does not apply"),
        (
            {"ModelCard": {"ModelCardContent": "{}", "ModelCardStatus": "Draft"}},
            "ModelCard does not apply",
        ),
        (
            {
                "CustomerMetadataProperties": {"a": "1"},
                "CustomerMetadataPropertiesToRemove": ["a"],
            },
            "cannot be both set and removed",
        ),
        (
            {"InferenceSpecification": {"Containers": [{"Image": IMAGE}]}},
            "SupportedTransformInstanceTypes is required for an unversioned model package",
        ),
    ]
    for change, says in refusals:
        error = _refused(sm.update_model_package, ModelPackageArn=arn, **change)
        assert error["Code"] == "ValidationException", change
        assert says in error["Message"], error
    assert _described(sm, arn) == before
    error = _refused(sm.describe_model_package, ModelPackageName="churn-nothing")
    assert "Could not find model package 'churn-nothing'" in error["Message"]


def test_an_update_changes_what_it_may_change(door: Door) -> None:
    sm = door.sm
    arn = sm.create_model_package(
        ModelPackageName="churn-update",
        InferenceSpecification=SPEC,
        CustomerMetadataProperties={"keep": "1", "drop": "2"},
    )["ModelPackageArn"]
    extra = {"Name": "gpu", "Containers": [{"Image": IMAGE}]}
    updated = sm.update_model_package(
        ModelPackageArn=arn,
        CustomerMetadataProperties={"new": "3"},
        CustomerMetadataPropertiesToRemove=["drop"],
        AdditionalInferenceSpecificationsToAdd=[extra],
        ModelLifeCycle={"Stage": "Staging", "StageStatus": "InProgress"},
    )
    assert updated["ModelPackageArn"] == arn
    described = sm.describe_model_package(ModelPackageName="churn-update")
    assert described["CustomerMetadataProperties"] == {"keep": "1", "new": "3"}
    assert described["AdditionalInferenceSpecifications"] == [extra]
    assert described["ModelLifeCycle"] == {"Stage": "Staging", "StageStatus": "InProgress"}
    assert described["LastModifiedTime"] >= described["CreationTime"]


def test_lists_take_the_kind_asked_unversioned_by_default(door: Door) -> None:
    sm = door.sm
    sm.create_model_package_group(ModelPackageGroupName="listkind")
    version = sm.create_model_package(ModelPackageGroupName="listkind", InferenceSpecification=SPEC)
    sm.create_model_package(ModelPackageName="listkind-a", InferenceSpecification=SPEC)
    sm.create_model_package(ModelPackageName="listkind-b", InferenceSpecification=SPEC)

    default = _names(sm.list_model_packages(NameContains="listkind"))
    assert default == ["listkind-a", "listkind-b"]
    assert _names(
        sm.list_model_packages(NameContains="listkind", ModelPackageType="Versioned")
    ) == ["listkind/1"]
    both = sm.list_model_packages(NameContains="listkind", ModelPackageType="Both")
    assert _names(both) == ["listkind/1", "listkind-a", "listkind-b"]
    assert both["ModelPackageSummaryList"][0]["ModelPackageArn"] == version["ModelPackageArn"]
    assert both["ModelPackageSummaryList"][0]["ModelApprovalStatus"] == "PendingManualApproval"
    assert "ModelApprovalStatus" not in both["ModelPackageSummaryList"][1]

    by_name = sm.list_model_packages(
        NameContains="listkind", ModelPackageType="Both", SortBy="Name", SortOrder="Descending"
    )
    assert _names(by_name) == ["listkind/1", "listkind-b", "listkind-a"]
    pages: list[str] = []
    request: dict[str, Any] = {"NameContains": "listkind", "ModelPackageType": "Both"}
    while True:
        page = sm.list_model_packages(MaxResults=1, **request)
        assert len(page["ModelPackageSummaryList"]) <= 1
        pages += _names(page)
        if "NextToken" not in page:
            break
        request["NextToken"] = page["NextToken"]
    assert pages == _names(both)

    # A group or an approval status names versions only.
    with_group = {"ModelPackageGroupName": "listkind"}
    assert _names(sm.list_model_packages(**with_group)) == ["listkind/1"]
    assert _names(sm.list_model_packages(ModelPackageType="Both", **with_group)) == ["listkind/1"]
    assert _names(sm.list_model_packages(ModelPackageType="Unversioned", **with_group)) == []
    pending = {"ModelApprovalStatus": "PendingManualApproval", "NameContains": "listkind"}
    assert _names(sm.list_model_packages(ModelPackageType="Both", **pending)) == ["listkind/1"]
    assert _names(sm.list_model_packages(**pending)) == []
    # A token of one kind's list is refused by the other's.
    first = sm.list_model_packages(NameContains="listkind", MaxResults=1)
    error = _refused(
        sm.list_model_packages,
        NameContains="listkind",
        ModelPackageType="Both",
        NextToken=first["NextToken"],
    )
    assert error["Code"] == "ValidationException"


def _searched(sm: Any, **request: Any) -> list[str]:
    """Every ModelPackage Search finds, a page of one at a time."""
    found: list[str] = []
    while True:
        page = sm.search(Resource="ModelPackage", MaxResults=1, **request)
        assert len(page["Results"]) <= 1
        found += [hit["ModelPackage"]["ModelPackageName"] for hit in page["Results"]]
        if "NextToken" not in page:
            return found
        request["NextToken"] = page["NextToken"]


def test_search_finds_unversioned_packages_beside_versions(door: Door) -> None:
    sm = door.sm
    sm.create_model_package_group(ModelPackageGroupName="findkind")
    sm.create_model_package(ModelPackageGroupName="findkind", InferenceSpecification=SPEC)
    sm.create_model_package(ModelPackageGroupName="findkind", InferenceSpecification=SPEC)
    sm.create_model_package(
        ModelPackageName="findkind-solo",
        InferenceSpecification=SPEC,
        ModelPackageDescription="sold alone",
        Tags=[{"Key": "team", "Value": "market"}],
    )
    sm.update_model_package(
        ModelPackageArn=f"{HERE}:model-package/findkind-solo",
        ModelLifeCycle={"Stage": "Review", "StageStatus": "Open"},
    )
    named = {"Filters": [{"Name": "ModelPackageName", "Operator": "Contains", "Value": "findkind"}]}

    oldest_first = _searched(
        sm, SearchExpression=named, SortBy="CreationTime", SortOrder="Ascending"
    )
    by_version = _searched(
        sm, SearchExpression=named, SortBy="ModelPackageVersion", SortOrder="Ascending"
    )
    by_version_down = _searched(sm, SearchExpression=named, SortBy="ModelPackageVersion")
    tagged = sm.search(
        Resource="ModelPackage",
        SearchExpression={"Filters": [{"Name": "Tags.team", "Value": "market"}]},
    )["Results"]
    in_review = _searched(
        sm, SearchExpression={"Filters": [{"Name": "ModelLifeCycle.Stage", "Value": "Review"}]}
    )
    groupless = _searched(
        sm,
        SearchExpression={
            "Filters": [
                {"Name": "ModelPackageName", "Operator": "Contains", "Value": "findkind"},
                {"Name": "ModelPackageGroupName", "Operator": "NotExists"},
            ]
        },
    )
    pending = _searched(
        sm,
        SearchExpression={
            "Filters": [
                {"Name": "ModelPackageName", "Operator": "Contains", "Value": "findkind"},
                {"Name": "ModelApprovalStatus", "Value": "PendingManualApproval"},
            ]
        },
    )

    assert oldest_first == ["findkind/1", "findkind/2", "findkind-solo"]
    assert by_version == ["findkind-solo", "findkind/1", "findkind/2"]
    assert by_version_down == ["findkind/2", "findkind/1", "findkind-solo"]
    assert [hit["ModelPackage"]["ModelPackageName"] for hit in tagged] == ["findkind-solo"]
    solo = tagged[0]["ModelPackage"]
    assert solo["ModelPackageArn"] == f"{HERE}:model-package/findkind-solo"
    assert solo["ModelPackageDescription"] == "sold alone"
    assert "ModelApprovalStatus" not in solo
    assert "ModelPackageGroupName" not in solo
    assert solo["Tags"] == [{"Key": "team", "Value": "market"}]
    assert in_review == ["findkind-solo"]
    assert groupless == ["findkind-solo"]
    assert pending == ["findkind/2", "findkind/1"]


def test_a_card_documents_one_and_keeps_it_from_deletion(door: Door) -> None:
    sm = door.sm
    arn = sm.create_model_package(ModelPackageName="churn-documented", InferenceSpecification=SPEC)[
        "ModelPackageArn"
    ]
    content = {
        "model_overview": {"model_description": "churn for the marketplace"},
        "model_package_details": {"model_package_arn": arn},
    }
    sm.create_model_card(
        ModelCardName="churn-documented-card",
        Content=json.dumps(content),
        ModelCardStatus="Draft",
    )
    card = sm.describe_model_card(ModelCardName="churn-documented-card")
    assert json.loads(card["Content"])["model_package_details"]["model_package_arn"] == arn
    second = _refused(
        sm.create_model_card,
        ModelCardName="churn-documented-again",
        Content=json.dumps(content),
        ModelCardStatus="Draft",
    )
    assert "already documented by model card 'churn-documented-card'" in second["Message"]

    error = _refused(sm.delete_model_package, ModelPackageName=arn)
    assert error["Code"] == "ConflictException"
    assert "documented by model card 'churn-documented-card'" in error["Message"]
    assert sm.describe_model_package(ModelPackageName=arn)["ModelPackageArn"] == arn

    sm.delete_model_card(ModelCardName="churn-documented-card")
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "gone"}])
    sm.delete_model_package(ModelPackageName=arn)
    error = _refused(sm.describe_model_package, ModelPackageName=arn)
    assert "Could not find model package" in error["Message"]
    assert _refused(sm.list_tags, ResourceArn=arn)["Code"] == "ResourceNotFound"
    # The name is free again.
    again = sm.create_model_package(
        ModelPackageName="churn-documented", InferenceSpecification=SPEC
    )
    assert again["ModelPackageArn"] == arn


def test_a_card_naming_an_unversioned_package_that_is_not_there_is_refused(door: Door) -> None:
    missing = f"{HERE}:model-package/churn-never"
    error = _refused(
        door.sm.create_model_card,
        ModelCardName="churn-never-card",
        Content=json.dumps({"model_package_details": {"model_package_arn": missing}}),
        ModelCardStatus="Draft",
    )
    assert f"model package '{missing}' does not exist" in error["Message"]
    assert _refused(door.sm.describe_model_card, ModelCardName="churn-never-card")


def test_source_uri_clones_between_the_kinds(door: Door) -> None:
    sm = door.sm
    source = sm.create_model_package(ModelPackageName="churn-source", InferenceSpecification=SPEC)
    sm.create_model_package_group(ModelPackageGroupName="cloned-from-unversioned")
    clone = sm.create_model_package(
        ModelPackageGroupName="cloned-from-unversioned", SourceUri=source["ModelPackageArn"]
    )
    described = sm.describe_model_package(ModelPackageName=clone["ModelPackageArn"])
    assert described["InferenceSpecification"] == SPEC

    unversioned_clone = sm.create_model_package(
        ModelPackageName="churn-clone", SourceUri=clone["ModelPackageArn"]
    )
    described = sm.describe_model_package(ModelPackageName=unversioned_clone["ModelPackageArn"])
    assert described["InferenceSpecification"] == SPEC
    assert described["SourceUri"] == clone["ModelPackageArn"]

    # A version whose specification names no instance types can't be cloned into one.
    bare = sm.create_model_package(
        ModelPackageGroupName="cloned-from-unversioned",
        InferenceSpecification={"Containers": [{"Image": IMAGE}]},
    )
    error = _refused(
        sm.create_model_package, ModelPackageName="churn-bare", SourceUri=bare["ModelPackageArn"]
    )
    assert "SupportedTransformInstanceTypes is required" in error["Message"]
    assert _refused(sm.describe_model_package, ModelPackageName="churn-bare")


def test_cardinal_verify_finds_the_store_as_its_audit_trail_says(door: Door) -> None:
    """Runs last: every package created, updated, tagged and deleted above is in the trail."""
    result = subprocess.run(
        [sys.executable, "-m", "cardinal", "verify", "--database-url", door.database_url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every resource matches its audit trail" in result.stdout
