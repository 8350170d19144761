"""Structured diffs of churn card contents: exactly the changed JSON paths, metric-aware."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from cardinal.content.card_content import CardFlavour, parse_card_content
from cardinal.content.diff import Change, ChangeKind, diff_content, json_equal

ADDED, REMOVED, CHANGED = ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.CHANGED
PACKAGE_ARN = "arn:aws:sagemaker:us-east-1:000000000000:model-package/customer-churn/1"
QUALITY = "$.evaluation_details[0].metric_groups[0]"
CURVES = "$.evaluation_details[0].metric_groups[1]"


def churn_card() -> dict[str, Any]:
    """Version 1 of the churn card, as a data scientist would write it."""
    return {
        "model_overview": {
            "model_description": "Predicts which customers cancel within 90 days.",
            "model_owner": "retention analytics",
            "problem_type": "Binary Classification",
            "algorithm_type": "XGBoost",
            "model_artifact": ["s3://acme-ml/churn/v1/model.tar.gz"],
        },
        "intended_uses": {
            "purpose_of_model": "Rank customers by churn risk for the retention campaign.",
            "intended_uses": "Weekly batch scoring.",
            "risk_rating": "Medium",
        },
        "business_details": {
            "business_problem": "Reduce churn of subscription customers.",
            "business_stakeholders": "Retention marketing",
        },
        "training_details": {
            "training_job_details": {
                "training_metrics": [
                    {"name": "train:logloss", "value": 0.21},
                    {"name": "validation:logloss", "value": 0.25},
                ],
                "hyper_parameters": [
                    {"name": "max_depth", "value": "6"},
                    {"name": "eta", "value": "0.2"},
                ],
            }
        },
        "evaluation_details": [
            {
                "name": "holdout-2024-05",
                "evaluation_observation": "Stable across regions.",
                "datasets": ["s3://acme-ml/churn/holdout.csv"],
                "metric_groups": [
                    {
                        "name": "binary classification metrics",
                        "metric_data": [
                            {"name": "accuracy", "type": "number", "value": 0.91},
                            {"name": "auc", "type": "number", "value": 0.88},
                            {
                                "name": "confusion matrix",
                                "type": "matrix",
                                "value": [[812, 41], [57, 290]],
                                "x_axis_name": ["stays", "churns"],
                                "y_axis_name": ["stays", "churns"],
                            },
                        ],
                    },
                    {
                        "name": "curves",
                        "metric_data": [
                            {
                                "name": "roc",
                                "type": "linear_graph",
                                "value": [[0.0, 0.0], [0.1, 0.7], [1.0, 1.0]],
                                "x_axis_name": "false positive rate",
                                "y_axis_name": "true positive rate",
                            },
                            {
                                "name": "churn by tenure",
                                "type": "bar_chart",
                                "value": [0.31, 0.12, 0.05],
                                "x_axis_name": ["<1y", "1-3y", ">3y"],
                            },
                        ],
                    },
                ],
            }
        ],
        "additional_information": {
            "ethical_considerations": "No protected attributes are used as features.",
            "caveats_and_recommendations": "Retrain quarterly; scores drift after price changes.",
        },
        "model_package_details": {
            "model_package_arn": PACKAGE_ARN,
            "model_package_group_name": "customer-churn",
            "model_approval_status": "Approved",
        },
    }


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[ChangeKind, str]]:
    return [(change.kind, change.path) for change in diff_content(old, new).changes]


def _metrics(card: dict[str, Any], group: int) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = card["evaluation_details"][0]["metric_groups"][group][
        "metric_data"
    ]
    return data


@pytest.fixture
def v1() -> dict[str, Any]:
    return churn_card()


@pytest.fixture
def v2(v1: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(v1)


def test_the_churn_card_is_valid_content(v1: dict[str, Any]) -> None:
    assert parse_card_content(json.dumps(v1), CardFlavour.MODEL_CARD) == v1


def test_identical_documents_have_an_empty_diff(v1: dict[str, Any], v2: dict[str, Any]) -> None:
    diff = diff_content(v1, v2)
    assert diff.is_empty
    assert diff.to_dict() == {"changes": []}
    assert diff_content({}, {}).is_empty


def test_a_risk_rating_change_is_one_change_with_both_values(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    v2["intended_uses"]["risk_rating"] = "High"
    assert diff_content(v1, v2).changes == (
        Change("$.intended_uses.risk_rating", CHANGED, "Medium", "High"),
    )


def test_an_added_business_field(v1: dict[str, Any], v2: dict[str, Any]) -> None:
    v2["business_details"]["line_of_business"] = "Retail"
    assert diff_content(v1, v2).changes == (
        Change("$.business_details.line_of_business", ADDED, new="Retail"),
    )


def test_a_removed_caveat(v1: dict[str, Any], v2: dict[str, Any]) -> None:
    caveat = v2["additional_information"].pop("caveats_and_recommendations")
    assert diff_content(v1, v2).changes == (
        Change("$.additional_information.caveats_and_recommendations", REMOVED, old=caveat),
    )


def test_an_added_section_is_one_change(v1: dict[str, Any], v2: dict[str, Any]) -> None:
    section = v1.pop("business_details")
    assert diff_content(v1, v2).changes == (Change("$.business_details", ADDED, new=section),)


def test_a_metric_value_change_is_exactly_one_change(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    _metrics(v2, 0)[1]["value"] = 0.9
    assert diff_content(v1, v2).changes == (
        Change(f"{QUALITY}.metric_data[1].value", CHANGED, 0.88, 0.9),
    )


def test_a_matrix_value_change_is_one_change_of_the_whole_matrix(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    _metrics(v2, 0)[2]["value"] = [[820, 33], [49, 298]]
    assert diff_content(v1, v2).changes == (
        Change(
            f"{QUALITY}.metric_data[2].value",
            CHANGED,
            [[812, 41], [57, 290]],
            [[820, 33], [49, 298]],
        ),
    )


@pytest.mark.parametrize(
    ("group", "index", "value"),
    [(1, 0, [[0.0, 0.0], [0.2, 0.8], [1.0, 1.0]]), (1, 1, [0.31, 0.12, 0.06])],
    ids=["linear_graph", "bar_chart"],
)
def test_a_graph_value_change_is_one_change(
    v1: dict[str, Any], v2: dict[str, Any], group: int, index: int, value: list[Any]
) -> None:
    _metrics(v2, group)[index]["value"] = value
    assert _changes(v1, v2) == [(CHANGED, f"{CURVES}.metric_data[{index}].value")]


def test_a_metric_that_changes_type_and_value_is_one_change_of_the_metric(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    old = copy.deepcopy(_metrics(v1, 0)[1])
    _metrics(v2, 0)[1].update(type="string", value="0.88 (+/- 0.01)", notes="From 5 folds.")
    assert diff_content(v1, v2).changes == (
        Change(f"{QUALITY}.metric_data[1]", CHANGED, old, _metrics(v2, 0)[1]),
    )


def test_metric_notes_and_axis_names_are_fields_of_their_own(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    _metrics(v2, 0)[2]["x_axis_name"] = ["stayed", "churned"]
    _metrics(v2, 0)[0]["notes"] = "On 1,200 customers."
    assert _changes(v1, v2) == [
        (ADDED, f"{QUALITY}.metric_data[0].notes"),
        (CHANGED, f"{QUALITY}.metric_data[2].x_axis_name"),
    ]


def test_an_added_metric_is_one_change_at_its_new_position(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    f1 = {"name": "f1", "type": "number", "value": 0.84}
    _metrics(v2, 0).insert(2, f1)
    assert diff_content(v1, v2).changes == (Change(f"{QUALITY}.metric_data[2]", ADDED, new=f1),)


def test_a_removed_metric_is_one_change_at_its_old_position(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    auc = _metrics(v2, 0).pop(1)
    _metrics(v2, 0)[1]["value"] = [[1, 2], [3, 4]]
    assert _changes(v1, v2) == [
        (REMOVED, f"{QUALITY}.metric_data[1]"),
        (CHANGED, f"{QUALITY}.metric_data[1].value"),
    ]
    assert diff_content(v1, v2).changes[0].old == auc


def test_a_renamed_metric_group_is_one_removal_and_one_addition(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    v2["evaluation_details"][0]["metric_groups"][1]["name"] = "curves and charts"
    assert _changes(v1, v2) == [(REMOVED, CURVES), (ADDED, CURVES)]


def test_an_added_evaluation_job_is_one_change(v1: dict[str, Any], v2: dict[str, Any]) -> None:
    job = {"name": "holdout-2024-06", "metric_groups": []}
    v2["evaluation_details"].append(job)
    assert diff_content(v1, v2).changes == (Change("$.evaluation_details[1]", ADDED, new=job),)


def test_named_items_are_matched_by_name_and_paths_use_new_positions(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    groups = v2["evaluation_details"][0]["metric_groups"]
    groups.reverse()
    _metrics(v2, 0).reverse()  # the curves, now first
    _metrics(v2, 1).reverse()  # the quality metrics, the confusion matrix now first
    assert diff_content(v1, v2).is_empty
    _metrics(v2, 1)[0]["value"] = [[800, 53], [57, 290]]
    assert _changes(v1, v2) == [
        (CHANGED, "$.evaluation_details[0].metric_groups[1].metric_data[0].value")
    ]


def test_training_metrics_and_hyper_parameters_are_matched_by_name(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    job = v2["training_details"]["training_job_details"]
    job["training_metrics"].reverse()
    job["training_metrics"][0]["value"] = 0.24
    job["hyper_parameters"].append({"name": "subsample", "value": "0.8"})
    base = "$.training_details.training_job_details"
    assert diff_content(v1, v2).changes == (
        Change(f"{base}.training_metrics[0].value", CHANGED, 0.25, 0.24),
        Change(f"{base}.hyper_parameters[2]", ADDED, new={"name": "subsample", "value": "0.8"}),
    )


def test_a_changed_list_of_strings_is_one_change(v1: dict[str, Any], v2: dict[str, Any]) -> None:
    v2["model_overview"]["model_artifact"].append("s3://acme-ml/churn/v1/extra.tar.gz")
    v2["evaluation_details"][0]["datasets"] = []
    assert _changes(v1, v2) == [
        (CHANGED, "$.model_overview.model_artifact"),
        (CHANGED, "$.evaluation_details[0].datasets"),
    ]


def test_lists_with_duplicate_names_are_compared_as_whole_values(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    job = v2["training_details"]["training_job_details"]
    job["hyper_parameters"] = [{"name": "eta", "value": "0.1"}, {"name": "eta", "value": "0.2"}]
    assert _changes(v1, v2) == [
        (CHANGED, "$.training_details.training_job_details.hyper_parameters")
    ]


def test_changes_follow_the_new_document_with_removals_where_they_were(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    del v2["model_overview"]["model_owner"]
    v2["model_overview"]["model_creator"] = "data science"
    v2["intended_uses"]["risk_rating"] = "High"
    del v2["business_details"]
    v2["model_package_details"]["model_approval_status"] = "Rejected"
    assert _changes(v1, v2) == [
        (REMOVED, "$.model_overview.model_owner"),
        (ADDED, "$.model_overview.model_creator"),
        (CHANGED, "$.intended_uses.risk_rating"),
        (REMOVED, "$.business_details"),
        (CHANGED, "$.model_package_details.model_approval_status"),
    ]


def test_numbers_are_compared_as_json_numbers() -> None:
    assert json_equal(1, 1.0)
    assert json_equal([1, {"a": 2}], [1.0, {"a": 2.0}])
    assert not json_equal(True, 1)
    assert not json_equal(0, False)
    assert not json_equal(1, "1")
    assert not json_equal(None, 0)
    one = {"model_overview": {"model_version": 1}}
    assert diff_content(one, {"model_overview": {"model_version": 1.0}}).is_empty
    assert _changes({"x": True}, {"x": 1}) == [(CHANGED, "$.x")]


def test_a_value_of_another_json_type_is_one_change() -> None:
    assert diff_content({"a": {"b": 1}}, {"a": [1]}).changes == (
        Change("$.a", CHANGED, {"b": 1}, [1]),
    )


def test_keys_that_are_not_identifiers_are_bracketed() -> None:
    old = {"additional_information": {"custom_details": {"data-owner": "x", "it's": "a"}}}
    new = {"additional_information": {"custom_details": {"data-owner": "y"}}}
    assert _changes(old, new) == [
        (CHANGED, "$.additional_information.custom_details['data-owner']"),
        (REMOVED, "$.additional_information.custom_details['it\\'s']"),
    ]


def test_the_json_form_leaves_out_the_side_that_does_not_exist(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    v2["intended_uses"]["risk_rating"] = "High"
    v2["business_details"]["line_of_business"] = "Retail"
    del v2["additional_information"]["caveats_and_recommendations"]
    shaped = diff_content(v1, v2).to_dict()
    assert json.loads(json.dumps(shaped)) == {
        "changes": [
            {
                "path": "$.intended_uses.risk_rating",
                "kind": "changed",
                "old": "Medium",
                "new": "High",
            },
            {"path": "$.business_details.line_of_business", "kind": "added", "new": "Retail"},
            {
                "path": "$.additional_information.caveats_and_recommendations",
                "kind": "removed",
                "old": "Retrain quarterly; scores drift after price changes.",
            },
        ]
    }
