"""The kinds of evaluation report Cardinal reads into a model card."""

from __future__ import annotations

from enum import StrEnum

MAX_REPORT_BYTES = 10 * 1024 * 1024

# Where a server reads a report: s3://bucket/key, the bucket named as S3 allows, a key that is
# more than slashes (leading slashes are dropped, as the SageMaker SDK drops them).
S3_REPORT_URI = r"^s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]/+[^/]"


class ReportKind(StrEnum):
    """The kinds of report Cardinal reads (the SDK v2's ``EvaluationMetricTypeEnum``)."""

    MODEL_CARD_METRICS = "model_card_metrics"  # {"metric_groups": [...]}, the card's own shape
    CLARIFY_BIAS = "clarify_bias"  # analysis.json: pre-/post-training bias metrics
    CLARIFY_EXPLAINABILITY = "clarify_explainability"  # analysis.json: explanations (SHAP, PDP)
    MODEL_MONITOR_BINARY_CLASSIFICATION = "model_monitor_binary_classification"
    MODEL_MONITOR_MULTICLASS_CLASSIFICATION = "model_monitor_multiclass_classification"
    MODEL_MONITOR_REGRESSION = "model_monitor_regression"
    MODEL_MONITOR = "model_monitor"  # any of the three above, told apart by its section
