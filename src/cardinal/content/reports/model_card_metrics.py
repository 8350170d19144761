"""The plain metrics file ``{"metric_groups": [{"name": ..., "metric_data": [metric, ...]}]}``:
metric groups already in the model card's own shape, taken as they are (the SDK v2's default
"Model Card Metric Schema").

As the SDK does, a group keeps only ``name`` and ``metric_data``, and a metric's optional fields
(``notes``, ``x_axis_name``, ``y_axis_name``) that are null are dropped; everything else must
already be what the model card schema allows, and is checked against it.
"""

from __future__ import annotations

import math

from cardinal.content.reports._common import Node, ParsedGroup, ParsedMetric

_OPTIONAL = frozenset({"notes", "x_axis_name", "y_axis_name"})


def parse_model_card_metrics(report: Node) -> list[ParsedGroup]:
    report.object('an object {"metric_groups": [...]}')
    groups_node = report.at("metric_groups")
    elements = groups_node.elements("an array of metric groups")
    if not elements:
        groups_node.fail("an array of at least one metric group")
    groups: list[ParsedGroup] = []
    for group_node in elements:
        group_node.object('a metric group {"name": ..., "metric_data": [...]}')
        group = ParsedGroup(group_node.at("name").text(), group_node, verbatim=True)
        for metric in group_node.at("metric_data").elements("an array of metrics"):
            fields = metric.object('a metric {"name": ..., "type": ..., "value": ...}')
            _refuse_non_finite(metric)
            kept = {k: v for k, v in fields.items() if not (k in _OPTIONAL and v is None)}
            group.metrics.append(ParsedMetric(kept, metric, verbatim=True))
        groups.append(group)
    return groups


def _refuse_non_finite(node: Node) -> None:
    """NaN and Infinity are not JSON numbers; a card cannot hold them."""
    value = node.value
    if isinstance(value, float) and not math.isfinite(value):
        node.fail("a finite number")
    if isinstance(value, dict):
        for _, child in node.items():
            _refuse_non_finite(child)
    elif isinstance(value, list):
        for child in node.elements():
            _refuse_non_finite(child)
