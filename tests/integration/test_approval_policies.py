"""Approval policies enforced by the services on both backends, with authenticated callers:
separation of duties, card approved first, distinct approvers by risk, required card fields,
the decision records that pin the card, and Archived as final."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from cardinal.domain.access import Grant, Role
from cardinal.domain.approval_policies import Approved, Decision, Pending, Refused
from cardinal.domain.audit import AuditAction, AuditQuery
from cardinal.domain.errors import AccessDenied, InvalidInput, InvalidState
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus, ModelPackage
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import NewModelPackage
from tests.support.contexts import OPERATOR

GROUP = "churn"


def as_(services: Services, name: str) -> RequestContext:
    principal = services.identities.describe_principal(OPERATOR, name)
    return replace(OPERATOR, actor=name, principal=principal)


def card_content(package: ModelPackage, risk: str, **extra: Any) -> str:
    return json.dumps(
        {
            "model_package_details": {"model_package_arn": package.arn},
            "intended_uses": {"risk_rating": risk, **extra.pop("intended_uses", {})},
            **extra,
        }
    )


@pytest.fixture
def team(services: Services) -> Services:
    for name, role in [
        ("ada", Role.AUTHOR), ("ann", Role.APPROVER), ("bo", Role.APPROVER),
        ("cy", Role.APPROVER), ("root", Role.ADMIN),
    ]:  # fmt: skip
        services.identities.create_principal(OPERATOR, name, grants=[Grant(role)])
    services.groups.create_model_package_group(as_(services, "ada"), GROUP)
    return services


def registered(services: Services, by: str = "ada") -> ModelPackage:
    return services.packages.register_model_package(as_(services, by), GROUP, NewModelPackage())


def test_with_no_policy_one_approval_approves_as_in_sagemaker(team: Services) -> None:
    package = registered(team)
    approved = team.packages.decide_approval(
        as_(team, "ann"), package.arn, ApprovalStatus.APPROVED, "ok"
    )
    assert approved.approval_status is ApprovalStatus.APPROVED
    decisions = team.policies.decisions(OPERATOR, approved)
    assert [(d.decision, d.decided_by, d.comment, d.policy_version) for d in decisions] == [
        (Decision.APPROVE, "ann", "ok", None)
    ]


def test_separation_of_duties_refuses_the_registrant(team: Services) -> None:
    team.policies.set_policy(as_(team, "root"), {"separation_of_duties": True}, None)
    team.identities.grant(OPERATOR, "ada", Grant(Role.APPROVER))
    package = registered(team, "ada")
    with pytest.raises(AccessDenied) as refused:
        team.packages.decide_approval(as_(team, "ada"), package.arn, ApprovalStatus.APPROVED)
    assert refused.value.rule == "separation_of_duties"
    assert refused.value.message == (
        f"separation_of_duties: ada registered {GROUP}/1 and can't approve it (global policy v1)"
    )
    assert team.packages.describe_model_package(OPERATOR, package.arn).approval_status is (
        ApprovalStatus.PENDING_MANUAL_APPROVAL
    )
    assert team.policies.decisions(OPERATOR, package) == []


def test_a_high_risk_version_needs_two_distinct_approvers(team: Services) -> None:
    team.policies.set_policy(
        as_(team, "root"), {"approvals_required": {"High": 2, "Low": 1}}, GROUP
    )
    package = registered(team)
    team.cards.create_model_card(
        as_(team, "ada"), "churn-card", card_content(package, "High"), ModelCardStatus.DRAFT
    )
    first = team.packages.decide_approval(as_(team, "ann"), package.arn, ApprovalStatus.APPROVED)
    assert first.approval_status is ApprovalStatus.PENDING_MANUAL_APPROVAL
    assert first.approval_description == "1 of 2 approvals (ann)"
    with pytest.raises(InvalidState, match="ann has approved churn/1 already; 1 of 2"):
        team.packages.decide_approval(as_(team, "ann"), package.arn, ApprovalStatus.APPROVED)
    second = team.packages.decide_approval(
        as_(team, "bo"), package.arn, ApprovalStatus.APPROVED, "second look"
    )
    assert second.approval_status is ApprovalStatus.APPROVED
    assert second.approval_description == "2 of 2 approvals (ann, bo): second look"
    decisions = team.policies.decisions(OPERATOR, second)
    assert [d.decided_by for d in decisions] == ["ann", "bo"]
    assert {d.policy_group for d in decisions} == {GROUP}
    assert {d.card_version for d in decisions} == {1}
    assert len({d.card_content_sha256 for d in decisions}) == 1


def test_a_rejection_by_any_approver_rejects_and_restarts_the_count(team: Services) -> None:
    team.policies.set_policy(as_(team, "root"), {"approvals_required": {"Unknown": 2}}, None)
    package = registered(team)
    team.packages.decide_approval(as_(team, "ann"), package.arn, ApprovalStatus.APPROVED)
    rejected = team.packages.decide_approval(
        as_(team, "bo"), package.arn, ApprovalStatus.REJECTED, "metrics stale"
    )
    assert rejected.approval_status is ApprovalStatus.REJECTED
    again = team.packages.decide_approval(as_(team, "ann"), package.arn, ApprovalStatus.APPROVED)
    assert again.approval_description == "1 of 2 approvals (ann)"


def test_an_approval_pins_the_card_and_a_card_edit_does_not_carry_it(team: Services) -> None:
    team.policies.set_policy(as_(team, "root"), {"approvals_required": {"Medium": 2}}, None)
    package = registered(team)
    ada = as_(team, "ada")
    team.cards.create_model_card(ada, "c", card_content(package, "Medium"), ModelCardStatus.DRAFT)
    team.packages.decide_approval(as_(team, "ann"), package.arn, ApprovalStatus.APPROVED)
    edited = card_content(package, "Medium", model_overview={"model_description": "v2"})
    team.cards.update_model_card(ada, "c", content=edited)
    # ann's approval saw version 1 of the card: it no longer counts.
    after_edit = team.packages.decide_approval(
        as_(team, "bo"), package.arn, ApprovalStatus.APPROVED
    )
    assert after_edit.approval_description == "1 of 2 approvals (bo)"
    approved = team.packages.decide_approval(as_(team, "cy"), package.arn, ApprovalStatus.APPROVED)
    assert approved.approval_status is ApprovalStatus.APPROVED
    team.cards.update_model_card(as_(team, "ann"), "c", status=ModelCardStatus.APPROVED)
    assert team.gate.check_release(OPERATOR, package.arn).open

    team.cards.update_model_card(
        ada, "c", content=card_content(package, "Medium", model_overview={"model_description": "3"})
    )
    gate = team.gate.check_release(OPERATOR, package.arn)
    assert not gate.open
    assert any(
        "pinned model card c version 2" in m and "no longer current" in m for m in gate.missing
    ), gate.missing


def test_card_approved_first(team: Services) -> None:
    team.policies.set_policy(as_(team, "root"), {"card_approved_first": True}, None)
    package = registered(team)
    with pytest.raises(InvalidState, match="card_approved_first: churn/1 has no model card"):
        team.packages.decide_approval(as_(team, "ann"), package.arn, ApprovalStatus.APPROVED)
    team.cards.create_model_card(
        as_(team, "ada"), "c", card_content(package, "Low"), ModelCardStatus.DRAFT
    )
    with pytest.raises(InvalidState, match="has a card that is Draft; approve its card first"):
        team.packages.decide_approval(as_(team, "ann"), package.arn, ApprovalStatus.APPROVED)
    team.cards.update_model_card(as_(team, "ann"), "c", status=ModelCardStatus.APPROVED)
    approved = team.packages.decide_approval(as_(team, "bo"), package.arn, ApprovalStatus.APPROVED)
    assert approved.approval_status is ApprovalStatus.APPROVED


def test_required_card_fields_refuse_the_card_approval_with_the_list(team: Services) -> None:
    team.policies.set_policy(
        as_(team, "root"),
        {
            "required_card_fields": {
                "High": ["evaluation_details", "intended_uses.explanations_for_risk_rating"]
            }
        },
        None,
    )
    package = registered(team)
    team.cards.create_model_card(
        as_(team, "ada"), "c", card_content(package, "High"), ModelCardStatus.DRAFT
    )
    with pytest.raises(InvalidState) as refused:
        team.cards.update_model_card(as_(team, "ann"), "c", status=ModelCardStatus.APPROVED)
    assert refused.value.message == (
        "required_card_fields: a High-risk card needs evaluation_details, "
        "intended_uses.explanations_for_risk_rating before it can be Approved (global policy v1)."
    )
    assert team.cards.describe_model_card(OPERATOR, "c").card.status is ModelCardStatus.DRAFT


def test_policies_are_versioned_audited_and_checked(team: Services) -> None:
    root = as_(team, "root")
    with pytest.raises(AccessDenied, match="needs the admin role"):
        team.policies.set_policy(as_(team, "ann"), {"separation_of_duties": True}, None)
    with pytest.raises(InvalidInput) as bad:
        team.policies.set_policy(root, {"approvals_required": {"Huge": 2}}, None)
    assert bad.value.path == "$.approvals_required.Huge"
    team.policies.set_policy(root, {"separation_of_duties": True}, None)
    second = team.policies.set_policy(root, {"card_approved_first": True}, None)
    assert second.version == 2
    own = team.policies.set_policy(root, {"approvals_required": {"High": 3}}, GROUP)
    assert team.policies.show_policy(OPERATOR, GROUP) == own
    shown = team.policies.show_policy(OPERATOR, "other")
    assert shown is not None
    assert shown.policy.card_approved_first
    events = team.audit.list_audit_events(OPERATOR, AuditQuery(action=AuditAction.POLICY_SET))
    assert [(e.resource_arn, e.actor) for e in events.items] == [
        ("cardinal:approval-policy/*", "root"),
        ("cardinal:approval-policy/*", "root"),
        (f"cardinal:approval-policy/{GROUP}", "root"),
    ]
    assert team.verification.verify_evidence(OPERATOR).ok


def test_an_archived_card_is_restored_only_by_an_admin(team: Services) -> None:
    package = registered(team)
    ada = as_(team, "ada")
    team.cards.create_model_card(ada, "c", card_content(package, "Low"), ModelCardStatus.DRAFT)
    team.cards.update_model_card(ada, "c", status=ModelCardStatus.ARCHIVED)
    with pytest.raises(InvalidState, match="archived_is_final"):
        team.cards.update_model_card(as_(team, "ann"), "c", status=ModelCardStatus.DRAFT)
    with pytest.raises(AccessDenied, match="admin"):
        team.cards.update_model_card(
            as_(team, "ann"), "c", status=ModelCardStatus.DRAFT, restore="reopen"
        )
    restored = team.cards.update_model_card(
        as_(team, "root"), "c", status=ModelCardStatus.DRAFT, restore="archived by mistake"
    )
    assert restored.card.status is ModelCardStatus.DRAFT
    event = team.audit.list_audit_events(
        OPERATOR, AuditQuery(resource_arn=restored.card.arn, newest_first=True)
    ).items[0]
    assert event.actor == "root"
    assert event.after == {
        "version": 1,
        "status": "Draft",
        "restored_because": "archived by mistake",
    }
    assert team.verification.verify_evidence(OPERATOR).ok


def test_the_state_of_a_version_says_what_each_approvers_approval_would_do(
    team: Services,
) -> None:
    team.policies.set_policy(
        as_(team, "root"),
        {"separation_of_duties": True, "approvals_required": {"High": 2}},
        None,
    )
    package = registered(team)
    team.cards.create_model_card(
        as_(team, "ada"), "churn-v1", card_content(package, "High"), ModelCardStatus.DRAFT
    )
    before = team.policies.approval_state(as_(team, "ann"), package.arn)
    assert (before.required, before.approvers, before.risk_rating.value) == (2, (), "High")
    assert before.policy is not None
    assert before.policy.version == 1
    assert before.your_approval == Pending(approvers=("ann",), required=2)
    registrant = team.policies.approval_state(as_(team, "ada"), package.arn)
    assert isinstance(registrant.your_approval, Refused)
    assert registrant.your_approval.rule == "separation_of_duties"

    team.packages.decide_approval(as_(team, "ann"), package.arn, ApprovalStatus.APPROVED)
    again = team.policies.approval_state(as_(team, "ann"), package.arn)
    assert again.approvers == ("ann",)
    assert isinstance(again.your_approval, Refused)
    assert again.your_approval.rule == "approvals_required"
    other = team.policies.approval_state(as_(team, "bo"), package.arn)
    assert other.your_approval == Approved(approvers=("ann", "bo"))
    # Reading the state records nothing.
    assert [d.decided_by for d in team.policies.decisions(OPERATOR, package)] == ["ann"]
