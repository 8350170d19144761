"""Model Monitor model-quality statistics: files computed with scikit-learn and AWS's documented
examples, parsed into the metric groups the SDK v2 makes."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from sklearn import metrics

from cardinal.content.reports import ReportError, parse_report
from cardinal.domain.report_kinds import ReportKind
from tests.unit.reports import model_monitor_files as files
from tests.unit.reports.support import card_with, load

BINARY = "binary_classification_metrics"
MULTICLASS = "multiclass_classification_metrics"
REGRESSION = "regression_metrics"


def _through_json(document: dict[str, Any]) -> Any:
    """The document as a reader gets it from a file."""
    return json.loads(json.dumps(document))


def _by_name(group: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {metric["name"]: metric for metric in group["metric_data"]}


def _expected_scalars(section: dict[str, Any]) -> list[tuple[str, float]]:
    """Each value and each numeric standard deviation, in the file's order."""
    expected: list[tuple[str, float]] = []
    for name, metric in section.items():
        if "value" not in metric:
            continue
        expected.append((name, metric["value"]))
        if not isinstance(metric["standard_deviation"], str):
            expected.append((f"{name} - standard_deviation", metric["standard_deviation"]))
    return expected


def test_binary_classification_computed_with_scikit_learn() -> None:
    evaluation = files.binary_evaluation()
    report = _through_json(files.statistics(BINARY, evaluation))
    [group] = parse_report(report, ReportKind.MODEL_MONITOR_BINARY_CLASSIFICATION, "stats.json")
    assert group["name"] == BINARY
    by_name = _by_name(group)

    matrix = metrics.confusion_matrix(evaluation.y_true, evaluation.y_pred).tolist()
    assert by_name["confusion_matrix"] == {
        "name": "confusion_matrix",
        "type": "matrix",
        "value": matrix,
        "x_axis_name": ["0", "1"],
        "y_axis_name": ["0", "1"],
    }
    fpr, tpr, _ = metrics.roc_curve(evaluation.y_true, evaluation.y_score)
    roc = by_name["receiver_operating_characteristic_curve"]
    assert roc["type"] == "linear_graph"
    assert roc["value"] == [[x, y] for x, y in zip(fpr.tolist(), tpr.tolist(), strict=True)]
    assert (roc["x_axis_name"], roc["y_axis_name"]) == (
        "false_positive_rates",
        "true_positive_rates",
    )
    precision, recall, _ = metrics.precision_recall_curve(evaluation.y_true, evaluation.y_score)
    pr = by_name["precision_recall_curve"]
    assert pr["value"] == [[r, p] for r, p in zip(recall[::-1], precision[::-1], strict=True)]
    assert (pr["x_axis_name"], pr["y_axis_name"]) == ("recalls", "precisions")

    scalars = [(m["name"], m["value"]) for m in group["metric_data"] if m["type"] == "number"]
    assert scalars == _expected_scalars(report[BINARY])
    assert by_name["auc"]["value"] == pytest.approx(
        metrics.roc_auc_score(evaluation.y_true, evaluation.y_score)
    )
    assert by_name["f1"]["value"] == pytest.approx(
        metrics.f1_score(evaluation.y_true, evaluation.y_pred)
    )
    assert "auc - standard_deviation" in by_name  # 240 samples: Model Monitor gives deviations
    card_with([group])


def test_fewer_than_200_samples_have_no_standard_deviations() -> None:
    report = _through_json(files.statistics(BINARY, files.binary_evaluation(n_samples=150)))
    [group] = parse_report(report, ReportKind.MODEL_MONITOR, "stats.json")
    names = [metric["name"] for metric in group["metric_data"]]
    assert "accuracy" in names
    assert not [name for name in names if name.endswith("standard_deviation")]


def test_multiclass_classification_computed_with_scikit_learn() -> None:
    evaluation = files.multiclass_evaluation()
    report = _through_json(files.statistics(MULTICLASS, evaluation))
    [group] = parse_report(
        report, ReportKind.MODEL_MONITOR_MULTICLASS_CLASSIFICATION, "s3://bucket/stats.json"
    )
    assert group["name"] == MULTICLASS
    by_name = _by_name(group)
    assert by_name["confusion_matrix"]["value"] == (
        metrics.confusion_matrix(evaluation.y_true, evaluation.y_pred).tolist()
    )
    assert by_name["confusion_matrix"]["x_axis_name"] == ["0", "1", "2"]
    assert by_name["confusion_matrix"]["y_axis_name"] == ["0", "1", "2"]
    scalars = [(m["name"], m["value"]) for m in group["metric_data"] if m["type"] == "number"]
    assert scalars == _expected_scalars(report[MULTICLASS])
    assert by_name["weighted_f1"]["value"] == pytest.approx(
        metrics.f1_score(evaluation.y_true, evaluation.y_pred, average="weighted")
    )
    card_with([group])


