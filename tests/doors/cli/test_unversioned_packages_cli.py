"""Unversioned model packages through the CLI on a local store (both backends): create with an
inference specification and tags, list, show, update, delete; refusals say what is missing."""

from __future__ import annotations

import json
from typing import Any

from click.testing import Result
from typer.testing import CliRunner

from cardinal.cli.main import app

ARN = "arn:aws:sagemaker:us-east-1:000000000000"
IMAGE = "registry.example/churn:1"


def run(database_url: str, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, "--database-url", database_url], catch_exceptions=False)


def ok(database_url: str, *args: str) -> Any:
    result = run(database_url, *args, "--output", "json")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)


def test_unversioned_packages(database_url: str) -> None:
    created = ok(
        database_url, "unversioned-package", "create", "churn-market", "--description", "gbm",
        "--image", IMAGE, "--model-data-url", "s3://models/churn.tgz",
        "--transform-instance-type", "ml.m5.large", "--realtime-instance-type", "ml.m5.large",
        "--realtime-instance-type", "ml.c5.xlarge", "--certify-for-marketplace",
        "--metadata", "owner=risk", "--tag", "team=risk",
    )  # fmt: skip
    assert created["arn"] == f"{ARN}:model-package/churn-market"
    assert created["inference_specification"] == {
        "Containers": [{"Image": IMAGE, "ModelDataUrl": "s3://models/churn.tgz"}],
        "SupportedTransformInstanceTypes": ["ml.m5.large"],
        "SupportedRealtimeInferenceInstanceTypes": ["ml.m5.large", "ml.c5.xlarge"],
    }
    assert created["certify_for_marketplace"] is True
    assert created["customer_metadata"] == {"owner": "risk"}
    ok(database_url, "unversioned-package", "create", "churn-plain")

    half = run(database_url, "unversioned-package", "create", "churn-half", "--image", IMAGE)
    assert half.exit_code == 2
    assert "--transform-instance-type" in half.stderr
    assert "--realtime-instance-type" in half.stderr
    taken = run(database_url, "unversioned-package", "create", "churn-market")
    assert taken.exit_code == 4
    assert "already exists" in taken.stderr

    listed = ok(database_url, "unversioned-package", "list", "--name-contains", "churn")
    assert [p["name"] for p in listed] == ["churn-market", "churn-plain"]
    table = run(database_url, "unversioned-package", "list").stdout.splitlines()
    assert table[0].split()[:2] == ["NAME", "DESCRIPTION"]
    shown = run(database_url, "unversioned-package", "show", "churn-market").stdout
    assert "real-time instances" in shown
    assert "ml.m5.large, ml.c5.xlarge" in shown

    updated = ok(
        database_url, "unversioned-package", "update", "churn-market",
        "--metadata", "stage=review", "--remove-metadata", "owner",
        "--stage", "Staging", "--stage-status", "InProgress",
    )  # fmt: skip
    assert updated["customer_metadata"] == {"stage": "review"}
    assert updated["lifecycle"]["stage"] == "Staging"
    nothing = run(database_url, "unversioned-package", "update", "churn-market")
    assert nothing.exit_code == 2
    assert "nothing to change" in nothing.stderr
    missing = run(database_url, "unversioned-package", "show", "churn-none")
    assert missing.exit_code == 3
    assert "churn-none" in missing.stderr

    deleted = run(database_url, "unversioned-package", "delete", "churn-plain")
    assert deleted.exit_code == 0
    assert deleted.stdout == "Deleted unversioned model package churn-plain.\n"
    listed = ok(database_url, "unversioned-package", "list")
    assert [p["name"] for p in listed] == ["churn-market"]
