"""Approval policies as rules: reading a policy document, and deciding on an approval."""

from __future__ import annotations

from typing import Any

import pytest

from cardinal.domain.approval_policies import (
    ApprovalPolicy,
    Approved,
    Pending,
    Refused,
    VersionFacts,
    decide_approval,
    missing_card_fields,
)
from cardinal.domain.errors import InvalidInput
from cardinal.domain.model_cards import ModelCardStatus, RiskRating

STRICT: dict[str, Any] = {
    "card_approved_first": True,
    "separation_of_duties": True,
    "approvals_required": {"High": 2, "Medium": 1, "Low": 1, "Unknown": 1},
    "required_card_fields": {
        "High": ["evaluation_details", "intended_uses.explanations_for_risk_rating"]
    },
}


def facts(**given: Any) -> VersionFacts:
    base: dict[str, Any] = {
        "name": "customer-churn/3",
        "registrant": "carol",
        "card_authors": frozenset({"dave"}),
        "card_status": ModelCardStatus.APPROVED,
        "risk_rating": RiskRating.HIGH,
        "approvers": (),
    }
    return VersionFacts(**{**base, **given})


def test_no_policy_approves_as_sagemaker_does() -> None:
    open_policy = ApprovalPolicy()
    outcome = decide_approval(open_policy, facts(card_status=None, approvers=()), "carol")
    assert outcome == Approved(approvers=("carol",))


def test_the_registrant_cannot_approve() -> None:
    outcome = decide_approval(ApprovalPolicy.from_document(STRICT), facts(), "carol")
    assert outcome == Refused(
        "separation_of_duties", "carol registered customer-churn/3 and can't approve it"
    )


def test_an_author_of_the_card_cannot_approve() -> None:
    outcome = decide_approval(ApprovalPolicy.from_document(STRICT), facts(), "dave")
    assert isinstance(outcome, Refused)
    assert outcome.rule == "separation_of_duties"
    assert "dave wrote the current content of the card" in outcome.reason


def test_a_high_risk_version_needs_two_distinct_approvers() -> None:
    policy = ApprovalPolicy.from_document(STRICT)
    first = decide_approval(policy, facts(), "alice")
    assert first == Pending(approvers=("alice",), required=2)
    assert first.summary == "1 of 2 approvals (alice)"
    again = decide_approval(policy, facts(approvers=("alice",)), "alice")
    assert again == Refused(
        "approvals_required", "alice has approved customer-churn/3 already; 1 of 2 approvals"
    )
    second = decide_approval(policy, facts(approvers=("alice",)), "bob")
    assert second == Approved(approvers=("alice", "bob"))


def test_a_card_not_approved_blocks_the_version() -> None:
    policy = ApprovalPolicy.from_document(STRICT)
    for status in (None, ModelCardStatus.DRAFT, ModelCardStatus.PENDING_REVIEW):
        outcome = decide_approval(policy, facts(card_status=status), "alice")
        assert isinstance(outcome, Refused)
        assert outcome.rule == "card_approved_first"
    assert "has no model card" in decide_approval(policy, facts(card_status=None), "a").reason


def test_missing_card_fields_are_listed_by_risk() -> None:
    policy = ApprovalPolicy.from_document(STRICT)
    content: dict[str, Any] = {"intended_uses": {"explanations_for_risk_rating": ""}}
    assert missing_card_fields(policy, RiskRating.HIGH, content) == [
        "evaluation_details",
        "intended_uses.explanations_for_risk_rating",
    ]
    content["evaluation_details"] = [{"name": "holdout"}]
    content["intended_uses"]["explanations_for_risk_rating"] = "Bills change."
    assert missing_card_fields(policy, RiskRating.HIGH, content) == []
    assert missing_card_fields(policy, RiskRating.LOW, {}) == []


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ({"separation_of_duty": True}, "$.separation_of_duty"),
        ({"card_approved_first": "yes"}, "$.card_approved_first"),
        ({"approvals_required": {"Extreme": 2}}, "$.approvals_required.Extreme"),
        ({"approvals_required": {"High": 0}}, "$.approvals_required.High"),
        ({"approvals_required": {"High": True}}, "$.approvals_required.High"),
        ({"approvals_required": {"High": 1.5}}, "$.approvals_required.High"),
        ({"approvals_required": {"High": float("inf")}}, "$.approvals_required.High"),
        ({"approvals_required": {"High": 0.0}}, "$.approvals_required.High"),
        ({"required_card_fields": {"High": "evaluation_details"}}, "$.required_card_fields.High"),
        ({"required_card_fields": {"High": ["a..b"]}}, "$.required_card_fields.High[0]"),
        ([], "$"),
    ],
)
def test_a_bad_document_is_refused_at_its_path(document: Any, path: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ApprovalPolicy.from_document(document)
    assert refused.value.path == path


def test_a_document_round_trips() -> None:
    policy = ApprovalPolicy.from_document(STRICT)
    assert ApprovalPolicy.from_document(policy.as_document()) == policy
    assert policy.approvals_for(RiskRating.UNKNOWN) == 1
    assert ApprovalPolicy().approvals_for(RiskRating.HIGH) == 1


def test_a_whole_number_written_with_a_fraction_is_that_number() -> None:
    # JSON (and JSON Schema's "integer") has one kind of number: 2.0 is 2.
    policy = ApprovalPolicy.from_document({"approvals_required": {"High": 2.0}})
    assert policy.approvals_for(RiskRating.HIGH) == 2
    assert policy.as_document()["approvals_required"] == {"High": 2}
    assert type(policy.as_document()["approvals_required"]["High"]) is int
