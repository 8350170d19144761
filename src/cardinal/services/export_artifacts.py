"""Export artifacts read back by the URI their export job reported.

A Completed export job reports its document as ``s3://bucket/key``. Cardinal answers for that
object itself (its S3 door), whichever store holds it (the configured object store, or the
directory standing in for one): only for keys that are the artifact of an export job recorded
in the store, and only to callers who may read the job and its card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cardinal.domain.access import Action
from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.errors import NotFound
from cardinal.domain.export_artifacts import ArtifactKey, NoSuchBucket, artifact_key
from cardinal.domain.export_jobs import ExportJob, ExportJobStatus
from cardinal.services.context import RequestContext
from cardinal.store.objects import ObjectStore, ObjectStoreError
from cardinal.store.unit_of_work import Store, UnitOfWork


@dataclass(frozen=True)
class ExportArtifact:
    """The document a Completed export job wrote, as it is stored now."""

    uri: str
    data: bytes
    media_type: str
    # When the job finished writing it.
    last_modified: datetime
    export_job_arn: str


class ExportArtifactService:
    def __init__(self, store: Store, outputs: ObjectStore) -> None:
        self._store = store
        self._outputs = outputs

    def read_export_artifact(self, ctx: RequestContext, bucket: str, key: str) -> ExportArtifact:
        """The object at ``s3://bucket/key`` when it is the artifact of a Completed export job of
        a card in the caller's account and region.

        Takes the permission to read export jobs and cards (AccessDenied otherwise), checked
        before anything is looked up. NoSuchBucket when the bucket holds no export artifact at
        all; NotFound when the key is no export job's artifact, or its object is gone.
        """
        ctx.require(Action.READ)
        uri = f"s3://{bucket}/{key}"
        named = artifact_key(key)
        job = self._store.read(lambda uow: _job_named(uow, ctx, named)) if named else None
        if job is None or job.status is not ExportJobStatus.COMPLETED or job.artifact_uri != uri:
            if not self._outputs.holds_bucket(bucket):
                raise NoSuchBucket(
                    f"The bucket '{bucket}' holds no export artifact of Cardinal: no export job "
                    "wrote into it."
                )
            raise NotFound(
                f"'{uri}' is not the artifact of a Completed model card export job in this "
                "account and region."
            )
        try:
            data = self._outputs.get(bucket, key)
        except ObjectStoreError as error:
            raise NotFound(f"The artifact of export job '{job.arn}' is gone: {error}") from None
        return ExportArtifact(
            uri=uri,
            data=data,
            media_type=DocumentFormat(job.document_format).media_type,
            last_modified=job.last_modified_at,
            export_job_arn=job.arn,
        )


def _job_named(uow: UnitOfWork, ctx: RequestContext, named: ArtifactKey) -> ExportJob | None:
    card = uow.cards.find(ctx.scope, named.card_name)
    return uow.export_jobs.find(card.id, named.job_name) if card is not None else None
