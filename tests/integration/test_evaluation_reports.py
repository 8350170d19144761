"""Attaching evaluation reports to model cards, through the services, on SQLite and PostgreSQL:
what is attached is what a described card holds, and a report that does not parse changes
nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cardinal.content.card_content import CardFlavour, parse_card_content
from cardinal.content.reports import ReportError, ReportNotFound, parse_report
from cardinal.domain.errors import AccessDenied, InvalidInput, InvalidState, NotFound
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.report_kinds import ReportKind
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.evaluation_reports import EvaluationReportService
from tests.unit.reports import model_monitor_files as files
from tests.unit.reports.s3server import S3Server, s3_server
from tests.unit.reports.support import DATA, FIXTURES, load

CARD = "churn-v2"
ALL_TYPES = {"number", "string", "boolean", "linear_graph", "bar_chart", "matrix"}
BASE: dict[str, Any] = {
    "model_overview": {"model_description": "Predicts churn within 90 days."},
    "intended_uses": {"risk_rating": "Low"},
    "evaluation_details": [
        {
            "name": "holdout",
            "evaluation_observation": "2024-Q1 holdout set",
            "datasets": ["s3://acme-ml/churn/holdout.csv"],
            "metric_groups": [
                {
                    "name": "hand-written",
                    "metric_data": [{"name": "auc", "type": "number", "value": 0.81}],
                }
            ],
        },
        {"name": "shadow test", "metric_groups": []},
    ],
}


@pytest.fixture
def reports(services: Services, ctx: RequestContext) -> EvaluationReportService:
    services.cards.create_model_card(ctx, CARD, json.dumps(BASE), ModelCardStatus.DRAFT)
    return EvaluationReportService(services.cards)


def _latest(services: Services, ctx: RequestContext) -> tuple[int, dict[str, Any]]:
    described = services.cards.describe_model_card(ctx, CARD)
    content = parse_card_content(described.version.content, CardFlavour.MODEL_CARD)
    return described.version.version, content


def _job(content: dict[str, Any], name: str) -> dict[str, Any]:
    [job] = [e for e in content["evaluation_details"] if e["name"] == name]
    return job


@pytest.mark.parametrize(("name", "kind"), FIXTURES.items())
def test_each_kind_of_report_round_trips_through_a_card(
    services: Services,
    ctx: RequestContext,
    reports: EvaluationReportService,
    name: str,
    kind: ReportKind,
) -> None:
    attached = reports.attach_report(ctx, CARD, str(DATA / name), kind, "pipeline run 42")
    assert (attached.card_name, attached.version) == (CARD, 2)
    assert attached.created_evaluation
    assert attached.metric_groups == parse_report(load(name), kind, name)
    version, content = _latest(services, ctx)
    assert version == 2
    assert _job(content, "pipeline run 42") == {
        "name": "pipeline run 42",
        "metric_groups": attached.metric_groups,
    }
    # The rest of the card is as it was.
    assert content["evaluation_details"][:2] == BASE["evaluation_details"]
    assert content["model_overview"] == BASE["model_overview"]


def test_every_metric_type_round_trips(
    services: Services, ctx: RequestContext, reports: EvaluationReportService
) -> None:
    for name, kind in FIXTURES.items():
        reports.attach_report(ctx, CARD, str(DATA / name), kind, "all kinds")
    version, content = _latest(services, ctx)
    assert version == 1 + len(FIXTURES)
    stored = _job(content, "all kinds")["metric_groups"]
    expected = [g for name, kind in FIXTURES.items() for g in parse_report(load(name), kind, name)]
    assert stored == expected
    assert {m["type"] for g in stored for m in g["metric_data"]} == ALL_TYPES


def test_reports_computed_with_scikit_learn_round_trip(
    services: Services, ctx: RequestContext, reports: EvaluationReportService, tmp_path: Path
) -> None:
    for section, evaluation in (
        ("binary_classification_metrics", files.binary_evaluation()),
        ("multiclass_classification_metrics", files.multiclass_evaluation()),
        ("regression_metrics", files.regression_evaluation()),
    ):
        path = tmp_path / f"{section}.json"
        path.write_text(json.dumps(files.statistics(section, evaluation)))
        attached = reports.attach_report(ctx, CARD, str(path), ReportKind.MODEL_MONITOR, "holdout")
        assert [g["name"] for g in attached.metric_groups] == [section]
    _, content = _latest(services, ctx)
    job = _job(content, "holdout")
    assert [g["name"] for g in job["metric_groups"]] == [
        "hand-written",
        "binary_classification_metrics",
        "multiclass_classification_metrics",
        "regression_metrics",
    ]
    assert job["datasets"] == ["s3://acme-ml/churn/holdout.csv"]


def test_attaching_again_replaces_groups_of_the_same_name_in_place(
    services: Services, ctx: RequestContext, reports: EvaluationReportService, tmp_path: Path
) -> None:
    def plain(groups: list[dict[str, Any]]) -> str:
        path = tmp_path / f"metrics-{len(list(tmp_path.iterdir()))}.json"
        path.write_text(json.dumps({"metric_groups": groups}))
        return str(path)

    def number(name: str, value: float) -> dict[str, Any]:
        return {"name": name, "type": "number", "value": value}

    first = [{"name": "a", "metric_data": [number("x", 1)]}, {"name": "b", "metric_data": []}]
    reports.attach_report(ctx, CARD, plain(first), ReportKind.MODEL_CARD_METRICS, "holdout")
    second = [
        {"name": "b", "metric_data": [number("y", 2)]},
        {"name": "hand-written", "metric_data": [number("auc", 0.83)]},
        {"name": "c", "metric_data": []},
    ]
    attached = reports.attach_report(
        ctx, CARD, plain(second), ReportKind.MODEL_CARD_METRICS, "holdout"
    )
    assert attached.replaced_group_names == ["hand-written", "b"]
    assert not attached.created_evaluation
    version, content = _latest(services, ctx)
    assert version == 3
    assert _job(content, "holdout")["metric_groups"] == [
        {"name": "hand-written", "metric_data": [number("auc", 0.83)]},
        {"name": "a", "metric_data": [number("x", 1)]},
        {"name": "b", "metric_data": [number("y", 2)]},
        {"name": "c", "metric_data": []},
    ]


def test_a_card_without_evaluations_gets_its_first(services: Services, ctx: RequestContext) -> None:
    services.cards.create_model_card(ctx, "bare", "{}", ModelCardStatus.DRAFT)
    service = EvaluationReportService(services.cards)
    location = str(DATA / "model_monitor_regression.aws-docs.json")
    service.attach_report(ctx, "bare", location, ReportKind.MODEL_MONITOR_REGRESSION, "monitor")
    content = json.loads(services.cards.describe_model_card(ctx, "bare").version.content)
    assert [e["name"] for e in content["evaluation_details"]] == ["monitor"]


@pytest.mark.parametrize(
    ("content", "path", "expected"),
    [
        (b'{"regression_metrics": {"mae": ', "$", "expected JSON"),
        (
            b'{"regression_metrics": {"mae": {"value": "low"}}}',
            "$.regression_metrics.mae.value",
            "expected a number, found the string 'low'",
        ),
        (
            b'{"binary_classification_metrics": {"confusion_matrix": [[1, 2], [3, 4]]}}',
            "$.binary_classification_metrics.confusion_matrix",
            "expected an object of rows keyed by actual label",
        ),
        (b'{"version": 0.0}', "$", "expected one of the keys regression_metrics"),
    ],
)
def test_a_malformed_report_is_refused_and_the_card_is_unchanged(
    services: Services,
    ctx: RequestContext,
    reports: EvaluationReportService,
    tmp_path: Path,
    content: bytes,
    path: str,
    expected: str,
) -> None:
    report = tmp_path / "statistics.json"
    report.write_bytes(content)
    with pytest.raises(ReportError) as caught:
        reports.attach_report(ctx, CARD, str(report), ReportKind.MODEL_MONITOR, "holdout")
    assert caught.value.path == path
    assert caught.value.message.startswith(f"Report {report} at {path}: {expected}")
    assert _latest(services, ctx) == (1, BASE)


def test_a_report_too_big_for_the_card_is_refused_and_the_card_is_unchanged(
    services: Services, ctx: RequestContext, reports: EvaluationReportService, tmp_path: Path
) -> None:
    group = {
        "name": "long",
        "metric_data": [{"name": f"m{i}", "type": "number", "value": 0.5} for i in range(900)],
    }
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"metric_groups": [{**group, "name": f"g{i}"} for i in range(2)]}))
    reports.attach_report(ctx, CARD, str(path), ReportKind.MODEL_CARD_METRICS, "first")
    with pytest.raises(ReportError, match=r"would be 1[0-9]{2},[0-9]{3} characters long"):
        reports.attach_report(ctx, CARD, str(path), ReportKind.MODEL_CARD_METRICS, "second")
    assert _latest(services, ctx)[0] == 2


def test_missing_cards_archived_cards_and_empty_names_are_refused(
    services: Services, ctx: RequestContext, reports: EvaluationReportService
) -> None:
    location = str(DATA / "clarify_bias.analysis.json")
    with pytest.raises(NotFound):
        reports.attach_report(ctx, "no-such-card", location, ReportKind.CLARIFY_BIAS, "bias")
    with pytest.raises(InvalidInput, match="evaluation name"):
        reports.attach_report(ctx, CARD, location, ReportKind.CLARIFY_BIAS, "")
    services.cards.update_model_card(ctx, CARD, status=ModelCardStatus.ARCHIVED)
    with pytest.raises(InvalidState, match="Archived"):
        reports.attach_report(ctx, CARD, location, ReportKind.CLARIFY_BIAS, "bias")
    assert _latest(services, ctx) == (1, BASE)


def test_a_card_is_found_by_its_arn(
    services: Services, ctx: RequestContext, reports: EvaluationReportService
) -> None:
    arn = services.cards.describe_model_card(ctx, CARD).card.arn
    location = str(DATA / "clarify_bias.analysis.json")
    attached = reports.attach_report(ctx, arn, location, ReportKind.CLARIFY_BIAS, "bias")
    assert (attached.card_name, attached.version) == (CARD, 2)


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        server.client().create_bucket(Bucket="pipeline-reports")
        yield server


def test_a_report_is_attached_from_s3(
    services: Services, ctx: RequestContext, reports: EvaluationReportService, s3: S3Server
) -> None:
    key = "churn/run-42/analysis.json"
    body = (DATA / "clarify_explainability.analysis.json").read_bytes()
    s3.client().put_object(
        Bucket="pipeline-reports", Key=key, Body=body, ContentType="application/json"
    )
    uri = f"s3://pipeline-reports/{key}"
    attached = reports.attach_report(
        ctx, CARD, uri, ReportKind.CLARIFY_EXPLAINABILITY, "explainability", s3=s3.settings
    )
    assert attached.source == uri
    _, content = _latest(services, ctx)
    assert _job(content, "explainability")["metric_groups"] == parse_report(
        json.loads(body), ReportKind.CLARIFY_EXPLAINABILITY, uri
    )
    absent = "s3://pipeline-reports/churn/run-43/analysis.json"
    with pytest.raises(ReportNotFound, match=r"has no object 'churn/run-43/analysis\.json'"):
        reports.attach_report(
            ctx, CARD, absent, ReportKind.CLARIFY_EXPLAINABILITY, "explainability", s3=s3.settings
        )
    with pytest.raises(NotFound, match="nobody") as no_card:
        reports.attach_report(
            ctx, "nobody", absent, ReportKind.CLARIFY_EXPLAINABILITY, "e", s3=s3.settings
        )
    assert not isinstance(no_card.value, ReportNotFound)
    with pytest.raises(AccessDenied) as no_store:
        reports.attach_report(ctx, CARD, uri, ReportKind.CLARIFY_EXPLAINABILITY, "e", s3=None)
    assert no_store.value.rule == "s3_settings"
    assert _latest(services, ctx)[0] == 2
