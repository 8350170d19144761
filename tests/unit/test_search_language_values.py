"""The filter language takes the values of a closed set (risk rating, statuses) in any case and
refuses a value outside the set, naming the ones it takes; other text stays as written."""

from __future__ import annotations

import pytest

from cardinal.domain.errors import InputField, InvalidInput
from cardinal.domain.search import (
    Expression,
    Filter,
    Operator,
    Resource,
    SearchQuery,
    check_query,
)
from cardinal.domain.search_language import parse_filter

CARD = Resource.MODEL_CARD
PACKAGE = Resource.MODEL_PACKAGE
GROUP = Resource.MODEL_PACKAGE_GROUP
Op = Operator


def one(name: str, op: Operator, value: str) -> Expression:
    return Expression(filters=(Filter(name, op, value),))


@pytest.mark.parametrize(
    ("text", "resource", "expected"),
    [
        ("risk = medium", CARD, one("RiskRating", Op.EQUALS, "Medium")),
        ("risk = 'HIGH'", CARD, one("RiskRating", Op.EQUALS, "High")),
        ("risk != unknown", CARD, one("RiskRating", Op.NOT_EQUALS, "Unknown")),
        ("RiskRating = low", CARD, one("RiskRating", Op.EQUALS, "Low")),
        ("status = pendingreview", CARD, one("ModelCardStatus", Op.EQUALS, "PendingReview")),
        (
            "status in (draft, APPROVED, Archived)",
            CARD,
            one("ModelCardStatus", Op.IN, "Draft,Approved,Archived"),
        ),
        ("approval = approved", PACKAGE, one("ModelApprovalStatus", Op.EQUALS, "Approved")),
        (
            "approval in (pendingmanualapproval, rejected)",
            PACKAGE,
            one("ModelApprovalStatus", Op.IN, "PendingManualApproval,Rejected"),
        ),
        ("status = completed", PACKAGE, one("ModelPackageStatus", Op.EQUALS, "Completed")),
        ("status = deletefailed", GROUP, one("ModelPackageGroupStatus", Op.EQUALS, "DeleteFailed")),
    ],
)
def test_values_of_a_closed_set_take_any_case(
    text: str, resource: Resource, expected: Expression
) -> None:
    parsed = parse_filter(text, resource)
    assert parsed == expected
    check_query(SearchQuery(resource, parsed))


@pytest.mark.parametrize(
    ("text", "resource", "expected"),
    [
        ("name = CHURN", CARD, one("ModelCardName", Op.EQUALS, "CHURN")),
        ("stage = production", PACKAGE, one("ModelLifeCycle.Stage", Op.EQUALS, "production")),
        ("risk ~ ed", CARD, one("RiskRating", Op.CONTAINS, "ed")),
        ("tag.risk = medium", CARD, one("Tags.risk", Op.EQUALS, "medium")),
    ],
)
def test_other_values_stay_as_written(text: str, resource: Resource, expected: Expression) -> None:
    assert parse_filter(text, resource) == expected


@pytest.mark.parametrize(
    ("text", "resource", "message"),
    [
        (
            "risk = extreme",
            CARD,
            "at column 1: 'extreme' is not a risk rating: use one of High, Low, Medium, Unknown",
        ),
        (
            "name = a and status in (draft, done)",
            CARD,
            "at column 14: 'done' is not a model card status: "
            "use one of Approved, Archived, Draft, PendingReview",
        ),
        (
            "approval != yes",
            PACKAGE,
            "at column 1: 'yes' is not an approval status: "
            "use one of Approved, PendingManualApproval, Rejected",
        ),
        (
            "status = ok",
            PACKAGE,
            "at column 1: 'ok' is not a model package status: "
            "use one of Completed, Deleting, Failed, InProgress, Pending",
        ),
        (
            "status = ok",
            GROUP,
            "at column 1: 'ok' is not a model package group status: "
            "use one of Completed, DeleteFailed, Deleting, Failed, InProgress, Pending",
        ),
        ("risk = ''", CARD, "at column 1: '' is not a risk rating: use one of High"),
    ],
)
def test_value_outside_a_closed_set_names_the_accepted_ones(
    text: str, resource: Resource, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_filter(text, resource)
    assert caught.value.message.startswith(message)
    assert caught.value.field is InputField.SEARCH_FILTER


def test_search_expressions_keep_values_exactly_as_given() -> None:
    lower = SearchQuery(CARD, one("RiskRating", Op.EQUALS, "medium"))
    check_query(lower)
    assert lower.expression == one("RiskRating", Op.EQUALS, "medium")
