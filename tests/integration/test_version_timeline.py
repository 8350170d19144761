"""The timeline of one model version: its own events and its cards', oldest first, on both
backends."""

from __future__ import annotations

import json

import pytest

from cardinal.domain.audit import AuditAction
from cardinal.domain.errors import NotFound
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import NewModelPackage


def test_a_version_and_its_cards_in_the_order_they_happened(
    services: Services, ctx: RequestContext
) -> None:
    services.groups.create_model_package_group(ctx, "churn")
    first = services.packages.register_model_package(ctx, "churn", NewModelPackage())
    other = services.packages.register_model_package(ctx, "churn", NewModelPackage())
    linked = {"model_package_details": {"model_package_arn": first.arn}}
    services.cards.create_model_card(ctx, "old-card", json.dumps(linked), ModelCardStatus.DRAFT)
    services.packages.decide_approval(ctx, first.arn, ApprovalStatus.APPROVED, "ok")
    # The card the approval saw moves on to the other version; a new card documents this one.
    moved = {"model_package_details": {"model_package_arn": other.arn}}
    services.cards.update_model_card(ctx, "old-card", content=json.dumps(moved))
    services.cards.create_model_card(ctx, "new-card", json.dumps(linked), ModelCardStatus.DRAFT)

    timeline = services.timelines.version_timeline(ctx, "churn/1")

    assert timeline.card is not None
    assert timeline.card.name == "new-card"
    card = ctx.scope.arn("model-card", "new-card")
    old = ctx.scope.arn("model-card", "old-card")
    assert timeline.card_arns == (card, old)
    assert [(e.action, e.resource_arn) for e in timeline.events] == [
        (AuditAction.PACKAGE_REGISTER, first.arn),
        (AuditAction.CARD_CREATE, old),
        (AuditAction.PACKAGE_APPROVAL, first.arn),
        (AuditAction.CARD_LINK, old),
        (AuditAction.CARD_CREATE, card),
    ]
    assert timeline.complete
    seqs = [e.seq for e in timeline.events]
    assert seqs == sorted(seqs)


def test_a_version_that_is_not_there(services: Services, ctx: RequestContext) -> None:
    services.groups.create_model_package_group(ctx, "churn")
    with pytest.raises(NotFound, match="Could not find model package 'churn/3'"):
        services.timelines.version_timeline(ctx, "churn/3")
