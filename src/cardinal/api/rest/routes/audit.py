"""The audit trail: who changed what and when, with the before and after, page by page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.api.rest.paging import Limit, NextToken, Page, next_link
from cardinal.domain.audit import AuditAction, AuditEvent, AuditQuery
from cardinal.domain.errors import InvalidInput
from cardinal.wire.evidence import AuditEventRead, problem_responses

router = APIRouter(prefix="/audit", tags=["evidence"], responses=problem_responses(409, 422))

_TEXT = r"^[^\x00-\x1f\x7f]*$"
Since = Annotated[
    datetime | None,
    Query(description="Events at or after this time (ISO-8601; UTC unless it has an offset)."),
]
Until = Annotated[
    datetime | None,
    Query(description="Events before this time (ISO-8601; UTC unless it has an offset)."),
]


def _utc(value: datetime | None, name: str) -> datetime | None:
    """An aware UTC time; a time without an offset is taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(
            f"'{value.isoformat()}' is out of range as a UTC time.", path=name
        ) from None


def event_read(event: AuditEvent) -> AuditEventRead:
    return AuditEventRead(
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor=event.actor,
        action=event.action,
        resource_arn=event.resource_arn,
        request_id=event.request_id,
        before=event.before,
        after=event.after,
        sha256=event.hash,
        previous_sha256=event.previous_hash,
    )


@router.get("", response_model=Page[AuditEventRead])
def list_audit_events(
    request: Request,
    services: ServicesDep,
    ctx: ContextDep,
    resource: Annotated[
        str | None, Query(max_length=2048, pattern=_TEXT, description="A resource ARN.")
    ] = None,
    actor: Annotated[str | None, Query(max_length=256, pattern=_TEXT)] = None,
    action: Annotated[AuditAction | None, Query()] = None,
    since: Since = None,
    until: Until = None,
    order: Annotated[Literal["asc", "desc"], Query()] = "asc",
    limit: Limit = 50,
    next_token: NextToken = None,
) -> Page[AuditEventRead]:
    """Audit events by resource, actor, action and time (since ≤ occurred_at < until),
    oldest first unless ``order=desc``."""
    page = services.audit.list_audit_events(
        ctx,
        AuditQuery(
            resource_arn=resource,
            actor=actor,
            action=action,
            since=_utc(since, "since"),
            until=_utc(until, "until"),
            max_results=limit,
            next_token=next_token,
            newest_first=order == "desc",
        ),
    )
    return Page(items=[event_read(e) for e in page.items], next=next_link(request, page.next_token))
