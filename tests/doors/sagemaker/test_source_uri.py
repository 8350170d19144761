"""CreateModelPackage with SourceUri through boto3: a model package ARN clones the source's
inference specification, as AWS documents; one that names nothing is a ValidationException and
registers nothing."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

SPEC = {
    "Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"}],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
}


def test_a_model_package_is_cloned_from_its_arn(sagemaker: Any) -> None:
    sagemaker.create_model_package_group(ModelPackageGroupName="cloned")
    source = sagemaker.create_model_package(
        ModelPackageGroupName="cloned", InferenceSpecification=SPEC
    )["ModelPackageArn"]
    clone = sagemaker.create_model_package(ModelPackageGroupName="cloned", SourceUri=source)
    described = sagemaker.describe_model_package(ModelPackageName=clone["ModelPackageArn"])
    assert described["InferenceSpecification"] == SPEC
    assert described["SourceUri"] == source


def test_a_source_that_is_not_there_is_refused_and_registers_nothing(sagemaker: Any) -> None:
    sagemaker.create_model_package_group(ModelPackageGroupName="orphans")
    missing = "arn:aws:sagemaker:us-east-1:000000000000:model-package/orphans/7"
    with pytest.raises(ClientError) as refused:
        sagemaker.create_model_package(ModelPackageGroupName="orphans", SourceUri=missing)
    error = refused.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert missing in error["Message"]
    listed = sagemaker.list_model_packages(ModelPackageGroupName="orphans")
    assert listed["ModelPackageSummaryList"] == []
