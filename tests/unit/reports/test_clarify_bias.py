"""Clarify bias reports: AWS's documented analysis.json, and bias metrics computed by smclarify
(the bias library the Clarify processing container runs) in the documented layout."""

from __future__ import annotations

import json
import math
import os
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from cardinal.content.reports import ReportError, parse_report
from cardinal.domain.report_kinds import ReportKind
from tests.unit.reports.support import card_with, load

PRE = "pre_training_bias_metrics"
POST = "post_training_bias_metrics"


def _number(name: str, value: float) -> dict[str, Any]:
    return {"name": name, "type": "number", "value": value}


def test_the_documented_analysis_file() -> None:
    groups = parse_report(load("clarify_bias.analysis.json"), ReportKind.CLARIFY_BIAS, "a.json")
    assert groups == [
        {
            "name": f"{PRE} - label target = 1 and facet feature_2=1",
            "metric_data": [  # CDDL has "value": null and an error: left out, as the SDK does
                _number("CI", 0.3),
                _number("DPL", 0.1254),
                _number("JS", 0.0080),
                _number("KL", 0.0315),
                _number("KS", 0.1254),
                _number("LP", 0.1773),
                _number("TVD", 0.1254),
            ],
        },
        {
            "name": f"{PRE} - label target = 1 and facet age=(40.0, 90.0]",
            "metric_data": [_number("CI", -0.12), _number("DPL", 0.041)],
        },
        {
            "name": f"{POST} - label target = 1 and facet feature_2=1",
            "metric_data": [
                _number("DI", 0.711340206185567),
                _number("DCR", -0.34782608695652184),
            ],
        },
    ]
    card_with(groups)


def _smclarify() -> ModuleType:
    if os.environ.get("CI") == "true":
        import smclarify.bias.report as report  # a dev dependency: CI must have it

        return report
    return pytest.importorskip("smclarify.bias.report")


def _smclarify_analysis() -> dict[str, Any]:
    """analysis.json of a Clarify bias job, its metrics computed by smclarify."""
    import pandas as pd
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    report = _smclarify()
    x, y = make_classification(n_samples=400, n_features=5, random_state=5, flip_y=0.05)
    rng = np.random.default_rng(9)
    frame = pd.DataFrame(
        {
            "gender": (x[:, 0] + rng.normal(0, 1, len(y)) > 0).astype(int),
            "age": rng.integers(18, 90, len(y)),
            "target": y,
            "predicted": LogisticRegression().fit(x, y).predict(x),
        }
    )
    label = report.LabelColumn("target", frame["target"], [1])
    predicted = report.LabelColumn("predicted", frame["predicted"], [1])
    facets = {"gender": report.FacetColumn("gender", [0]), "age": report.FacetColumn("age", [40])}
    sections: dict[str, Any] = {}
    for section, stage in (
        (PRE, report.StageType.PRE_TRAINING),
        (POST, report.StageType.POST_TRAINING),
    ):
        sections[section] = {
            "label": "target",
            "label_value_or_threshold": report.label_value_or_threshold(frame["target"], [1]),
            "facets": {
                name: report.bias_report(
                    frame, facet, label, stage, predicted_label_column=predicted, metrics=["all"]
                )
                for name, facet in facets.items()
            },
        }
    # Written as Clarify writes it: Python's json, NaN literals and all.
    return json.loads(json.dumps({"version": "1.0", **sections}))


def _computed(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def test_bias_metrics_computed_by_smclarify() -> None:
    analysis = _smclarify_analysis()
    groups = parse_report(analysis, ReportKind.CLARIFY_BIAS, "analysis.json")
    expected: list[dict[str, Any]] = []
    left_out = []
    for section in (PRE, POST):
        body = analysis[section]
        for facet, items in body["facets"].items():
            for item in items:
                name = (
                    f"{section} - label target = {body['label_value_or_threshold']} and "
                    f"facet {facet}={item['value_or_threshold']}"
                )
                metrics = [
                    _number(m["name"], m["value"]) for m in item["metrics"] if _computed(m["value"])
                ]
                left_out += [m["name"] for m in item["metrics"] if not _computed(m["value"])]
                expected.append({"name": name, "metric_data": metrics})
    assert groups == expected
    assert [g["name"] for g in groups] == [
        f"{PRE} - label target = 1 and facet gender=0",
        f"{PRE} - label target = 1 and facet age=(40, 89]",
        f"{POST} - label target = 1 and facet gender=0",
        f"{POST} - label target = 1 and facet age=(40, 89]",
    ]
    names = {m["name"] for g in groups for m in g["metric_data"]}
    assert {"CI", "DPL", "KL", "JS", "DI", "DPPL", "AD", "RD"} <= names
    # smclarify writes null (with an error) for the conditional disparity metrics without a
    # group variable; those are the metrics left out.
    assert set(left_out) >= {"CDDL", "CDDPL"}
    card_with(groups)


def test_values_smclarify_writes_for_infinite_metrics_are_left_out() -> None:
    report = {
        POST: {
            "label": "target",
            "label_value_or_threshold": "1",
            "facets": {
                "gender": [
                    {
                        "value_or_threshold": "0",
                        "metrics": [
                            {
                                "name": "TE",
                                "description": "Treatment Equality",
                                "value": "-Infinity",
                            },
                            {
                                "name": "DI",
                                "description": "Disparate Impact",
                                "value": float("nan"),
                            },
                            {
                                "name": "DCA",
                                "description": "Difference in Conditional Acceptance",
                                "value": 1,
                            },
                        ],
                    }
                ]
            },
        }
    }
    [group] = parse_report(report, ReportKind.CLARIFY_BIAS, "a.json")
    assert group["metric_data"] == [_number("DCA", 1)]


def test_label_values_are_printed_as_the_sdk_prints_them() -> None:
    report = {
        PRE: {
            "label": "score",
            "label_value_or_threshold": [1, 2],
            "facets": {
                "age": [{"value_or_threshold": 40.5, "metrics": [{"name": "CI", "value": 0.1}]}]
            },
        }
    }
    [group] = parse_report(report, ReportKind.CLARIFY_BIAS, "a.json")
    assert group["name"] == f"{PRE} - label score = [1, 2] and facet age=40.5"


def test_a_combined_analysis_file_gives_bias_and_explanations_to_their_own_kinds() -> None:
    combined = {
        **load("clarify_bias.analysis.json"),
        **load("clarify_explainability.analysis.json"),
    }
    bias = parse_report(combined, ReportKind.CLARIFY_BIAS, "a.json")
    assert bias == parse_report(load("clarify_bias.analysis.json"), ReportKind.CLARIFY_BIAS, "a")
    explanations = parse_report(combined, ReportKind.CLARIFY_EXPLAINABILITY, "a.json")
    assert [g["name"] for g in explanations][-1] == "explanations - pdp"


def test_a_file_without_bias_sections_is_refused() -> None:
    with pytest.raises(ReportError, match=r"Report e\.json at \$: expected a bias section"):
        parse_report(
            load("clarify_explainability.analysis.json"), ReportKind.CLARIFY_BIAS, "e.json"
        )
