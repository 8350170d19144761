"""Cardinal's parsers make exactly the metric groups the SageMaker Python SDK v2's own parsers
make (``EvaluationJob.add_metric_group_from_json``), on every fixture and on the report files
computed with scikit-learn and smclarify; and where Cardinal reads a report the SDK cannot,
the SDK indeed refuses it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cardinal.content.reports import parse_report
from cardinal.domain.report_kinds import ReportKind
from tests.support.sdk import sdk_python
from tests.unit.reports import model_monitor_files as files
from tests.unit.reports.support import DATA, FIXTURES, load

pytestmark = pytest.mark.sdk

SDK_TYPES = {
    ReportKind.MODEL_CARD_METRICS: "MODEL_CARD_METRIC_SCHEMA",
    ReportKind.CLARIFY_BIAS: "CLARIFY_BIAS",
    ReportKind.CLARIFY_EXPLAINABILITY: "CLARIFY_EXPLAINABILITY",
    ReportKind.MODEL_MONITOR_BINARY_CLASSIFICATION: "BINARY_CLASSIFICATION",
    ReportKind.MODEL_MONITOR_MULTICLASS_CLASSIFICATION: "MULTICLASS_CLASSIFICATION",
    ReportKind.MODEL_MONITOR_REGRESSION: "REGRESSION",
    ReportKind.MODEL_MONITOR: "MODEL_MONITOR_MODEL_QUALITY",
}


def _generated() -> dict[str, tuple[Any, ReportKind]]:
    reports: dict[str, tuple[Any, ReportKind]] = {
        "sklearn-binary.json": (
            files.statistics("binary_classification_metrics", files.binary_evaluation()),
            ReportKind.MODEL_MONITOR_BINARY_CLASSIFICATION,
        ),
        "sklearn-binary-small.json": (
            files.statistics("binary_classification_metrics", files.binary_evaluation(150)),
            ReportKind.MODEL_MONITOR,
        ),
        "sklearn-multiclass.json": (
            files.statistics("multiclass_classification_metrics", files.multiclass_evaluation()),
            ReportKind.MODEL_MONITOR_MULTICLASS_CLASSIFICATION,
        ),
        "sklearn-regression.json": (
            files.statistics("regression_metrics", files.regression_evaluation()),
            ReportKind.MODEL_MONITOR,
        ),
    }
    try:
        from tests.unit.reports.test_clarify_bias import _smclarify_analysis

        reports["smclarify-analysis.json"] = (_smclarify_analysis(), ReportKind.CLARIFY_BIAS)
    except pytest.skip.Exception:
        pass
    return reports


B = "binary_classification_metrics"
# Reports Cardinal reads where the SDK v2 fails: (document, kind, what Cardinal makes of it).
LENIENT: dict[str, tuple[Any, ReportKind]] = {
    "metric-not-computed.json": (
        {
            B: {
                "auc": {"value": "NaN", "standard_deviation": "NaN"},
                "f1": {"value": 0.5, "standard_deviation": 0.1},
            }
        },
        ReportKind.MODEL_MONITOR,
    ),
    "bias-infinite.json": (
        {
            "post_training_bias_metrics": {
                "label": "y",
                "label_value_or_threshold": "1",
                "facets": {
                    "g": [
                        {
                            "value_or_threshold": "0",
                            "metrics": [
                                {"name": "TE", "value": "Infinity"},
                                {"name": "DI", "value": 0.8},
                            ],
                        }
                    ]
                },
            }
        },
        ReportKind.CLARIFY_BIAS,
    ),
    "combined-analysis.json": (
        {**load("clarify_bias.analysis.json"), **load("clarify_explainability.analysis.json")},
        ReportKind.CLARIFY_BIAS,
    ),
}


def _run_sdk(requests: list[dict[str, str]], tmp_path: Path) -> list[dict[str, Any]]:
    python = sdk_python("v2")
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_DEFAULT_REGION": "us-east-1",
        "SAGEMAKER_SUPPRESS_V2_WARNING": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    ran = subprocess.run(
        [str(python), str(Path(__file__).with_name("sdk_v2_parse.py"))],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=180,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-4000:]
    results: list[dict[str, Any]] = json.loads(ran.stdout.strip().splitlines()[-1])
    return results


@pytest.fixture(scope="module")
def sdk_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the SDK v2 made of every report: name -> {"groups": ...} or {"error": ...}."""
    tmp_path = tmp_path_factory.mktemp("sdk-parity")
    requests = [
        {"name": name, "path": str(DATA / name), "type": SDK_TYPES[kind]}
        for name, kind in FIXTURES.items()
    ]
    for name, (document, kind) in {**_generated(), **LENIENT}.items():
        path = tmp_path / name
        path.write_text(json.dumps(document))
        requests.append({"name": name, "path": str(path), "type": SDK_TYPES[kind]})
    results = _run_sdk(requests, tmp_path)
    return {request["name"]: result for request, result in zip(requests, results, strict=True)}


@pytest.mark.parametrize(("name", "kind"), FIXTURES.items())
def test_fixtures_parse_as_the_sdk_parses_them(
    sdk_results: dict[str, Any], name: str, kind: ReportKind
) -> None:
    assert parse_report(load(name), kind, name) == sdk_results[name]["groups"]


def test_the_automatic_model_monitor_kind_matches_the_sdk(sdk_results: dict[str, Any]) -> None:
    for name in FIXTURES:
        if name.startswith("model_monitor_"):
            ours = parse_report(load(name), ReportKind.MODEL_MONITOR, name)
            assert ours == sdk_results[name]["groups"]


def test_reports_computed_by_real_tools_parse_as_the_sdk_parses_them(
    sdk_results: dict[str, Any],
) -> None:
    generated = _generated()
    assert len(generated) >= 4
    for name, (document, kind) in generated.items():
        ours = parse_report(json.loads(json.dumps(document)), kind, name)
        assert ours == sdk_results[name]["groups"], name


def test_reports_cardinal_reads_where_the_sdk_fails(sdk_results: dict[str, Any]) -> None:
    for name, (document, kind) in LENIENT.items():
        assert "error" in sdk_results[name], name
        assert parse_report(document, kind, name)
