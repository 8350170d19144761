"""Attaching an evaluation report: one the server reads from S3, or one sent in the request (the
server reads none of its own files for a caller)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.api.rest.path_params import CardName
from cardinal.content.reports.schemas import REPORT_SCHEMAS
from cardinal.domain.report_kinds import MAX_REPORT_BYTES, ReportKind
from cardinal.services.evaluation_reports import AttachedReport
from cardinal.wire.evidence import (
    EVALUATION_NAME_PATTERN,
    ReportAttach,
    ReportAttached,
    problem_responses,
)

router = APIRouter(prefix="/cards", tags=["model cards"])

# The paths whose bodies may be as long as a report, rather than the door's usual limit.
UPLOAD_PATH = rf"/cards/[^/]+/reports/upload/(?:{'|'.join(kind.value for kind in ReportKind)})"

_RESPONSES = problem_responses(400, 403, 404, 409, 412, 413, 422)


@router.post(
    "/{name}/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportAttached,
    responses=_RESPONSES,
)
def attach_report(
    name: CardName,
    body: ReportAttach,
    request: Request,
    response: Response,
    services: ServicesDep,
    ctx: ContextDep,
) -> ReportAttached:
    """Put the metric groups of an evaluation report at an S3 URI into one evaluation job of
    the card, stored as the card's next version (groups of the same name are replaced)."""
    attached = services.reports.attach_report(
        ctx,
        name,
        body.location,
        body.kind,
        body.evaluation,
        s3=request.app.state.s3,
        local_files=False,
    )
    return _attached(request, response, attached)


_EVALUATION = Query(
    min_length=1,
    max_length=200,
    pattern=EVALUATION_NAME_PATTERN,
    description="The evaluation job of the card to put the metric groups in.",
)
_SOURCE = Query(
    min_length=1,
    max_length=2048,
    description="The name errors cite for the report (its file name, say).",
)


def _upload_endpoint(kind: ReportKind) -> Callable[..., Awaitable[ReportAttached]]:
    async def upload_report(
        name: CardName,
        evaluation: Annotated[str, _EVALUATION],
        request: Request,
        response: Response,
        services: ServicesDep,
        ctx: ContextDep,
        source: Annotated[str, _SOURCE] = "the uploaded report",
    ) -> ReportAttached:
        data = await request.body()
        attached = await run_in_threadpool(
            services.reports.attach_report_bytes, ctx, name, data, source, kind, evaluation
        )
        return _attached(request, response, attached)

    return upload_report


for _kind in ReportKind:
    _schema = REPORT_SCHEMAS[_kind]
    router.add_api_route(
        f"/{{name}}/reports/upload/{_kind.value}",
        _upload_endpoint(_kind),
        methods=["POST"],
        name=f"upload_{_kind.value}_report",
        summary=f"Upload a {_schema['title']} report",
        description="Put the metric groups of the evaluation report sent as the request body "
        "into one evaluation job of the card, stored as the card's next version.",
        status_code=status.HTTP_201_CREATED,
        response_model=ReportAttached,
        responses=_RESPONSES,
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": f"The report's JSON, as its file holds it (at most "
                f"{MAX_REPORT_BYTES:,} bytes). Every report this schema describes is read; "
                "the server reads larger ones too (more points, classes, features), within "
                "what a model card holds, which JSON Schema cannot state.",
                "content": {"application/json": {"schema": _schema}},
            }
        },
    )


def _attached(request: Request, response: Response, attached: AttachedReport) -> ReportAttached:
    root = request.scope.get("root_path", "")
    response.headers["Location"] = f"{root}/cards/{attached.card_name}/versions/{attached.version}"
    response.headers["ETag"] = f'"v{attached.version}"'
    return ReportAttached(
        name=attached.card_name,
        version=attached.version,
        evaluation=attached.evaluation_name,
        kind=attached.kind,
        source=attached.source,
        created_evaluation=attached.created_evaluation,
        groups_added=[g["name"] for g in attached.metric_groups],
        groups_replaced=attached.replaced_group_names,
    )
