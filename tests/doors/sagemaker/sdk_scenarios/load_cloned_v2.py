"""Load the card Cardinal's carry-over made (customer-churn-v3) with the SDK v2, unchanged.

Run by tests/doors/cli/test_card_clone_cli.py with the interpreter of .venvs/sdk-v2. Prints the
card's sections as the SDK sees them.
"""

from __future__ import annotations

import json
from typing import Any

import _scenario

_scenario.start()

import boto3  # noqa: E402  (after the network guard is in place)
import sagemaker  # noqa: E402
from sagemaker.model_card import ModelCard  # noqa: E402
from sagemaker.model_card.helpers import _JSONEncoder  # noqa: E402

session = sagemaker.Session(boto_session=boto3.Session())


def encoded(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=_JSONEncoder))


card = ModelCard.load("customer-churn-v3", sagemaker_session=session)
details = card.model_package_details
assert details is not None
_scenario.finish(
    {
        "name": card.name,
        "version": card.version,
        "status": card.status.value,
        "business_details": encoded(card.business_details),
        "intended_uses": encoded(card.intended_uses),
        "additional_information": encoded(card.additional_information),
        "model_package_arn": details.model_package_arn,
        "model_package_version": details.model_package_version,
    }
)
