"""Evaluation reports that ML pipelines write, turned into model card metric groups.

:func:`parse_report` takes a parsed JSON report, its :class:`ReportKind` and where it came from,
and returns metric groups (``{"name": ..., "metric_data": [...]}``) named and shaped as the
SageMaker Python SDK v2 (``sagemaker.model_card.evaluation_metric_parsers``) makes them, each
already checked against the model card schema. One module per family of reports holds its
parser and documents where Cardinal is stricter or more lenient than the SDK; ``PARSERS`` maps
each kind to its parser. Pure functions: reading a report from a file or S3 is
:mod:`cardinal.content.report_sources`.

Every refusal is a :class:`ReportError` (an ``InvalidInput``) naming the report, the JSON path
inside it and what was expected there.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from cardinal.content.card_content import MAX_CONTENT_CHARS, CardFlavour, parse_card_content
from cardinal.content.reports._common import Node, ParsedGroup, ReportError, ReportNotFound
from cardinal.content.reports.clarify_bias import parse_clarify_bias
from cardinal.content.reports.clarify_explainability import parse_clarify_explainability
from cardinal.content.reports.model_card_metrics import parse_model_card_metrics
from cardinal.content.reports.model_monitor import (
    parse_any,
    parse_binary_classification,
    parse_multiclass_classification,
    parse_regression,
)
from cardinal.domain.errors import InvalidInput
from cardinal.domain.report_kinds import ReportKind

__all__ = ["PARSERS", "ReportError", "ReportKind", "ReportNotFound", "parse_report"]


Parser = Callable[[Node], list[ParsedGroup]]

PARSERS: Mapping[ReportKind, Parser] = {
    ReportKind.MODEL_CARD_METRICS: parse_model_card_metrics,
    ReportKind.CLARIFY_BIAS: parse_clarify_bias,
    ReportKind.CLARIFY_EXPLAINABILITY: parse_clarify_explainability,
    ReportKind.MODEL_MONITOR_BINARY_CLASSIFICATION: parse_binary_classification,
    ReportKind.MODEL_MONITOR_MULTICLASS_CLASSIFICATION: parse_multiclass_classification,
    ReportKind.MODEL_MONITOR_REGRESSION: parse_regression,
    ReportKind.MODEL_MONITOR: parse_any,
}

_PROBE_EVALUATION = "report"
_PROBE_PATH = re.compile(
    r"^\$\.evaluation_details\[0\]\.metric_groups\[(\d+)\](?:\.metric_data\[(\d+)\])?(.*)$"
)


def parse_report(document: Any, kind: ReportKind, source: str) -> list[dict[str, Any]]:
    """The metric groups of a parsed report, in the order the SDK v2 makes them.

    ``source`` names the report in errors (a file path or URI). Raises :class:`ReportError` when
    the report is not of the shape its kind needs, holds no metric group, or makes a metric or
    group the model card schema refuses (the error then points at the part of the report it was
    made from).
    """
    groups = PARSERS[kind](Node(source, document))
    if not groups:
        raise ReportError(source, "$", "expected at least one metric group, found none")
    _check_against_card_schema(groups, source)
    return [copy.deepcopy(group.as_card_group()) for group in groups]


def _check_against_card_schema(groups: list[ParsedGroup], source: str) -> None:
    probe = {
        "evaluation_details": [
            {"name": _PROBE_EVALUATION, "metric_groups": [g.as_card_group() for g in groups]}
        ]
    }
    text = json.dumps(probe, ensure_ascii=False)
    if len(text) > MAX_CONTENT_CHARS:
        raise ReportError(
            source,
            None,
            f"its metric groups take {len(text):,} characters of card content; a model card "
            f"holds at most {MAX_CONTENT_CHARS:,}",
        )
    try:
        parse_card_content(text, CardFlavour.MODEL_CARD)
    except InvalidInput as error:
        raise _located(error, groups, source) from None


def _located(error: InvalidInput, groups: list[ParsedGroup], source: str) -> ReportError:
    """The card schema's complaint about the probe, moved to the report's own JSON path."""
    card_path = error.path or "$"
    detail = error.message.removeprefix(f"Invalid model card content at {card_path}: ")
    match = _PROBE_PATH.match(card_path)
    if match is None:
        return ReportError(source, None, detail)
    group = groups[int(match[1])]
    rest = match[3]
    if match[2] is None:
        if group.verbatim:
            return ReportError(source, group.origin.path + rest, detail)
        return ReportError(
            source,
            group.origin.path,
            f"the metric group {group.name!r} made from it does not fit a model card: {detail}",
        )
    metric = group.metrics[int(match[2])]
    inner = card_path.removesuffix(rest)  # the probe's path of the metric itself
    if metric.verbatim:
        return ReportError(
            source, metric.origin.path + rest, detail.replace(inner, metric.origin.path)
        )
    name = metric.metric.get("name")
    return ReportError(
        source,
        metric.origin.path,
        f"the card metric {name!r} made from it does not fit a model card: "
        + detail.replace(inner, "<metric>"),
    )
