"""Malformed reports of every kind are refused with the report's name, the JSON path inside it
and what was expected there."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from cardinal.content.reports import ReportError, parse_report
from cardinal.domain.report_kinds import ReportKind
from tests.unit.reports.support import load

K = ReportKind
Edit = Callable[[Any], None]


def _set(path: tuple[str | int, ...], value: Any) -> Edit:
    def edit(document: Any) -> None:
        node = document
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return edit


def _delete(path: tuple[str | int, ...]) -> Edit:
    def edit(document: Any) -> None:
        node = document
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]

    return edit


BINARY = "model_monitor_binary_classification.aws-docs.json"
MULTICLASS = "model_monitor_multiclass_classification.aws-docs.json"
REGRESSION = "model_monitor_regression.aws-docs.json"
BIAS = "clarify_bias.analysis.json"
EXPLAIN = "clarify_explainability.analysis.json"
PLAIN = "model_card_metrics.all-types.json"
B = "binary_classification_metrics"
PRE = "pre_training_bias_metrics"

CASES: list[tuple[str, ReportKind, Edit, str, str]] = [
    # (fixture, kind, edit, JSON path, what the message says was expected / found)
    (
        BINARY,
        K.MODEL_MONITOR_BINARY_CLASSIFICATION,
        _set((B, "confusion_matrix"), [[1, 2], [0, 1]]),
        f"$.{B}.confusion_matrix",
        "expected an object of rows keyed by actual label",
    ),
    (
        BINARY,
        K.MODEL_MONITOR,
        _set((B, "confusion_matrix", "1", "0"), "zero"),
        f"$.{B}.confusion_matrix['1']['0']",
        "expected a count, found the string 'zero'",
    ),
    (
        BINARY,
        K.MODEL_MONITOR_BINARY_CLASSIFICATION,
        _delete((B, "confusion_matrix", "1", "1")),
        f"$.{B}.confusion_matrix['1']",
        "expected counts for the predicted labels of the first row (0, 1), found counts for 0",
    ),
    (
        BINARY,
        K.MODEL_MONITOR_BINARY_CLASSIFICATION,
        _delete((B, "auc", "value")),
        f"$.{B}.auc.value",
        "expected a number, found nothing (the key is missing)",
    ),
    (
        BINARY,
        K.MODEL_MONITOR_BINARY_CLASSIFICATION,
        _set((B, "recall", "value"), True),
        f"$.{B}.recall.value",
        "expected a number, found true",
    ),
    (
        BINARY,
        K.MODEL_MONITOR_BINARY_CLASSIFICATION,
        _set((B, "f1", "standard_deviation"), "small"),
        f"$.{B}.f1.standard_deviation",
        "expected a number, \"NaN\" or null, found the string 'small'",
    ),
    (
        BINARY,
        K.MODEL_MONITOR_BINARY_CLASSIFICATION,
        _set((B, "precision"), 0.5),
        f"$.{B}.precision",
        'expected an object {"value": number',
    ),
    (
        BINARY,
        K.MODEL_MONITOR_BINARY_CLASSIFICATION,
        _set((B, "receiver_operating_characteristic_curve", "true_positive_rates"), [0.0, 1.0]),
        f"$.{B}.receiver_operating_characteristic_curve.true_positive_rates",
        "expected 6 numbers, one for each of false_positive_rates, found 2",
    ),
    (
        BINARY,
        K.MODEL_MONITOR_BINARY_CLASSIFICATION,
        _set((B, "precision_recall_curve", "recalls", 2), "0.5"),
        f"$.{B}.precision_recall_curve.recalls[2]",
        "expected a number, found the string '0.5'",
    ),
    (
        BINARY,
        K.MODEL_MONITOR_BINARY_CLASSIFICATION,
        _set((B,), ["accuracy", 0.5]),
        f"$.{B}",
        "expected an object of model-quality metrics, found an array of 2 items",
    ),
    (
        MULTICLASS,
        K.MODEL_MONITOR_MULTICLASS_CLASSIFICATION,
        _set(
            ("multiclass_classification_metrics", "confusion_matrix"),
            {str(i): {str(j): 1 for j in range(21)} for i in range(21)},
        ),
        "$.multiclass_classification_metrics.confusion_matrix",
        "the card metric 'confusion_matrix' made from it does not fit a model card: "
        "the value of a 'matrix' metric must be an array of 1 to 20 rows",
    ),
    (
        REGRESSION,
        K.MODEL_MONITOR_REGRESSION,
        _set(("regression_metrics", "mae", "value"), [0.4]),
        "$.regression_metrics.mae.value",
        "expected a number, found an array of 1 item",
    ),
    (
        REGRESSION,
        K.MODEL_MONITOR,
        _delete(("regression_metrics",)),
        "$",
        "expected one of the keys regression_metrics, binary_classification_metrics",
    ),
    (
        BIAS,
        K.CLARIFY_BIAS,
        _delete((PRE, "facets")),
        f"$.{PRE}.facets",
        "expected an object of facets",
    ),
    (
        BIAS,
        K.CLARIFY_BIAS,
        _set((PRE, "facets", "age"), {"value_or_threshold": "(40.0, 90.0]"}),
        f"$.{PRE}.facets.age",
        "expected an array of facet values with their metrics, found an object",
    ),
    (
        BIAS,
        K.CLARIFY_BIAS,
        _set((PRE, "facets", "feature_2", 0, "metrics", 1, "value"), "0.3"),
        f"$.{PRE}.facets.feature_2[0].metrics[1].value",
        "expected a number or null, found the string '0.3'",
    ),
    (
        BIAS,
        K.CLARIFY_BIAS,
        _delete((PRE, "label_value_or_threshold")),
        f"$.{PRE}.label_value_or_threshold",
        "expected a string or a number, found nothing (the key is missing)",
    ),
    (
        BIAS,
        K.CLARIFY_BIAS,
        _set((PRE, "facets", "feature_2", 0, "metrics", 2, "name"), ""),
        f"$.{PRE}.facets.feature_2[0].metrics[2]",
        "the card metric '' made from it does not fit a model card: '' does not match",
    ),
    (
        EXPLAIN,
        K.CLARIFY_EXPLAINABILITY,
        _set(("explanations",), []),
        "$.explanations",
        "expected an object of explanations (kernel_shap, pdp), found an array of 0 items",
    ),
    (
        EXPLAIN,
        K.CLARIFY_EXPLAINABILITY,
        _set(("explanations", "kernel_shap", "label0", "global_shap_values", "feature_1"), [1]),
        "$.explanations.kernel_shap.label0.global_shap_values.feature_1",
        "expected a number, a string or a boolean, found an array of 1 item",
    ),
    (
        EXPLAIN,
        K.CLARIFY_EXPLAINABILITY,
        _set(("explanations", "pdp", 0, "data_distribution"), [0.05, 0.165]),
        "$.explanations.pdp[0].data_distribution",
        "expected 4 numbers, one for each of feature_values, found 2",
    ),
    (
        EXPLAIN,
        K.CLARIFY_EXPLAINABILITY,
        _delete(("explanations", "pdp", 1, "label_headers")),
        "$.explanations.pdp[1].label_headers",
        "expected an array of label names, found nothing (the key is missing)",
    ),
    (
        EXPLAIN,
        K.CLARIFY_EXPLAINABILITY,
        _set(("explanations", "pdp", 0, "model_predictions"), []),
        "$.explanations.pdp[0].model_predictions",
        "expected 1 prediction arrays, one for each of label_headers, found 0",
    ),
    (
        PLAIN,
        K.MODEL_CARD_METRICS,
        _set(("metric_groups",), {"name": "g"}),
        "$.metric_groups",
        "expected an array of metric groups, found an object",
    ),
    (
        PLAIN,
        K.MODEL_CARD_METRICS,
        _set(("metric_groups", 1, "metric_data", 2, "value", 1, 0), "57"),
        "$.metric_groups[1].metric_data[2].value",
        "the value of a 'matrix' metric must be an array of 1 to 20 rows, each an array of "
        "1 to 20 numbers ('57' is not of type 'number' at $.metric_groups[1].metric_data[2]"
        ".value[1][0])",
    ),
    (
        PLAIN,
        K.MODEL_CARD_METRICS,
        _set(("metric_groups", 0, "metric_data", 0, "type"), "percentage"),
        "$.metric_groups[0].metric_data[0].type",
        "'percentage' is not one of",
    ),
    (
        PLAIN,
        K.MODEL_CARD_METRICS,
        _delete(("metric_groups", 0, "metric_data", 1, "value")),
        "$.metric_groups[0].metric_data[1].value",
        "'value' is a required property",
    ),
    (
        PLAIN,
        K.MODEL_CARD_METRICS,
        _set(("metric_groups", 0, "metric_data", 0, "value"), float("inf")),
        "$.metric_groups[0].metric_data[0].value",
        "expected a finite number, found the number inf",
    ),
    (
        PLAIN,
        K.MODEL_CARD_METRICS,
        _set(("metric_groups",), []),
        "$.metric_groups",
        "expected an array of at least one metric group, found an array of 0 items",
    ),
]


@pytest.mark.parametrize(
    ("fixture", "kind", "edit", "path", "expected"),
    CASES,
    ids=[f"{case[1]}:{case[3]}" for case in CASES],
)
def test_a_malformed_report_is_refused_at_its_path(
    fixture: str, kind: ReportKind, edit: Edit, path: str, expected: str
) -> None:
    document = copy.deepcopy(load(fixture))
    edit(document)
    with pytest.raises(ReportError) as caught:
        parse_report(document, kind, f"runs/42/{fixture}")
    error = caught.value
    assert (error.source, error.path) == (f"runs/42/{fixture}", path)
    assert error.message.startswith(f"Report runs/42/{fixture} at {path}: ")
    assert expected in error.message


@pytest.mark.parametrize("kind", list(ReportKind))
@pytest.mark.parametrize("document", [None, [], "text", 3])
def test_a_report_that_is_not_an_object_is_refused_at_the_root(
    kind: ReportKind, document: Any
) -> None:
    with pytest.raises(ReportError) as caught:
        parse_report(document, kind, "r.json")
    assert caught.value.path == "$"
    assert "expected " in caught.value.message
