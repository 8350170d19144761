"""Load the demo's two model cards with the SDK v2 and export each to PDF, against Cardinal.

Run by tests/doors/sagemaker/test_sdk_exports.py with the interpreter of .venvs/sdk-v2, against a
server whose store holds the demo registry.
"""

from __future__ import annotations

from typing import Any

import _scenario

_scenario.start()

import boto3  # noqa: E402  (after the network guard is in place)
import sagemaker  # noqa: E402
from sagemaker.model_card import ModelCard  # noqa: E402

session = sagemaker.Session(boto_session=boto3.Session())
observed: dict[str, Any] = {"artifacts": {}}
for name in ("customer-churn-v1", "customer-churn-v2"):
    card = ModelCard.load(name=name, sagemaker_session=session)
    observed["artifacts"][name] = card.export_pdf(s3_output_path="s3://audits/demo")
_scenario.finish(observed)
