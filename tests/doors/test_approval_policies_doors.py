"""Approval policies through every door of a server with authentication on, on both backends:
boto3 (issued keys), REST (tokens) and the CLI (a token against the server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError

from cardinal.domain.access import Grant, Role
from tests.conftest import make_client
from tests.support.cli import Cli
from tests.support.identities import Issued, issue
from tests.support.server import RunningServer, start_server

GROUP = "churn"
POLICY = {
    "separation_of_duties": True,
    "card_approved_first": True,
    "approvals_required": {"High": 2},
    "required_card_fields": {
        "High": ["evaluation_details", "intended_uses.explanations_for_risk_rating"]
    },
}


@dataclass
class Team:
    server: RunningServer
    users: dict[str, Issued]
    cli: Cli

    def sm(self, user: str) -> Any:
        issued = self.users[user]
        return make_client(
            self.server.url, key=issued.access_key_id, secret=issued.secret_access_key
        )

    def rest(self, user: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.users[user].token}"}
        return httpx.request(method, f"{self.server.url}/api/v1{path}", headers=headers, **kwargs)

    def cardinal(self, user: str, *args: str) -> Any:
        return self.cli(*args, env={"CARDINAL_TOKEN": self.users[user].token})


@pytest.fixture
def team(database_url: str, tmp_path: Path) -> Iterator[Team]:
    data_dir = tmp_path / "server"
    users = {
        name: issue(database_url, data_dir, name, (Grant(role),))
        for name, role in [
            ("ada", Role.APPROVER), ("ann", Role.APPROVER), ("bo", Role.APPROVER),
            ("root", Role.ADMIN),
        ]
    }  # fmt: skip
    server = start_server(database_url, data_dir, extra_env={"CARDINAL_AUTH": "on"})
    files = tmp_path / "files"
    files.mkdir()
    cli = Cli(["--endpoint", server.url], files, data_dir)
    made = Team(server, users, cli)
    policy = files / "policy.json"
    policy.write_text(json.dumps(POLICY))
    result = made.cardinal("root", "policy", "set", str(policy), "--output", "json")
    assert result.exit_code == 0, result.stderr
    made.sm("ada").create_model_package_group(ModelPackageGroupName=GROUP)
    yield made
    server.stop()


def register(team: Team) -> str:
    arn: str = team.sm("ada").create_model_package(
        ModelPackageGroupName=GROUP,
        InferenceSpecification={
            "Containers": [{"Image": "img:1"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
    )["ModelPackageArn"]
    return arn


def card(team: Team, arn: str, **sections: Any) -> None:
    content = {
        "model_package_details": {"model_package_arn": arn},
        "intended_uses": {"risk_rating": "High"},
        **sections,
    }
    team.sm("ada").create_model_card(
        ModelCardName="churn-card", Content=json.dumps(content), ModelCardStatus="Draft"
    )


def approval(team: Team, user: str, arn: str) -> Any:
    return team.sm(user).update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")


def test_the_registrant_can_not_approve_through_boto3(team: Team) -> None:
    arn = register(team)
    with pytest.raises(ClientError) as refused:
        approval(team, "ada", arn)
    error = refused.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert error["Message"].startswith(
        f"separation_of_duties: ada registered {GROUP}/1 and can't approve it"
    )
    described = team.sm("ann").describe_model_package(ModelPackageName=arn)
    assert described["ModelApprovalStatus"] == "PendingManualApproval"


def test_card_first_then_two_distinct_approvers_through_boto3_rest_and_the_cli(
    team: Team,
) -> None:
    arn = register(team)
    with pytest.raises(ClientError) as no_card:
        approval(team, "ann", arn)
    assert no_card.value.response["Error"]["Code"] == "ConflictException"
    assert "card_approved_first" in no_card.value.response["Error"]["Message"]

    card(team, arn)
    # The card lacks what a High-risk card needs: its approval is refused with the list.
    refused = team.rest("ann", "PUT", "/cards/churn-card/status", json={"status": "Approved"})
    assert refused.status_code == 409, refused.text
    assert refused.json()["detail"].startswith(
        "required_card_fields: a High-risk card needs evaluation_details, "
        "intended_uses.explanations_for_risk_rating"
    )
    content = json.loads(team.sm("ann").describe_model_card(ModelCardName="churn-card")["Content"])
    content["intended_uses"]["explanations_for_risk_rating"] = "Decides on credit offers."
    content["evaluation_details"] = [{"name": "holdout", "metric_groups": []}]
    team.sm("ada").update_model_card(ModelCardName="churn-card", Content=json.dumps(content))
    approved_card = team.cardinal("ann", "card", "status", "churn-card", "Approved")
    assert approved_card.exit_code == 0, approved_card.stderr

    approval(team, "ann", arn)
    pending = team.sm("bo").describe_model_package(ModelPackageName=arn)
    assert pending["ModelApprovalStatus"] == "PendingManualApproval"
    assert pending["ApprovalDescription"] == "1 of 2 approvals (ann)"
    with pytest.raises(ClientError) as twice:
        approval(team, "ann", arn)
    assert "ann has approved churn/1 already" in twice.value.response["Error"]["Message"]

    second = team.rest("bo", "POST", f"/groups/{GROUP}/versions/1/approve", json={})
    assert second.status_code == 200, second.text
    assert second.json()["approval_status"] == "Approved"

    gate = team.cardinal("bo", "gate", f"{GROUP}/1")
    assert gate.exit_code == 0, gate.stdout + gate.stderr
    card_sha = team.rest("bo", "GET", "/cards/churn-card").json()["content_sha256"]
    assert "Approved by ann" in gate.stdout
    assert "Approved by bo" in gate.stdout
    assert card_sha in gate.stdout

    content["model_overview"] = {"model_description": "changed after the approval"}
    team.sm("ada").update_model_card(ModelCardName="churn-card", Content=json.dumps(content))
    closed = team.cardinal("bo", "gate", f"{GROUP}/1")
    assert closed.exit_code == 1
    assert "no longer current" in closed.stdout
    assert "it is now at version 3" in closed.stdout


def test_a_viewer_cannot_set_a_policy(team: Team, tmp_path: Path) -> None:
    policy = tmp_path / "files" / "open.json"
    policy.write_text("{}")
    refused = team.cardinal("ann", "policy", "set", str(policy))
    assert refused.exit_code == 4
    assert "needs the admin role" in refused.stderr
    shown = team.cardinal("ann", "policy", "show", "--output", "json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["policy"]["separation_of_duties"] is True
