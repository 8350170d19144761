"""Verification replays each resource's audit trail and names every stored field that is not
what the trail ends with: state built through the services verifies; state edited behind
Cardinal's back is named by resource, field, stored value and the value the trail ends with."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text, update

from cardinal.content.canonical import content_sha256
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus, Lifecycle, PackageFields
from cardinal.services.container import Services
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.model_packages import (
    EmbeddedCardChange,
    ModelPackageChanges,
    NewModelPackage,
)
from cardinal.services.verification import VerificationReport
from cardinal.store.tables import model_package_groups, model_packages
from tests.support.contexts import OPERATOR

LIFECYCLE = {"Stage": "Production", "StageStatus": "Approved"}
EMBEDDED_CARD_V2 = json.dumps({"model_overview": {"model_creator": "v2"}})


@dataclass(frozen=True)
class Built:
    group: str
    approved: str
    pending: str
    card: str
    deleted_card: str


def _card_content(package_arn: str, description: str) -> str:
    return json.dumps(
        {
            "model_overview": {"model_description": description},
            "model_package_details": {"model_package_arn": package_arn},
        }
    )


def _build(services: Services, ctx: RequestContext) -> Built:
    """A registry with every kind of change in its history."""
    group = services.groups.create_model_package_group(
        ctx, "churn", "Churn prediction", tags={"team": "retention"}
    )
    approved = services.packages.register_model_package(
        ctx,
        "churn",
        NewModelPackage(
            description="run 1",
            fields=PackageFields(customer_metadata={"run": "1"}),
            model_card=EmbeddedCardChange(json.dumps({"model_overview": {}}), "Draft"),
        ),
    )
    pending = services.packages.register_model_package(
        ctx, "churn", NewModelPackage(fields=PackageFields(domain="MACHINE_LEARNING"))
    )
    packages = services.packages
    packages.decide_approval(ctx, approved.arn, ApprovalStatus.APPROVED, "meets the bar")
    packages.update_model_package(
        ctx, approved.arn, ModelPackageChanges(customer_metadata={"owner": "ml"})
    )
    packages.update_model_package(
        ctx,
        approved.arn,
        ModelPackageChanges(
            replaced=PackageFields(lifecycle=Lifecycle.of_member(LIFECYCLE)),
            model_card=EmbeddedCardChange(EMBEDDED_CARD_V2, "PendingReview"),
        ),
    )
    services.tags.add_tags(ctx, approved.arn, {"stage": "prod", "owner": "ml"})
    services.tags.delete_tags(ctx, approved.arn, ["owner"])
    services.tags.add_tags(ctx, group.arn, {"team": "churn", "cost-centre": "42"})
    card = services.cards.create_model_card(
        ctx,
        "churn-v1",
        _card_content(pending.arn, "first"),
        ModelCardStatus.DRAFT,
        tags={"kind": "card"},
    ).card
    services.cards.update_model_card(ctx, card.name, content=_card_content(approved.arn, "linked"))
    services.cards.update_model_card(ctx, card.name, content=_card_content(approved.arn, "second"))
    services.cards.update_model_card(ctx, card.name, status=ModelCardStatus.APPROVED)
    scratch = services.cards.create_model_card(ctx, "scratch", "{}", ModelCardStatus.DRAFT).card
    services.cards.delete_model_card(ctx, scratch.name)
    services.groups.create_model_package_group(ctx, "again", tags={"t": "1"})
    services.groups.delete_model_package_group(ctx, "again")
    services.groups.create_model_package_group(ctx, "again", "second life")
    return Built(group.arn, approved.arn, pending.arn, card.arn, scratch.arn)


def _execute(services: Services, statement: str, **params: Any) -> None:
    with services.store.engine.begin() as connection:
        connection.execute(text(statement), params)


def _edit_details(services: Services, arn: str, edit: Callable[[dict[str, Any]], None]) -> None:
    with services.store.engine.begin() as connection:
        details = connection.execute(
            select(model_packages.c.details).where(model_packages.c.arn == arn)
        ).scalar_one()
        edit(details)
        connection.execute(
            update(model_packages).where(model_packages.c.arn == arn).values(details=details)
        )


def _insert_group(services: Services, ctx: RequestContext, name: str, at: datetime) -> str:
    arn = ctx.scope.arn("model-package-group", name)
    with services.store.engine.begin() as connection:
        connection.execute(
            model_package_groups.insert().values(
                account_id=ctx.scope.account_id,
                region=ctx.scope.region,
                name=name,
                arn=arn,
                details={},
                created_at=at,
                created_by="mallory",
                last_modified_at=at,
                last_modified_by="mallory",
            )
        )
    return arn


def _found(report: VerificationReport) -> list[tuple[str, str, str, str | None, str | None]]:
    return [(b.resource, b.position, b.field, b.stored, b.recomputed) for b in report.breaks]


def _kinds(report: VerificationReport) -> set[str]:
    return {b.kind for b in report.breaks}


def test_state_built_through_the_services_verifies(services: Services, ctx: RequestContext) -> None:
    _build(services, ctx)
    ticks: list[tuple[str, int, int]] = []
    report = services.verification.verify_evidence(
        OPERATOR, lambda stage, done, total: ticks.append((stage, done, total))
    )
    assert report.breaks == []
    # groups churn and again, two packages, cards churn-v1 and scratch (deleted)
    assert (report.resources, report.resources_before_trail) == (6, 0)
    states = [tick for tick in ticks if tick[0] == "resource states"]
    assert states[0] == ("resource states", 0, report.audit_events)
    assert states[-1] == ("resource states", report.audit_events, report.audit_events)


# Each edit made behind Cardinal's back, and the one break it must cause: the resource (by the
# Built attribute naming it), the field, the stored value and the value the trail ends with.
EDITS: dict[str, tuple[str, tuple[str, str, str | None, str | None]]] = {
    "reverted approval": (
        "UPDATE model_packages SET approval_status = 'PendingManualApproval' WHERE arn = :approved",
        ("approved", "approval_status", "PendingManualApproval", "Approved"),
    ),
    "cleared approval description": (
        "UPDATE model_packages SET approval_description = NULL WHERE arn = :approved",
        ("approved", "approval_description", None, "meets the bar"),
    ),
    "embedded card status": (
        "UPDATE model_packages SET model_card_status = 'Approved' WHERE arn = :approved",
        ("approved", "model_card.status", "Approved", "PendingReview"),
    ),
    "embedded card content": (
        "UPDATE model_packages SET model_card_content = '{}' WHERE arn = :approved",
        ("approved", "model_card.content_sha256", "<hash of {}>", "<embedded card v2 hash>"),
    ),
    "deleted tag": (
        "DELETE FROM tags WHERE resource_arn = :approved AND key = 'stage'",
        ("approved", "tags.stage", None, "prod"),
    ),
    "changed tag of a group": (
        "UPDATE tags SET value = 'fraud' WHERE resource_arn = :group AND key = 'team'",
        ("group", "tags.team", "fraud", "churn"),
    ),
    "added tag on a group": (
        "INSERT INTO tags (resource_arn, key, value) VALUES (:group, 'extra', 'x')",
        ("group", "tags.extra", "x", None),
    ),
    "group description": (
        "UPDATE model_package_groups SET description = 'edited' WHERE arn = :group",
        ("group", "description", "edited", "Churn prediction"),
    ),
    "card status": (
        "UPDATE model_cards SET status = 'Draft' WHERE arn = :card",
        ("card", "status", "Draft", "Approved"),
    ),
    "card link": (
        "UPDATE model_cards SET model_package_arn = NULL WHERE arn = :card",
        ("card", "model_package_arn", None, "<approved>"),
    ),
    "card version status": (
        "UPDATE model_card_versions SET status = 'PendingReview' WHERE version = 3 AND card_id = "
        "(SELECT id FROM model_cards WHERE arn = :card)",
        ("card", "latest_version.status", "PendingReview", "Approved"),
    ),
    "deleted package": (
        "DELETE FROM model_packages WHERE arn = :pending",
        ("pending", "exists", "absent", "present"),
    ),
    "tag left on a deleted card": (
        "INSERT INTO tags (resource_arn, key, value) VALUES (:deleted_card, 'k', 'v')",
        ("deleted_card", "tags.k", "v", None),
    ),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edited_field_is_named(services: Services, ctx: RequestContext, edit: str) -> None:
    built = _build(services, ctx)
    arns = vars(built)
    statement, (resource, field, stored, expected) = EDITS[edit]
    _execute(services, statement, **{k: v for k, v in arns.items() if f":{k}" in statement})
    report = services.verification.verify_evidence(OPERATOR)
    assert _kinds(report) == {"state"}, report.breaks
    [found] = report.breaks
    if field == "exists":
        assert "does not delete it" in found.detail
    assert (found.resource, found.position, found.field) == (arns[resource], "state", field)
    placeholders = {
        "<approved>": built.approved,
        "<hash of {}>": content_sha256("{}"),
        "<embedded card v2 hash>": content_sha256(EMBEDDED_CARD_V2),
    }
    stored = placeholders.get(stored or "", stored)
    expected = placeholders.get(expected or "", expected)
    assert (found.stored, found.recomputed) == (stored, expected)


def test_edited_customer_metadata_and_lifecycle_are_named(
    services: Services, ctx: RequestContext
) -> None:
    built = _build(services, ctx)

    def edit(details: dict[str, Any]) -> None:
        details["CustomerMetadataProperties"]["owner"] = "mallory"
        del details["ModelLifeCycle"]

    _edit_details(services, built.approved, edit)
    report = services.verification.verify_evidence(OPERATOR)
    assert _found(report) == [
        (
            built.approved,
            "state",
            "details.CustomerMetadataProperties",
            '{"owner":"mallory","run":"1"}',
            '{"owner":"ml","run":"1"}',
        ),
        (
            built.approved,
            "state",
            "details.ModelLifeCycle",
            None,
            json.dumps(LIFECYCLE, separators=(",", ":")),
        ),
    ]
    assert "set by event" in report.breaks[0].detail
    assert "model-package:update" in report.breaks[0].detail


def test_details_and_tags_fixed_at_registration_are_named(
    services: Services, ctx: RequestContext
) -> None:
    built = _build(services, ctx)

    def edit(details: dict[str, Any]) -> None:
        details["Domain"] = "COMPUTER_VISION"

    _edit_details(services, built.pending, edit)
    # A registration carries the package's details and its (empty) tags.
    _execute(
        services,
        "INSERT INTO tags (resource_arn, key, value) VALUES (:arn, 'extra', 'x')",
        arn=built.pending,
    )
    named = {(b.resource, b.field) for b in services.verification.verify_evidence(OPERATOR).breaks}
    assert named == {
        (built.pending, "details.Domain"),
        (built.pending, "tags.extra"),
    }


def test_what_the_trail_does_not_fix_raises_no_alarm(
    services: Services, ctx: RequestContext
) -> None:
    built = _build(services, ctx)

    def edit(details: dict[str, Any]) -> None:
        details["Task"] = "CLASSIFICATION"  # a member the package was registered without

    _edit_details(services, built.pending, edit)
    assert services.verification.verify_evidence(OPERATOR).breaks == []


def test_a_change_made_on_a_stale_state_is_named_at_its_event(
    services: Services, ctx: RequestContext
) -> None:
    """An update that started from a state other than the one the trail had left it in: the
    stored state agrees with the last event, but the event before it was overwritten."""
    built = _build(services, ctx)
    _edit_details(
        services,
        built.approved,
        lambda details: details["CustomerMetadataProperties"].update(owner="mallory"),
    )
    services.packages.update_model_package(
        ctx, built.approved, ModelPackageChanges(customer_metadata={"new": "1"})
    )
    report = services.verification.verify_evidence(OPERATOR)
    [found] = report.breaks
    assert found.kind == "history"
    assert (found.resource, found.field) == (built.approved, "details.CustomerMetadataProperties")
    assert (found.stored, found.recomputed) == (
        '{"owner":"mallory","run":"1"}',
        '{"owner":"ml","run":"1"}',
    )
    assert found.position.startswith("event ")
    assert "stale read" in found.detail


def test_an_approval_lost_to_a_concurrent_update_is_named(
    services: Services, ctx: RequestContext
) -> None:
    """What a lost update leaves: the approval's event, and a later write of the package read
    before it, which puts the old approval status back."""
    built = _build(services, ctx)
    services.packages.decide_approval(ctx, built.pending, ApprovalStatus.APPROVED)
    _execute(
        services,
        "UPDATE model_packages SET approval_status = 'PendingManualApproval', "
        "approval_description = NULL WHERE arn = :arn",
        arn=built.pending,
    )
    report = services.verification.verify_evidence(OPERATOR)
    assert [(b.resource, b.field, b.stored, b.recomputed) for b in report.breaks] == [
        (built.pending, "approval_status", "PendingManualApproval", "Approved")
    ]


def test_a_resource_no_event_created_is_named(services: Services, ctx: RequestContext) -> None:
    _build(services, ctx)
    arn = _insert_group(services, ctx, "ghost", utcnow())
    _execute(
        services,
        "INSERT INTO tags (resource_arn, key, value) VALUES (:arn, 'k', 'v')",
        arn=ctx.scope.arn("model-card", "nowhere"),
    )
    report = services.verification.verify_evidence(OPERATOR)
    assert _found(report) == [
        (arn, "state", "exists", "present", "absent"),
        (ctx.scope.arn("model-card", "nowhere"), "state", "tags.k", "v", None),
    ]
    assert "no event creating it" in report.breaks[0].detail


def test_resources_stored_before_the_trail_began_are_compared_in_what_later_events_fix(
    services: Services, ctx: RequestContext
) -> None:
    old = _insert_group(services, ctx, "legacy", datetime(2020, 1, 1, tzinfo=UTC))
    report = services.verification.verify_evidence(OPERATOR)
    assert report.ok
    assert (report.resources, report.resources_before_trail) == (1, 1)

    _build(services, ctx)
    services.tags.add_tags(ctx, old, {"owner": "ml"})
    report = services.verification.verify_evidence(OPERATOR)
    assert report.breaks == []
    assert report.resources_before_trail == 1

    _execute(services, "UPDATE tags SET value = 'x' WHERE resource_arn = :arn", arn=old)
    _execute(
        services, "UPDATE model_package_groups SET description = 'x' WHERE arn = :arn", arn=old
    )
    assert _found(services.verification.verify_evidence(OPERATOR)) == [
        (old, "state", "tags.owner", "x", "ml")
    ]


def test_hash_breaks_are_reported_as_before(services: Services, ctx: RequestContext) -> None:
    built = _build(services, ctx)
    _execute(
        services,
        "UPDATE model_card_versions SET content = '{}' WHERE version = 1 AND card_id = "
        "(SELECT id FROM model_cards WHERE arn = :arn)",
        arn=built.card,
    )
    report = services.verification.verify_evidence(OPERATOR)
    assert [(b.kind, b.position, b.field) for b in report.breaks] == [
        ("hash", "version 1", "content_sha256"),
        ("hash", "version 1", "chain_sha256"),
    ]


def test_one_cards_chain_is_verified_on_its_own(services: Services, ctx: RequestContext) -> None:
    for name in ("kept", "edited"):
        services.cards.create_model_card(ctx, name, "{}", ModelCardStatus.DRAFT)
        for owner in ("a", "b"):
            services.cards.update_model_card(
                ctx, name, content=json.dumps({"model_overview": {"model_owner": owner}})
            )
    assert services.verification.verify_card(ctx, "edited").ok
    card_id = services.cards.describe_model_card(ctx, "edited").card.id
    _execute(
        services,
        "UPDATE model_card_versions SET content = :content WHERE card_id = :id AND version = 2",
        content='{"model_overview": {"model_owner": "mallory"}}',
        id=card_id,
    )
    report = services.verification.verify_card(ctx, "edited")
    assert [(b.position, b.field) for b in report.breaks] == [
        ("version 2", "content_sha256"),
        ("version 2", "chain_sha256"),
    ]
    assert report.card_versions == 3
    assert services.verification.verify_card(ctx, "kept").ok
