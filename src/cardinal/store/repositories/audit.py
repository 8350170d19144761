"""The stored audit trail: appending to its hash chain, reading it back page by page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from cardinal.content.canonical import record_sha256
from cardinal.domain.audit import AuditAction, AuditEvent, AuditQuery, audit_record
from cardinal.domain.paging import Page
from cardinal.store.pagination import fingerprint, page_of, paginate, stream_in_key_order
from cardinal.store.tables import audit_chain, audit_events


def event_from_row(row: Row[Any]) -> AuditEvent:
    return AuditEvent(
        seq=row.seq,
        occurred_at=row.occurred_at,
        actor=row.actor,
        action=AuditAction(row.action),
        resource_arn=row.resource_arn,
        request_id=row.request_id,
        before=row.before,
        after=row.after,
        previous_hash=row.previous_sha256,
        hash=row.sha256,
    )


class AuditRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def append(
        self,
        *,
        occurred_at: datetime,
        actor: str,
        action: AuditAction,
        resource_arn: str,
        request_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> AuditEvent:
        """Append one event; the chain head's row lock orders concurrent appends."""
        head = self._db.execute(
            select(audit_chain.c.last_seq, audit_chain.c.last_sha256)
            .where(audit_chain.c.id == 1)
            .with_for_update()
        ).one()
        seq = int(head.last_seq) + 1
        record = audit_record(
            seq, occurred_at, actor, action, resource_arn, request_id, before, after,
            head.last_sha256,
        )  # fmt: skip
        digest = record_sha256(record)
        self._db.execute(
            insert(audit_events).values(
                seq=seq,
                occurred_at=occurred_at,
                actor=actor,
                action=action.value,
                resource_arn=resource_arn,
                request_id=request_id,
                before=before,
                after=after,
                previous_sha256=head.last_sha256,
                sha256=digest,
            )
        )
        self._db.execute(
            update(audit_chain)
            .where(audit_chain.c.id == 1)
            .values(last_seq=seq, last_sha256=digest)
        )
        return AuditEvent(
            seq, occurred_at, actor, action, resource_arn, request_id, before, after,
            head.last_sha256, digest,
        )  # fmt: skip

    def head(self) -> tuple[int, str | None]:
        row = self._db.execute(
            select(audit_chain.c.last_seq, audit_chain.c.last_sha256).where(audit_chain.c.id == 1)
        ).one()
        return int(row.last_seq), row.last_sha256

    def count(self) -> int:
        return self.head()[0]

    def list_page(self, query: AuditQuery) -> Page[AuditEvent]:
        statement = select(audit_events)
        if query.resource_arn is not None:
            statement = statement.where(audit_events.c.resource_arn == query.resource_arn)
        if query.actor is not None:
            statement = statement.where(audit_events.c.actor == query.actor)
        if query.action is not None:
            statement = statement.where(audit_events.c.action == query.action.value)
        if query.since is not None:
            statement = statement.where(audit_events.c.occurred_at >= query.since)
        if query.until is not None:
            statement = statement.where(audit_events.c.occurred_at < query.until)
        key = fingerprint(
            "audit", query.resource_arn, query.actor, query.action, query.since, query.until,
            query.newest_first,
        )  # fmt: skip
        statement = paginate(
            statement,
            sort_column=audit_events.c.seq,
            id_column=audit_events.c.seq,
            descending=query.newest_first,
            limit=query.max_results,
            token=query.next_token,
            query=key,
        )
        rows = self._db.execute(statement).all()
        return page_of(
            rows,
            limit=query.max_results,
            query=key,
            sort_value=lambda r: r.seq,
            row_id=lambda r: r.seq,
            build=event_from_row,
        )

    def stream(self) -> Iterator[AuditEvent]:
        """Every event in chain order, read in batches."""
        for row in stream_in_key_order(self._db, select(audit_events), (audit_events.c.seq,)):
            yield event_from_row(row)
