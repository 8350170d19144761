"""Export a card with sagemaker-core's `ModelCardExportJob` (create, wait, get_all), against Cardinal.

Run by tests/doors/sagemaker/test_sdk_exports.py with the interpreter of .venvs/sdk-v3.
"""

from __future__ import annotations

import json
from typing import Any

import _scenario
from _scenario import BUSINESS, USES

_scenario.start()

import boto3  # noqa: E402  (after the network guard is in place)
from sagemaker.core.resources import ModelCard, ModelCardExportJob  # noqa: E402
from sagemaker.core.shapes import ModelCardExportOutputConfig  # noqa: E402

session = boto3.Session()
observed: dict[str, Any] = {}

content = {"intended_uses": USES, "business_details": BUSINESS}
card = ModelCard.create(
    model_card_name="churn-core",
    content=json.dumps(content),
    model_card_status="PendingReview",
    session=session,
)
changed = {**content, "model_overview": {"model_description": "Second version"}}
card.update(content=json.dumps(changed))

job = ModelCardExportJob.create(
    model_card_name="churn-core",
    model_card_export_job_name="core-export",
    output_config=ModelCardExportOutputConfig(s3_output_path="s3://audits/core"),
    model_card_version=2,
    session=session,
)
job.wait(poll=1, timeout=120)
observed["status"] = job.status
observed["version"] = job.model_card_version
observed["artifact"] = job.export_artifacts.s3_export_artifacts
observed["listed"] = [
    (j.model_card_export_job_name, j.status)
    for j in ModelCardExportJob.get_all(model_card_name="churn-core", session=session)
]
_scenario.finish(observed)
