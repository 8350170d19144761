"""Diffs of stored churn card versions and of drafts, through the services, on both backends."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from cardinal.content.diff import ChangeKind
from cardinal.domain.errors import InvalidInput, NotFound
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.services.card_diffs import CardDiffService, VersionDiff
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import NewModelPackage
from tests.unit.test_card_diff import churn_card

ADDED, REMOVED, CHANGED = ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.CHANGED
CARD = "churn-v1"
QUALITY = "$.evaluation_details[0].metric_groups[0]"

V1_TO_V2 = [
    (CHANGED, "$.intended_uses.risk_rating"),
    (ADDED, "$.business_details.line_of_business"),
    (CHANGED, f"{QUALITY}.metric_data[1].value"),
]
V2_TO_V3 = [
    (CHANGED, f"{QUALITY}.metric_data[2].value"),
    (ADDED, f"{QUALITY}.metric_data[3]"),
    (ADDED, "$.evaluation_details[1]"),
    (REMOVED, "$.additional_information.caveats_and_recommendations"),
]


def _versions(services: Services, ctx: RequestContext) -> list[dict[str, Any]]:
    """Store the churn card in three versions and return their contents."""
    services.groups.create_model_package_group(ctx, "customer-churn", "Customer churn")
    package = services.packages.register_model_package(ctx, "customer-churn", NewModelPackage())
    v1 = churn_card()
    v1["model_package_details"]["model_package_arn"] = package.arn
    v2 = copy.deepcopy(v1)
    v2["intended_uses"]["risk_rating"] = "High"
    v2["business_details"]["line_of_business"] = "Retail"
    quality = v2["evaluation_details"][0]["metric_groups"][0]["metric_data"]
    quality[1]["value"] = 0.9
    v3 = copy.deepcopy(v2)
    quality = v3["evaluation_details"][0]["metric_groups"][0]["metric_data"]
    quality[2]["value"] = [[820, 33], [49, 298]]
    quality.append({"name": "f1", "type": "number", "value": 0.84})
    v3["evaluation_details"].append({"name": "holdout-2024-06", "metric_groups": []})
    del v3["additional_information"]["caveats_and_recommendations"]

    services.cards.create_model_card(ctx, CARD, json.dumps(v1), ModelCardStatus.DRAFT)
    services.cards.update_model_card(ctx, CARD, content=json.dumps(v2))
    services.cards.update_model_card(ctx, CARD, status=ModelCardStatus.PENDING_REVIEW)
    services.cards.update_model_card(ctx, CARD, content=json.dumps(v3))
    return [v1, v2, v3]


def _kinds_and_paths(diff: VersionDiff) -> list[tuple[ChangeKind, str]]:
    return [(change.kind, change.path) for change in diff.diff.changes]


@pytest.fixture
def diffs(services: Services) -> CardDiffService:
    return CardDiffService(services.cards)


@pytest.fixture
def contents(services: Services, ctx: RequestContext) -> list[dict[str, Any]]:
    return _versions(services, ctx)


def test_diff_of_consecutive_versions_lists_exactly_the_changed_paths(
    diffs: CardDiffService, ctx: RequestContext, contents: list[dict[str, Any]]
) -> None:
    first = diffs.diff_versions(ctx, CARD, 1, 2)
    assert (first.card_name, first.from_version, first.to_version) == (CARD, 1, 2)
    assert _kinds_and_paths(first) == V1_TO_V2
    assert first.diff.changes[0].old == "Medium"
    assert first.diff.changes[0].new == "High"
    assert _kinds_and_paths(diffs.diff_versions(ctx, CARD, 2, 3)) == V2_TO_V3


def test_diff_to_the_latest_version(
    diffs: CardDiffService, ctx: RequestContext, contents: list[dict[str, Any]]
) -> None:
    latest = diffs.diff_versions(ctx, CARD, 1)
    assert (latest.from_version, latest.to_version, latest.to_draft) == (1, 3, False)
    assert _kinds_and_paths(latest) == [*V1_TO_V2, *V2_TO_V3]


def test_diff_backwards_by_arn_and_of_a_version_with_itself(
    diffs: CardDiffService, ctx: RequestContext, contents: list[dict[str, Any]]
) -> None:
    backwards = diffs.diff_versions(ctx, ctx.scope.arn("model-card", CARD), 3, 2)
    assert backwards.card_name == CARD
    assert _kinds_and_paths(backwards) == [
        (CHANGED, f"{QUALITY}.metric_data[2].value"),
        (REMOVED, f"{QUALITY}.metric_data[3]"),
        (REMOVED, "$.evaluation_details[1]"),
        (ADDED, "$.additional_information.caveats_and_recommendations"),
    ]
    assert diffs.diff_versions(ctx, CARD, 2, 2).diff.is_empty


def test_diff_with_a_draft(
    diffs: CardDiffService, ctx: RequestContext, contents: list[dict[str, Any]]
) -> None:
    draft = copy.deepcopy(contents[2])
    draft["intended_uses"]["risk_rating"] = "Low"
    against_latest = diffs.diff_with_draft(ctx, CARD, json.dumps(draft))
    assert (against_latest.from_version, against_latest.to_version) == (3, None)
    assert against_latest.to_draft
    assert _kinds_and_paths(against_latest) == [(CHANGED, "$.intended_uses.risk_rating")]
    assert against_latest.to_dict() == {
        "model_card_name": CARD,
        "from_version": 3,
        "to_version": None,
        "to_draft": True,
        "changes": [
            {"path": "$.intended_uses.risk_rating", "kind": "changed", "old": "High", "new": "Low"}
        ],
    }
    against_v2 = diffs.diff_with_draft(ctx, CARD, json.dumps(draft), from_version=2)
    assert _kinds_and_paths(against_v2) == [(CHANGED, "$.intended_uses.risk_rating"), *V2_TO_V3]


def test_an_invalid_draft_is_refused_with_its_path(
    diffs: CardDiffService, ctx: RequestContext, contents: list[dict[str, Any]]
) -> None:
    draft = copy.deepcopy(contents[2])
    draft["intended_uses"]["risk_rating"] = "Extreme"
    with pytest.raises(InvalidInput) as refused:
        diffs.diff_with_draft(ctx, CARD, json.dumps(draft))
    assert refused.value.path == "$.intended_uses.risk_rating"
    with pytest.raises(InvalidInput):
        diffs.diff_with_draft(ctx, CARD, "not json")


def test_missing_cards_and_versions_are_not_found(
    diffs: CardDiffService, ctx: RequestContext, contents: list[dict[str, Any]]
) -> None:
    with pytest.raises(NotFound, match="'missing' does not exist"):
        diffs.diff_versions(ctx, "missing", 1, 2)
    with pytest.raises(NotFound, match="no version 4"):
        diffs.diff_versions(ctx, CARD, 4)
    with pytest.raises(NotFound, match="no version 9"):
        diffs.diff_versions(ctx, CARD, 1, 9)
    with pytest.raises(NotFound, match="no version 7"):
        diffs.diff_with_draft(ctx, CARD, json.dumps(contents[0]), from_version=7)
