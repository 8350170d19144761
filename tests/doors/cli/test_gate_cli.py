"""`cardinal gate` exits 0 only when the version and its card are Approved."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import ModelPackageChanges, NewModelPackage


def _gate(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cardinal", "gate", *args, "--database-url", database_url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("package_approved", "card_approved"),
    [(True, True), (True, False), (False, True), (False, False)],
)
def test_gate_exit_codes(
    services: Services,
    ctx: RequestContext,
    database_url: str,
    package_approved: bool,
    card_approved: bool,
) -> None:
    services.groups.create_model_package_group(ctx, "churn")
    package = services.packages.register_model_package(ctx, "churn", NewModelPackage())
    if package_approved:
        approve = ModelPackageChanges(approval_status=ApprovalStatus.APPROVED)
        services.packages.update_model_package(ctx, package.arn, approve)
    link = json.dumps({"model_package_details": {"model_package_arn": package.arn}})
    status = ModelCardStatus.APPROVED if card_approved else ModelCardStatus.DRAFT
    services.cards.create_model_card(ctx, "churn-v1", link, status)

    result = _gate(database_url, "churn/1")
    if package_approved and card_approved:
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.startswith("OPEN: churn/1 is Approved and documented by churn-v1")
    else:
        assert result.returncode == 1
        lines = result.stdout.splitlines()
        assert lines[0] == "CLOSED: churn/1"
        assert ("  - model package churn/1 is PendingManualApproval, not Approved" in lines) is (
            not package_approved
        )
        assert ("  - model card churn-v1 (version 1) is Draft, not Approved" in lines) is (
            not card_approved
        )
    body = json.loads(_gate(database_url, "churn/1", "--output", "json").stdout)
    assert body["open"] is (package_approved and card_approved)


def test_gate_of_a_missing_version(
    services: Services, ctx: RequestContext, database_url: str
) -> None:
    services.groups.create_model_package_group(ctx, "churn")
    result = _gate(database_url, "churn/4")
    assert result.returncode == 3
    assert "Could not find model package 'churn/4'" in result.stderr
