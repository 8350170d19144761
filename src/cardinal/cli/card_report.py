"""`cardinal card attach-report`: add the metrics of an evaluation report to a model card.

A report at an ``s3://`` URI is read by the server (with its ``CARDINAL_S3_*`` settings); a
report in a local file is read here and sent in the request, as it is, so the server never reads
its own files for a caller. Both go through the REST API, in both modes.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cardinal.cli.connection import connect
from cardinal.cli.errors import reported_errors
from cardinal.cli.options import EVERYWHERE, Output, OutputFormat, Where, connected
from cardinal.cli.output import emit, line
from cardinal.content.report_sources import read_report_file
from cardinal.domain.report_kinds import ReportKind
from cardinal.wire.evidence import ReportAttached


def _metric_counts(content: dict[str, Any], evaluation: str) -> dict[str, int]:
    for job in content.get("evaluation_details") or []:
        if job.get("name") == evaluation:
            return {
                str(group.get("name")): len(group.get("metric_data") or [])
                for group in job.get("metric_groups") or []
            }
    return {}


def _report(attached: ReportAttached, counts: dict[str, int]) -> None:
    count = len(attached.groups_added)
    replaced = len(attached.groups_replaced)
    line(
        f"Model card '{attached.name}' version {attached.version}: "
        f"{count} metric group{'s' if count != 1 else ''} from {attached.source} in evaluation "
        f"'{attached.evaluation}'" + (f" (replaced {replaced})" if replaced else "") + "."
    )
    for group in attached.groups_added:
        size = counts.get(group, 0)
        line(f"  {group}: {size} metric{'s' if size != 1 else ''}")


@connected(writes=True)
def attach_report_command(
    name: Annotated[str, typer.Argument(help="Name of the model card.", show_default=False)],
    location: Annotated[
        str,
        typer.Argument(
            help="The report: s3://bucket/key (read from the store CARDINAL_S3_ENDPOINT_URL or "
            "CARDINAL_S3_ACCESS_KEY_ID names, with CARDINAL_S3_SECRET_ACCESS_KEY and "
            "CARDINAL_S3_REGION; by the server with --endpoint), or a JSON file path.",
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
    output: Output = OutputFormat.TABLE,
    where: Where = EVERYWHERE,
) -> None:
    """Parse an evaluation report and store its metric groups as the card's next version.

    Kinds: model_card_metrics ({"metric_groups": [...]}), clarify_bias and
    clarify_explainability (Clarify analysis.json), model_monitor_binary_classification,
    model_monitor_multiclass_classification, model_monitor_regression and model_monitor
    (Model Monitor model-quality statistics.json). A report that does not parse changes nothing.

    Example: cardinal card attach-report churn-v2 statistics.json --kind model_monitor --evaluation holdout
    """
    report = None
    if "://" not in location:
        with reported_errors():
            report = read_report_file(location)
    with connect(where) as cn:
        if report is None:
            attached = cn.client.cards.attach_report(name, location, kind, evaluation)
        else:
            attached = cn.client.cards.upload_report(name, report, location, kind, evaluation)
        stored = cn.client.cards.get(name, attached.version).card.content
    emit(attached, output, lambda: _report(attached, _metric_counts(stored, evaluation)))
