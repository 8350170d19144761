"""Model Monitor model-quality statistics computed with scikit-learn from a small, deterministic
synthetic data set, written in the layout AWS documents for ``statistics.json`` ("Model Quality
Metrics" in the SageMaker developer guide): ``{"version": 0.0, "dataset": {...},
"<problem>_metrics": {...}}``, each scalar metric ``{"value": v, "standard_deviation": s}``.

As Model Monitor does, a standard deviation is given only with at least 200 samples (the
standard deviation of the metric over five random 80% samples), else the string ``"NaN"``.
The "best constant classifier" predicts the positive class (binary) or class 1 (multiclass),
as the numbers of AWS's examples show Model Monitor's does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn import metrics
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split

MIN_SAMPLES_FOR_DEVIATION = 200
Metric = Callable[[NDArray[Any], NDArray[Any]], float]


@dataclass(frozen=True)
class Evaluation:
    """Ground truth and the model's output on a held-out set."""

    y_true: NDArray[Any]
    y_pred: NDArray[Any]
    y_score: NDArray[Any] | None = None  # probability of the positive class (binary)


def binary_evaluation(n_samples: int = 600) -> Evaluation:
    x, y = make_classification(
        n_samples=n_samples, n_features=6, n_informative=3, random_state=7, flip_y=0.1
    )
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.4, random_state=0)
    model = LogisticRegression().fit(x_train, y_train)
    score = model.predict_proba(x_test)[:, 1]
    return Evaluation(y_test, (score >= 0.5).astype(int), score)


def multiclass_evaluation(n_samples: int = 600) -> Evaluation:
    x, y = make_classification(
        n_samples=n_samples,
        n_features=8,
        n_informative=4,
        n_classes=3,
        n_clusters_per_class=1,
        random_state=11,
    )
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.4, random_state=0)
    model = LogisticRegression(max_iter=500).fit(x_train, y_train)
    return Evaluation(y_test, model.predict(x_test))


def regression_evaluation(n_samples: int = 600) -> Evaluation:
    x, y = make_regression(n_samples=n_samples, n_features=5, noise=12.0, random_state=3)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.4, random_state=0)
    return Evaluation(y_test, LinearRegression().fit(x_train, y_train).predict(x_test))


def statistics(section: str, evaluation: Evaluation) -> dict[str, Any]:
    builders = {
        "binary_classification_metrics": binary_classification_metrics,
        "multiclass_classification_metrics": multiclass_classification_metrics,
        "regression_metrics": regression_metrics,
    }
    return {
        "version": 0.0,
        "dataset": {
            "item_count": len(evaluation.y_true),
            "evaluation_time": "2024-03-01T10:15:00.000Z",
        },
        section: builders[section](evaluation),
    }


