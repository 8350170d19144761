"""`cardinal history`: a version's timeline, against a real server and over a local store."""

from __future__ import annotations

import json
import subprocess
import sys

from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import NewModelPackage
from tests.support.server import RunningServer


def _history(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cardinal", "history", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_timeline_of_a_version_and_its_card(
    services: Services, ctx: RequestContext, server: RunningServer, database_url: str
) -> None:
    services.groups.create_model_package_group(ctx, "churn")
    package = services.packages.register_model_package(ctx, "churn", NewModelPackage())
    link = json.dumps({"model_package_details": {"model_package_arn": package.arn}})
    services.cards.create_model_card(ctx, "churn-v1", link, ModelCardStatus.DRAFT)
    services.cards.update_model_card(ctx, "churn-v1", status=ModelCardStatus.APPROVED)
    services.packages.decide_approval(ctx, package.arn, ApprovalStatus.APPROVED, "holdout ok")

    shown = _history("churn/1", "--endpoint", server.url)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "churn/1: documented by churn-v1; 4 events, oldest first."
    actions = [a for a in ("model-package:register", "model-card:create", "model-card:status",
                           "model-package:approval") if any(a in row for row in lines)]  # fmt: skip
    assert len(actions) == 4
    order = [next(i for i, row in enumerate(lines) if a in row) for a in actions]
    assert order == sorted(order)
    assert any("approval_status: Approved" in row for row in lines)

    local = json.loads(_history("churn/1", "--database-url", database_url, "-o", "json").stdout)
    assert [e["action"] for e in local["events"]] == [
        "model-package:register", "model-card:create", "model-card:status",
        "model-package:approval",
    ]  # fmt: skip
    assert local["model_card_name"] == "churn-v1"

    missing = _history("churn/9", "--endpoint", server.url)
    assert missing.returncode == 3
    assert "Could not find model package 'churn/9'" in missing.stderr
