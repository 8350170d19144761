"""Models with the SageMaker Python SDK v2, against Cardinal: a card's model overview filled from
a model created through boto3, a model created by the SDK itself, a model package registered
from a model's ARN, and a version cloned from that package's ARN.

Run by tests/doors/sagemaker/test_sdk_models_v2.py with the interpreter of .venvs/sdk-v2 and
AWS_ENDPOINT_URL_SAGEMAKER pointing at a fresh server. Prints one JSON line of observations.
"""

from __future__ import annotations

import json
from typing import Any

import _scenario

_scenario.start()

import boto3  # noqa: E402  (after the network guard is in place)
import sagemaker  # noqa: E402
from sagemaker.model import Model  # noqa: E402
from sagemaker.model_card import ModelCard, ModelCardStatusEnum, ModelOverview  # noqa: E402
from sagemaker.model_card.helpers import _JSONEncoder  # noqa: E402

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-xgb:1"
ARTIFACT = "s3://models/churn/xgb/model.tar.gz"
ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"

session = sagemaker.Session(boto_session=boto3.Session())
sm = session.sagemaker_client
observed: dict[str, Any] = {"endpoint": sm.meta.endpoint_url}


def encoded(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=_JSONEncoder))


# 1. A model created with boto3, then a card's model overview filled from it.
model_arn = sm.create_model(
    ModelName="Churn-XGB",
    PrimaryContainer={"Image": IMAGE, "ModelDataUrl": ARTIFACT},
    ExecutionRoleArn=ROLE,
)["ModelArn"]
observed["model_arn"] = model_arn
overview = ModelOverview.from_model_name(
    "Churn-XGB", sagemaker_session=session, model_description="Gradient-boosted churn scores"
)
observed["overview"] = encoded(overview)

card = ModelCard(
    name="churn-xgb-card",
    status=ModelCardStatusEnum.DRAFT,
    model_overview=overview,
    sagemaker_session=session,
)
observed["card_arn"] = card.create()
loaded = ModelCard.load("churn-xgb-card", sagemaker_session=session)
observed["loaded_overview"] = encoded(loaded.model_overview)

# 2. The SDK refuses a second card for a model that one documents, and a model that is not there.
for name, key in (("Churn-XGB", "second_overview"), ("never-created", "missing_model")):
    try:
        ModelOverview.from_model_name(name, sagemaker_session=session)
        observed[key] = "no error"
    except ValueError as error:
        observed[key] = str(error)

# 3. A model created by the SDK (CreateModel), described back with boto3.
sdk_model = Model(
    image_uri=IMAGE,
    model_data=ARTIFACT,
    role=ROLE,
    name="churn-xgb-sdk",
    sagemaker_session=session,
)
sdk_model.create()
observed["sdk_model"] = sm.describe_model(ModelName="churn-xgb-sdk")["PrimaryContainer"]

# 4. A model package registered from the model's ARN: the SDK leaves the inference
# specification out and the registry fills it from the model.
package = sdk_model.register(
    model_package_group_name="churn-models",
    content_types=["text/csv"],
    response_types=["text/csv"],
    source_uri=model_arn,
    approval_status="PendingManualApproval",
)
observed["package_arn"] = package.model_package_arn
described = sm.describe_model_package(ModelPackageName=package.model_package_arn)
observed["package_source_uri"] = described.get("SourceUri")
observed["package_spec"] = described.get("InferenceSpecification")

# 5. A version cloned from that package's ARN (as the SDK's own integration test clones): the
# SDK leaves the inference specification out and the registry copies the source's.
sent_specification: list[bool] = []
sm.meta.events.register(
    "provide-client-params.sagemaker.CreateModelPackage",
    lambda params, **_: sent_specification.append("InferenceSpecification" in params),
)
clone = sdk_model.register(
    model_package_group_name="churn-models",
    content_types=["text/csv"],
    response_types=["text/csv"],
    source_uri=package.model_package_arn,
    approval_status="PendingManualApproval",
)
observed["clone_arn"] = clone.model_package_arn
cloned = sm.describe_model_package(ModelPackageName=clone.model_package_arn)
observed["clone_source_uri"] = cloned.get("SourceUri")
observed["clone_spec"] = cloned.get("InferenceSpecification")
observed["clone_sent_specification"] = sent_specification

_scenario.finish(observed)
