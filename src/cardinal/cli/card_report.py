"""`cardinal card attach-report`: add the metrics of an evaluation report to a model card."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from cardinal.cli.options import (
    DatabaseUrl,
    DataDir,
    Region,
    local_context,
    local_services,
    out,
    reported_errors,
    settings,
)
from cardinal.content.reports import ReportKind


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def attach_report_command(
    name: Annotated[str, typer.Argument(help="Name or ARN of the model card.", show_default=False)],
    location: Annotated[
        str,
        typer.Argument(
            help="The report: a JSON file path or s3://bucket/key (endpoint and keys from "
            "CARDINAL_S3_ENDPOINT_URL, CARDINAL_S3_ACCESS_KEY_ID, CARDINAL_S3_SECRET_ACCESS_KEY, "
            "CARDINAL_S3_REGION, else the usual AWS settings).",
            show_default=False,
        ),
    ],
    kind: Annotated[
        ReportKind,
        typer.Option(
            "--kind",
            help="What produced the report. model_monitor tells its three kinds apart itself.",
            case_sensitive=False,
            show_default=False,
        ),
    ],
    evaluation: Annotated[
        str,
        typer.Option(
            "--evaluation",
            help="Name of the evaluation job to add the metric groups to; created if the card "
            "has none of that name. Groups of the same name in it are replaced.",
            show_default=False,
        ),
    ],
    output: Annotated[
        OutputFormat, typer.Option("--output", help="text for people, json for scripts.")
    ] = OutputFormat.TEXT,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    region: Region = None,
) -> None:
    """Parse an evaluation report and store its metric groups as the card's next version.

    Kinds: model_card_metrics ({"metric_groups": [...]}), clarify_bias and
    clarify_explainability (Clarify analysis.json), model_monitor_binary_classification,
    model_monitor_multiclass_classification, model_monitor_regression and model_monitor
    (Model Monitor model-quality statistics.json). A report that does not parse changes nothing.

    Example: cardinal card attach-report churn-v2 statistics.json --kind model_monitor --evaluation holdout
    """
    from cardinal.content.report_sources import s3_settings_from_env

    config = settings(data_dir=data_dir, database_url=database_url, region=region)
    with reported_errors(), local_services(config) as services:
        attached = services.reports.attach_report(
            local_context(config),
            name,
            location,
            kind,
            evaluation,
            s3=s3_settings_from_env(),
        )
    if output is OutputFormat.JSON:
        typer.echo(
            json.dumps(
                {
                    "ModelCardName": attached.card_name,
                    "ModelCardVersion": attached.version,
                    "EvaluationName": attached.evaluation_name,
                    "ReportKind": str(attached.kind),
                    "Source": attached.source,
                    "MetricGroups": [group["name"] for group in attached.metric_groups],
                    "ReplacedMetricGroups": attached.replaced_group_names,
                    "CreatedEvaluation": attached.created_evaluation,
                },
                indent=2,
            )
        )
        return
    count = len(attached.metric_groups)
    out.print(
        f"Model card '{attached.card_name}' version {attached.version}: "
        f"{count} metric group{'s' if count != 1 else ''} from {attached.source} in evaluation "
        f"'{attached.evaluation_name}'"
        + (
            f" (replaced {len(attached.replaced_group_names)})"
            if attached.replaced_group_names
            else ""
        )
        + ".",
        markup=False,
        highlight=False,
    )
    for group in attached.metric_groups:
        size = len(group["metric_data"])
        out.print(
            f"  {group['name']}: {size} metric{'s' if size != 1 else ''}",
            markup=False,
            highlight=False,
        )
