"""The release gate opens only when the version and the card documenting it are both Approved."""

from __future__ import annotations

import json

import pytest

from cardinal.domain.errors import NotFound
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import ModelPackageChanges, NewModelPackage


@pytest.mark.parametrize("package_approved", [True, False])
@pytest.mark.parametrize("card_approved", [True, False])
def test_the_four_combinations(
    services: Services, ctx: RequestContext, package_approved: bool, card_approved: bool
) -> None:
    services.groups.create_model_package_group(ctx, "churn")
    package = services.packages.register_model_package(ctx, "churn", NewModelPackage())
    if package_approved:
        approve = ModelPackageChanges(approval_status=ApprovalStatus.APPROVED)
        services.packages.update_model_package(ctx, package.arn, approve)
    link = {"model_package_details": {"model_package_arn": package.arn}}
    status = ModelCardStatus.APPROVED if card_approved else ModelCardStatus.PENDING_REVIEW
    services.cards.create_model_card(ctx, "churn-v1", json.dumps(link), status)

    decision = services.gate.check_release(ctx, "churn/1")
    assert decision.open is (package_approved and card_approved)
    expected = []
    if not package_approved:
        expected.append("model package churn/1 is PendingManualApproval, not Approved")
    if not card_approved:
        expected.append("model card churn-v1 (version 1) is PendingReview, not Approved")
    assert list(decision.missing) == expected


def test_an_undocumented_version_stays_closed(services: Services, ctx: RequestContext) -> None:
    services.groups.create_model_package_group(ctx, "churn")
    package = services.packages.register_model_package(
        ctx, "churn", NewModelPackage(approval_status=ApprovalStatus.APPROVED)
    )
    decision = services.gate.check_release(ctx, package.arn)
    assert decision.missing == ("no model card documents model package churn/1",)
    with pytest.raises(NotFound):
        services.gate.check_release(ctx, "churn/2")
