"""The release gate of one model version, and its history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.api.rest.path_params import GroupName
from cardinal.api.rest.point_in_time import AsOfQuery, chain_read
from cardinal.api.rest.routes.approvals import decision_read
from cardinal.api.rest.routes.audit import event_read
from cardinal.services.gate import GateDecision
from cardinal.wire.cards import GateRead
from cardinal.wire.evidence import VersionHistoryRead, problem_responses

router = APIRouter(tags=["model package versions"], responses=problem_responses(404, 422))

Version = Annotated[int, Path(ge=1, le=999_999_999)]


@router.get("/groups/{group}/versions/{version}/gate", response_model=GateRead)
def gate(
    group: GroupName,
    version: Version,
    services: ServicesDep,
    ctx: ContextDep,
    as_of: AsOfQuery = None,
) -> GateRead:
    """Whether the version may be deployed: it is Approved and so is the card documenting it.
    With ``as_of``, what the gate would have answered then, from the values of that moment."""
    name = f"{group}/{version}"
    if as_of is None:
        return gate_read(services.gate.check_release(ctx, name))
    then = services.past.gate(ctx, name, as_of)
    read = gate_read(then.decision)
    return read.model_copy(update={"as_of": as_of, "chain": chain_read(then.chain)})


def gate_read(decision: GateDecision) -> GateRead:
    return GateRead(
        open=decision.open,
        model_package_arn=decision.package.arn,
        model_approval_status=decision.package.approval_status.value,
        model_card_name=decision.card.name if decision.card else None,
        model_card_version=decision.card.latest_version if decision.card else None,
        model_card_status=decision.card.status if decision.card else None,
        missing=list(decision.missing),
        decisions=[decision_read(d) for d in decision.decisions],
    )


@router.get(
    "/groups/{group}/versions/{version}/evidence",
    response_class=Response,
    responses={
        200: {
            "description": "The evidence pack (a zip), as an attachment.",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def evidence_pack(
    group: GroupName,
    version: Version,
    services: ServicesDep,
    ctx: ContextDep,
    as_of: AsOfQuery = None,
) -> Response:
    """The evidence pack of the version at ``as_of`` (default: now): the version and the card
    documenting it as they were then, the decisions made by then, the audit events all that
    rests on with their hashes, and the card rendered. `cardinal evidence verify` checks it
    offline."""
    pack = services.evidence_packs.pack(ctx, f"{group}/{version}", as_of)
    return Response(
        content=pack.data,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{pack.file_name}"',
            "X-Cardinal-Evidence-Sha256": pack.sha256,
        },
    )


@router.get("/groups/{group}/versions/{version}/history", response_model=VersionHistoryRead)
def history(
    group: GroupName, version: Version, services: ServicesDep, ctx: ContextDep
) -> VersionHistoryRead:
    """The version's timeline: its own audit events and those of the cards that documented it
    (the card documenting it now, and every card an approval of it saw), oldest first."""
    timeline = services.timelines.version_timeline(ctx, f"{group}/{version}")
    return VersionHistoryRead(
        model_package_arn=timeline.package.arn,
        model_card_name=timeline.card.name if timeline.card else None,
        card_arns=list(timeline.card_arns),
        complete=timeline.complete,
        events=[event_read(e) for e in timeline.events],
    )
