"""The churn story with the SageMaker Python SDK v2 (`sagemaker.model_card`), against Cardinal.

Run by tests/doors/sagemaker/test_sdk_v2.py with the interpreter of .venvs/sdk-v2 and
AWS_ENDPOINT_URL_SAGEMAKER pointing at a fresh server. Asserts along the way and prints one
JSON line of observations at the end.
"""

from __future__ import annotations

import json
from typing import Any

import _scenario
from _scenario import BUSINESS, CARRIED_SECTIONS, INFO, USES

_scenario.start()

import boto3  # noqa: E402  (after the network guard is in place)
import sagemaker  # noqa: E402
from sagemaker.model_card import (  # noqa: E402
    AdditionalInformation,
    BusinessDetails,
    EvaluationJob,
    IntendedUses,
    Metric,
    MetricGroup,
    ModelCard,
    ModelCardStatusEnum,
    ModelPackage,
)
from sagemaker.model_card.helpers import _JSONEncoder  # noqa: E402

GROUP = "churn"
CARD_1 = "churn-v1"
CARD_2 = "churn-v2"

session = sagemaker.Session(boto_session=boto3.Session())
sm = session.sagemaker_client
observed: dict[str, Any] = {"endpoint": sm.meta.endpoint_url}


def encoded(value: Any) -> Any:
    """A model card object (or list of them) as the plain JSON the SDK sends."""
    return json.loads(json.dumps(value, cls=_JSONEncoder))


def card_content(card: ModelCard) -> dict[str, Any]:
    return json.loads(card._create_request_args()["Content"])


def register(version: int) -> str:
    response = session.create_model_package_from_containers(
        containers=[
            {
                "Image": f"churn-image:{version}",
                "ModelDataUrl": f"s3://models/churn/v{version}.tar.gz",
            }
        ],
        content_types=["text/csv"],
        response_types=["text/csv"],
        model_package_group_name=GROUP,
        approval_status="PendingManualApproval",
        description=f"Churn model, release {version}",
    )
    return str(response["ModelPackageArn"])


# 1. A model card for the problem, in Draft, with an evaluation job of several metric types.
evaluation = EvaluationJob(
    name="holdout-2026-q3",
    evaluation_observation="Scored on the last quarter's customers",
    datasets=["s3://data/churn/holdout.csv"],
    metadata={"evaluated_by": "retention-ds"},
    metric_groups=[
        MetricGroup(
            name="binary classification",
            metric_data=[
                Metric(name="auc", type="number", value=0.91),
                Metric(name="accuracy", type="number", value=0.87, notes="threshold 0.5"),
                Metric(
                    name="roc",
                    type="linear_graph",
                    value=[[0.0, 0.0], [0.1, 0.6], [0.3, 0.85], [1.0, 1.0]],
                    x_axis_name="false positive rate",
                    y_axis_name="true positive rate",
                ),
                Metric(
                    name="churn rate by plan",
                    type="bar_chart",
                    value=[0.12, 0.07, 0.03],
                    x_axis_name=["monthly", "yearly", "lifetime"],
                    y_axis_name="churn rate",
                ),
                Metric(
                    name="confusion matrix",
                    type="matrix",
                    value=[[812, 41], [77, 270]],
                    x_axis_name=["stays", "churns"],
                    y_axis_name=["stays", "churns"],
                ),
            ],
        )
    ],
)
card_1 = ModelCard(
    name=CARD_1,
    status=ModelCardStatusEnum.DRAFT,
    intended_uses=IntendedUses(**USES),
    business_details=BusinessDetails(**BUSINESS),
    additional_information=AdditionalInformation(**INFO),
    evaluation_details=[evaluation],
    sagemaker_session=session,
)
sent_evaluation = encoded(card_1.evaluation_details)
card_1_arn = card_1.create()
assert card_1.version == 1, card_1.version
loaded = ModelCard.load(CARD_1, sagemaker_session=session)
assert loaded.status == ModelCardStatusEnum.DRAFT, loaded.status
assert encoded(loaded.evaluation_details) == sent_evaluation, encoded(loaded.evaluation_details)
assert encoded(loaded.business_details) == BUSINESS
assert encoded(loaded.intended_uses) == USES
assert encoded(loaded.additional_information) == INFO
assert loaded.model_package_details is None
observed["card_1"] = {"arn": card_1_arn, "version": card_1.version, "created_by": loaded.created_by}
observed["evaluation_details"] = sent_evaluation

