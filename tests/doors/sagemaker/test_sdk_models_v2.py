"""Models through the SageMaker Python SDK v2, on both backends: `ModelOverview.from_model_name`
fills a card from a model created with boto3, `Model.create` stores a model, and
`Model.register` with a model's ARN as its source registers the model's containers.

The SDK runs in its own virtual environment (sdk_scenarios/models_v2.py); this test checks what
the script observed, then the server's state with boto3.
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

HERE = "arn:aws:sagemaker:us-east-1:000000000000"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-xgb:1"
ARTIFACT = "s3://models/churn/xgb/model.tar.gz"


@pytest.fixture
def server(secured_server: RunningServer) -> RunningServer:
    """Signed with a key Cardinal issued, as a real deployment runs."""
    return secured_server


@pytest.fixture
def python() -> Path:
    return sdk_python("v2")


def test_models_with_sdk_v2(python: Path, server: RunningServer, tmp_path: Path) -> None:
    seen = run_ok(python, "models_v2.py", server, tmp_path)

    assert seen["endpoint"] == server.url
    assert seen["blocked"] == [], "the SDK tried to reach something other than the server"
    assert [c for c in seen["calls"] if "error" in c] == [
        {"service": "sagemaker", "operation": "DescribeModel", "error": "ValidationException"}
    ]
    model_arn = f"{HERE}:model/churn-xgb"
    assert seen["model_arn"] == model_arn
    overview = {
        "model_id": model_arn,
        "model_name": "Churn-XGB",
        "model_description": "Gradient-boosted churn scores",
        "model_artifact": [ARTIFACT],
        "inference_environment": {"container_image": [IMAGE]},
    }
    assert seen["overview"] == overview
    assert seen["loaded_overview"] == overview
    assert "has been associated with ['churn-xgb-card']" in seen["second_overview"]
    assert "could not be found" in seen["missing_model"]
    assert seen["sdk_model"]["Image"] == IMAGE
    assert seen["sdk_model"]["ModelDataUrl"] == ARTIFACT
    assert seen["package_source_uri"] == model_arn
    assert seen["package_spec"] == {"Containers": [{"Image": IMAGE, "ModelDataUrl": ARTIFACT}]}
    assert seen["clone_arn"] == f"{HERE}:model-package/churn-models/2"
    assert seen["clone_source_uri"] == seen["package_arn"]
    assert seen["clone_spec"] == seen["package_spec"]
    operations = [c["operation"] for c in seen["calls"]]
    assert operations.count("CreateModel") == 2
    assert operations.count("CreateModelPackage") == 2
    assert seen["clone_sent_specification"] == [False]  # the SDK left it to the registry
    assert "UpdateModelPackage" not in operations

    sm: Any = client_for(server)
    card = json.loads(sm.describe_model_card(ModelCardName="churn-xgb-card")["Content"])
    assert card["model_overview"] == overview
    assert [m["ModelName"] for m in sm.list_models(SortBy="Name")["Models"]] == [
        "churn-xgb-sdk",
        "Churn-XGB",
    ]
    package = sm.describe_model_package(ModelPackageName=seen["package_arn"])
    assert package["ModelPackageGroupName"] == "churn-models"
    assert package["InferenceSpecification"] == seen["package_spec"]
