"""Groups, versions, cards and tags through the CLI on a local store (both backends): every
option of `package register`, refusals, deletes, and the table output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import Result
from typer.testing import CliRunner

from cardinal.cli.main import app

ARN = "arn:aws:sagemaker:us-east-1:000000000000"


def run(database_url: str, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, "--database-url", database_url], catch_exceptions=False)


def ok(database_url: str, *args: str) -> Any:
    result = run(database_url, *args, "--output", "json")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)


def test_groups_and_versions(database_url: str, tmp_path: Path) -> None:
    assert ok(database_url, "group", "create", "churn", "--description", "Churn")["name"] == "churn"
    ok(database_url, "group", "create", "fraud")
    assert [g["name"] for g in ok(database_url, "group", "list", "--name-contains", "ur")] == [
        "churn"
    ]
    listed = run(database_url, "group", "list", "--limit", "1")
    assert listed.stdout.splitlines()[1].startswith("churn ")
    assert listed.stderr == "Showing the first 1; raise --limit to see more.\n"
    taken = run(database_url, "group", "create", "churn")
    assert taken.exit_code == 4
    assert taken.stderr.startswith("refused: ")

    embedded = tmp_path / "embedded.yaml"
    embedded.write_text(yaml.safe_dump({"model_overview": {"model_creator": "alice"}}))
    v1 = ok(
        database_url, "package", "register", "churn", "--description", "gbm",
        "--approval", "Approved", "--card", str(embedded), "--card-status", "PendingReview",
        "--metadata", "auc=0.91", "--metadata", "owner=alice", "--stage", "staging",
        "--stage-status", "InProgress", "--source-uri", "s3://models/churn/1",
        "--image", "registry.example/churn:1", "--model-data-url", "s3://models/churn/1.tgz",
    )  # fmt: skip
    assert v1["approval_status"] == "Approved"
    assert v1["model_card"] == {
        "status": "PendingReview",
        "version": 1,
        "content": {"model_overview": {"model_creator": "alice"}},
    }
    assert v1["customer_metadata"] == {"auc": "0.91", "owner": "alice"}
    assert v1["lifecycle"]["stage"] == "staging"
    assert v1["source_uri"] == "s3://models/churn/1"
    assert v1["inference_specification"]["Containers"] == [
        {"Image": "registry.example/churn:1", "ModelDataUrl": "s3://models/churn/1.tgz"}
    ]
    ok(database_url, "package", "register", "churn")
    rejected = ok(database_url, "package", "reject", "churn", "2", "--description", "Leaks")
    assert (rejected["approval_status"], rejected["approval_description"]) == ("Rejected", "Leaks")
    assert run(database_url, "package", "reject", "churn", "2").exit_code == 2
    approved = ok(database_url, "package", "list", "churn", "--status", "Approved")
    assert [p["version"] for p in approved] == [1]
    shown = run(database_url, "package", "show", "churn", "1").stdout.splitlines()
    assert "approval              Approved" in shown
    assert "metadata              auc=0.91, owner=alice" in shown

    half = run(database_url, "package", "register", "churn", "--stage", "prod")
    assert (half.exit_code, half.stderr) == (
        2,
        "error: give --stage and --stage-status together.\n",
    )
    bad = run(database_url, "package", "register", "churn", "--metadata", "auc")
    assert (bad.exit_code, bad.stderr) == (2, "error: --metadata 'auc' is not KEY=VALUE.\n")
    assert [p["version"] for p in ok(database_url, "package", "list", "churn")] == [1, 2]

    busy = run(database_url, "group", "delete", "churn")
    assert busy.exit_code == 4
    deleted = run(database_url, "group", "delete", "fraud")
    assert (deleted.exit_code, deleted.stdout) == (0, "Deleted model package group fraud.\n")
    assert run(database_url, "group", "show", "fraud").exit_code == 3


def test_cards_tags_and_deletes(database_url: str, tmp_path: Path) -> None:
    ok(database_url, "group", "create", "churn")
    ok(database_url, "package", "register", "churn")
    content = {
        "intended_uses": {"risk_rating": "Low"},
        "model_package_details": {"model_package_arn": f"{ARN}:model-package/churn/1"},
    }
    path = tmp_path / "card.json"
    path.write_text(json.dumps(content))
    made = ok(database_url, "card", "create", "churn-v1", "--from", str(path), "--tag", "team=a")
    assert (made["version"], made["content"]) == (1, content)
    assert ok(database_url, "tag", "list", "card", "churn-v1")["tags"] == {"team": "a"}
    assert ok(database_url, "tag", "set", "group", "churn", "team=b")["tags"] == {"team": "b"}
    assert ok(database_url, "tag", "list", "package", f"{ARN}:model-package/churn/1")["tags"] == {}
    empty = run(database_url, "tag", "list", "package", "churn/1")
    assert empty.stdout == f"{ARN}:model-package/churn/1 has no tags.\n"
    assert run(database_url, "tag", "list", "card", "nope").exit_code == 3

    status = run(database_url, "card", "status", "churn-v1", "PendingReview")
    assert status.stdout == "Model card churn-v1 version 1 is PendingReview.\n"
    shown = run(database_url, "card", "show", "churn-v1").stdout.splitlines()
    assert shown[:4] == [
        "name            churn-v1",
        f"arn             {ARN}:model-card/churn-v1",
        "version         1 of 1",
        "status          PendingReview",
    ]
    assert shown[-5:] == [
        "content:",
        "  intended_uses:",
        "    risk_rating: Low",
        "  model_package_details:",
        f"    model_package_arn: {ARN}:model-package/churn/1",
    ]
    assert [c["name"] for c in ok(database_url, "card", "list", "--status", "Draft")] == []
    assert run(database_url, "card", "status", "churn-v1", "Done").exit_code == 2

    deleted = run(database_url, "card", "delete", "churn-v1")
    assert (deleted.exit_code, deleted.stdout) == (0, "Deleted model card churn-v1.\n")
    assert run(database_url, "card", "show", "churn-v1").exit_code == 3


def test_updating_and_deleting_versions(database_url: str, tmp_path: Path) -> None:
    ok(database_url, "group", "create", "churn")
    ok(database_url, "package", "register", "churn", "--metadata", "auc=0.91", "--metadata", "a=1")
    ok(database_url, "package", "register", "churn")
    updated = ok(
        database_url, "package", "update", "churn", "1", "--metadata", "owner=alice",
        "--remove-metadata", "a", "--stage", "production", "--stage-status", "Deployed",
        "--stage-description", "All traffic", "--source-uri", "s3://models/churn/1",
    )  # fmt: skip
    assert updated["customer_metadata"] == {"auc": "0.91", "owner": "alice"}
    assert updated["lifecycle"] == {
        "stage": "production",
        "stage_status": "Deployed",
        "stage_description": "All traffic",
    }
    assert updated["source_uri"] == "s3://models/churn/1"
    assert ok(database_url, "package", "show", "churn", "1") == updated

    nothing = run(database_url, "package", "update", "churn", "1")
    assert nothing.exit_code == 2
    assert nothing.stderr.startswith("error: nothing to change: ")
    clash = run(
        database_url,
        "package",
        "update",
        "churn",
        "1",
        "--metadata",
        "a=2",
        "--remove-metadata",
        "a",
    )
    assert clash.exit_code == 2
    assert clash.stderr.startswith("error: --metadata and --remove-metadata both name a; give one.")
    assert run(database_url, "package", "update", "churn", "9", "--source-uri", "x").exit_code == 3
    assert ok(database_url, "package", "show", "churn", "1") == updated

    content = {"model_package_details": {"model_package_arn": f"{ARN}:model-package/churn/1"}}
    path = tmp_path / "card.json"
    path.write_text(json.dumps(content))
    ok(database_url, "card", "create", "churn-v1", "--from", str(path))
    documented = run(database_url, "package", "delete", "churn", "1")
    assert documented.exit_code == 4
    assert ok(database_url, "package", "show", "churn", "1") == updated
    deleted = run(database_url, "package", "delete", "churn", "2")
    assert (deleted.exit_code, deleted.stdout) == (0, "Deleted model package churn/2.\n")
    assert run(database_url, "package", "show", "churn", "2").exit_code == 3


def test_tables_print_stored_text_without_control_sequences(database_url: str) -> None:
    """An approval description holding terminal control sequences (retitle, clear screen) is
    printed as its text in the table output, while JSON keeps it as stored."""
    stored = "ok\x1b]0;pwned\x07 \x1b[2Jfor\x9b release"
    ok(database_url, "group", "create", "churn")
    ok(database_url, "package", "register", "churn")
    ok(database_url, "package", "approve", "churn", "1", "--description", stored)
    shown = run(database_url, "package", "show", "churn", "1")
    assert shown.exit_code == 0, shown.stderr
    assert "ok]0;pwned [2Jfor release" in shown.stdout
    assert not any(c in shown.stdout for c in "\x1b\x07\x9b")
    assert ok(database_url, "package", "show", "churn", "1")["approval_description"] == stored
