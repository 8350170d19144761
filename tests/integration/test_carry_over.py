"""Starting the card of version N+1 from the card of the group's latest earlier documented version."""

from __future__ import annotations

import json

import pytest

from cardinal.domain.audit import AuditAction, AuditQuery
from cardinal.domain.errors import InvalidState, NotFound, StaleVersion
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.services.carry_over import model_package_details
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import NewModelPackage
from tests.support.contexts import OPERATOR

BUSINESS = {"business_problem": "Churn", "line_of_business": "Subscriptions"}
USES = {"purpose_of_model": "Rank churn risk", "risk_rating": "Medium"}
INFO = {"caveats_and_recommendations": "Retrain quarterly"}


@pytest.fixture
def group(services: Services, ctx: RequestContext) -> list[str]:
    services.groups.create_model_package_group(ctx, "churn")
    arns = [
        services.packages.register_model_package(
            ctx, "churn", NewModelPackage(description=f"v{i}")
        ).arn
        for i in (1, 2, 3)
    ]
    content = {
        "model_overview": {"model_description": "first"},
        "business_details": BUSINESS,
        "intended_uses": USES,
        "additional_information": INFO,
        "evaluation_details": [{"name": "holdout", "metric_groups": []}],
        "model_package_details": {
            "model_package_arn": arns[0],
            "model_package_group_name": "churn",
        },
    }
    services.cards.create_model_card(ctx, "churn-v1", json.dumps(content), ModelCardStatus.APPROVED)
    return arns


def _content(services: Services, ctx: RequestContext, name: str) -> dict[str, object]:
    loaded = json.loads(services.cards.describe_model_card(ctx, name).version.content)
    assert isinstance(loaded, dict)
    return loaded


def test_the_three_sections_are_carried_and_the_new_version_linked(
    services: Services, ctx: RequestContext, group: list[str]
) -> None:
    made = services.carry_over.start_card_for_package(ctx, "churn/2", "churn-v2")
    assert made.carried == ("business_details", "intended_uses", "additional_information")
    content = _content(services, ctx, "churn-v2")
    assert set(content) == {
        "business_details",
        "intended_uses",
        "additional_information",
        "model_package_details",
    }
    assert content["business_details"] == BUSINESS
    assert content["intended_uses"] == USES
    assert content["additional_information"] == INFO
    details = content["model_package_details"]
    assert isinstance(details, dict)
    assert details["model_package_arn"] == group[1]
    assert details["model_package_version"] == 2
    assert details["model_package_description"] == "v2"
    described = services.cards.describe_model_card(ctx, "churn-v2")
    assert described.card.model_package_arn == group[1]
    assert described.version.status is ModelCardStatus.DRAFT
    source = services.cards.describe_model_card(ctx, "churn-v1").version
    assert described.card.carried_over_from == {
        "model_card_arn": ctx.scope.arn("model-card", "churn-v1"),
        "model_card_version": 1,
        "chain_sha256": source.chain_sha256,
        "model_package_arn": group[0],
        "sections": ["business_details", "intended_uses", "additional_information"],
    }
    event = services.audit.list_audit_events(
        OPERATOR, AuditQuery(resource_arn=described.card.arn)
    ).items
    assert [e.action for e in event] == [AuditAction.CARD_CREATE]
    assert event[0].after is not None
    assert event[0].after["carried_over_from"]["model_card_version"] == 1


def test_the_most_recent_earlier_documented_version_is_the_source(
    services: Services, ctx: RequestContext, group: list[str]
) -> None:
    services.carry_over.start_card_for_package(ctx, group[1], "churn-v2")
    newer = _content(services, ctx, "churn-v2")
    newer["intended_uses"] = {**USES, "risk_rating": "High"}
    services.cards.update_model_card(ctx, "churn-v2", content=json.dumps(newer))
    made = services.carry_over.start_card_for_package(ctx, "churn/3", "churn-v3")
    assert made.source is not None
    assert made.source.name == "churn-v2"
    assert made.source_version is not None
    assert made.source_version.version == 2
    assert _content(services, ctx, "churn-v3")["intended_uses"] == {**USES, "risk_rating": "High"}


def test_without_an_earlier_card_only_the_link_is_made(
    services: Services, ctx: RequestContext
) -> None:
    services.groups.create_model_package_group(ctx, "fresh")
    services.packages.register_model_package(ctx, "fresh", NewModelPackage())
    made = services.carry_over.start_card_for_package(ctx, "fresh/1", "fresh-v1")
    assert made.source is None
    assert made.card.carried_over_from is None
    assert set(_content(services, ctx, "fresh-v1")) == {"model_package_details"}


def test_refusals_change_nothing(services: Services, ctx: RequestContext, group: list[str]) -> None:
    with pytest.raises(NotFound, match="Could not find model package"):
        services.carry_over.start_card_for_package(ctx, "churn/9", "churn-v9")
    with pytest.raises(InvalidState, match="already documented by model card 'churn-v1'"):
        services.carry_over.start_card_for_package(ctx, "churn/1", "churn-again")
    with pytest.raises(NotFound):
        services.cards.describe_model_card(ctx, "churn-again")


def test_the_source_is_the_card_that_would_be_carried(
    services: Services, ctx: RequestContext, group: list[str]
) -> None:
    source = services.carry_over.source_for(ctx, "churn/2")
    assert source is not None
    assert (source[0].name, source[1].version) == ("churn-v1", 1)
    services.groups.create_model_package_group(ctx, "fresh")
    services.packages.register_model_package(ctx, "fresh", NewModelPackage())
    assert services.carry_over.source_for(ctx, "fresh/1") is None


def test_linking_a_card_makes_a_new_version_that_documents_the_package(
    services: Services, ctx: RequestContext, group: list[str]
) -> None:
    kept = {"model_overview": {"model_description": "kept"}}
    services.cards.create_model_card(ctx, "loose", json.dumps(kept), ModelCardStatus.DRAFT)
    linked = services.carry_over.link_card(ctx, "loose", "churn/2", expected_version=1)
    assert linked.version.version == 2
    assert linked.card.model_package_arn == group[1]
    content = _content(services, ctx, "loose")
    assert content["model_overview"] == kept["model_overview"]
    package = services.packages.describe_model_package(ctx, "churn/2")
    assert content["model_package_details"] == model_package_details(package)
    (event,) = services.audit.list_audit_events(
        ctx, AuditQuery(action=AuditAction.CARD_LINK, resource_arn=linked.card.arn)
    ).items
    assert event.after is not None
    assert event.after["model_package_arn"] == group[1]


def test_a_link_is_refused_when_stale_taken_or_unknown_and_changes_nothing(
    services: Services, ctx: RequestContext, group: list[str]
) -> None:
    services.cards.create_model_card(ctx, "loose", "{}", ModelCardStatus.DRAFT)
    with pytest.raises(StaleVersion):
        services.carry_over.link_card(ctx, "loose", "churn/2", expected_version=7)
    with pytest.raises(NotFound, match="Could not find model package"):
        services.carry_over.link_card(ctx, "loose", "churn/9", expected_version=1)
    with pytest.raises(InvalidState, match="already documented by model card 'churn-v1'"):
        services.carry_over.link_card(ctx, "loose", "churn/1", expected_version=1)
    assert services.cards.describe_model_card(ctx, "loose").card.latest_version == 1
