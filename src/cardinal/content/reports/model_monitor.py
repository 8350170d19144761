"""Model Monitor model-quality statistics (the ``statistics.json`` a model-quality baselining or
monitoring job writes) as card metric groups, as the SDK v2's Model Monitor parsers make them.

One group, named after the section it comes from (``regression_metrics``,
``binary_classification_metrics`` or ``multiclass_classification_metrics``). In it, each
``{"value": v, "standard_deviation": s}`` metric becomes the number metric ``<name>`` and, when
``s`` is a number, ``<name> - standard_deviation``; ``confusion_matrix`` (rows keyed by actual
label, counts keyed by predicted label) becomes a ``matrix`` with the actual labels as
``x_axis_name`` and the predicted labels as ``y_axis_name``;
``receiver_operating_characteristic_curve`` becomes a ``linear_graph`` of
``[false_positive_rate, true_positive_rate]`` points and ``precision_recall_curve`` one of
``[recall, precision]`` points.

Where the SDK is silent or lax, Cardinal decides: a metric whose value is null, NaN or ±Infinity
(as Model Monitor writes ``"NaN"`` when it cannot compute one) is left out, as is a standard
deviation of that kind; curves whose two arrays differ in length, and confusion-matrix rows that
do not name the same predicted labels, are refused instead of being cut short or misaligned; the
binary and multiclass kinds each require their own section; the automatic kind picks regression
first, then the first classification section in the file, as the SDK does.
"""

from __future__ import annotations

from cardinal.content.reports._common import (
    Node,
    ParsedGroup,
    ParsedMetric,
    ReportError,
    is_missing_number,
    number_metric,
)

REGRESSION = "regression_metrics"
BINARY = "binary_classification_metrics"
MULTICLASS = "multiclass_classification_metrics"
SECTIONS = (REGRESSION, BINARY, MULTICLASS)

_KINDS_BY_SECTION = {
    REGRESSION: "model_monitor_regression",
    BINARY: "model_monitor_binary_classification",
    MULTICLASS: "model_monitor_multiclass_classification",
}
_CURVES = {
    "receiver_operating_characteristic_curve": ("false_positive_rates", "true_positive_rates"),
    "precision_recall_curve": ("recalls", "precisions"),
}


def parse_regression(report: Node) -> list[ParsedGroup]:
    return [_group(_section(report, REGRESSION))]


def parse_binary_classification(report: Node) -> list[ParsedGroup]:
    return [_group(_section(report, BINARY))]


def parse_multiclass_classification(report: Node) -> list[ParsedGroup]:
    return [_group(_section(report, MULTICLASS))]


def parse_any(report: Node) -> list[ParsedGroup]:
    """Regression metrics if the file has them, else its first classification section."""
    document = report.object("an object (a Model Monitor model-quality statistics file)")
    if REGRESSION in document:
        return parse_regression(report)
    for key in document:
        if key in (BINARY, MULTICLASS):
            return [_group(_section(report, key))]
    raise ReportError(
        report.source,
        report.path,
        f"expected one of the keys {', '.join(SECTIONS)} "
        "(a Model Monitor model-quality statistics file), found none of them",
    )


def _section(report: Node, key: str) -> Node:
    report.object("an object (a Model Monitor model-quality statistics file)")
    section = report.at(key)
    if not section.exists:
        present = [other for other in SECTIONS if other in report.value]
        hint = "".join(
            f"; the report has {other}: attach it with the kind {_KINDS_BY_SECTION[other]} "
            "or model_monitor"
            for other in present[:1]
        )
        raise ReportError(
            report.source,
            section.path,
            f"expected an object of model-quality metrics, found nothing (the key is missing){hint}",
        )
    section.object("an object of model-quality metrics")
    return section


def _group(section: Node) -> ParsedGroup:
    name = str(section.steps[-1])
    group = ParsedGroup(name, section)
    for metric_name, node in section.items():
        if name != REGRESSION and metric_name == "confusion_matrix":
            group.metrics.append(_confusion_matrix(node))
        elif name != REGRESSION and metric_name in _CURVES:
            group.metrics.append(_curve(node, metric_name, *_CURVES[metric_name]))
        else:
            group.metrics.extend(_value_and_deviation(metric_name, node))
    return group


def _value_and_deviation(name: str, node: Node) -> list[ParsedMetric]:
    node.object('an object {"value": number, "standard_deviation": number or "NaN"}')
    value = node.at("value")
    if not value.exists:
        value.fail("a number")
    if is_missing_number(value.value):
        return []
    metrics = [number_metric(name, value.number(), value)]
    deviation = node.at("standard_deviation")
    if deviation.exists and not is_missing_number(deviation.value):
        deviation.number('a number, "NaN" or null')
        metrics.append(number_metric(f"{name} - standard_deviation", deviation.value, deviation))
    return metrics


def _confusion_matrix(node: Node) -> ParsedMetric:
    shape = (
        "an object of rows keyed by actual label, each an object of counts keyed by predicted label"
    )
    rows = list(node.items(shape))
    if not rows:
        node.fail(shape)
    columns = list(rows[0][1].object(shape))
    values: list[list[int | float]] = []
    for _, row in rows:
        cells = row.object(shape)
        if set(cells) != set(columns):
            raise ReportError(
                row.source,
                row.path,
                f"expected counts for the predicted labels of the first row ({', '.join(columns)}), "
                f"found counts for {', '.join(cells) or 'none'}",
            )
        values.append([row.at(column).number("a count") for column in columns])
    metric = {
        "name": "confusion_matrix",
        "type": "matrix",
        "value": values,
        "x_axis_name": [label for label, _ in rows],
        "y_axis_name": columns,
    }
    return ParsedMetric(metric, node)


def _curve(node: Node, name: str, x_key: str, y_key: str) -> ParsedMetric:
    node.object(f"an object with the arrays {x_key} and {y_key}")
    xs = node.at(x_key).numbers()
    y_node = node.at(y_key)
    ys = y_node.numbers()
    if len(xs) != len(ys):
        raise ReportError(
            node.source,
            y_node.path,
            f"expected {len(xs)} numbers, one for each of {x_key}, found {len(ys)}",
        )
    metric = {
        "name": name,
        "type": "linear_graph",
        "value": [[x, y] for x, y in zip(xs, ys, strict=True)],
        "x_axis_name": x_key,
        "y_axis_name": y_key,
    }
    return ParsedMetric(metric, node)
