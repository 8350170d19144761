"""Card exports: render a card version now, or as a job whose artifact can be downloaded."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.api.rest.paging import Limit, NextToken, Order, Page, next_link, sort_order
from cardinal.api.rest.path_params import CardName
from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.export_jobs import ExportJob, ExportJobStatus
from cardinal.domain.identifiers import ENTITY_NAME, ENTITY_NAME_MAX_LENGTH
from cardinal.domain.paging import PageRequest
from cardinal.wire.evidence import PROBLEM_RESPONSES
from cardinal.wire.exports import ExportJobCreate, ExportJobRead

router = APIRouter(prefix="/cards", tags=["exports"], responses=PROBLEM_RESPONSES)

_DOCUMENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The document, as an attachment.",
        "content": {
            media_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
            for media_type in sorted({fmt.media_type for fmt in DocumentFormat})
        },
    }
}


JobName = Annotated[str, Path(pattern=ENTITY_NAME, max_length=ENTITY_NAME_MAX_LENGTH)]


class JobSort(StrEnum):
    CREATION_TIME = "creation_time"
    NAME = "name"
    STATUS = "status"


_SORT_KEYS = {JobSort.CREATION_TIME: "CreationTime", JobSort.NAME: "Name", JobSort.STATUS: "Status"}


def _attachment(data: bytes, media_type: str, file_name: str) -> Response:
    return Response(
        content=data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{file_name}"'},
    )


def job_read(job: ExportJob) -> ExportJobRead:
    return ExportJobRead(
        name=job.name,
        arn=job.arn,
        card_name=job.card_name,
        card_version=job.card_version,
        format=DocumentFormat(job.document_format),
        output_path=job.output_path,
        status=job.status,
        artifact_uri=job.artifact_uri,
        failure_reason=job.failure_reason,
        created_at=job.created_at,
        created_by=job.created_by,
        last_modified_at=job.last_modified_at,
    )


@router.get("/{name}/export", response_class=Response, responses=_DOCUMENT_RESPONSES)
def export_card(
    name: CardName,
    services: ServicesDep,
    ctx: ContextDep,
    format: Annotated[DocumentFormat, Query(description="Document format.")] = DocumentFormat.PDF,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    """Render a card version now (the latest unless `version` is given), in any format."""
    rendered = services.documents.render_card(ctx, name, format, version)
    return _attachment(rendered.data, rendered.media_type, rendered.file_name)


@router.post(
    "/{name}/export-jobs", status_code=status.HTTP_202_ACCEPTED, response_model=ExportJobRead
)
def create_export_job(
    name: CardName,
    body: ExportJobCreate,
    request: Request,
    response: Response,
    services: ServicesDep,
    ctx: ContextDep,
) -> ExportJobRead:
    """Start an export job; it runs in the background and ends Completed or Failed."""
    job = services.export_jobs.create_export_job(
        ctx,
        name,
        body.name,
        body.output_path,
        version=body.version,
        document_format=body.format,
    )
    response.headers["Location"] = str(
        request.url_for("read_export_job", name=job.card_name, job=job.name)
    )
    return job_read(job)


@router.get("/{name}/export-jobs", response_model=Page[ExportJobRead])
def list_export_jobs(
    name: CardName,
    request: Request,
    services: ServicesDep,
    ctx: ContextDep,
    limit: Limit = 50,
    next_token: NextToken = None,
    status_is: Annotated[ExportJobStatus | None, Query(alias="status")] = None,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    name_contains: Annotated[str | None, Query(max_length=63, pattern=r"^[a-zA-Z0-9-]+$")] = None,
    sort: JobSort = JobSort.CREATION_TIME,
    order: Order = "desc",
) -> Page[ExportJobRead]:
    """A card's export jobs, newest first unless asked otherwise."""
    page = services.export_jobs.list_export_jobs(
        ctx,
        name,
        PageRequest(
            sort_by=_SORT_KEYS[sort],
            sort_order=sort_order(order),
            max_results=limit,
            next_token=next_token,
        ),
        card_version=version,
        name_contains=name_contains,
        status=status_is,
    )
    return Page(
        items=[job_read(job) for job in page.items], next=next_link(request, page.next_token)
    )


@router.get("/{name}/export-jobs/{job}", response_model=ExportJobRead)
def read_export_job(
    name: CardName, job: JobName, services: ServicesDep, ctx: ContextDep
) -> ExportJobRead:
    """One export job: its status, and the artifact's URI once Completed."""
    return job_read(services.export_jobs.get_export_job(ctx, name, job))


@router.get(
    "/{name}/export-jobs/{job}/artifact", response_class=Response, responses=_DOCUMENT_RESPONSES
)
def download_export_artifact(
    name: CardName, job: JobName, services: ServicesDep, ctx: ContextDep
) -> Response:
    """Download what a Completed export job wrote."""
    artifact = services.export_jobs.read_artifact(ctx, name, job)
    return _attachment(artifact.data, artifact.media_type, artifact.file_name)
