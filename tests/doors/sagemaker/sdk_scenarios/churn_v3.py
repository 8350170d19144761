"""The churn story with sagemaker-core 2.x (the SDK v3 resources, `sagemaker.core`), against Cardinal.

Run by tests/doors/sagemaker/test_sdk_v3.py with the interpreter of .venvs/sdk-v3 and
AWS_ENDPOINT_URL_SAGEMAKER pointing at a fresh server. Asserts along the way and prints one
JSON line of observations at the end.

sagemaker-core 2.27.0 has no carry-over and no `from_model_package_arn`: the script builds the
content itself, the way the v2 SDK would.
"""

from __future__ import annotations

import json
from typing import Any

import _scenario
from _scenario import BUSINESS, CARRIED_SECTIONS, INFO, USES

_scenario.start()

import boto3  # noqa: E402  (after the network guard is in place)
from sagemaker.core.helper.session_helper import Session  # noqa: E402
from sagemaker.core.model_registry import create_model_package_from_containers  # noqa: E402
from sagemaker.core.resources import ModelCard, ModelPackage, ModelPackageGroup  # noqa: E402

GROUP = "churn"
CARD_1 = "churn-v1"
CARD_2 = "churn-v2"

session = Session(boto_session=boto3.Session())
observed: dict[str, Any] = {"endpoint": session.sagemaker_client.meta.endpoint_url}


def register(version: int) -> str:
    """Register a version with the v3 registration helper (ListModelPackageGroups, Create...)."""
    response = create_model_package_from_containers(
        session,
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


def package_details(package: ModelPackage) -> dict[str, Any]:
    """`model_package_details` for a card, the fields the v2 SDK copies from DescribeModelPackage."""
    containers = [
        {"image": c.image, "model_data_url": c.model_data_url}
        for c in package.inference_specification.containers
    ]
    return {
        "model_package_arn": package.model_package_arn,
        "model_package_description": package.model_package_description,
        "model_package_status": package.model_package_status,
        "model_approval_status": package.model_approval_status,
        "model_package_group_name": package.model_package_group_name,
        "model_package_name": package.model_package_name,
        "model_package_version": package.model_package_version,
        "created_by": {"user_profile_name": package.created_by.user_profile_name},
        "inference_specification": {"containers": containers},
    }


def content_of(card: ModelCard) -> dict[str, Any]:
    return json.loads(card.content)


# 1. A model card for the problem, in Draft.
first = {"intended_uses": USES, "business_details": BUSINESS, "additional_information": INFO}
card_1 = ModelCard.create(
    model_card_name=CARD_1, content=json.dumps(first), model_card_status="Draft"
)
assert card_1.model_card_version == 1, card_1.model_card_version
assert card_1.model_card_status == "Draft", card_1.model_card_status
assert content_of(card_1) == first, card_1.content
observed["card_1"] = {
    "arn": card_1.model_card_arn,
    "version": card_1.model_card_version,
    "created_by": card_1.created_by.user_profile_name,
}

# 2. A model package group for the problem.
group = ModelPackageGroup.create(
    model_package_group_name=GROUP, model_package_group_description="Customer churn models"
)
assert group.model_package_group_status == "Completed", group.model_package_group_status
again = ModelPackageGroup.get(GROUP)
assert again.model_package_group_arn == group.model_package_group_arn
observed["group_arn"] = group.model_package_group_arn
observed["groups"] = [g.model_package_group_name for g in ModelPackageGroup.get_all()]
assert observed["groups"] == [GROUP], observed["groups"]

# 3. Version 1 of the model, pending approval; then approved.
v1_arn = register(1)
v1 = ModelPackage.get(v1_arn)
assert v1.model_package_version == 1, v1.model_package_version
assert v1.model_approval_status == "PendingManualApproval", v1.model_approval_status
v1.update(model_approval_status="Approved")
assert v1.model_approval_status == "Approved", v1.model_approval_status
v1.refresh()
assert v1.model_approval_status == "Approved", v1.model_approval_status
observed["v1"] = {
    "arn": v1_arn,
    "name": v1.model_package_name,
    "version": v1.model_package_version,
    "status": v1.model_approval_status,
}

# 4. Link the card to that exact version: a content change, so card version 2.
linked = {**first, "model_package_details": package_details(v1)}
card_1.update(content=json.dumps(linked))
# The object stays pinned to the version it was read at (an SDK trait), so read the latest.
assert card_1.model_card_version == 1, card_1.model_card_version
assert content_of(card_1) == first
latest = ModelCard.get(CARD_1)
assert latest.model_card_version == 2, latest.model_card_version
assert content_of(latest) == linked, latest.content
assert content_of(latest)["model_package_details"]["model_package_arn"] == v1_arn
old = ModelCard.get(CARD_1, model_card_version=1)
assert content_of(old) == first, old.content
versions = latest.get_all_versions()
observed["versions_draft"] = [(v.model_card_version, v.model_card_status) for v in versions]
assert observed["versions_draft"] == [(2, "Draft"), (1, "Draft")], observed["versions_draft"]

# A status-only change edits version 2 in place; wait_for_status sees it on that version.
latest.update(model_card_status="Approved")
latest.wait_for_status("Approved", poll=1, timeout=30)
assert latest.model_card_version == 2, latest.model_card_version
approved = ModelCard.get(CARD_1)
assert approved.model_card_version == 2, approved.model_card_version
assert approved.model_card_status == "Approved", approved.model_card_status
observed["versions_approved"] = [
    (v.model_card_version, v.model_card_status) for v in approved.get_all_versions()
]

# 5. Version 2 of the model, with a card started from version 1's card and linked to it.
v2_arn = register(2)
v2 = ModelPackage.get(v2_arn)
assert v2.model_package_version == 2, v2.model_package_version
previous = content_of(ModelCard.get(CARD_1))
second = {
    **{section: previous[section] for section in CARRIED_SECTIONS},
    "model_package_details": package_details(v2),
}
card_2 = ModelCard.create(
    model_card_name=CARD_2, content=json.dumps(second), model_card_status="Draft"
)
assert card_2.model_card_version == 1, card_2.model_card_version
stored = content_of(ModelCard.get(CARD_2))
for section in CARRIED_SECTIONS:
    assert stored[section] == previous[section], section
assert stored["model_package_details"]["model_package_arn"] == v2_arn
observed["card_2"] = stored

# The registry and the cards as the listing calls show them.
packages = ModelPackage.get_all(model_package_group_name=GROUP)
observed["packages"] = sorted((p.model_package_arn, p.model_approval_status) for p in packages)
batch = v1.batch_get(model_package_arn_list=[v1_arn, v2_arn])
observed["batch"] = sorted(
    (arn, summary.model_package_version, summary.model_approval_status)
    for arn, summary in batch.model_package_summaries.items()
)
assert not batch.batch_describe_model_package_error_map, batch
cards = ModelCard.get_all()
observed["cards"] = sorted(
    (c.model_card_name, c.model_card_version, c.model_card_status) for c in cards
)

observed["operations"] = sorted(set(_scenario.operations()))
_scenario.finish(observed)
