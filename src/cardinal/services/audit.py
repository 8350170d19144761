"""Recording every change in the audit trail, and reading the trail back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cardinal.domain.access import Action
from cardinal.domain.audit import AuditAction, AuditEvent, AuditQuery
from cardinal.domain.paging import Page
from cardinal.services.context import RequestContext, utcnow
from cardinal.store.unit_of_work import Store, UnitOfWork


def record(
    uow: UnitOfWork,
    ctx: RequestContext,
    action: AuditAction,
    resource_arn: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event in the unit of work's transaction: it lands only if the change does."""
    return uow.audit.append(
        occurred_at=at or utcnow(),
        actor=ctx.actor,
        action=action,
        resource_arn=resource_arn,
        request_id=ctx.request_id,
        before=before,
        after=after,
    )


class AuditService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list_audit_events(self, ctx: RequestContext, query: AuditQuery) -> Page[AuditEvent]:
        """Events by resource, actor, action and time range, oldest first unless asked."""
        ctx.require(Action.READ)
        return self._store.read(lambda uow: uow.audit.list_page(query))
