"""`cardinal card attach-report`, run as the real command against a seeded SQLite store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cardinal.domain.identifiers import Scope
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.store import database
from tests.support.server import start_server
from tests.unit.reports.s3server import ACCESS_KEY, SECRET_KEY, s3_server
from tests.unit.reports.support import DATA

CARD = "churn-v2"
CONTENT = {"model_overview": {"model_description": "Predicts churn within 90 days."}}


@dataclass(frozen=True)
class SeededStore:
    data_dir: Path
    url: str

    def latest(self) -> tuple[int, dict[str, Any]]:
        services = Services.for_database(self.url)
        try:
            ctx = RequestContext(Scope("000000000000", "us-east-1"), "test", "test")
            described = services.cards.describe_model_card(ctx, CARD)
        finally:
            services.close()
        return described.version.version, json.loads(described.version.content)


@pytest.fixture
def store(tmp_path: Path) -> SeededStore:
    """A migrated SQLite store holding one draft card."""
    data_dir = tmp_path / "cardinal"
    data_dir.mkdir()
    url = f"sqlite:///{data_dir / 'cardinal.db'}"
    engine = database.create_database_engine(url)
    database.upgrade(engine)
    engine.dispose()
    services = Services.for_database(url)
    try:
        ctx = RequestContext(Scope("000000000000", "us-east-1"), "seed", "seed")
        services.cards.create_model_card(ctx, CARD, json.dumps(CONTENT), ModelCardStatus.DRAFT)
    finally:
        services.close()
    return SeededStore(data_dir, url)


def attach(
    store: SeededStore, *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CARDINAL_")}
    env.update(env_extra or {})
    command = [sys.executable, "-m", "cardinal", "card", "attach-report", *args]
    command += ["--data-dir", str(store.data_dir), "--database-url", store.url]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_attach_a_model_monitor_report(store: SeededStore) -> None:
    report = str(DATA / "model_monitor_binary_classification.aws-docs.json")
    ran = attach(store, CARD, report, "--kind", "model_monitor", "--evaluation", "holdout")
    assert (ran.returncode, ran.stderr) == (0, "")
    assert ran.stdout.splitlines() == [
        f"Model card '{CARD}' version 2: 1 metric group from {report} in evaluation 'holdout'.",
        "  binary_classification_metrics: 20 metrics",
    ]
    version, content = store.latest()
    assert version == 2
    assert content["evaluation_details"] == [
        {
            "name": "holdout",
            "metric_groups": [
                {
                    "name": "binary_classification_metrics",
                    "metric_data": content["evaluation_details"][0]["metric_groups"][0][
                        "metric_data"
                    ],
                }
            ],
        }
    ]
    assert len(content["evaluation_details"][0]["metric_groups"][0]["metric_data"]) == 20


def test_attach_with_json_output_and_replace(store: SeededStore) -> None:
    report = str(DATA / "clarify_bias.analysis.json")
    first = attach(store, CARD, report, "--kind", "clarify_bias", "--evaluation", "bias")
    assert first.returncode == 0, first.stderr
    again = attach(
        store, CARD, report, "--kind", "clarify_bias", "--evaluation", "bias", "--output", "json"
    )
    assert again.returncode == 0, again.stderr
    answer = json.loads(again.stdout)
    assert answer["name"] == CARD
    assert answer["version"] == 3
    assert answer["evaluation"] == "bias"
    assert answer["kind"] == "clarify_bias"
    assert answer["source"] == report
    assert answer["groups_added"] == [
        "pre_training_bias_metrics - label target = 1 and facet feature_2=1",
        "pre_training_bias_metrics - label target = 1 and facet age=(40.0, 90.0]",
        "post_training_bias_metrics - label target = 1 and facet feature_2=1",
    ]
    assert answer["groups_replaced"] == answer["groups_added"]
    assert answer["created_evaluation"] is False
    version, content = store.latest()
    assert version == 3
    assert [g["name"] for g in content["evaluation_details"][0]["metric_groups"]] == (
        answer["groups_added"]
    )


def test_a_malformed_report_exits_4_naming_the_file_and_path(
    store: SeededStore, tmp_path: Path
) -> None:
    report = tmp_path / "statistics.json"
    report.write_text(json.dumps({"regression_metrics": {"mae": {"value": [1]}}}))
    ran = attach(store, CARD, str(report), "--kind", "model_monitor", "--evaluation", "holdout")
    assert ran.returncode == 4
    assert ran.stdout == ""
    assert (
        f"Report {report} at $.regression_metrics.mae.value: expected a number, "
        "found an array of 1 item" in " ".join(ran.stderr.split())
    )
    assert store.latest() == (1, CONTENT)


def test_a_missing_card_exits_3_and_an_unknown_kind_exits_2(store: SeededStore) -> None:
    report = str(DATA / "clarify_bias.analysis.json")
    missing = attach(store, "no-card", report, "--kind", "clarify_bias", "--evaluation", "bias")
    assert missing.returncode == 3
    assert "not found" in missing.stderr
    unknown = attach(store, CARD, report, "--kind", "clarify", "--evaluation", "bias")
    assert unknown.returncode == 2
    assert store.latest() == (1, CONTENT)


def test_attach_a_report_from_s3_with_the_endpoint_from_the_environment(
    store: SeededStore,
) -> None:
    body = (DATA / "model_monitor_regression.aws-docs.json").read_bytes()
    with s3_server() as s3:
        s3.client().create_bucket(Bucket="reports")
        s3.client().put_object(Bucket="reports", Key="run-7/statistics.json", Body=body)
        ran = attach(
            store,
            CARD,
            "s3://reports/run-7/statistics.json",
            "--kind",
            "model_monitor_regression",
            "--evaluation",
            "monitor",
            "--output",
            "json",
            env_extra={
                "CARDINAL_S3_ENDPOINT_URL": s3.endpoint_url,
                "CARDINAL_S3_ACCESS_KEY_ID": ACCESS_KEY,
                "CARDINAL_S3_SECRET_ACCESS_KEY": SECRET_KEY,
                "CARDINAL_S3_REGION": "us-east-1",
            },
        )
    assert ran.returncode == 0, ran.stderr
    answer = json.loads(ran.stdout)
    assert (answer["source"], answer["groups_added"]) == (
        "s3://reports/run-7/statistics.json",
        ["regression_metrics"],
    )
    version, content = store.latest()
    assert version == 2
    assert content["evaluation_details"][0]["name"] == "monitor"


def test_a_local_file_is_sent_to_a_server(store: SeededStore, tmp_path: Path) -> None:
    report = str(DATA / "clarify_bias.analysis.json")
    server = start_server(store.url, tmp_path / "server")
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CARDINAL_")}
        ran = subprocess.run(
            [sys.executable, "-m", "cardinal", "card", "attach-report", CARD, report,
             "--kind", "clarify_bias", "--evaluation", "bias", "--endpoint", server.url,
             "--output", "json"],
            capture_output=True, text=True, env=env, timeout=120, check=False,
        )  # fmt: skip
    finally:
        server.stop()
    assert (ran.returncode, ran.stderr) == (0, "")
    answer = json.loads(ran.stdout)
    assert (answer["source"], answer["evaluation"], answer["version"]) == (report, "bias", 2)
    assert answer["groups_added"]
    version, content = store.latest()
    assert version == 2
    assert [g["name"] for g in content["evaluation_details"][0]["metric_groups"]] == (
        answer["groups_added"]
    )


def test_a_local_file_that_is_not_json_changes_nothing(store: SeededStore, tmp_path: Path) -> None:
    report = tmp_path / "statistics.json"
    report.write_text('{"regression_metrics": ', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARDINAL_")}
    ran = subprocess.run(
        [sys.executable, "-m", "cardinal", "card", "attach-report", CARD, str(report),
         "--kind", "model_monitor", "--evaluation", "monitor", "--data-dir", str(store.data_dir)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert ran.returncode != 0
    assert len(ran.stderr.splitlines()) == 1, ran.stderr
    assert str(report) in ran.stderr
    assert "JSON" in ran.stderr
    assert store.latest() == (1, CONTENT)


def test_attach_a_report_from_s3_through_a_server(store: SeededStore, tmp_path: Path) -> None:
    body = (DATA / "model_monitor_regression.aws-docs.json").read_bytes()
    with s3_server() as s3:
        s3.client().create_bucket(Bucket="reports")
        s3.client().put_object(Bucket="reports", Key="run-8/statistics.json", Body=body)
        server = start_server(
            store.url,
            tmp_path / "server",
            extra_env={
                "CARDINAL_S3_ENDPOINT_URL": s3.endpoint_url,
                "CARDINAL_S3_ACCESS_KEY_ID": ACCESS_KEY,
                "CARDINAL_S3_SECRET_ACCESS_KEY": SECRET_KEY,
                "CARDINAL_S3_REGION": "us-east-1",
            },
        )
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith("CARDINAL_")}
            ran = subprocess.run(
                [sys.executable, "-m", "cardinal", "card", "attach-report", CARD,
                 "s3://reports/run-8/statistics.json", "--kind", "model_monitor",
                 "--evaluation", "monitor", "--endpoint", server.url],
                capture_output=True, text=True, env=env, timeout=120, check=False,
            )  # fmt: skip
        finally:
            server.stop()
    assert (ran.returncode, ran.stderr) == (0, "")
    assert ran.stdout.splitlines() == [
        f"Model card '{CARD}' version 2: 1 metric group from s3://reports/run-8/statistics.json "
        "in evaluation 'monitor'.",
        ran.stdout.splitlines()[1],
    ]
    assert ran.stdout.splitlines()[1].startswith("  regression_metrics: ")
    assert store.latest()[0] == 2
