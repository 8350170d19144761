"""A model package event is sent in SageMaker's shape whichever kind the package is: a version
names its group and version, an unversioned package neither, and only a version's event is
about a group a subscription may be limited to."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cardinal.domain.audit import AuditAction, AuditEvent
from cardinal.domain.webhooks import envelope, event_group

HERE = "arn:aws:sagemaker:us-east-1:000000000000"


def _event(arn: str, after: dict[str, object] | None = None) -> AuditEvent:
    return AuditEvent(
        seq=7,
        occurred_at=datetime(2026, 12, 5, 3, 0, tzinfo=UTC),
        actor="ann",
        action=AuditAction.PACKAGE_REGISTER,
        resource_arn=arn,
        request_id="r",
        before=None,
        after=after,
        previous_hash=None,
        hash="0" * 64,
    )


def test_a_versions_event_names_its_group_and_version() -> None:
    event = _event(f"{HERE}:model-package/churn/3", {"approval_status": "Approved"})
    detail = envelope(event, "000000000000", "us-east-1")["detail"]
    assert detail["ModelPackageName"] == "churn/3"
    assert (detail["ModelPackageGroupName"], detail["ModelPackageVersion"]) == ("churn", 3)
    assert detail["ModelApprovalStatus"] == "Approved"
    assert event_group(event) == "churn"


@pytest.mark.parametrize("name", ["churn", "churn-marketplace"])
def test_an_unversioned_packages_event_names_no_group(name: str) -> None:
    event = _event(f"{HERE}:model-package/{name}", {"description": None})
    sent = envelope(event, "000000000000", "us-east-1")
    assert sent["detail-type"] == "SageMaker Model Package State Change"
    detail = sent["detail"]
    assert detail["ModelPackageName"] == name
    assert detail["ModelPackageGroupName"] is None
    assert detail["ModelPackageVersion"] is None
    assert detail["ModelApprovalStatus"] is None
    assert event_group(event) is None
