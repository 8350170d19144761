"""The JSON Schema published for each kind of report states what its parser accepts: the
sample reports are valid, every document the schema admits is parsed into metric groups a card
holds (and is a body the REST door takes: storable text, exact integers), and documents the
parser refuses are invalid too."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from cardinal.content.reports import ReportError, parse_report
from cardinal.content.reports.schemas import REPORT_SCHEMAS, standalone
from cardinal.domain.report_kinds import ReportKind
from cardinal.domain.text import unsafe_integer_path, unstorable_path
from tests.unit.reports.schema_documents import reports
from tests.unit.reports.support import FIXTURES, card_with, load

MONITOR_FIXTURES = [name for name, kind in FIXTURES.items() if kind.startswith("model_monitor")]
SAMPLES = [*FIXTURES.items(), *((name, ReportKind.MODEL_MONITOR) for name in MONITOR_FIXTURES)]


def validator(kind: ReportKind) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(standalone(kind))


@pytest.mark.parametrize("kind", list(ReportKind))
def test_each_kind_has_a_described_schema(kind: ReportKind) -> None:
    schema = REPORT_SCHEMAS[kind]
    jsonschema.Draft202012Validator.check_schema(standalone(kind))
    assert schema["title"]
    assert schema["description"]


@pytest.mark.parametrize(("name", "kind"), SAMPLES)
def test_every_sample_report_is_valid(name: str, kind: ReportKind) -> None:
    errors = [error.message for error in validator(kind).iter_errors(load(name))]
    assert errors == []


@pytest.mark.parametrize("kind", list(ReportKind))
def test_every_document_the_schema_admits_is_parsed(kind: ReportKind) -> None:
    valid = validator(kind)

    @settings(
        max_examples=100,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(reports(kind))
    def parsed(document: Any) -> None:
        assert valid.is_valid(document)
        assert unstorable_path(document) is None
        assert unsafe_integer_path(document) is None
        groups = parse_report(document, kind, "generated.json")
        card_with(groups)

    parsed()


REFUSED: list[tuple[ReportKind, Any]] = [
    (ReportKind.MODEL_CARD_METRICS, {"metric_groups": []}),
    (
        ReportKind.MODEL_CARD_METRICS,
        {"metric_groups": [{"name": "g", "metric_data": [{"name": "m", "type": "number"}]}]},
    ),
    (
        ReportKind.MODEL_CARD_METRICS,
        {
            "metric_groups": [
                {"name": "g", "metric_data": [{"name": "m", "type": "string", "value": 1}]}
            ]
        },
    ),
    (ReportKind.CLARIFY_BIAS, {"version": "1.0"}),
    (
        ReportKind.CLARIFY_BIAS,
        {
            "pre_training_bias_metrics": {
                "label": "y",
                "label_value_or_threshold": 1,
                "facets": {"age": [{"value_or_threshold": 1, "metrics": [{"name": "CI"}]}]},
            }
        },
    ),
    (ReportKind.CLARIFY_EXPLAINABILITY, {"explanations": {}}),
    (
        ReportKind.CLARIFY_EXPLAINABILITY,
        {
            "explanations": {
                "pdp": [
                    {
                        "feature_name": "age",
                        "data_type": "numerical",
                        "feature_values": [1, 2],
                        "data_distribution": [0.5],
                        "model_predictions": [[0.1, 0.2]],
                        "label_headers": ["y"],
                    }
                ]
            }
        },
    ),
    (ReportKind.MODEL_MONITOR_REGRESSION, {"binary_classification_metrics": {}}),
    (ReportKind.MODEL_MONITOR_REGRESSION, {"regression_metrics": {"mae": {"value": "high"}}}),
    (
        ReportKind.MODEL_MONITOR_BINARY_CLASSIFICATION,
        {"binary_classification_metrics": {"confusion_matrix": {"0": {"0": 1}, "1": {"1": 2}}}},
    ),
    (
        ReportKind.MODEL_MONITOR_MULTICLASS_CLASSIFICATION,
        {
            "multiclass_classification_metrics": {
                "precision_recall_curve": {"recalls": [0.1, 0.2], "precisions": [0.9]}
            }
        },
    ),
    (ReportKind.MODEL_MONITOR, {"dataset": {"item_count": 4}}),
]


@pytest.mark.parametrize(("kind", "document"), REFUSED)
def test_a_report_the_parser_refuses_is_invalid(kind: ReportKind, document: Any) -> None:
    with pytest.raises(ReportError, match=r"Report refused\.json"):
        parse_report(document, kind, "refused.json")
    assert not validator(kind).is_valid(document)
