"""Builders of card documents to render: the full "churn" card (every section, every metric type,
non-Latin text) and the facts every format must show about it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cardinal.documents import CardDocument, HistoryEntry, LinkedPackage

HASH_V3 = "3f8a" + "0123456789abcdef" * 3 + "c0ffee42b00c"
HASH_V2 = "9d1e" + "fedcba9876543210" * 3 + "aa55aa55aa55"
HASH_V1 = "1c2b" + "00112233445566778899" * 3
CHAIN = "7e" + "5a" * 31
PACKAGE_ARN = "arn:aws:sagemaker:us-east-1:000000000000:model-package/customer-churn/3"
CARD_ARN = "arn:aws:sagemaker:us-east-1:000000000000:model-card/customer-churn-v3"
NON_LATIN = "Ελληνικά: πρόβλεψη αποχώρησης. Русский: прогноз оттока клиентов. 中文 客户流失预测模型"

SECTION_TITLES = (
    "Linked model package",
    "Model overview",
    "Intended uses",
    "Business details",
    "Training details",
    "Evaluation details",
    "Additional information",
    "Model package details",
    "Version history",
    "Sign-off",
)
# The sections an empty card shows as "Not provided." (its sign-off says "No decisions recorded.").
EMPTY_SECTION_TITLES = SECTION_TITLES[:-1]

# The churn card's metrics: (name, value as the document must show it).
SIMPLE_METRICS = (
    ("AUC", "0.9134"),
    ("Accuracy", "0.87"),
    ("F1 score", "0.8125"),
    ("Decision threshold", "42"),
    ("Log loss", "-0.3071"),
    ("Positive class", "churned"),
    ("Calibrated", "true"),
)
NUMERIC_METRICS = {
    "AUC": 0.9134,
    "Accuracy": 0.87,
    "F1 score": 0.8125,
    "Decision threshold": 42,
    "Log loss": -0.3071,
}
CHART_VALUES = ("0.12", "0.31", "-0.05", "0.22", "0.78", "0.91", "812", "43", "61", "284")
CHART_METRICS = ("ROC curve", "Churn rate by segment", "Confusion matrix")


def churn_content() -> dict[str, Any]:
    return {
        "model_overview": {
            "model_description": "Predicts which customers will cancel within 90 days.\n"
            + NON_LATIN,
            "model_creator": "Data Science Team",
            "model_owner": "Retention Analytics",
            "problem_type": "Binary Classification",
            "algorithm_type": "XGBoost",
            "model_id": "arn:aws:sagemaker:us-east-1:000000000000:model/churn-xgb-3",
            "model_name": "churn-xgb-3",
            "model_version": 3,
            "model_artifact": ["s3://models/churn/3/model.tar.gz"],
            "inference_environment": {
                "container_image": ["000000000000.dkr.ecr.us-east-1.amazonaws.com/xgboost:1.7-1"]
            },
        },
        "intended_uses": {
            "purpose_of_model": "Rank customers by churn risk for retention offers.",
            "intended_uses": "Weekly batch scoring of active subscribers.",
            "factors_affecting_model_efficiency": "Seasonality; pricing changes.",
            "risk_rating": "Medium",
            "explanations_for_risk_rating": "Offers affect revenue but not credit decisions.",
        },
        "business_details": {
            "business_problem": "Reduce voluntary churn by 10 %.",
            "business_stakeholders": "Retention marketing, finance",
            "line_of_business": "Consumer subscriptions",
        },
        "training_details": {
            "objective_function": {
                "function": {"function": "Minimize", "facet": "Loss", "condition": "logloss"},
                "notes": "Binary log loss with class weights.",
            },
            "training_observations": "Converged after 412 rounds.",
            "training_job_details": {
                "training_arn": "arn:aws:sagemaker:us-east-1:000000000000:training-job/churn-3",
                "training_datasets": ["s3://data/churn/train.parquet"],
                "training_environment": {
                    "container_image": ["000000000000.dkr.ecr.us-east-1.amazonaws.com/xgb:1.7"]
                },
                "training_metrics": [{"name": "train:logloss", "value": 0.2931}],
                "user_provided_training_metrics": [
                    {"name": "validation:auc", "value": 0.9021, "notes": "5-fold mean"}
                ],
                "hyper_parameters": [{"name": "max_depth", "value": "6"}],
                "user_provided_hyper_parameters": [{"name": "eta", "value": "0.1"}],
            },
        },
        "evaluation_details": [
            {
                "name": "Holdout 2026-Q3",
                "evaluation_observation": "Stable across segments.",
                "evaluation_job_arn": "arn:aws:sagemaker:us-east-1:000000000000:processing-job/e3",
                "datasets": ["s3://data/churn/holdout.parquet"],
                "metadata": {"evaluator": "J. Doe", "reviewed": "2026-10-01"},
                "metric_groups": [
                    {
                        "name": "Classification metrics",
                        "metric_data": [
                            {"name": "AUC", "type": "number", "value": 0.9134},
                            {
                                "name": "Accuracy",
                                "type": "number",
                                "value": 0.87,
                                "notes": "at the decision threshold",
                            },
                            {"name": "F1 score", "type": "number", "value": 0.8125},
                            {"name": "Decision threshold", "type": "number", "value": 42},
                            {"name": "Log loss", "type": "number", "value": -0.3071},
                            {"name": "Positive class", "type": "string", "value": "churned"},
                            {"name": "Calibrated", "type": "boolean", "value": True},
                        ],
                    },
                    {
                        "name": "Curves and matrices",
                        "metric_data": [
                            {
                                "name": "ROC curve",
                                "type": "linear_graph",
                                "value": [[0, 0], [0.1, 0.5], [0.25, 0.78], [0.5, 0.91], [1, 1]],
                                "x_axis_name": "False positive rate",
                                "y_axis_name": "True positive rate",
                            },
                            {
                                "name": "Churn rate by segment",
                                "type": "bar_chart",
                                "value": [0.12, 0.31, -0.05, 0.22],
                                "x_axis_name": [
                                    "Consumer",
                                    "Small business",
                                    "Enterprise",
                                    "Госсектор",
                                ],
                                "y_axis_name": "Churn rate",
                            },
                            {
                                "name": "Confusion matrix",
                                "type": "matrix",
                                "value": [[812, 43], [61, 284]],
                                "x_axis_name": ["Predicted stay", "Predicted churn"],
                                "y_axis_name": ["Actual stay", "Actual churn"],
                            },
                        ],
                    },
                ],
            }
        ],
        "additional_information": {
            "ethical_considerations": "No protected attributes are used as features.",
            "caveats_and_recommendations": "Retrain quarterly.",
            "custom_details": {"review_board": "Model Risk Committee", "ticket": "MRC-1234"},
        },
        "model_package_details": {
            "model_package_arn": PACKAGE_ARN,
            "model_package_description": "XGBoost churn model",
            "model_package_group_name": "customer-churn",
            "model_package_status": "Completed",
            "model_approval_status": "Approved",
            "approval_description": "Approved by MRC",
            "model_package_version": 3,
            "created_by": {"user_profile_name": "ds-alice"},
            "domain": "MACHINE_LEARNING",
            "task": "CLASSIFICATION",
            "source_algorithms": [
                {"algorithm_name": "xgboost", "model_data_url": "s3://models/churn/3/model.tar.gz"}
            ],
            "inference_specification": {
                "containers": [{"image": "000000000000.dkr.ecr.us-east-1.amazonaws.com/xgb:1.7"}]
            },
        },
    }


def build_document(content: dict[str, Any], **changes: Any) -> CardDocument:
    """A document of version 3 of ``customer-churn-v3`` with ``content``; ``changes`` override."""
    fields: dict[str, Any] = {
        "name": "customer-churn-v3",
        "arn": CARD_ARN,
        "version": 3,
        "status": "PendingReview",
        "content": content,
        "content_sha256": HASH_V3,
        "chain_sha256": CHAIN,
        "created_at": datetime(2026, 9, 1, 8, 30, tzinfo=UTC),
        "created_by": "alice",
        "last_modified_at": datetime(2026, 10, 2, 16, 45, 12, tzinfo=UTC),
        "last_modified_by": "bob",
        "generated_at": datetime(2026, 11, 25, 6, 0, tzinfo=UTC),
        "package": LinkedPackage("customer-churn", 3, PACKAGE_ARN, "Approved", "Approved by MRC"),
        "history": (
            HistoryEntry(1, "Approved", datetime(2026, 5, 4, 9, 0, tzinfo=UTC), "alice", HASH_V1),
            HistoryEntry(2, "Archived", datetime(2026, 7, 8, 10, 0, tzinfo=UTC), "carol", HASH_V2),
            HistoryEntry(
                3, "PendingReview", datetime(2026, 9, 1, 8, 30, tzinfo=UTC), "alice", HASH_V3
            ),
        ),
    }
    fields.update(changes)
    return CardDocument(**fields)
