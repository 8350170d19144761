"""SageMaker Clarify explainability results (the ``explanations`` section of ``analysis.json``:
SHAP values from ``kernel_shap`` and partial dependence plots from ``pdp``) as card metric
groups, as the SDK v2's Clarify explainability parser makes them.

- ``kernel_shap.<label>.global_shap_values`` → group ``"explanations - global_shap_values,
  label=<label>"`` with one metric per feature;
  ``kernel_shap.<label>.global_top_shap_text.<feature>`` → group ``"explanations -
  global_top_shap_text, label=<label>, feature=<feature>"`` with one metric per token. A metric's
  type follows its value: number, string or boolean.
- ``pdp`` → one group ``"explanations - pdp"``: per feature, ``"data_distribution -
  feature=<f>"`` and one ``"model_predictions - feature=<f>, label=<label header>"`` per label,
  as ``linear_graph`` of ``[feature value, y]`` points for a numerical feature and as
  ``bar_chart`` (x axis names = the feature values) for a categorical one.

Cardinal's choices where the SDK is silent or lax: a SHAP value that is null or not finite is
left out; a PDP entry Clarify could not compute (it carries ``error`` instead of values) or of
another data type (``free_text``) is skipped, as the SDK skips other data types; arrays that do
not line up with ``feature_values`` or ``label_headers`` are refused instead of cut short;
categorical feature values that are numbers become strings, since axis names are strings.
"""

from __future__ import annotations

import math
from typing import Any

from cardinal.content.reports._common import (
    Node,
    ParsedGroup,
    ParsedMetric,
    ReportError,
    is_number,
)


def parse_clarify_explainability(report: Node) -> list[ParsedGroup]:
    report.object("an object (a Clarify analysis.json)")
    explanations = report.at("explanations")
    explanations.object("an object of explanations (kernel_shap, pdp)")
    groups: list[ParsedGroup] = []
    kernel_shap = explanations.at("kernel_shap")
    if kernel_shap.exists:
        groups.extend(_kernel_shap(kernel_shap))
    pdp = explanations.at("pdp")
    if pdp.exists:
        groups.append(_pdp(pdp))
    if not kernel_shap.exists and not pdp.exists:
        raise ReportError(
            report.source,
            explanations.path,
            "expected kernel_shap or pdp explanations, found neither",
        )
    return groups


def _kernel_shap(kernel_shap: Node) -> list[ParsedGroup]:
    groups: list[ParsedGroup] = []
    for label, explanation in kernel_shap.items("an object of explanations by label"):
        for key, values in explanation.items("an object of SHAP results for one label"):
            if key == "global_shap_values":
                name = f"explanations - {key}, label={label}"
                groups.append(_scalar_group(name, values))
            elif key == "global_top_shap_text":
                for feature, tokens in values.items("an object of top tokens by feature"):
                    name = f"explanations - {key}, label={label}, feature={feature}"
                    groups.append(_scalar_group(name, tokens))
    return groups


def _scalar_group(name: str, values: Node) -> ParsedGroup:
    group = ParsedGroup(name, values)
    for metric_name, value in values.items("an object of values by name"):
        metric_type = _scalar_type(value)
        if metric_type is not None:
            metric = {"name": metric_name, "type": metric_type, "value": value.value}
            group.metrics.append(ParsedMetric(metric, value))
    return group


def _scalar_type(value: Node) -> str | None:
    """The metric type of a number, string or boolean value; None for one to leave out."""
    raw: Any = value.value
    if raw is None or (isinstance(raw, float) and not math.isfinite(raw)):
        return None
    if is_number(raw):
        return "number"
    if isinstance(raw, bool):
        return "boolean"
    if isinstance(raw, str):
        return "string"
    return value.fail("a number, a string or a boolean")


def _pdp(pdp: Node) -> ParsedGroup:
    group = ParsedGroup("explanations - pdp", pdp)
    for entry in pdp.elements("an array of partial dependence plots, one per feature"):
        entry.object("an object describing the partial dependence plot of one feature")
        data_type = entry.at("data_type").text()
        if "error" in entry.value or data_type not in ("numerical", "categorical"):
            continue
        group.metrics.extend(_pdp_metrics(entry, numerical=data_type == "numerical"))
    return group


def _pdp_metrics(entry: Node, *, numerical: bool) -> list[ParsedMetric]:
    feature = entry.at("feature_name").label()
    values_node = entry.at("feature_values")
    feature_values: list[Any] = (
        values_node.numbers()
        if numerical
        else [v.label() for v in values_node.elements("an array of feature values")]
    )
    headers = [h.text() for h in entry.at("label_headers").elements("an array of label names")]
    distribution = _aligned_numbers(entry.at("data_distribution"), feature_values)
    predictions_node = entry.at("model_predictions")
    rows = predictions_node.elements("an array of prediction arrays, one per label header")
    if len(rows) != len(headers):
        raise ReportError(
            entry.source,
            predictions_node.path,
            f"expected {len(headers)} prediction arrays, one for each of label_headers, "
            f"found {len(rows)}",
        )
    predictions = [_aligned_numbers(row, feature_values) for row in rows]

    graph_type = "linear_graph" if numerical else "bar_chart"
    x_axis_name: str | list[Any] = feature if numerical else feature_values

    def shaped(ys: list[int | float]) -> list[Any]:
        return [list(point) for point in zip(feature_values, ys, strict=True)] if numerical else ys

    series = [("Data distribution", f"data_distribution - feature={feature}", distribution)]
    series += [
        (header, f"model_predictions - feature={feature}, label={header}", ys)
        for header, ys in zip(headers, predictions, strict=True)
    ]
    return [
        ParsedMetric(
            {
                "name": name,
                "type": graph_type,
                "value": shaped(ys),
                "x_axis_name": x_axis_name,
                "y_axis_name": y_axis_name,
            },
            entry,
        )
        for y_axis_name, name, ys in series
    ]


def _aligned_numbers(node: Node, feature_values: list[Any]) -> list[int | float]:
    numbers = node.numbers()
    if len(numbers) != len(feature_values):
        raise ReportError(
            node.source,
            node.path,
            f"expected {len(feature_values)} numbers, one for each of feature_values, "
            f"found {len(numbers)}",
        )
    return numbers
