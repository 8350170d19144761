"""The sign-off of a rendered card, from decisions made through the services on both backends:
the card's status changes and restores, the version's approvals with their policy and the card
version they pinned, and the "current state" and "snapshot" labels of the package facts."""

from __future__ import annotations

import json

import pytest

from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus, ModelPackage
from cardinal.services.container import Services
from cardinal.services.model_packages import NewModelPackage
from tests.support.contexts import OPERATOR
from tests.unit.documents.reading import pdf_pages, squeeze

GROUP = "churn"
CARD = "churn-v1"


def _content(package: ModelPackage, description: str = "Predicts churn.") -> str:
    metric = {"name": "Recall", "type": "number", "value": 1 / 7}
    return json.dumps(
        {
            "model_overview": {"model_description": description},
            "model_package_details": {
                "model_package_arn": package.arn,
                "model_approval_status": "PendingManualApproval",
            },
            "evaluation_details": [
                {"name": "Holdout", "metric_groups": [{"name": "m", "metric_data": [metric]}]}
            ],
        }
    )


@pytest.fixture
def package(services: Services) -> ModelPackage:
    services.groups.create_model_package_group(OPERATOR, GROUP)
    return services.packages.register_model_package(OPERATOR, GROUP, NewModelPackage())


def _pdf_lines(services: Services, version: int | None = None) -> list[str]:
    rendered = services.documents.render_card(OPERATOR, CARD, DocumentFormat.PDF, version)
    return "\n".join(pdf_pages(rendered.data)).splitlines()


def _sign_off(lines: list[str]) -> list[str]:
    return lines[len(lines) - lines[::-1].index("Sign-off") :]


def test_the_pdf_signs_off_the_card_and_the_version_it_documents(
    services: Services, package: ModelPackage
) -> None:
    services.policies.set_policy(OPERATOR, {"card_approved_first": True}, None)
    card = services.cards.create_model_card(
        OPERATOR, CARD, _content(package), ModelCardStatus.DRAFT
    )
    for status in (ModelCardStatus.PENDING_REVIEW, ModelCardStatus.APPROVED):
        services.cards.update_model_card(OPERATOR, CARD, status=status)
    services.packages.decide_approval(OPERATOR, package.arn, ApprovalStatus.APPROVED, "looks good")

    lines = _pdf_lines(services)
    sign_off = _sign_off(lines)
    titles = [line for line in sign_off if line.startswith(("Card status", "Model version"))]
    assert titles == [
        "Card status: Draft → PendingReview",
        "Card status: PendingReview → Approved",
        "Model version churn/1: Approved",
    ]
    for line in (
        "By operator",
        "Card version 1, the version in this document",
        "Decision Approved",
        "Outcome Approved",
        "Comment looks good",
        "Policy global policy v1",
        "Card reviewed churn-v1 version 1, the version in this document",
    ):
        assert line in sign_off, line
    sha = card.version.content_sha256
    assert f"SHA-256ofthecardreviewed{sha}" in squeeze("\n".join(sign_off))

    linked = lines.index("Linked model package")
    assert lines[linked + 1].startswith("Current state in the model registry as of ")
    assert "Approval status Approved" in lines[linked:]
    snapshot = lines.index("Model package details")
    assert lines[snapshot + 1].startswith(
        f"Snapshot recorded in the card content (version 1, written "
        f"{card.version.created_at:%Y-%m-%d %H:%M:%S} UTC by operator)."
    )
    assert "Approval status PendingManualApproval" in lines[snapshot:]
    assert "Recall 0.1429" in lines
    assert not any("0.142857" in line for line in lines)


def test_a_later_card_version_shows_the_approval_pinned_to_the_earlier_one(
    services: Services, package: ModelPackage
) -> None:
    first = services.cards.create_model_card(
        OPERATOR, CARD, _content(package), ModelCardStatus.DRAFT
    )
    services.packages.decide_approval(OPERATOR, package.arn, ApprovalStatus.APPROVED, None)
    services.packages.decide_approval(OPERATOR, package.arn, ApprovalStatus.REJECTED, "drift")
    services.cards.update_model_card(OPERATOR, CARD, content=_content(package, "Retrained."))

    sign_off = _sign_off(_pdf_lines(services, 2))
    assert [line for line in sign_off if line.startswith("Model version")] == [
        "Model version churn/1: Approved",
        "Model version churn/1: Rejected",
    ]
    pinned = "Card reviewed churn-v1 version 1, not the version in this document (version 2)"
    assert sign_off.count(pinned) == 2
    assert "Comment drift" in sign_off
    assert "Policy None (no approval policy was set)" in sign_off
    assert f"SHA-256ofthecardreviewed{first.version.content_sha256}" in squeeze("\n".join(sign_off))


def test_a_restore_shows_its_reason_and_a_card_made_again_starts_anew(
    services: Services, package: ModelPackage
) -> None:
    services.cards.create_model_card(OPERATOR, CARD, _content(package), ModelCardStatus.APPROVED)
    services.cards.update_model_card(OPERATOR, CARD, status=ModelCardStatus.ARCHIVED)
    services.cards.update_model_card(
        OPERATOR, CARD, status=ModelCardStatus.DRAFT, restore="archived by mistake"
    )
    sign_off = _sign_off(_pdf_lines(services))
    titles = [
        line
        for line in sign_off
        if line.startswith(("Card created", "Card status", "Card restored"))
    ]
    assert titles == [
        "Card created as Approved",
        "Card status: Approved → Archived",
        "Card restored: Archived → Draft",
    ]
    assert "Reason for the restore archived by mistake" in sign_off

    services.cards.delete_model_card(OPERATOR, CARD)
    services.cards.create_model_card(OPERATOR, CARD, _content(package), ModelCardStatus.DRAFT)
    data = json.loads(services.documents.render_card(OPERATOR, CARD, DocumentFormat.JSON).data)
    assert data["card_decisions"] == []
    assert data["package_decisions"] == []
    assert "No decisions recorded." in _sign_off(_pdf_lines(services))