def binary_classification_metrics(e: Evaluation) -> dict[str, Any]:
    assert e.y_score is not None
    y, pred = e.y_true, e.y_pred
    constant = np.ones_like(y)

    def fbeta(beta: float) -> Metric:
        return lambda t, p: float(metrics.fbeta_score(t, p, beta=beta, zero_division=0))

    def recall(t: NDArray[Any], p: NDArray[Any]) -> float:
        return float(metrics.recall_score(t, p, zero_division=0))

    def precision(t: NDArray[Any], p: NDArray[Any]) -> float:
        return float(metrics.precision_score(t, p, zero_division=0))

    def specificity(t: NDArray[Any], p: NDArray[Any]) -> float:
        return float(metrics.recall_score(t, p, pos_label=0, zero_division=0))

    def accuracy(t: NDArray[Any], p: NDArray[Any]) -> float:
        return float(metrics.accuracy_score(t, p))

    fpr, tpr, _ = metrics.roc_curve(y, e.y_score)
    precisions, recalls, _ = metrics.precision_recall_curve(y, e.y_score)
    result: dict[str, Any] = {"confusion_matrix": _confusion(y, pred, [0, 1])}
    result["recall"] = _scalar(recall, y, pred)
    result["precision"] = _scalar(precision, y, pred)
    result["accuracy"] = _scalar(accuracy, y, pred)
    result["recall_best_constant_classifier"] = _scalar(recall, y, constant)
    result["precision_best_constant_classifier"] = _scalar(precision, y, constant)
    result["accuracy_best_constant_classifier"] = _scalar(accuracy, y, constant)
    result["true_positive_rate"] = _scalar(recall, y, pred)
    result["true_negative_rate"] = _scalar(specificity, y, pred)
    result["false_positive_rate"] = _scalar(lambda t, p: 1 - specificity(t, p), y, pred)
    result["false_negative_rate"] = _scalar(lambda t, p: 1 - recall(t, p), y, pred)
    result["receiver_operating_characteristic_curve"] = {
        "false_positive_rates": fpr.tolist(),
        "true_positive_rates": tpr.tolist(),
    }
    # scikit-learn lists the curve by falling recall; Model Monitor by rising recall.
    result["precision_recall_curve"] = {
        "precisions": precisions[::-1].tolist(),
        "recalls": recalls[::-1].tolist(),
    }
    result["auc"] = _scalar(lambda t, s: float(metrics.roc_auc_score(t, s)), y, e.y_score)
    for beta, name in ((0.5, "f0_5"), (1.0, "f1"), (2.0, "f2")):
        result[name] = _scalar(fbeta(beta), y, pred)
    for beta, name in ((0.5, "f0_5"), (1.0, "f1"), (2.0, "f2")):
        result[f"{name}_best_constant_classifier"] = _scalar(fbeta(beta), y, constant)
    return result


def multiclass_classification_metrics(e: Evaluation) -> dict[str, Any]:
    y, pred = e.y_true, e.y_pred
    constant = np.ones_like(y)

    def weighted(score: Callable[..., Any], **kwargs: Any) -> Metric:
        return lambda t, p: float(score(t, p, average="weighted", zero_division=0, **kwargs))

    scores: dict[str, Metric] = {
        "accuracy": lambda t, p: float(metrics.accuracy_score(t, p)),
        "weighted_recall": weighted(metrics.recall_score),
        "weighted_precision": weighted(metrics.precision_score),
        "weighted_f0_5": weighted(metrics.fbeta_score, beta=0.5),
        "weighted_f1": weighted(metrics.f1_score),
        "weighted_f2": weighted(metrics.fbeta_score, beta=2.0),
    }
    result: dict[str, Any] = {"confusion_matrix": _confusion(y, pred, sorted(set(y.tolist())))}
    for name, score in scores.items():
        result[name] = _scalar(score, y, pred)
    for name, score in scores.items():
        result[f"{name}_best_constant_classifier"] = _scalar(score, y, constant)
    return result


def regression_metrics(e: Evaluation) -> dict[str, Any]:
    def mse(t: NDArray[Any], p: NDArray[Any]) -> float:
        return float(metrics.mean_squared_error(t, p))

    return {
        "mae": _scalar(lambda t, p: float(metrics.mean_absolute_error(t, p)), e.y_true, e.y_pred),
        "mse": _scalar(mse, e.y_true, e.y_pred),
        "rmse": _scalar(lambda t, p: float(np.sqrt(mse(t, p))), e.y_true, e.y_pred),
        "r2": _scalar(lambda t, p: float(metrics.r2_score(t, p)), e.y_true, e.y_pred),
    }


def _confusion(y: NDArray[Any], pred: NDArray[Any], labels: list[int]) -> dict[str, Any]:
    matrix = metrics.confusion_matrix(y, pred, labels=labels)
    return {
        str(actual): {str(predicted): int(matrix[i][j]) for j, predicted in enumerate(labels)}
        for i, actual in enumerate(labels)
    }


def _scalar(metric: Metric, y: NDArray[Any], other: NDArray[Any]) -> dict[str, Any]:
    value = metric(y, other)
    if len(y) < MIN_SAMPLES_FOR_DEVIATION:
        return {"value": value, "standard_deviation": "NaN"}
    rng = np.random.default_rng(42)
    size = int(len(y) * 0.8)
    samples = []
    for _ in range(5):
        index = rng.choice(len(y), size=size, replace=False)
        samples.append(metric(y[index], other[index]))
    return {"value": value, "standard_deviation": float(np.std(samples))}
