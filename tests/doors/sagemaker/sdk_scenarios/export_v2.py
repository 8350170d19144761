"""Export a card to PDF with the SDK v2's `ModelCard.export_pdf`, against Cardinal.

Run by tests/doors/sagemaker/test_sdk_exports.py with the interpreter of .venvs/sdk-v2. The SDK
creates the job, polls DescribeModelCardExportJob every 4 seconds, and returns the artifact's
S3 URI.
"""

from __future__ import annotations

from typing import Any

import _scenario
from _scenario import BUSINESS, INFO, USES

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
    ModelOverview,
)

session = sagemaker.Session(boto_session=boto3.Session())
observed: dict[str, Any] = {}

evaluation = EvaluationJob(
    name="holdout-2026-q3",
    evaluation_observation="Holdout of 20,000 customers",
    metric_groups=[
        MetricGroup(
            name="binary classification",
            metric_data=[
                Metric(name="auc", type="number", value=0.912),
                Metric(name="recall", type="number", value=0.734),
                Metric(name="by segment", type="bar_chart", value=[0.81, 0.77, 0.69],
                       x_axis_name=["new", "regular", "loyal"], y_axis_name="recall"),
            ],
        )
    ],
)  # fmt: skip
card = ModelCard(
    name="churn-audit",
    status=ModelCardStatusEnum.APPROVED,
    model_overview=ModelOverview(model_description="Gradient-boosted churn model"),
    intended_uses=IntendedUses(**USES),
    business_details=BusinessDetails(**BUSINESS),
    additional_information=AdditionalInformation(**INFO),
    evaluation_details=[evaluation],
    sagemaker_session=session,
)
card.create()
observed["artifact"] = card.export_pdf(s3_output_path="s3://audits/model-cards")
jobs = card.list_export_jobs()["ModelCardExportJobSummaries"]
observed["jobs"] = [
    {"name": j["ModelCardExportJobName"], "status": j["Status"], "version": j["ModelCardVersion"]}
    for j in jobs
]
_scenario.finish(observed)
