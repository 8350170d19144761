"""Stored model card export jobs, and claiming them for a worker.

On PostgreSQL a worker claims the oldest runnable job with ``FOR UPDATE SKIP LOCKED``, so two
servers never take the same row; on SQLite the write transaction holds the whole database, which
serialises claims just the same.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, insert, or_, select, update

from cardinal.domain.export_jobs import Claim, ExportJob, ExportJobStatus
from cardinal.domain.identifiers import Scope
from cardinal.domain.paging import Page, PageRequest
from cardinal.store.pagination import fingerprint, read_page
from cardinal.store.repositories._conditions import listed
from cardinal.store.repositories._rows import new_id
from cardinal.store.tables import model_card_export_jobs as jobs

SORT_COLUMNS = {"Name": jobs.c.name, "CreationTime": jobs.c.created_at, "Status": jobs.c.status}


def job_from_row(row: Row[Any]) -> ExportJob:
    return ExportJob(
        id=row.id,
        name=row.name,
        arn=row.arn,
        card_id=row.card_id,
        card_name=row.card_name,
        card_version=row.card_version,
        output_path=row.output_path,
        document_format=row.document_format,
        status=ExportJobStatus(row.status),
        created_at=row.created_at,
        created_by=row.created_by,
        last_modified_at=row.last_modified_at,
        failure_reason=row.failure_reason,
        artifact_uri=row.artifact_uri,
        runs=row.runs,
    )


class ExportJobRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(
        self,
        scope: Scope,
        *,
        card_id: int,
        card_name: str,
        name: str,
        arn: str,
        card_version: int,
        output_path: str,
        document_format: str,
        actor: str,
        at: datetime,
    ) -> ExportJob:
        values = {
            "card_id": card_id,
            "account_id": scope.account_id,
            "region": scope.region,
            "card_name": card_name,
            "name": name,
            "arn": arn,
            "card_version": card_version,
            "output_path": output_path,
            "document_format": document_format,
            "status": ExportJobStatus.IN_PROGRESS.value,
            "runs": 0,
            "created_at": at,
            "created_by": actor,
            "last_modified_at": at,
            "last_modified_by": actor,
        }
        job_id = new_id(self._db.execute(insert(jobs).values(**values)))
        found = self.get(job_id)
        assert found is not None
        return found

    def get(self, job_id: int) -> ExportJob | None:
        row = self._db.execute(select(jobs).where(jobs.c.id == job_id)).first()
        return job_from_row(row) if row else None

    def find(self, card_id: int, name: str) -> ExportJob | None:
        row = self._db.execute(
            select(jobs).where(jobs.c.card_id == card_id, jobs.c.name == name)
        ).first()
        return job_from_row(row) if row else None

    def find_by_arn(self, arn: str) -> ExportJob | None:
        row = self._db.execute(select(jobs).where(jobs.c.arn == arn)).first()
        return job_from_row(row) if row else None

    def list_page(
        self,
        card_id: int,
        page: PageRequest,
        *,
        card_version: int | None = None,
        name_contains: str | None = None,
        status: ExportJobStatus | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Page[ExportJob]:
        statement = select(jobs).where(
            jobs.c.card_id == card_id,
            *listed(jobs, name_contains, created_after, created_before),
        )
        if card_version is not None:
            statement = statement.where(jobs.c.card_version == card_version)
        if status is not None:
            statement = statement.where(jobs.c.status == status.value)
        query = fingerprint(
            "export-jobs",
            card_id,
            page.sort_by,
            page.sort_order,
            card_version,
            name_contains,
            status,
            created_after,
            created_before,
        )
        return read_page(
            self._db,
            statement,
            sort_column=SORT_COLUMNS[page.sort_by],
            id_column=jobs.c.id,
            descending=page.descending,
            limit=page.max_results,
            token=page.next_token,
            query=query,
            build=job_from_row,
        )

    def claim_next(self, worker: str, now: datetime, expires_at: datetime) -> Claim | None:
        """Claim the oldest job in progress that nobody holds (or whose claim ran out)."""
        runnable = and_(
            jobs.c.status == ExportJobStatus.IN_PROGRESS.value,
            or_(jobs.c.claim_expires_at.is_(None), jobs.c.claim_expires_at < now),
        )
        statement = select(jobs.c.id, jobs.c.runs).where(runnable).order_by(jobs.c.id).limit(1)
        if self._db.dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        row = self._db.execute(statement).first()
        if row is None:
            return None
        token = str(uuid.uuid4())
        self._db.execute(
            update(jobs)
            .where(jobs.c.id == row.id)
            .values(
                claim_token=token,
                claimed_by=worker,
                claim_expires_at=expires_at,
                runs=row.runs + 1,
            )
        )
        job = self.get(row.id)
        assert job is not None
        return Claim(job=job, token=token, expires_at=expires_at)

    def finish(
        self,
        claim: Claim,
        status: ExportJobStatus,
        *,
        at: datetime,
        actor: str,
        artifact_uri: str | None = None,
        failure_reason: str | None = None,
    ) -> ExportJob | None:
        """End a claimed job; None when the claim is no longer held (the job was taken over,
        or its card deleted)."""
        result = self._db.execute(
            update(jobs)
            .where(
                jobs.c.id == claim.job.id,
                jobs.c.claim_token == claim.token,
                jobs.c.status == ExportJobStatus.IN_PROGRESS.value,
            )
            .values(
                status=status.value,
                artifact_uri=artifact_uri,
                failure_reason=failure_reason,
                claim_token=None,
                claim_expires_at=None,
                last_modified_at=at,
                last_modified_by=actor,
            )
        )
        if result.rowcount != 1:
            return None
        return self.get(claim.job.id)
