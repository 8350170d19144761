"""Card content parsing and validation against the two schema flavours, with exact JSON paths."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cardinal.content.card_content import (
    MAX_CONTENT_CHARS,
    CardFacts,
    CardFlavour,
    card_facts,
    metadata_only,
    parse_card_content,
)
from cardinal.domain.errors import InvalidInput

REGION_ACCOUNT = "us-east-1:123456789012"
MODEL_ARN = f"arn:aws:sagemaker:{REGION_ACCOUNT}:model/churn-xgb-2024-05-01"
PACKAGE_ARN = f"arn:aws:sagemaker:{REGION_ACCOUNT}:model-package/churn-models/3"
XGBOOST_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
ARTIFACT = "s3://acme-ml/churn/output/churn-xgb-2024-05-01/output/model.tar.gz"


def sdk_full_card() -> dict[str, Any]:
    """A card as the v2 SDK writes it from ModelOverview.from_model_name and friends."""
    return {
        "model_overview": {
            "model_id": MODEL_ARN,
            "model_name": "churn-xgb-2024-05-01",
            "model_description": "Predicts customer churn within 90 days.",
            "model_version": 1,
            "problem_type": "Binary Classification",
            "algorithm_type": "XGBoost",
            "model_creator": "data-science@acme.example",
            "model_owner": "churn team",
            "model_artifact": [ARTIFACT],
            "inference_environment": {"container_image": [XGBOOST_IMAGE]},
        },
        "intended_uses": {
            "purpose_of_model": "Rank customers by churn risk for the retention campaign.",
            "intended_uses": "Batch scoring once a week.",
            "factors_affecting_model_efficiency": "Seasonality; new product launches.",
            "risk_rating": "Low",
            "explanations_for_risk_rating": "Used for outreach only, no automated decisions.",
        },
        "business_details": {
            "business_problem": "Reduce churn.",
            "business_stakeholders": "Retention marketing",
            "line_of_business": "Consumer",
        },
        "training_details": {
            "objective_function": {
                "function": {"function": "Minimize", "facet": "Loss", "condition": "logloss"},
                "notes": "Early stopping after 10 rounds.",
            },
            "training_observations": "Converged after 212 rounds.",
            "training_job_details": {
                "training_arn": f"arn:aws:sagemaker:{REGION_ACCOUNT}:training-job/churn-xgb",
                "training_datasets": ["s3://acme-ml/churn/train/"],
                "training_environment": {"container_image": [XGBOOST_IMAGE]},
                "training_metrics": [
                    {"name": "train:logloss", "value": 0.2134},
                    {"name": "validation:auc", "value": 0.91, "notes": "final round"},
                ],
                "user_provided_training_metrics": [],
                "hyper_parameters": [
                    {"name": "max_depth", "value": "6"},
                    {"name": "eta", "value": "0.2"},
                ],
                "user_provided_hyper_parameters": [],
            },
        },
        "evaluation_details": [
            {
                "name": "holdout-2024-05",
                "evaluation_observation": "Stable across regions.",
                "evaluation_job_arn": f"arn:aws:sagemaker:{REGION_ACCOUNT}:processing-job/eval",
                "datasets": ["s3://acme-ml/churn/test/"],
                "metadata": {"evaluated_by": "ci", "commit": "4f2a9c1"},
                "metric_groups": [
                    {
                        "name": "binary classification",
                        "metric_data": [
                            {"name": "auc", "type": "number", "value": 0.93},
                            {"name": "threshold", "type": "string", "value": "0.5 (default)"},
                            {"name": "calibrated", "type": "boolean", "value": True},
                            {
                                "name": "roc",
                                "type": "linear_graph",
                                "value": [[0.0, 0.0], [0.1, 0.62], [1.0, 1.0]],
                                "x_axis_name": "false_positive_rates",
                                "y_axis_name": "true_positive_rates",
                            },
                            {
                                "name": "feature importance",
                                "type": "bar_chart",
                                "value": [0.41, 0.33, 0.26],
                                "x_axis_name": ["tenure", "plan", "support_calls"],
                                "y_axis_name": "importance",
                            },
                            {
                                "name": "confusion matrix",
                                "type": "matrix",
                                "value": [[812, 41], [37, 110]],
                                "x_axis_name": ["predicted stay", "predicted churn"],
                                "y_axis_name": ["actual stay", "actual churn"],
                                "notes": "threshold 0.5",
                            },
                        ],
                    }
                ],
            }
        ],
        "additional_information": {
            "ethical_considerations": "No protected attributes used as features.",
            "caveats_and_recommendations": "Retrain quarterly.",
            "custom_details": {"ticket": "ML-1234", "reviewed_by": "risk office"},
        },
    }


def sdk_model_package_card() -> dict[str, Any]:
    """A card as the v2 SDK writes it with model_package_details (ModelPackage.from_*)."""
    return {
        "model_overview": {"model_artifact": []},
        "intended_uses": {"risk_rating": "Unknown"},
        "training_details": {
            "training_job_details": {
                "training_datasets": [],
                "training_metrics": [],
                "user_provided_training_metrics": [],
                "hyper_parameters": [],
                "user_provided_hyper_parameters": [],
            }
        },
        "evaluation_details": [{"name": "empty", "datasets": [], "metric_groups": []}],
        "model_package_details": {
            "model_package_arn": PACKAGE_ARN,
            "model_package_description": "weekly retrain",
            "model_package_group_name": "churn-models",
            "model_package_name": "churn-models",
            "model_package_status": "Completed",
            "model_approval_status": "PendingManualApproval",
            "approval_description": "",
            "model_package_version": 3,
            "created_by": {"user_profile_name": "alice"},
            "source_algorithms": [],
            "inference_specification": {
                "containers": [{"image": XGBOOST_IMAGE, "model_data_url": ARTIFACT}]
            },
        },
    }


def sdk_package_embedded_card() -> dict[str, Any]:
    """ModelPackageModelCard content as the v2 SDK sends it in CreateModelPackage."""
    return {
        "model_overview": {"model_creator": "alice", "model_artifact": []},
        "intended_uses": {"risk_rating": "High"},
    }


def parse(document: Any, flavour: CardFlavour = CardFlavour.MODEL_CARD) -> dict[str, Any]:
    return parse_card_content(json.dumps(document), flavour)


def refusal(text: str, flavour: CardFlavour = CardFlavour.MODEL_CARD) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_card_content(text, flavour)
    return caught.value


def metric_card(*metrics: dict[str, Any]) -> dict[str, Any]:
    return {
        "evaluation_details": [
            {
                "name": "eval",
                "metric_groups": [
                    {"name": "first", "metric_data": [{"name": "n", "type": "number", "value": 1}]},
                    {"name": "second", "metric_data": list(metrics)},
                ],
            }
        ]
    }


SECOND_GROUP_METRIC = "$.evaluation_details[0].metric_groups[1].metric_data[0]"


# --- accepted content -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "flavour"),
    [
        pytest.param(sdk_full_card(), CardFlavour.MODEL_CARD, id="full-card"),
        pytest.param(sdk_model_package_card(), CardFlavour.MODEL_CARD, id="package-details"),
        pytest.param(sdk_package_embedded_card(), CardFlavour.MODEL_CARD, id="embedded-as-card"),
        pytest.param(sdk_package_embedded_card(), CardFlavour.MODEL_PACKAGE, id="embedded"),
        pytest.param({}, CardFlavour.MODEL_CARD, id="empty-card"),
        pytest.param({}, CardFlavour.MODEL_PACKAGE, id="empty-embedded"),
    ],
)
def test_sdk_content_is_accepted_and_returned_as_parsed(
    document: dict[str, Any], flavour: CardFlavour
) -> None:
    text = json.dumps(document)
    assert parse_card_content(text, flavour) == document


def test_model_package_flavour_accepts_every_section_but_the_model_ids() -> None:
    card = sdk_full_card()
    card["model_overview"] = {"model_creator": "alice", "model_artifact": [ARTIFACT]}
    assert parse(card, CardFlavour.MODEL_PACKAGE) == card


def test_content_of_exactly_the_limit_is_accepted() -> None:
    text = "{}" + " " * (MAX_CONTENT_CHARS - 2)
    assert parse_card_content(text, CardFlavour.MODEL_CARD) == {}


def test_draft07_leaves_objective_function_and_source_algorithm_counts_unchecked() -> None:
    card = sdk_model_package_card()
    card["training_details"]["objective_function"] = {"function": "anything", "extra": [1]}
    card["model_package_details"]["source_algorithms"] = [
        {"algorithm_name": "a"},
        {"algorithm_name": "b"},
    ]
    assert parse(card) == card


def test_hyper_parameter_value_is_optional_on_a_card_but_required_in_a_package() -> None:
    card = {"training_details": {"training_job_details": {"hyper_parameters": [{"name": "eta"}]}}}
    assert parse(card) == card
    error = refusal(json.dumps(card), CardFlavour.MODEL_PACKAGE)
    assert error.path == "$.training_details.training_job_details.hyper_parameters[0].value"


@pytest.mark.parametrize(
    ("steps", "limit", "item"),
    [
        (("model_overview", "model_artifact"), 15, ARTIFACT),
        (("model_overview", "inference_environment", "container_image"), 15, XGBOOST_IMAGE),
        (("training_details", "training_job_details", "training_datasets"), 15, "s3://d/"),
        (
            ("training_details", "training_job_details", "training_environment", "container_image"),
            15,
            XGBOOST_IMAGE,
        ),
        (
            ("training_details", "training_job_details", "user_provided_training_metrics"),
            50,
            {"name": "m", "value": 1},
        ),
        (
            ("training_details", "training_job_details", "training_metrics"),
            50,
            {"name": "m", "value": 1},
        ),
        (
            ("training_details", "training_job_details", "hyper_parameters"),
            100,
            {"name": "p", "value": "1"},
        ),
        (
            ("training_details", "training_job_details", "user_provided_hyper_parameters"),
            100,
            {"name": "p", "value": "1"},
        ),
    ],
)
def test_cloudformation_array_limits(steps: tuple[str, ...], limit: int, item: Any) -> None:
    def card_with(count: int) -> dict[str, Any]:
        node: Any = [item] * count
        for step in reversed(steps):
            node = {step: node}
        return node

    assert parse(card_with(limit)) == card_with(limit)
    error = refusal(json.dumps(card_with(limit + 1)))
    assert error.path == "$." + ".".join(steps)
    assert f"{limit + 1} items is more than the limit of {limit}" in error.message


def test_array_limits_hold_for_the_embedded_package_card_too() -> None:
    card = {"model_overview": {"model_artifact": [ARTIFACT] * 16}}
    error = refusal(json.dumps(card), CardFlavour.MODEL_PACKAGE)
    assert error.path == "$.model_overview.model_artifact"


# --- refused content: schema ------------------------------------------------------------------


def test_bad_risk_rating_names_the_field_and_the_rule() -> None:
    error = refusal(json.dumps({"intended_uses": {"risk_rating": "Extreme"}}))
    assert error.path == "$.intended_uses.risk_rating"
    assert error.message == (
        "Invalid model card content at $.intended_uses.risk_rating: "
        "'Extreme' is not one of ['High', 'Medium', 'Low', 'Unknown']"
    )


@pytest.mark.parametrize(
    ("document", "flavour", "path"),
    [
        pytest.param({"model_cards": {}}, CardFlavour.MODEL_CARD, "$.model_cards", id="top-level"),
        pytest.param(
            {"model_overview": {"model_name": "m", "model_nickname": "x"}},
            CardFlavour.MODEL_CARD,
            "$.model_overview.model_nickname",
            id="nested",
        ),
        pytest.param(
            {"model_overview": {"model_id": MODEL_ARN}},
            CardFlavour.MODEL_PACKAGE,
            "$.model_overview.model_id",
            id="package-model-id",
        ),
        pytest.param(
            sdk_model_package_card(),
            CardFlavour.MODEL_PACKAGE,
            "$.model_package_details",
            id="package-details-in-package",
        ),
        pytest.param(
            {"model_package_details": {"created_by": {"user_profile_name": "a", "user": "b"}}},
            CardFlavour.MODEL_CARD,
            "$.model_package_details.created_by.user",
            id="created-by",
        ),
    ],
)
def test_unknown_field_is_refused_at_its_own_path(
    document: dict[str, Any], flavour: CardFlavour, path: str
) -> None:
    error = refusal(json.dumps(document), flavour)
    assert error.path == path
    assert f"unknown field '{path.rsplit('.', 1)[1]}'" in error.message


def test_unknown_field_message_lists_what_is_allowed() -> None:
    error = refusal(json.dumps({"model_overview": {"model_id": "m"}}), CardFlavour.MODEL_PACKAGE)
    assert error.message == (
        "Invalid model card content at $.model_overview.model_id: "
        "unknown field 'model_id'; allowed here: model_creator, model_artifact"
    )


def test_evaluation_without_name_points_at_the_missing_name() -> None:
    card = sdk_full_card()
    del card["evaluation_details"][0]["name"]
    error = refusal(json.dumps(card))
    assert error.path == "$.evaluation_details[0].name"
    assert "'name' is a required property" in error.message


@pytest.mark.parametrize(
    ("metric", "path", "expected"),
    [
        pytest.param(
            {"name": "auc", "type": "number", "value": "0.93"},
            f"{SECOND_GROUP_METRIC}.value",
            "the value of a 'number' metric must be a number ('0.93' is not of type 'number')",
            id="number-holding-string",
        ),
        pytest.param(
            {"name": "ok", "type": "boolean", "value": 1},
            f"{SECOND_GROUP_METRIC}.value",
            "the value of a 'boolean' metric must be true or false",
            id="boolean-holding-number",
        ),
        pytest.param(
            {"name": "cm", "type": "matrix", "value": [[1, 2], ["a", "b"]]},
            f"{SECOND_GROUP_METRIC}.value",
            "the value of a 'matrix' metric must be an array of 1 to 20 rows, each an array of "
            f"1 to 20 numbers ('a' is not of type 'number' at {SECOND_GROUP_METRIC}.value[1][0])",
            id="matrix-of-strings",
        ),
        pytest.param(
            {"name": "fi", "type": "bar_chart", "value": []},
            f"{SECOND_GROUP_METRIC}.value",
            "the value of a 'bar_chart' metric must be a non-empty array of numbers",
            id="bar-chart-empty",
        ),
        pytest.param(
            {"name": "roc", "type": "linear_graph", "value": [[0.1, 0.2, 0.3]]},
            f"{SECOND_GROUP_METRIC}.value",
            "the value of a 'linear_graph' metric must be a non-empty array of [x, y] pairs",
            id="linear-graph-triple",
        ),
        pytest.param(
            {"name": "pie", "type": "pie_chart", "value": [1]},
            f"{SECOND_GROUP_METRIC}.type",
            "'pie_chart' is not one of ['number', 'string', 'boolean', 'linear_graph', "
            "'bar_chart', 'matrix']",
            id="unknown-type",
        ),
        pytest.param(
            {"name": "auc", "value": 0.9},
            f"{SECOND_GROUP_METRIC}.type",
            "'type' is a required property",
            id="no-type",
        ),
        pytest.param(
            {"name": "auc", "type": "number", "value": 0.9, "x_axis_name": ["a"]},
            f"{SECOND_GROUP_METRIC}.x_axis_name",
            "['a'] is not of type 'string'",
            id="axis-of-wrong-shape",
        ),
        pytest.param(
            {"name": "auc", "type": "number", "value": 0.9, "unit": "%"},
            f"{SECOND_GROUP_METRIC}.unit",
            "unknown field 'unit'",
            id="unknown-metric-field",
        ),
    ],
)
def test_metric_errors_name_the_declared_type(
    metric: dict[str, Any], path: str, expected: str
) -> None:
    error = refusal(json.dumps(metric_card(metric)))
    assert error.path == path
    assert error.message.startswith(f"Invalid model card content at {path}: ")
    assert expected in error.message


def test_non_identifier_keys_are_quoted_in_the_path() -> None:
    card = {"additional_information": {"custom_details": {"approved by": 7}}}
    error = refusal(json.dumps(card))
    assert error.path == "$.additional_information.custom_details['approved by']"


def test_long_values_are_not_echoed_back() -> None:
    error = refusal(json.dumps({"model_overview": {"model_name": "x" * 5000}}))
    assert error.path == "$.model_overview.model_name"
    assert "5,000 characters is longer than the limit of 1,024" in error.message
    assert len(error.message) < 200


def test_of_several_errors_the_shallowest_is_reported_every_time() -> None:
    card = sdk_full_card()
    card["intended_uses"]["risk_rating"] = "Extreme"
    card["evaluation_details"][0]["metric_groups"][0]["metric_data"][0]["value"] = "high"
    card["zzz"] = 1
    paths = {refusal(json.dumps(card)).path for _ in range(3)}
    assert paths == {"$.zzz"}


# --- refused content: text --------------------------------------------------------------------


def test_content_over_the_limit_is_refused_with_both_lengths() -> None:
    text = "{}" + " " * (MAX_CONTENT_CHARS - 1)
    assert len(text) == 100_001
    error = refusal(text)
    assert error.path == "$"
    assert "100,001" in error.message
    assert "100,000" in error.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('{"model_overview": {', "not valid JSON: Expecting", id="truncated"),
        pytest.param("", "not valid JSON: Expecting value at line 1 column 1", id="empty"),
        pytest.param('{"a": 1,\n "b": }', "at line 2 column 7", id="position"),
        pytest.param("[]", "must be a JSON object, not a JSON array", id="array"),
        pytest.param('"card"', "must be a JSON object, not a JSON string", id="string"),
        pytest.param("null", "must be a JSON object, not a JSON null", id="null"),
        pytest.param('{"intended_uses": {}, "intended_uses": {}}', "duplicate key", id="dup"),
        pytest.param(
            '{"intended_uses": {"risk_rating": "Low", "risk_rating": "High"}}',
            "duplicate key 'risk_rating'",
            id="nested-dup",
        ),
        pytest.param(
            '{"evaluation_details": [{"name": "e", "metadata": {"a": "1", "a": "2"}}]}',
            "duplicate key 'a'",
            id="dup-in-array",
        ),
        pytest.param('{"x": NaN}', "NaN is not a JSON number", id="nan"),
        pytest.param('{"x": -Infinity}', "-Infinity is not a JSON number", id="minus-infinity"),
        pytest.param('{"x": 1e999}', "out of the range of a double", id="overflow"),
        pytest.param("[" * 50_000, "nested too deeply", id="deep"),
    ],
)
def test_text_that_is_not_a_json_object_is_refused_at_the_root(text: str, expected: str) -> None:
    error = refusal(text)
    assert error.path == "$"
    assert expected in error.message


def test_metric_value_nan_is_refused_before_schema_checks() -> None:
    text = json.dumps(metric_card({"name": "auc", "type": "number", "value": float("nan")}))
    assert "NaN" in text
    assert refusal(text).path == "$"


def test_lone_surrogate_is_refused_at_its_path() -> None:
    text = '{"additional_information": {"custom_details": {"note": "bad \\ud800 text"}}}'
    error = refusal(text)
    assert error.path == "$.additional_information.custom_details.note"


@pytest.mark.parametrize(
    ("content", "path"),
    [
        ({"model_overview": {"model_id": "churn\x00"}}, "$.model_overview.model_id"),
        ({"model_overview": {"model_name": "\x00"}}, "$.model_overview.model_name"),
        (
            {"additional_information": {"custom_details": {"no\x00te": "text"}}},
            "$.additional_information.custom_details['no\x00te']",
        ),
        (
            {"intended_uses": {"purpose_of_model": "line one\n\x00"}},
            "$.intended_uses.purpose_of_model",
        ),
    ],
)
def test_nul_is_refused_at_its_path(content: dict[str, object], path: str) -> None:
    error = refusal(json.dumps(content))
    assert error.path == path
    assert "NUL" in error.message


# --- facts and the MetadataOnly view ----------------------------------------------------------


def test_card_facts_of_a_card_with_a_model() -> None:
    assert card_facts(parse(sdk_full_card())) == CardFacts(
        model_id=MODEL_ARN,
        model_name="churn-xgb-2024-05-01",
        risk_rating="Low",
        model_package_group_name=None,
        model_package_arn=None,
    )


def test_card_facts_of_a_card_for_a_model_package_use_its_arn_as_model_id() -> None:
    assert card_facts(parse(sdk_model_package_card())) == CardFacts(
        model_id=PACKAGE_ARN,
        model_name=None,
        risk_rating="Unknown",
        model_package_group_name="churn-models",
        model_package_arn=PACKAGE_ARN,
    )


def test_card_facts_of_empty_content() -> None:
    assert card_facts({}) == CardFacts(None, None, None, None, None)


def test_metadata_only_of_a_card_with_a_model() -> None:
    assert metadata_only(parse(sdk_full_card())) == {
        "model_overview": {"model_id": MODEL_ARN, "model_name": "churn-xgb-2024-05-01"},
        "intended_uses": {"risk_rating": "Low"},
    }


def test_metadata_only_of_a_card_for_a_model_package() -> None:
    assert metadata_only(parse(sdk_model_package_card())) == {
        "intended_uses": {"risk_rating": "Unknown"},
        "model_package_details": {
            "model_package_group_name": "churn-models",
            "model_package_arn": PACKAGE_ARN,
        },
    }


def test_metadata_only_of_an_embedded_package_card_keeps_the_risk_rating() -> None:
    content = parse(sdk_package_embedded_card(), CardFlavour.MODEL_PACKAGE)
    assert metadata_only(content) == {"intended_uses": {"risk_rating": "High"}}
    assert metadata_only({}) == {}
