"""Clarify explainability reports (SHAP values and partial dependence plots of analysis.json)."""

from __future__ import annotations

from typing import Any

from cardinal.content.reports import parse_report
from cardinal.domain.report_kinds import ReportKind
from tests.unit.reports.support import card_with, load, metric_types


def _metric(name: str, value: Any, metric_type: str = "number") -> dict[str, Any]:
    return {"name": name, "type": metric_type, "value": value}


def test_the_documented_analysis_file() -> None:
    groups = parse_report(
        load("clarify_explainability.analysis.json"), ReportKind.CLARIFY_EXPLAINABILITY, "a.json"
    )
    ages = [20.866666666666667, 24.6, 28.333366666666667, 32.06666666666666]
    animals = ["Cat", "Dog", "Horse", "Bird"]
    assert groups == [
        {
            "name": "explanations - global_shap_values, label=label0",
            "metric_data": [
                _metric("feature_0", 0.022486410860333206),
                _metric("feature_1", 0.007381025261958729),
                _metric("feature_2", 0.006843906804137847),
            ],
        },
        {
            "name": "explanations - global_top_shap_text, label=label0, feature=review_text",
            "metric_data": [
                _metric("charming", 0.04089221769072609),
                _metric("magnificent", 0.03013490694249078),
            ],
        },
        {
            "name": "explanations - pdp",
            "metric_data": [  # the free_text entry, which has an error, gives nothing
                {
                    "name": "data_distribution - feature=Age",
                    "type": "linear_graph",
                    "value": [list(p) for p in zip(ages, [0.05, 0.165, 0.15, 0.095], strict=True)],
                    "x_axis_name": "Age",
                    "y_axis_name": "Data distribution",
                },
                {
                    "name": "model_predictions - feature=Age, label=label0",
                    "type": "linear_graph",
                    "value": [
                        list(p)
                        for p in zip(
                            ages,
                            [
                                0.7029578701406717,
                                0.6787781745567918,
                                0.7008252082392573,
                                0.733054383918643,
                            ],
                            strict=True,
                        )
                    ],
                    "x_axis_name": "Age",
                    "y_axis_name": "label0",
                },
                {
                    "name": "data_distribution - feature=Animal",
                    "type": "bar_chart",
                    "value": [0.1, 0.11, 0.245, 0.06],
                    "x_axis_name": animals,
                    "y_axis_name": "Data distribution",
                },
                {
                    "name": "model_predictions - feature=Animal, label=label0",
                    "type": "bar_chart",
                    "value": [
                        0.8154899527132511,
                        0.787026209384203,
                        0.7409455917775631,
                        0.7098744075372815,
                    ],
                    "x_axis_name": animals,
                    "y_axis_name": "label0",
                },
            ],
        },
    ]
    assert metric_types(groups) == {"number", "linear_graph", "bar_chart"}
    card_with(groups)


def test_a_shap_value_gives_the_metric_type_of_its_json_type() -> None:
    report = {
        "explanations": {
            "kernel_shap": {
                "yes": {
                    "global_shap_values": {
                        "income": 0.2,
                        "segment": "premium",
                        "is_member": True,
                        "unknown": None,
                        "broken": float("nan"),
                    }
                }
            }
        }
    }
    [group] = parse_report(report, ReportKind.CLARIFY_EXPLAINABILITY, "a.json")
    assert group == {
        "name": "explanations - global_shap_values, label=yes",
        "metric_data": [
            _metric("income", 0.2),
            _metric("segment", "premium", "string"),
            _metric("is_member", True, "boolean"),
        ],
    }
    card_with([group])


def test_pdp_for_several_labels_and_numeric_categories() -> None:
    report = {
        "explanations": {
            "pdp": [
                {
                    "feature_name": "plan",
                    "data_type": "categorical",
                    "feature_values": [1, 2],
                    "data_distribution": [0.7, 0.3],
                    "model_predictions": [[0.2, 0.4], [0.8, 0.6]],
                    "label_headers": ["stays", "churns"],
                }
            ]
        }
    }
    [group] = parse_report(report, ReportKind.CLARIFY_EXPLAINABILITY, "a.json")
    assert [(m["name"], m["y_axis_name"], m["value"]) for m in group["metric_data"]] == [
        ("data_distribution - feature=plan", "Data distribution", [0.7, 0.3]),
        ("model_predictions - feature=plan, label=stays", "stays", [0.2, 0.4]),
        ("model_predictions - feature=plan, label=churns", "churns", [0.8, 0.6]),
    ]
    assert {tuple(m["x_axis_name"]) for m in group["metric_data"]} == {("1", "2")}
    card_with([group])
