"""SageMaker Clarify bias metrics (``analysis.json`` of a bias job: ``pre_training_bias_metrics``
and/or ``post_training_bias_metrics``) as card metric groups, as the SDK v2's Clarify bias
parser makes them.

Each section ``{"label", "label_value_or_threshold", "facets": {facet: [{"value_or_threshold",
"metrics": [{"name", "description", "value"}]}]}}`` gives one group per facet and facet value,
named ``"<section> - label <label> = <label value> and facet <facet>=<facet value>"`` (values
printed as Python prints them, as the SDK does), holding one number metric per bias metric.

Cardinal's choices where the SDK is silent or lax: a metric Clarify could not compute (value
null, as Clarify writes it with an ``error``; NaN; or ±Infinity, which smclarify writes as the
string ``"Infinity"``) is left out, as the SDK leaves out null; an ``explanations`` section of a
combined bias-and-explainability ``analysis.json`` is skipped (attach it with the
``clarify_explainability`` kind) where the SDK refuses the whole file; a report with no bias
section is refused.
"""

from __future__ import annotations

from cardinal.content.reports._common import (
    Node,
    ParsedGroup,
    ReportError,
    is_missing_number,
    number_metric,
)

_NOT_BIAS = frozenset({"explanations"})


def parse_clarify_bias(report: Node) -> list[ParsedGroup]:
    groups: list[ParsedGroup] = []
    sections = 0
    for section_name, section in report.items("an object (a Clarify analysis.json)"):
        if not isinstance(section.value, dict) or section_name in _NOT_BIAS:
            continue
        sections += 1
        groups.extend(_section(section_name, section))
    if sections == 0:
        raise ReportError(
            report.source,
            report.path,
            "expected a bias section such as pre_training_bias_metrics or "
            "post_training_bias_metrics (a Clarify bias analysis.json), found none",
        )
    return groups


def _section(section_name: str, section: Node) -> list[ParsedGroup]:
    facets = section.at("facets")
    facets.object("an object of facets, each an array of facet values with their metrics")
    label = section.at("label").label()
    label_value = section.at("label_value_or_threshold").label()
    groups: list[ParsedGroup] = []
    for facet_name, facet in facets.items():
        by_name: dict[str, ParsedGroup] = {}
        for item in facet.elements("an array of facet values with their metrics"):
            item.object('an object {"value_or_threshold": ..., "metrics": [...]}')
            facet_value = item.at("value_or_threshold").label()
            name = (
                f"{section_name} - label {label} = {label_value} and "
                f"facet {facet_name}={facet_value}"
            )
            group = by_name.setdefault(name, ParsedGroup(name, item))
            for metric in item.at("metrics").elements("an array of bias metrics"):
                metric.object('an object {"name": ..., "value": ...}')
                metric_name = metric.at("name").text()
                value = metric.at("value")
                if not value.exists:
                    value.fail("a number or null")
                if is_missing_number(value.value):
                    continue
                number = value.number("a number or null")
                group.metrics.append(number_metric(metric_name, number, metric))
        groups.extend(by_name.values())
    return groups
