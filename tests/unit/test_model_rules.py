"""The rules of a SageMaker model kept as registry metadata: its ARN, its containers, the size of
their environments, and the containers a model package registered from it gets."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from cardinal.api.sagemaker.errors import aws_error
from cardinal.domain.errors import AlreadyExists, InvalidInput, NotFound
from cardinal.domain.identifiers import Scope
from cardinal.domain.models import (
    MAX_ENVIRONMENT_BYTES,
    Model,
    ModelExists,
    ModelNotFound,
    check_model,
    model_arn,
    package_containers,
)

SCOPE = Scope("000000000000", "us-east-1")
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"


def _model(**details: Any) -> Model:
    arn = model_arn(SCOPE, "churn")
    return Model(1, "churn", arn, datetime(2026, 1, 1, tzinfo=UTC), "alice", details)


def test_the_arn_holds_the_name_in_lower_case() -> None:
    assert model_arn(SCOPE, "Churn-Model-2") == (
        "arn:aws:sagemaker:us-east-1:000000000000:model/churn-model-2"
    )


@pytest.mark.parametrize("name", ["churn", "Churn-2", "a", "a" * 63, "a--b"])
def test_names_sagemaker_accepts_are_accepted(name: str) -> None:
    check_model(name, {"PrimaryContainer": {"Image": IMAGE}})


@pytest.mark.parametrize("name", ["", "-churn", "churn-", "churn_1", "churn.1", "a" * 64])
def test_names_sagemaker_refuses_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput, match="can't be the name of a model"):
        check_model(name, {"PrimaryContainer": {"Image": IMAGE}})


def test_a_model_needs_a_container() -> None:
    with pytest.raises(InvalidInput, match="PrimaryContainer or Containers"):
        check_model("churn", {})
    with pytest.raises(InvalidInput, match="PrimaryContainer or Containers"):
        check_model("churn", {"Containers": []})


def test_containers_are_given_one_way_only() -> None:
    with pytest.raises(InvalidInput, match="not both"):
        check_model(
            "churn", {"PrimaryContainer": {"Image": IMAGE}, "Containers": [{"Image": IMAGE}]}
        )


def test_environments_together_hold_at_most_32_kb() -> None:
    half = {f"K{i}": "v" * 1000 for i in range(16)}  # 16 * (2 or 3 + 1000) bytes
    check_model("churn", {"Containers": [{"Environment": half}, {"Environment": half}]})
    over = {**half, "EXTRA": "v" * 1000}
    with pytest.raises(InvalidInput, match=f"{MAX_ENVIRONMENT_BYTES:,} bytes"):
        check_model("churn", {"Containers": [{"Environment": over}, {"Environment": half}]})


def test_an_environment_value_holds_at_most_1024_bytes() -> None:
    check_model("churn", {"PrimaryContainer": {"Environment": {"K": "v" * 1024}}})
    with pytest.raises(InvalidInput, match="1,024 bytes"):
        check_model("churn", {"PrimaryContainer": {"Environment": {"K": "é" * 513}}})


def test_the_containers_of_a_model_are_its_pipeline_or_its_primary_container() -> None:
    assert _model(PrimaryContainer={"Image": IMAGE}).containers == [{"Image": IMAGE}]
    pipeline = [{"Image": IMAGE}, {"Image": f"{IMAGE}-post"}]
    assert _model(Containers=pipeline).containers == pipeline


def test_a_package_container_keeps_what_a_package_container_can_hold() -> None:
    source = {
        "ContainerHostname": "first",
        "Image": IMAGE,
        "ModelDataUrl": "s3://models/churn.tar.gz",
        "Environment": {"SAGEMAKER_PROGRAM": "serve.py"},
        "Mode": "SingleModel",
        "ImageConfig": {"RepositoryAccessMode": "Platform"},
        "MultiModelConfig": {"ModelCacheSetting": "Enabled"},
    }
    assert package_containers(_model(Containers=[source])) == [
        {
            "ContainerHostname": "first",
            "Image": IMAGE,
            "ModelDataUrl": "s3://models/churn.tar.gz",
            "Environment": {"SAGEMAKER_PROGRAM": "serve.py"},
        }
    ]


def test_sagemaker_answers_validation_exception_for_a_missing_or_taken_model() -> None:
    # As AWS answers CreateModel of a taken name and Describe/DeleteModel of an unknown one.
    assert issubclass(ModelNotFound, NotFound)
    assert issubclass(ModelExists, AlreadyExists)
    assert aws_error(ModelNotFound("x")) == ("ValidationException", 400)
    assert aws_error(ModelExists("x")) == ("ValidationException", 400)