def test_regression_computed_with_scikit_learn() -> None:
    evaluation = files.regression_evaluation()
    report = _through_json(files.statistics(REGRESSION, evaluation))
    [group] = parse_report(report, ReportKind.MODEL_MONITOR_REGRESSION, "stats.json")
    assert group["name"] == REGRESSION
    assert [m["name"] for m in group["metric_data"]] == [
        "mae",
        "mae - standard_deviation",
        "mse",
        "mse - standard_deviation",
        "rmse",
        "rmse - standard_deviation",
        "r2",
        "r2 - standard_deviation",
    ]
    by_name = _by_name(group)
    assert by_name["rmse"]["value"] == pytest.approx(math.sqrt(by_name["mse"]["value"]))
    assert by_name["r2"]["value"] == pytest.approx(
        metrics.r2_score(evaluation.y_true, evaluation.y_pred)
    )
    assert {m["type"] for m in group["metric_data"]} == {"number"}
    card_with([group])


def test_the_documented_binary_example() -> None:
    report = load("model_monitor_binary_classification.aws-docs.json")
    [group] = parse_report(report, ReportKind.MODEL_MONITOR_BINARY_CLASSIFICATION, "b.json")
    by_name = _by_name(group)
    assert by_name["confusion_matrix"]["value"] == [[1, 2], [0, 1]]
    assert by_name["receiver_operating_characteristic_curve"]["value"] == [
        [0.0, 0.0],
        [0.0, 0.25],
        [0.0, 0.5],
        [0.0, 0.75],
        [0.0, 1.0],
        [1.0, 1.0],
    ]
    assert by_name["precision_recall_curve"]["value"] == [
        [0.0, 1.0],
        [0.25, 1.0],
        [0.5, 1.0],
        [0.75, 1.0],
        [1.0, 1.0],
    ]
    assert by_name["precision"] == {"name": "precision", "type": "number", "value": 1 / 3}
    # Every standard deviation of the example is "NaN": none becomes a metric.
    assert len(group["metric_data"]) == 20


@pytest.mark.parametrize(
    ("name", "kind", "section", "count"),
    [
        ("model_monitor_binary_classification.aws-docs.json", "binary_classification", BINARY, 20),
        (
            "model_monitor_multiclass_classification.aws-docs.json",
            "multiclass_classification",
            MULTICLASS,
            25,
        ),
        ("model_monitor_regression.aws-docs.json", "regression", REGRESSION, 8),
    ],
)
def test_the_automatic_kind_reads_each_documented_example_as_its_own_kind_does(
    name: str, kind: str, section: str, count: int
) -> None:
    report = load(name)
    own = parse_report(report, ReportKind(f"model_monitor_{kind}"), name)
    assert parse_report(report, ReportKind.MODEL_MONITOR, name) == own
    assert [group["name"] for group in own] == [section]
    assert len(own[0]["metric_data"]) == count
    card_with(own)


def test_the_automatic_kind_picks_regression_then_the_first_classification_section() -> None:
    binary = load("model_monitor_binary_classification.aws-docs.json")[BINARY]
    multiclass = load("model_monitor_multiclass_classification.aws-docs.json")[MULTICLASS]
    regression = load("model_monitor_regression.aws-docs.json")[REGRESSION]
    both = {MULTICLASS: multiclass, BINARY: binary}
    assert [g["name"] for g in parse_report(both, ReportKind.MODEL_MONITOR, "x")] == [MULTICLASS]
    everything = {**both, REGRESSION: regression}
    assert [g["name"] for g in parse_report(everything, ReportKind.MODEL_MONITOR, "x")] == [
        REGRESSION
    ]
    # The explicit kinds read their own section wherever it stands.
    [group] = parse_report(both, ReportKind.MODEL_MONITOR_BINARY_CLASSIFICATION, "x")
    assert group["name"] == BINARY


def test_a_metric_model_monitor_could_not_compute_is_left_out() -> None:
    report = {
        BINARY: {
            "auc": {"value": "NaN", "standard_deviation": "NaN"},
            "f1": {"value": 0.5, "standard_deviation": None},
            "recall": {"value": 0.75},
        }
    }
    [group] = parse_report(report, ReportKind.MODEL_MONITOR, "x.json")
    assert group["metric_data"] == [
        {"name": "f1", "type": "number", "value": 0.5},
        {"name": "recall", "type": "number", "value": 0.75},
    ]


def test_confusion_matrix_rows_are_aligned_on_the_first_rows_labels() -> None:
    report = {
        MULTICLASS: {
            "confusion_matrix": {
                "cat": {"cat": 5, "dog": 1},
                "dog": {"dog": 7, "cat": 2},
            }
        }
    }
    [group] = parse_report(report, ReportKind.MODEL_MONITOR, "x.json")
    assert group["metric_data"] == [
        {
            "name": "confusion_matrix",
            "type": "matrix",
            "value": [[5, 1], [2, 7]],
            "x_axis_name": ["cat", "dog"],
            "y_axis_name": ["cat", "dog"],
        }
    ]


def test_a_binary_kind_on_a_multiclass_file_says_which_kind_to_use() -> None:
    report = load("model_monitor_multiclass_classification.aws-docs.json")
    with pytest.raises(ReportError) as caught:
        parse_report(report, ReportKind.MODEL_MONITOR_BINARY_CLASSIFICATION, "m.json")
    assert caught.value.path == "$.binary_classification_metrics"
    assert "model_monitor_multiclass_classification" in caught.value.message
