"""CreateModel, DescribeModel, ListModels, DeleteModel through boto3, on both backends: a model
is registry metadata, stored and described back as given and never hosted; its tags work like
any resource's; a model ARN as a model package's SourceUri registers the model's containers.

One server per backend serves the module; each test uses names of its own. The last test runs
`cardinal verify` on the store all the others left behind.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import BACKENDS, make_client
from tests.support.databases import module_database
from tests.support.server import start_server

HERE = "arn:aws:sagemaker:us-east-1:000000000000"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
PRIMARY = {
    "Image": IMAGE,
    "ModelDataUrl": "s3://models/churn/model.tar.gz",
    "Environment": {"SAGEMAKER_PROGRAM": "serve.py"},
}
ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
VPC = {"SecurityGroupIds": ["sg-0123"], "Subnets": ["subnet-0123", "subnet-4567"]}


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
        server = start_server(url, tmp_path_factory.mktemp("models-server"))
        stack.callback(server.stop)
        yield Door(make_client(server.url), url)


def _refused(call: Any, **params: Any) -> dict[str, str]:
    with pytest.raises(ClientError) as refused:
        call(**params)
    error: dict[str, str] = refused.value.response["Error"]
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return error


def test_a_model_is_described_back_as_created(door: Door) -> None:
    sm = door.sm
    created = sm.create_model(
        ModelName="Churn-Model",
        PrimaryContainer=PRIMARY,
        ExecutionRoleArn=ROLE,
        VpcConfig=VPC,
        EnableNetworkIsolation=True,
        Tags=[{"Key": "team", "Value": "retention"}],
    )
    # AWS lower-cases the model name in the ARN.
    assert created["ModelArn"] == f"{HERE}:model/churn-model"
    described = sm.describe_model(ModelName="Churn-Model")
    described.pop("ResponseMetadata")
    created_at = described.pop("CreationTime")
    assert described == {
        "ModelName": "Churn-Model",
        "ModelArn": f"{HERE}:model/churn-model",
        "PrimaryContainer": PRIMARY,
        "ExecutionRoleArn": ROLE,
        "VpcConfig": VPC,
        "EnableNetworkIsolation": True,
    }
    assert sm.describe_model(ModelName="churn-model")["ModelName"] == "Churn-Model"
    listed = sm.list_models(NameContains="churn-model")["Models"]
    assert listed == [
        {
            "ModelName": "Churn-Model",
            "ModelArn": f"{HERE}:model/churn-model",
            "CreationTime": created_at,
        }
    ]
    tags = sm.list_tags(ResourceArn=created["ModelArn"])["Tags"]
    assert tags == [{"Key": "team", "Value": "retention"}]


def test_an_inference_pipeline_keeps_its_containers_in_order(door: Door) -> None:
    pipeline = [
        {"ContainerHostname": "prep", "Image": f"{IMAGE}-prep"},
        {"ContainerHostname": "score", **PRIMARY},
    ]
    door.sm.create_model(
        ModelName="pipeline",
        Containers=pipeline,
        InferenceExecutionConfig={"Mode": "Serial"},
        ExecutionRoleArn=ROLE,
    )
    described = door.sm.describe_model(ModelName="pipeline")
    assert described["Containers"] == pipeline
    assert described["InferenceExecutionConfig"] == {"Mode": "Serial"}
    assert described["EnableNetworkIsolation"] is False
    assert "PrimaryContainer" not in described


def test_a_taken_name_is_refused_as_aws_refuses_it(door: Door) -> None:
    door.sm.create_model(ModelName="taken", PrimaryContainer=PRIMARY)
    error = _refused(door.sm.create_model, ModelName="TAKEN", PrimaryContainer={"Image": "x"})
    assert error["Code"] == "ValidationException"
    assert error["Message"] == f'Cannot create already existing model "{HERE}:model/taken".'
    assert door.sm.describe_model(ModelName="taken")["PrimaryContainer"] == PRIMARY


@pytest.mark.parametrize("operation", ["describe_model", "delete_model"])
def test_an_unknown_model_is_refused_as_aws_refuses_it(door: Door, operation: str) -> None:
    error = _refused(getattr(door.sm, operation), ModelName="nowhere")
    assert error["Code"] == "ValidationException"
    assert error["Message"] == f'Could not find model "{HERE}:model/nowhere".'


BAD_REQUESTS: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {
    "name with underscore": (
        {"ModelName": "bad_name", "PrimaryContainer": PRIMARY},
        ("at 'modelName'", "regular expression pattern"),
    ),
    "name too long": (
        {"ModelName": "m" * 64, "PrimaryContainer": PRIMARY},
        ("at 'modelName'", "length less than or equal to 63"),
    ),
    "role that is not an IAM role ARN": (
        {"ModelName": "bad-role", "PrimaryContainer": PRIMARY, "ExecutionRoleArn": "a" * 24},
        ("at 'executionRoleArn'", "regular expression pattern"),
    ),
    "model data that is not on S3": (
        {"ModelName": "bad-url", "PrimaryContainer": {"ModelDataUrl": "ftp://models/m"}},
        ("at 'primaryContainer.modelDataUrl'",),
    ),
    "subnet id with a bad character": (
        {
            "ModelName": "bad-vpc",
            "PrimaryContainer": PRIMARY,
            "VpcConfig": {"SecurityGroupIds": ["sg-1"], "Subnets": ["subnet_1"]},
        },
        ("at 'vpcConfig.subnets.1.member'",),
    ),
    "sixteen containers": (
        {"ModelName": "too-many", "Containers": [PRIMARY] * 16},
        ("at 'containers'", "length less than or equal to 15"),
    ),
    "bad container mode": (
        {"ModelName": "bad-mode", "PrimaryContainer": {"Image": IMAGE, "Mode": "Many"}},
        ("at 'primaryContainer.mode'", "[SingleModel, MultiModel]"),
    ),
    "no container": ({"ModelName": "no-container"}, ("PrimaryContainer or Containers",)),
    "both ways of giving containers": (
        {"ModelName": "both", "PrimaryContainer": PRIMARY, "Containers": [PRIMARY]},
        ("not both",),
    ),
    "oversized environments": (
        {
            "ModelName": "big-env",
            "Containers": [{"Environment": {f"K{i}": "v" * 1000 for i in range(17)}}] * 2,
        },
        ("32,768 bytes",),
    ),
    "reserved tag key": (
        {
            "ModelName": "tagged",
            "PrimaryContainer": PRIMARY,
            "Tags": [{"Key": "aws:x", "Value": "1"}],
        },
        ("System prefix 'aws:' reserved for AWS usage in tag key: aws:x",),
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_REQUESTS))
def test_bad_requests_are_refused_and_create_nothing(door: Door, case: str) -> None:
    params, says = BAD_REQUESTS[case]
    error = _refused(door.sm.create_model, **params)
    assert error["Code"] == "ValidationException"
    for text in says:
        assert text in error["Message"]
    _refused(door.sm.describe_model, ModelName=params["ModelName"][:63].replace("_", "-"))


def test_lists_filter_sort_and_page(door: Door) -> None:
    sm = door.sm
    names = ["list-b", "list-a", "list-d", "list-c"]
    for name in names:
        sm.create_model(ModelName=name, PrimaryContainer=PRIMARY)

    def listed(**params: Any) -> list[str]:
        pages = sm.get_paginator("list_models").paginate(
            NameContains="list-", PaginationConfig={"PageSize": 1}, **params
        )
        return [m["ModelName"] for page in pages for m in page["Models"]]

    # AWS's defaults: by creation time, newest first.
    assert listed() == names[::-1]
    assert listed(SortBy="Name") == ["list-d", "list-c", "list-b", "list-a"]
    assert listed(SortBy="Name", SortOrder="Ascending") == sorted(names)
    assert listed(SortBy="CreationTime", SortOrder="Ascending") == names
    first = sm.describe_model(ModelName="list-b")["CreationTime"]
    last = sm.describe_model(ModelName="list-c")["CreationTime"]
    # Times travel as epoch seconds with fractions: a millisecond apart stays apart.
    moment = timedelta(milliseconds=1)
    assert listed(CreationTimeAfter=first - moment, SortOrder="Ascending") == names
    assert listed(CreationTimeBefore=last - moment, SortOrder="Ascending") == names[:-1]
    assert listed(CreationTimeAfter=last + timedelta(seconds=1)) == []
    page = sm.list_models(NameContains="LIST-", MaxResults=3)
    assert len(page["Models"]) == 3
    assert page["NextToken"]
    rest = sm.list_models(NameContains="LIST-", MaxResults=3, NextToken=page["NextToken"])
    assert [m["ModelName"] for m in rest["Models"]] == [names[0]]
    assert "NextToken" not in rest
    error = _refused(sm.list_models, NameContains="other", NextToken=page["NextToken"])
    assert (error["Code"], "NextToken is not valid" in error["Message"]) == (
        "ValidationException",
        True,
    )


def test_tags_of_a_model_are_added_listed_removed_and_go_with_it(door: Door) -> None:
    sm = door.sm
    arn = sm.create_model(ModelName="Tagged-Model", PrimaryContainer=PRIMARY)["ModelArn"]
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    # The name's own spelling names the same model: tags are kept under the ARN AWS builds.
    sm.add_tags(ResourceArn=f"{HERE}:model/Tagged-Model", Tags=[{"Key": "owner", "Value": "ml"}])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [
        {"Key": "stage", "Value": "dev"},
        {"Key": "owner", "Value": "ml"},
    ]
    sm.delete_tags(ResourceArn=arn, TagKeys=["stage"])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "owner", "Value": "ml"}]
    sm.delete_model(ModelName="tagged-model")
    _refused(sm.describe_model, ModelName="Tagged-Model")
    assert sm.list_models(NameContains="tagged-model")["Models"] == []
    error = _refused(sm.list_tags, ResourceArn=arn)
    assert error["Code"] == "ResourceNotFound"
    sm.create_model(ModelName="Tagged-Model", PrimaryContainer=PRIMARY)
    assert sm.list_tags(ResourceArn=arn)["Tags"] == []


def test_a_model_arn_as_source_uri_registers_the_models_containers(door: Door) -> None:
    sm = door.sm
    sm.create_model_package_group(ModelPackageGroupName="from-models")
    pipeline = [PRIMARY, {"Image": f"{IMAGE}-post", "Mode": "SingleModel"}]
    model_arn = sm.create_model(ModelName="Source-Model", Containers=pipeline)["ModelArn"]
    package = sm.create_model_package(ModelPackageGroupName="from-models", SourceUri=model_arn)
    described = sm.describe_model_package(ModelPackageName=package["ModelPackageArn"])
    assert described["SourceUri"] == model_arn
    assert described["InferenceSpecification"] == {
        "Containers": [PRIMARY, {"Image": f"{IMAGE}-post"}]
    }


def test_a_source_uri_naming_no_model_is_refused_and_registers_nothing(door: Door) -> None:
    sm = door.sm
    sm.create_model_package_group(ModelPackageGroupName="no-source")
    missing = f"{HERE}:model/never-created"
    error = _refused(sm.create_model_package, ModelPackageGroupName="no-source", SourceUri=missing)
    assert error["Code"] == "ValidationException"
    assert missing in error["Message"]
    assert "names a model that does not exist" in error["Message"]
    listed = sm.list_model_packages(ModelPackageGroupName="no-source")
    assert listed["ModelPackageSummaryList"] == []


def test_cardinal_verify_finds_the_store_as_its_audit_trail_says(door: Door) -> None:
    """Runs last: every model created, tagged and deleted above is in the trail."""
    result = subprocess.run(
        [sys.executable, "-m", "cardinal", "verify", "--database-url", door.database_url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every resource matches its audit trail" in result.stdout
