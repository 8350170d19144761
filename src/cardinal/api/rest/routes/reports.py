"""Attaching an evaluation report (an S3 object; the server reads none of its own files)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.api.rest.path_params import CardName
from cardinal.wire.evidence import ReportAttach, ReportAttached, problem_responses

router = APIRouter(prefix="/cards", tags=["model cards"])


@router.post(
    "/{name}/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportAttached,
    responses=problem_responses(400, 404, 409, 412, 422),
)
def attach_report(
    name: CardName,
    body: ReportAttach,
    request: Request,
    response: Response,
    services: ServicesDep,
    ctx: ContextDep,
) -> ReportAttached:
    """Put the metric groups of an evaluation report into one evaluation job of the card,
    stored as the card's next version (groups of the same name are replaced)."""
    attached = services.reports.attach_report(
        ctx,
        name,
        body.location,
        body.kind,
        body.evaluation,
        s3=request.app.state.s3,
        local_files=False,
    )
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
