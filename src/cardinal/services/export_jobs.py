"""Model card export jobs: create, describe, list, and run them.

Creating a job records it ``InProgress`` and wakes this server's worker; any server's worker may
run it (see :meth:`ExportJobService.run_next`). Running renders the card version with the same
renderer as every other export and writes it to the job's output path, in the object store when
one is configured, otherwise in the directory that stands in for it. The job then ends
``Completed`` with the artifact's ``s3://`` URI, or ``Failed`` with the reason. The artifact is
read back by that URI through :mod:`cardinal.services.export_artifacts`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime

from cardinal.documents import CardDocument, DocumentError, render
from cardinal.domain.access import Action
from cardinal.domain.audit import AuditAction
from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.errors import AlreadyExists, InputField, InvalidInput, NotFound
from cardinal.domain.export_jobs import (
    CLAIM_LEASE,
    Claim,
    ExportJob,
    ExportJobStatus,
    failure_reason,
    output_location,
)
from cardinal.domain.identifiers import parse_arn
from cardinal.domain.paging import Page, PageRequest
from cardinal.services.audit import record
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.documents import document_file_name, find_card_version, gather_document
from cardinal.services.model_cards import card_name
from cardinal.store.objects import ObjectStore, ObjectStoreError
from cardinal.store.unit_of_work import Store, UnitOfWork

log = logging.getLogger(__name__)

WORKER_ACTOR = "cardinal:export-worker"
_JOB_ARN_PART = "/export-job/"


@dataclass(frozen=True)
class Artifact:
    data: bytes
    media_type: str
    file_name: str


def _job_arn_parts(ctx: RequestContext, arn: str) -> tuple[str, str]:
    """The card name and job name in an export job ARN of this account and region."""
    parsed = parse_arn(arn, ctx.scope, what="model card export job", field=InputField.EXPORT_JOB)
    card, sep, job = parsed.resource.partition(_JOB_ARN_PART) if parsed else ("", "", "")
    if parsed is None or parsed.kind != "model-card" or not sep or not card or not job:
        raise InvalidInput(
            f"'{arn}' is not the ARN of a model card export job.", field=InputField.EXPORT_JOB
        )
    if not parsed.is_in(ctx.scope):
        raise NotFound(f"Model card export job '{arn}' does not exist.")
    return card, job


def _summary(job: ExportJob) -> dict[str, object]:
    return {
        "export_job": job.name,
        "card_version": job.card_version,
        "format": job.document_format,
        "output_path": job.output_path,
    }


class ExportJobService:
    def __init__(self, store: Store, outputs: ObjectStore) -> None:
        self._store = store
        self.outputs = outputs
        self.worker_name = f"{socket.gethostname()}:{os.getpid()}"
        # Set when a job is created here, so this server's worker starts it at once.
        self.job_created = threading.Event()

    def create_export_job(
        self,
        ctx: RequestContext,
        card_name_or_arn: str,
        job_name: str,
        output_path: str,
        *,
        version: int | None = None,
        document_format: DocumentFormat = DocumentFormat.PDF,
    ) -> ExportJob:
        """Exporting is reading: an auditor with the viewer role may export what it can see."""
        ctx.require(Action.READ)
        output_location(output_path)

        def work(uow: UnitOfWork) -> ExportJob:
            card, found = find_card_version(uow, ctx, card_name_or_arn, version)
            if uow.export_jobs.find(card.id, job_name) is not None:
                raise AlreadyExists(
                    f"Model card '{card.name}' has an export job named '{job_name}' already."
                )
            now = utcnow()
            job = uow.export_jobs.add(
                ctx.scope,
                card_id=card.id,
                card_name=card.name,
                name=job_name,
                arn=ctx.scope.arn("model-card", f"{card.name}{_JOB_ARN_PART}{job_name}"),
                card_version=found.version,
                output_path=output_path,
                document_format=document_format.value,
                actor=ctx.actor,
                at=now,
            )
            record(uow, ctx, AuditAction.CARD_EXPORT, card.arn, after=_summary(job), at=now)
            return job

        job = self._store.write(work)
        self.job_created.set()
        return job

    def describe_export_job(self, ctx: RequestContext, arn: str) -> ExportJob:
        ctx.require(Action.READ)
        _job_arn_parts(ctx, arn)
        found = self._store.read(lambda uow: uow.export_jobs.find_by_arn(arn))
        if found is None:
            raise NotFound(f"Model card export job '{arn}' does not exist.")
        return found

    def get_export_job(
        self, ctx: RequestContext, card_name_or_arn: str, job_name: str
    ) -> ExportJob:
        ctx.require(Action.READ)

        def work(uow: UnitOfWork) -> ExportJob:
            name = card_name(ctx, card_name_or_arn)
            card = uow.cards.find(ctx.scope, name)
            job = uow.export_jobs.find(card.id, job_name) if card else None
            if card is None:
                raise NotFound(f"Model card '{name}' does not exist.")
            if job is None:
                raise NotFound(f"Model card '{name}' has no export job named '{job_name}'.")
            return job

        return self._store.read(work)

    def list_export_jobs(
        self,
        ctx: RequestContext,
        card_name_or_arn: str,
        page: PageRequest,
        *,
        card_version: int | None = None,
        name_contains: str | None = None,
        status: ExportJobStatus | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        missing_card_is_empty: bool = False,
    ) -> Page[ExportJob]:
        """A card's export jobs; a card that does not exist has none (``missing_card_is_empty``,
        as SageMaker answers) or is NotFound."""
        ctx.require(Action.READ)

        def work(uow: UnitOfWork) -> Page[ExportJob]:
            name = card_name(ctx, card_name_or_arn)
            card = uow.cards.find(ctx.scope, name)
            if card is None:
                if missing_card_is_empty:
                    return Page(items=[])
                raise NotFound(f"Model card '{name}' does not exist.")
            return uow.export_jobs.list_page(
                card.id,
                page,
                card_version=card_version,
                name_contains=name_contains,
                status=status,
                created_after=created_after,
                created_before=created_before,
            )

        return self._store.read(work)

    def read_artifact(self, ctx: RequestContext, card_name_or_arn: str, job_name: str) -> Artifact:
        """What a Completed job wrote."""
        job = self.get_export_job(ctx, card_name_or_arn, job_name)
        if job.status is not ExportJobStatus.COMPLETED or job.artifact_uri is None:
            raise NotFound(
                f"Export job '{job.name}' of model card '{job.card_name}' has no artifact: "
                f"it is {job.status.value}."
            )
        location = output_location(job.artifact_uri)
        try:
            data = self.outputs.get(location.bucket, location.prefix)
        except ObjectStoreError as error:
            raise NotFound(f"The artifact of export job '{job.name}' is gone: {error}") from None
        fmt = DocumentFormat(job.document_format)
        return Artifact(
            data=data,
            media_type=fmt.media_type,
            file_name=document_file_name(job.card_name, job.card_version, fmt),
        )

    def run_next(self) -> ExportJob | None:
        """Claim one runnable job, run it and finish it; None when there was nothing to run.

        Rendering and writing happen outside any transaction; only the holder of the claim
        may finish the job, so a job taken over after its lease ran out is finished once.
        """
        now = utcnow()
        claim = self._store.write(
            lambda uow: uow.export_jobs.claim_next(self.worker_name, now, now + CLAIM_LEASE),
            audited=False,  # a claim is the worker's bookkeeping; the job's outcome is audited
        )
        if claim is None:
            return None
        job = claim.job
        try:
            artifact_uri = self._export(claim)
        except (DocumentError, ObjectStoreError, NotFound) as error:
            return self._finish(claim, ExportJobStatus.FAILED, reason=str(error))
        except Exception as error:
            log.exception("export job %s failed", job.arn)
            return self._finish(
                claim, ExportJobStatus.FAILED, reason=f"Internal error while exporting: {error}"
            )
        return self._finish(claim, ExportJobStatus.COMPLETED, artifact_uri=artifact_uri)

    def _export(self, claim: Claim) -> str:
        job = claim.job
        ctx = self._worker_context(job)

        def read(uow: UnitOfWork) -> CardDocument:
            card, version = find_card_version(uow, ctx, job.card_name, job.card_version)
            if card.id != job.card_id:
                raise NotFound(f"Model card '{job.card_name}' was deleted.")
            return gather_document(uow, ctx, card, version)

        document = self._store.read(read)
        fmt = DocumentFormat(job.document_format)
        data = render(document, fmt)
        location = output_location(job.output_path)
        key = location.key_for(
            job.card_name, job.name, document_file_name(job.card_name, job.card_version, fmt)
        )
        self.outputs.put(location.bucket, key, data, fmt.media_type)
        return location.uri(key)

    def _worker_context(self, job: ExportJob) -> RequestContext:
        """The worker acts on ``job`` in the partition, account and region of the job's ARN."""
        parsed = parse_arn(job.arn)
        assert parsed is not None
        return RequestContext(parsed.scope, WORKER_ACTOR, f"export-{job.id}-{job.runs}")

    def _finish(
        self,
        claim: Claim,
        status: ExportJobStatus,
        *,
        artifact_uri: str | None = None,
        reason: str | None = None,
    ) -> ExportJob | None:
        job = claim.job
        ctx = self._worker_context(job)

        def work(uow: UnitOfWork) -> ExportJob | None:
            now = utcnow()
            finished = uow.export_jobs.finish(
                claim,
                status,
                at=now,
                actor=WORKER_ACTOR,
                artifact_uri=artifact_uri,
                failure_reason=failure_reason(reason) if reason is not None else None,
            )
            if finished is not None:
                after: dict[str, object] = {"status": status.value}
                if finished.artifact_uri:
                    after["artifact_uri"] = finished.artifact_uri
                if finished.failure_reason:
                    after["failure_reason"] = finished.failure_reason
                record(
                    uow,
                    ctx,
                    AuditAction.EXPORT_JOB_FINISH,
                    job.arn,
                    before={"status": ExportJobStatus.IN_PROGRESS.value},
                    after=after,
                    at=now,
                )
            return finished

        finished = self._store.write(work)
        if finished is None:
            log.warning("export job %s was taken over or deleted before it finished", job.arn)
        return finished or job