# 2. A model package group for the problem.
sm.create_model_package_group(
    ModelPackageGroupName=GROUP, ModelPackageGroupDescription="Customer churn models"
)

# 3. Version 1 of the model, pending approval; then approved.
v1_arn = register(1)
pending = sm.describe_model_package(ModelPackageName=v1_arn)
assert pending["ModelApprovalStatus"] == "PendingManualApproval", pending
assert pending["ModelPackageVersion"] == 1, pending
sm.update_model_package(ModelPackageArn=v1_arn, ModelApprovalStatus="Approved")
approved = sm.describe_model_package(ModelPackageName=v1_arn)
assert approved["ModelApprovalStatus"] == "Approved", approved
observed["v1_arn"] = v1_arn

# 4. Link the card to that exact version: the SDK's own snippet, verbatim.
card = ModelCard.load(CARD_1)
mp = ModelPackage.from_model_package_arn(v1_arn)
card.model_package_details = mp
card.update()

linked = ModelCard.load(CARD_1, sagemaker_session=session)
assert linked.version == 2, linked.version
private = linked.__dict__.get(
    "_ModelCard__model_package_details", linked.__dict__.get("__model_package_details")
)
observed["private_link_keys"] = sorted(k for k in linked.__dict__ if "model_package_details" in k)
assert isinstance(private, ModelPackage), linked.__dict__
assert private.model_package_arn == v1_arn
details = linked.model_package_details
assert isinstance(details, ModelPackage)
assert details.model_package_arn == v1_arn, details.model_package_arn
assert details.model_package_group_name == GROUP
assert details.model_package_version == 1
assert encoded(linked.evaluation_details) == sent_evaluation, "evaluation changed by the link"
observed["link"] = encoded(details)

# The SDK's one-card-per-version check now finds card 1 through Search(ModelCard, ModelId).
try:
    ModelPackage.from_model_package_arn(v1_arn, sagemaker_session=session)
except ValueError as refused:
    observed["second_card_for_v1"] = str(refused)
else:
    raise AssertionError("from_model_package_arn accepted a version that already has a card")

history = linked.get_version_history()
assert [v["ModelCardVersion"] for v in history] == [2, 1], history
observed["history"] = [
    {"version": v["ModelCardVersion"], "status": v["ModelCardStatus"]} for v in history
]

# A status-only update edits the current version; it does not make a new one.
linked.update(status=ModelCardStatusEnum.APPROVED)
after_status = ModelCard.load(CARD_1, sagemaker_session=session)
assert after_status.version == 2, after_status.version
assert after_status.status == ModelCardStatusEnum.APPROVED, after_status.status
assert [v["ModelCardVersion"] for v in after_status.get_version_history()] == [2, 1]
first_version = ModelCard.load(CARD_1, version=1, sagemaker_session=session)
assert first_version.model_package_details is None
observed["card_1_status"] = str(after_status.status.value)

# 5. Version 2 of the model, with a card started from version 1's card by the SDK's carry-over.
v2_arn = register(2)
assert sm.describe_model_package(ModelPackageName=v2_arn)["ModelPackageVersion"] == 2
observed["v2_arn"] = v2_arn
card_2 = ModelCard(
    name=CARD_2,
    status=ModelCardStatusEnum.DRAFT,
    model_package_details=ModelPackage.from_model_package_arn(v2_arn, sagemaker_session=session),
    sagemaker_session=session,
)
for section in CARRIED_SECTIONS:
    assert getattr(card_2, section) is not None, f"{section} was not carried over"
card_2.create()
second = ModelCard.load(CARD_2, sagemaker_session=session)
assert second.version == 1, second.version
for section in CARRIED_SECTIONS:
    assert encoded(getattr(second, section)) == encoded(getattr(after_status, section)), section
assert second.model_package_details.model_package_arn == v2_arn
assert second.model_package_details.model_package_version == 2
observed["card_2"] = card_content(second)

observed["operations"] = sorted(set(_scenario.operations()))
_scenario.finish(observed)
