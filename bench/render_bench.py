"""How long one model card version takes to render as a document (PDF, and HTML alone).

The card has every section filled (with Greek, Cyrillic and Chinese text) and one evaluation
with ten metric groups, each holding six number/string/boolean metrics and, by default, one chart:
a bar chart (8 bars), a line chart (25 points) or a 6x6 matrix, in turn. ``--charts-per-group 3``
gives every group all three. Each format is rendered once untimed (imports, font discovery),
then ``--runs`` times; the median and the range are printed, in milliseconds.

    .venv/bin/python bench/render_bench.py [--runs 9] [--charts-per-group 1] [--out card.pdf]
"""

from __future__ import annotations

import argparse
import io
import math
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from cardinal.documents import CardDocument, HistoryEntry, LinkedPackage, render
from cardinal.domain.document_formats import DocumentFormat

ACCOUNT = "000000000000"
PACKAGE_ARN = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package/customer-churn/3"
LONG_TEXT = (
    "Scores active subscribers weekly by their risk of cancelling within 90 days. "
    "Ελληνικά: πρόβλεψη αποχώρησης πελατών. Русский: прогноз оттока клиентов. "
    "中文 客户流失预测模型。"
) * 3


def metric_group(index: int, charts: int) -> dict[str, Any]:
    simple = [
        {"name": "AUC", "type": "number", "value": round(0.85 + index / 100, 4)},
        {"name": "Accuracy", "type": "number", "value": 0.8 + index / 200},
        {"name": "Recall", "type": "number", "value": 0.7 + index / 300},
        {"name": "Rows", "type": "number", "value": 10_000 + index},
        {"name": "Positive class", "type": "string", "value": "churned"},
        {"name": "Calibrated", "type": "boolean", "value": index % 2 == 0},
    ]
    chart_metrics = [
        {
            "name": "Churn rate by plan",
            "type": "bar_chart",
            "value": [round(0.05 * (i + 1) - 0.1, 3) for i in range(8)],
            "x_axis_name": [f"Plan {chr(65 + i)}" for i in range(8)],
            "y_axis_name": "Churn rate",
        },
        {
            "name": "ROC curve",
            "type": "linear_graph",
            "value": [[i / 24, round(math.sqrt(i / 24), 4)] for i in range(25)],
            "x_axis_name": "False positive rate",
            "y_axis_name": "True positive rate",
        },
        {
            "name": "Confusion matrix",
            "type": "matrix",
            "value": [[(r * 6 + c) * 7 % 97 for c in range(6)] for r in range(6)],
            "x_axis_name": [f"Predicted {c}" for c in range(6)],
            "y_axis_name": [f"Actual {r}" for r in range(6)],
        },
    ]
    chosen = [chart_metrics[(index + k) % 3] for k in range(charts)]
    return {"name": f"Segment {index}", "metric_data": simple + chosen}


def full_card(charts_per_group: int) -> CardDocument:
    content = {
        "model_overview": {
            "model_description": LONG_TEXT,
            "model_creator": "Data Science Team",
            "model_owner": "Retention Analytics",
            "problem_type": "Binary Classification",
            "algorithm_type": "XGBoost",
            "model_name": "churn-xgb-3",
            "model_version": 3,
            "model_artifact": ["s3://models/churn/3/model.tar.gz"],
            "inference_environment": {"container_image": [f"{ACCOUNT}.dkr.ecr/xgb:1.7"]},
        },
        "intended_uses": {
            "purpose_of_model": LONG_TEXT,
            "intended_uses": "Weekly batch scoring.",
            "factors_affecting_model_efficiency": "Seasonality.",
            "risk_rating": "Medium",
            "explanations_for_risk_rating": "Offers affect revenue only.",
        },
        "business_details": {
            "business_problem": "Reduce churn.",
            "business_stakeholders": "Retention marketing",
            "line_of_business": "Consumer subscriptions",
        },
        "training_details": {
            "objective_function": {"function": {"function": "Minimize", "facet": "Loss"}},
            "training_observations": "Converged after 412 rounds.",
            "training_job_details": {
                "training_arn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:training-job/churn-3",
                "training_datasets": ["s3://data/churn/train.parquet"],
                "training_metrics": [{"name": "train:logloss", "value": 0.2931}],
                "hyper_parameters": [{"name": f"p{i}", "value": str(i)} for i in range(10)],
            },
        },
        "evaluation_details": [
            {
                "name": "Holdout 2026-Q3",
                "datasets": ["s3://data/churn/holdout.parquet"],
                "metric_groups": [metric_group(i, charts_per_group) for i in range(10)],
            }
        ],
        "additional_information": {
            "ethical_considerations": LONG_TEXT,
            "caveats_and_recommendations": "Retrain quarterly.",
            "custom_details": {"review_board": "Model Risk Committee"},
        },
        "model_package_details": {
            "model_package_arn": PACKAGE_ARN,
            "model_package_group_name": "customer-churn",
            "model_approval_status": "Approved",
            "model_package_version": 3,
        },
    }
    moment = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    return CardDocument(
        name="customer-churn-v3",
        arn=f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-card/customer-churn-v3",
        version=3,
        status="Approved",
        content=content,
        content_sha256="ab" * 32,
        chain_sha256="cd" * 32,
        created_at=moment,
        created_by="alice",
        last_modified_at=moment,
        last_modified_by="bob",
        generated_at=moment,
        package=LinkedPackage("customer-churn", 3, PACKAGE_ARN, "Approved"),
        history=tuple(
            HistoryEntry(v, "Approved", moment, "alice", f"{v:02x}" * 32) for v in (1, 2, 3)
        ),
    )


def measure(action: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each run (CPU time is steadier on a busy machine)."""
    action()  # imports, font discovery, template compilation
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed renders per format")
    parser.add_argument("--charts-per-group", type=int, choices=(0, 1, 2, 3), default=1)
    parser.add_argument("--out", type=Path, help="also write the PDF here")
    args = parser.parse_args()
    document = full_card(args.charts_per_group)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    pdf = render(document, DocumentFormat.PDF)
    if args.out:
        args.out.write_bytes(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {args.charts_per_group} chart(s)"
        f" per group, PDF of {pages} pages, {len(pdf):,} bytes"
    )
    print("| format | median ms | min ms | max ms | median CPU ms |")
    print("|---|---:|---:|---:|---:|")
    for fmt in (DocumentFormat.PDF, DocumentFormat.HTML, DocumentFormat.MARKDOWN):
        wall, cpu = measure(lambda fmt=fmt: render(document, fmt), args.runs)
        print(
            f"| {fmt.value} | {statistics.median(wall):.0f} | {min(wall):.0f} | {max(wall):.0f}"
            f" | {statistics.median(cpu):.0f} |"
        )
    print(f"load average before the runs: {load}")


if __name__ == "__main__":
    main()
