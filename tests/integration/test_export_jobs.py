"""Export jobs: created InProgress, run by a worker, ended Completed with an artifact or Failed
with a reason; claimed by one worker at a time."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from cardinal.domain.audit import AuditAction, AuditQuery
from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.errors import AlreadyExists, InvalidInput, NotFound
from cardinal.domain.export_jobs import ExportJobStatus
from cardinal.domain.identifiers import Scope
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.paging import PageRequest, SortOrder
from cardinal.services.container import Services
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.model_packages import NewModelPackage
from cardinal.store.objects import DirectoryObjectStore
from tests.support.contexts import OPERATOR

CONTENT = {
    "model_overview": {"model_description": "Predicts churn"},
    "intended_uses": {"purpose_of_model": "Retention", "risk_rating": "Low"},
}


@pytest.fixture
def card(services: Services, ctx: RequestContext) -> str:
    services.groups.create_model_package_group(ctx, "churn")
    arn = services.packages.register_model_package(ctx, "churn", NewModelPackage()).arn
    content = {**CONTENT, "model_package_details": {"model_package_arn": arn}}
    services.cards.create_model_card(ctx, "churn-v1", json.dumps(content), ModelCardStatus.DRAFT)
    changed = {**content, "model_overview": {"model_description": "Predicts churn, v2"}}
    services.cards.update_model_card(ctx, "churn-v1", content=json.dumps(changed))
    return "churn-v1"


def _outputs(services: Services) -> DirectoryObjectStore:
    outputs = services.export_jobs.outputs
    assert isinstance(outputs, DirectoryObjectStore)
    return outputs


def _dump(services: Services) -> list[tuple[object, ...]]:
    from sqlalchemy import text

    with services.store.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM model_card_export_jobs ORDER BY id")).all()
    return [tuple(row) for row in rows]


def test_a_job_runs_to_completed_and_writes_the_document(
    services: Services, ctx: RequestContext, card: str
) -> None:
    job = services.export_jobs.create_export_job(
        ctx, card, "audit-2026", "s3://audits/cards", version=1
    )
    assert job.status is ExportJobStatus.IN_PROGRESS
    assert (
        job.arn
        == f"arn:aws:sagemaker:us-east-1:000000000000:model-card/{card}/export-job/audit-2026"
    )
    assert job.card_version == 1

    finished = services.export_jobs.run_next()
    assert finished is not None
    assert finished.status is ExportJobStatus.COMPLETED
    assert finished.artifact_uri == f"s3://audits/cards/{card}/audit-2026/{card}-v1.pdf"
    assert finished.failure_reason is None
    written = _outputs(services).root / "audits" / "cards" / card / "audit-2026" / f"{card}-v1.pdf"
    assert written.read_bytes().startswith(b"%PDF-")
    assert services.export_jobs.run_next() is None

    described = services.export_jobs.describe_export_job(ctx, job.arn)
    assert described.status is ExportJobStatus.COMPLETED
    assert described.runs == 1
    artifact = services.export_jobs.read_artifact(ctx, card, "audit-2026")
    assert artifact.data == written.read_bytes()
    assert artifact.media_type == "application/pdf"


def test_without_a_version_the_latest_is_exported(
    services: Services, ctx: RequestContext, card: str
) -> None:
    job = services.export_jobs.create_export_job(
        ctx, card, "latest", "s3://audits", document_format=DocumentFormat.JSON
    )
    assert job.card_version == 2
    services.export_jobs.run_next()
    artifact = services.export_jobs.read_artifact(ctx, card, "latest")
    exported = json.loads(artifact.data)
    described = services.cards.describe_model_card(ctx, card)
    assert described.version.content_sha256 in json.dumps(exported)
    assert "Predicts churn, v2" in json.dumps(exported)


def test_an_archived_card_can_still_be_exported(
    services: Services, ctx: RequestContext, card: str
) -> None:
    services.cards.update_model_card(ctx, card, status=ModelCardStatus.ARCHIVED)
    services.export_jobs.create_export_job(
        ctx, card, "archived", "s3://audits", document_format=DocumentFormat.MARKDOWN
    )
    finished = services.export_jobs.run_next()
    assert finished is not None
    assert finished.status is ExportJobStatus.COMPLETED


def test_a_job_whose_output_cannot_be_written_fails_with_a_reason(
    services: Services, ctx: RequestContext, card: str
) -> None:
    root = _outputs(services).root
    root.mkdir(parents=True, exist_ok=True)
    (root / "blocked").write_text("a file where the bucket's directory would go")
    services.export_jobs.create_export_job(
        ctx, card, "nowhere", "s3://blocked/cards", document_format=DocumentFormat.JSON
    )
    finished = services.export_jobs.run_next()
    assert finished is not None
    assert finished.status is ExportJobStatus.FAILED
    assert finished.artifact_uri is None
    assert finished.failure_reason is not None
    assert "s3://blocked/cards/churn-v1/nowhere/churn-v1-v2.json" in finished.failure_reason
    with pytest.raises(NotFound, match="Failed"):
        services.export_jobs.read_artifact(ctx, card, "nowhere")


def test_bad_requests_are_refused_and_store_nothing(
    services: Services, ctx: RequestContext, card: str
) -> None:
    services.export_jobs.create_export_job(ctx, card, "once", "s3://audits")
    before = _dump(services)
    with pytest.raises(AlreadyExists, match="once"):
        services.export_jobs.create_export_job(ctx, card, "once", "s3://audits/other")
    with pytest.raises(NotFound, match="no version 3"):
        services.export_jobs.create_export_job(ctx, card, "v3", "s3://audits", version=3)
    with pytest.raises(NotFound, match="'missing' does not exist"):
        services.export_jobs.create_export_job(ctx, "missing", "j", "s3://audits")
    for path in ("file:///tmp/x", "s3://", "s3://bucket/../escape", "s3://./x"):
        with pytest.raises(InvalidInput, match="S3 output path"):
            services.export_jobs.create_export_job(ctx, card, "bad", path)
    assert _dump(services) == before


def test_job_arns_of_other_scopes_or_kinds_name_nothing(
    services: Services, ctx: RequestContext, card: str
) -> None:
    job = services.export_jobs.create_export_job(ctx, card, "j1", "s3://audits")
    other_region = job.arn.replace("us-east-1", "eu-west-1")
    with pytest.raises(NotFound):
        services.export_jobs.describe_export_job(ctx, other_region)
    with pytest.raises(InvalidInput, match="not the ARN of a model card export job"):
        services.export_jobs.describe_export_job(ctx, job.arn.replace("/export-job/", "/job/"))
    with pytest.raises(NotFound):
        services.export_jobs.describe_export_job(ctx, job.arn + "x")


def test_listing_filters_sorts_and_pages(
    services: Services, ctx: RequestContext, card: str
) -> None:
    for name, version in (("b-job", 1), ("a-job", 2), ("c-job", 2)):
        services.export_jobs.create_export_job(
            ctx, card, name, "s3://audits", version=version, document_format=DocumentFormat.JSON
        )
    services.export_jobs.run_next()

    def names(**filters: object) -> list[str]:
        sort_by = str(filters.pop("sort_by", "CreationTime"))
        order = filters.pop("order", SortOrder.ASCENDING)
        assert isinstance(order, SortOrder)
        found: list[str] = []
        token = None
        while True:
            page = services.export_jobs.list_export_jobs(
                ctx,
                card,
                PageRequest(sort_by=sort_by, sort_order=order, max_results=1, next_token=token),
                **filters,  # type: ignore[arg-type]
            )
            found += [job.name for job in page.items]
            token = page.next_token
            if token is None:
                return found

    assert names() == ["b-job", "a-job", "c-job"]
    assert names(sort_by="Name") == ["a-job", "b-job", "c-job"]
    assert names(sort_by="Name", order=SortOrder.DESCENDING) == ["c-job", "b-job", "a-job"]
    assert names(sort_by="Status") == ["b-job", "a-job", "c-job"]  # Completed < InProgress
    assert names(card_version=2) == ["a-job", "c-job"]
    assert names(name_contains="A-J") == ["a-job"]
    assert names(status=ExportJobStatus.COMPLETED) == ["b-job"]
    assert names(created_after=utcnow()) == []
    assert names(created_before=utcnow() + timedelta(seconds=1)) == ["b-job", "a-job", "c-job"]
    with pytest.raises(NotFound):
        services.export_jobs.list_export_jobs(ctx, "missing", PageRequest(sort_by="Name"))
    empty = services.export_jobs.list_export_jobs(
        ctx, "missing", PageRequest(sort_by="Name"), missing_card_is_empty=True
    )
    assert empty.items == []


def test_a_claim_is_held_by_one_worker_until_its_lease_runs_out(
    services: Services, ctx: RequestContext, card: str, database_url: str, tmp_path: Path
) -> None:
    other = Services.for_database(database_url, DirectoryObjectStore(tmp_path / "other"))
    try:
        services.export_jobs.create_export_job(
            ctx, card, "one", "s3://audits", document_format=DocumentFormat.JSON
        )
        now = utcnow()
        mine = services.store.write(
            lambda uow: uow.export_jobs.claim_next("me", now, now + timedelta(minutes=5)),
            audited=False,
        )
        assert mine is not None
        assert (
            other.store.write(
                lambda uow: uow.export_jobs.claim_next("other", now, now + timedelta(minutes=5)),
                audited=False,
            )
            is None
        )
        later = now + timedelta(minutes=6)
        theirs = other.store.write(
            lambda uow: uow.export_jobs.claim_next("other", later, later + timedelta(minutes=5)),
            audited=False,
        )
        assert theirs is not None
        assert theirs.job.runs == 2
        stale = services.store.write(
            lambda uow: uow.export_jobs.finish(
                mine, ExportJobStatus.COMPLETED, at=utcnow(), actor="me", artifact_uri="s3://x/y"
            ),
            audited=False,
        )
        assert stale is None
        done = other.store.write(
            lambda uow: uow.export_jobs.finish(
                theirs,
                ExportJobStatus.COMPLETED,
                at=utcnow(),
                actor="other",
                artifact_uri="s3://a/b",
            ),
            audited=False,
        )
        assert done is not None
        assert done.artifact_uri == "s3://a/b"
    finally:
        other.close()


def test_a_deleted_cards_job_is_gone_with_it(
    services: Services, ctx: RequestContext, card: str
) -> None:
    job = services.export_jobs.create_export_job(ctx, card, "j", "s3://audits")
    assert len(_dump(services)) == 1
    services.cards.delete_model_card(ctx, card)
    assert _dump(services) == []
    assert services.export_jobs.run_next() is None
    # A new card of the same name starts without the old card's jobs.
    services.cards.create_model_card(ctx, card, json.dumps(CONTENT), ModelCardStatus.DRAFT)
    with pytest.raises(NotFound):
        services.export_jobs.describe_export_job(ctx, job.arn)
    jobs = services.export_jobs.list_export_jobs(ctx, card, PageRequest(sort_by="Name"))
    assert jobs.items == []


def test_creation_and_outcome_are_in_the_audit_trail(
    services: Services, ctx: RequestContext, card: str
) -> None:
    job = services.export_jobs.create_export_job(
        ctx, card, "audited", "s3://audits", document_format=DocumentFormat.JSON
    )
    services.export_jobs.run_next()
    events = services.audit.list_audit_events(OPERATOR, AuditQuery()).items
    created = [e for e in events if e.action is AuditAction.CARD_EXPORT]
    finished = [e for e in events if e.action is AuditAction.EXPORT_JOB_FINISH]
    assert [(e.actor, e.after) for e in created] == [
        (
            "alice",
            {
                "export_job": "audited",
                "card_version": 2,
                "format": "json",
                "output_path": "s3://audits",
            },
        )
    ]
    assert [(e.actor, e.resource_arn) for e in finished] == [("cardinal:export-worker", job.arn)]
    assert finished[0].after is not None
    assert finished[0].after["status"] == "Completed"
    assert services.verification.verify_evidence(OPERATOR).ok


def test_jobs_live_in_their_region(services: Services, ctx: RequestContext, card: str) -> None:
    elsewhere = RequestContext(Scope("000000000000", "eu-west-1"), "alice", "t")
    with pytest.raises(NotFound):
        services.export_jobs.create_export_job(elsewhere, card, "j", "s3://audits")
