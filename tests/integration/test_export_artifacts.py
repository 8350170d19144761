"""Export artifacts read back by the URI their job reported, on both backends: only a Completed
job's own artifact, in the caller's account and region, to a caller who may read."""

from __future__ import annotations

import json

import pytest

from cardinal.domain.access import Grant, Role
from cardinal.domain.errors import AccessDenied, NotFound
from cardinal.domain.export_artifacts import NoSuchBucket
from cardinal.domain.identifiers import Scope
from cardinal.domain.identities import Principal, PrincipalKind
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.store.objects import DirectoryObjectStore

CONTENT = {"model_overview": {"model_description": "Predicts churn"}}
URI = "s3://audits/cards/churn/audit/churn-v1.pdf"


@pytest.fixture
def exported(services: Services, ctx: RequestContext) -> bytes:
    """The card ``churn`` exported to ``URI``; the bytes written."""
    services.cards.create_model_card(ctx, "churn", json.dumps(CONTENT), ModelCardStatus.DRAFT)
    services.export_jobs.create_export_job(ctx, "churn", "audit", "s3://audits/cards")
    finished = services.export_jobs.run_next()
    assert finished is not None
    assert finished.artifact_uri == URI
    outputs = services.export_jobs.outputs
    assert isinstance(outputs, DirectoryObjectStore)
    return (outputs.root / URI.removeprefix("s3://")).read_bytes()


def _read(services: Services, ctx: RequestContext, uri: str) -> bytes:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return services.export_artifacts.read_export_artifact(ctx, bucket, key).data


def test_a_completed_jobs_artifact_is_read_as_written(
    services: Services, ctx: RequestContext, exported: bytes
) -> None:
    bucket, _, key = URI.removeprefix("s3://").partition("/")
    artifact = services.export_artifacts.read_export_artifact(ctx, bucket, key)
    assert artifact.data == exported
    assert artifact.media_type == "application/pdf"
    job = services.export_jobs.get_export_job(ctx, "churn", "audit")
    assert artifact.export_job_arn == job.arn
    assert artifact.last_modified == job.last_modified_at


def test_only_an_artifact_a_job_reported_is_read(
    services: Services, ctx: RequestContext, exported: bytes
) -> None:
    services.export_jobs.create_export_job(ctx, "churn", "later", "s3://audits/cards")
    for uri in (
        "s3://audits/cards/churn/later/churn-v1.pdf",  # its job has not run yet
        "s3://audits/cards/churn/audit/churn-v2.pdf",
        "s3://audits/other/churn/audit/churn-v1.pdf",
        "s3://audits/churn-v1.pdf",
    ):
        with pytest.raises(NotFound) as caught:
            _read(services, ctx, uri)
        assert not isinstance(caught.value, NoSuchBucket), uri
        assert uri in caught.value.message
    with pytest.raises(NoSuchBucket):
        _read(services, ctx, URI.replace("audits", "elsewhere"))


def test_an_artifact_is_read_in_its_cards_region_only(
    services: Services, ctx: RequestContext, exported: bytes
) -> None:
    elsewhere = RequestContext(Scope(ctx.scope.account_id, "eu-west-1"), "alice", "test")
    with pytest.raises(NotFound):
        _read(services, elsewhere, URI)


def test_an_artifact_whose_object_is_gone_is_not_found(
    services: Services, ctx: RequestContext, exported: bytes
) -> None:
    outputs = services.export_jobs.outputs
    assert isinstance(outputs, DirectoryObjectStore)
    (outputs.root / URI.removeprefix("s3://")).unlink()
    with pytest.raises(NotFound, match="is gone"):
        _read(services, ctx, URI)


def test_reading_takes_a_role_checked_before_anything_is_looked_up(
    services: Services, ctx: RequestContext, exported: bytes
) -> None:
    nobody = RequestContext(ctx.scope, "nobody", "test", Principal("nobody", PrincipalKind.USER))
    for uri in (URI, "s3://audits/none/none/none.pdf", "s3://elsewhere/a/b/c.pdf"):
        with pytest.raises(AccessDenied, match="reading needs the viewer role"):
            _read(services, nobody, uri)
    viewer = Principal("viewer", PrincipalKind.USER, (Grant(Role.VIEWER),))
    assert _read(services, RequestContext(ctx.scope, "viewer", "test", viewer), URI) == exported
