"""Helpers of the report tests: the fixture files, and putting metric groups into a card."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cardinal.content.card_content import CardFlavour, parse_card_content
from cardinal.domain.report_kinds import ReportKind

DATA = Path(__file__).parent / "data"

# Each committed fixture and the kind that reads it.
FIXTURES: dict[str, ReportKind] = {
    "model_card_metrics.all-types.json": ReportKind.MODEL_CARD_METRICS,
    "clarify_bias.analysis.json": ReportKind.CLARIFY_BIAS,
    "clarify_explainability.analysis.json": ReportKind.CLARIFY_EXPLAINABILITY,
    "model_monitor_binary_classification.aws-docs.json": (
        ReportKind.MODEL_MONITOR_BINARY_CLASSIFICATION
    ),
    "model_monitor_multiclass_classification.aws-docs.json": (
        ReportKind.MODEL_MONITOR_MULTICLASS_CLASSIFICATION
    ),
    "model_monitor_regression.aws-docs.json": ReportKind.MODEL_MONITOR_REGRESSION,
}


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def card_with(groups: list[dict[str, Any]], evaluation: str = "holdout") -> dict[str, Any]:
    """A card content holding ``groups`` in one evaluation job, validated as the card's."""
    content = {
        "model_overview": {"model_description": "churn model"},
        "evaluation_details": [{"name": evaluation, "metric_groups": groups}],
    }
    return parse_card_content(json.dumps(content), CardFlavour.MODEL_CARD)


def metric_types(groups: list[dict[str, Any]]) -> set[str]:
    return {metric["type"] for group in groups for metric in group["metric_data"]}
