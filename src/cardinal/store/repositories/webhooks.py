"""Stored webhook subscriptions and their deliveries: matching new audit events to
subscriptions, claiming the deliveries that are due (each resource's in order), recording
each attempt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, exists, insert, or_, select, update

from cardinal.domain.audit import AuditEvent
from cardinal.domain.webhooks import DeliveryStatus
from cardinal.store.repositories.audit import event_from_row
from cardinal.store.tables import (
    audit_chain,
    audit_events,
    webhook_deliveries,
    webhook_subscriptions,
)

subs = webhook_subscriptions
deliveries = webhook_deliveries


@dataclass(frozen=True)
class StoredSubscription:
    id: int
    public_id: str
    url: str
    events: tuple[str, ...]
    groups: tuple[str, ...]
    sealed_secret: str
    previous_sealed_secret: str | None
    """The secret before the last rotation, still signing until ``previous_secret_expires_at``."""
    previous_secret_expires_at: datetime | None
    enabled: bool
    disabled_reason: str | None
    through_seq: int
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class StoredDelivery:
    id: int
    subscription_id: int
    event_seq: int
    resource_arn: str
    message_id: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None


def _subscription(row: Row[Any]) -> StoredSubscription:
    return StoredSubscription(
        id=row.id,
        public_id=row.public_id,
        url=row.url,
        events=tuple(row.events),
        groups=tuple(row.groups),
        sealed_secret=row.sealed_secret,
        previous_sealed_secret=row.previous_sealed_secret,
        previous_secret_expires_at=row.previous_secret_expires_at,
        enabled=bool(row.enabled),
        disabled_reason=row.disabled_reason,
        through_seq=int(row.through_seq),
        created_at=row.created_at,
        created_by=row.created_by,
    )


def _delivery(row: Row[Any]) -> StoredDelivery:
    return StoredDelivery(
        id=row.id,
        subscription_id=row.subscription_id,
        event_seq=int(row.event_seq),
        resource_arn=row.resource_arn,
        message_id=row.message_id,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        last_attempt_at=row.last_attempt_at,
        delivered_at=row.delivered_at,
    )


class WebhookRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def _skip_locked(self) -> bool:
        # PostgreSQL: rows another server holds are skipped, so servers share the work and none
        # does it twice. SQLite has no row locks: its one writer at a time does the same.
        return self._db.dialect.name == "postgresql"

    def add(
        self,
        *,
        public_id: str,
        url: str,
        events: Sequence[str],
        groups: Sequence[str],
        sealed_secret: str,
        through_seq: int,
        now: datetime,
        actor: str,
    ) -> StoredSubscription:
        self._db.execute(
            insert(subs).values(
                public_id=public_id, url=url, events=list(events), groups=list(groups),
                sealed_secret=sealed_secret, enabled=True, through_seq=through_seq,
                created_at=now, created_by=actor,
            )
        )  # fmt: skip
        found = self.find(public_id)
        assert found is not None
        return found

    def find(self, public_id: str) -> StoredSubscription | None:
        row = self._db.execute(select(subs).where(subs.c.public_id == public_id)).first()
        return _subscription(row) if row else None

    def all(self) -> list[StoredSubscription]:
        return [_subscription(r) for r in self._db.execute(select(subs).order_by(subs.c.id))]

    def rotate(
        self,
        subscription_id: int,
        *,
        sealed_secret: str,
        previous_sealed_secret: str | None,
        previous_expires_at: datetime | None,
    ) -> None:
        self._db.execute(
            update(subs)
            .where(subs.c.id == subscription_id)
            .values(
                sealed_secret=sealed_secret,
                previous_sealed_secret=previous_sealed_secret,
                previous_secret_expires_at=previous_expires_at,
            )
        )

    def delete(self, subscription_id: int) -> None:
        self._db.execute(delete(subs).where(subs.c.id == subscription_id))

    def disable(self, subscription_id: int, reason: str) -> None:
        self._db.execute(
            update(subs)
            .where(subs.c.id == subscription_id)
            .values(enabled=False, disabled_reason=reason)
        )
        self._db.execute(
            update(deliveries)
            .where(
                deliveries.c.subscription_id == subscription_id,
                deliveries.c.status == DeliveryStatus.PENDING.value,
            )
            .values(status=DeliveryStatus.FAILED.value, last_error=reason)
        )

    def anything_to_do(self, now: datetime) -> tuple[bool, bool]:
        """Whether an enabled subscription has events to match, and whether any delivery is
        due: two small reads, so an idle worker never writes."""
        head = select(audit_chain.c.last_seq).where(audit_chain.c.id == 1).scalar_subquery()
        enabled = self._db.execute(
            select(subs.c.id).where(subs.c.enabled.is_(True), subs.c.through_seq < head).limit(1)
        ).first()
        due = self._db.execute(
            select(deliveries.c.id)
            .where(
                deliveries.c.status == DeliveryStatus.PENDING.value,
                deliveries.c.next_attempt_at <= now,
            )
            .limit(1)
        ).first()
        return enabled is not None, due is not None

    def claim_for_matching(self) -> list[StoredSubscription]:
        """The enabled subscriptions, locked until the transaction ends (PostgreSQL: those no
        other server holds)."""
        rows = self._db.execute(
            select(subs)
            .where(subs.c.enabled.is_(True))
            .order_by(subs.c.id)
            .with_for_update(skip_locked=self._skip_locked())
        )
        return [_subscription(r) for r in rows]

    def events_after(self, seq: int, limit: int) -> list[AuditEvent]:
        rows = self._db.execute(
            select(audit_events)
            .where(audit_events.c.seq > seq)
            .order_by(audit_events.c.seq)
            .limit(limit)
        )
        return [event_from_row(r) for r in rows]

    def add_deliveries(
        self, subscription: StoredSubscription, events: Sequence[AuditEvent], now: datetime
    ) -> None:
        if events:
            self._db.execute(
                insert(deliveries),
                [
                    {
                        "subscription_id": subscription.id,
                        "event_seq": e.seq,
                        "resource_arn": e.resource_arn,
                        "message_id": f"msg_{subscription.public_id}_{e.seq}",
                        "status": DeliveryStatus.PENDING.value,
                        "attempts": 0,
                        "next_attempt_at": now,
                    }
                    for e in events
                ],
            )

    def matched_through(self, subscription_id: int, seq: int) -> None:
        self._db.execute(update(subs).where(subs.c.id == subscription_id).values(through_seq=seq))

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[StoredDelivery]:
        """Pending deliveries that are due and not held by a server, each the oldest pending
        one of its subscription and resource (so each resource's events arrive in order);
        held until ``lease_until``."""
        earlier = deliveries.alias("earlier")
        blocked = exists().where(
            earlier.c.subscription_id == deliveries.c.subscription_id,
            earlier.c.resource_arn == deliveries.c.resource_arn,
            earlier.c.event_seq < deliveries.c.event_seq,
            earlier.c.status == DeliveryStatus.PENDING.value,
        )
        rows = self._db.execute(
            select(deliveries)
            .where(
                deliveries.c.status == DeliveryStatus.PENDING.value,
                deliveries.c.next_attempt_at <= now,
                or_(deliveries.c.claimed_until.is_(None), deliveries.c.claimed_until < now),
                ~blocked,
            )
            .order_by(deliveries.c.event_seq)
            .limit(limit)
            .with_for_update(skip_locked=self._skip_locked())
        ).all()
        claimed = [_delivery(r) for r in rows]
        if claimed:
            self._db.execute(
                update(deliveries)
                .where(deliveries.c.id.in_([d.id for d in claimed]))
                .values(claimed_until=lease_until)
            )
        return claimed

    def event(self, seq: int) -> AuditEvent | None:
        row = self._db.execute(select(audit_events).where(audit_events.c.seq == seq)).first()
        return event_from_row(row) if row else None

    def subscription_by_id(self, subscription_id: int) -> StoredSubscription | None:
        row = self._db.execute(select(subs).where(subs.c.id == subscription_id)).first()
        return _subscription(row) if row else None

    def record_attempt(
        self,
        delivery_id: int,
        *,
        status: DeliveryStatus,
        attempts: int,
        at: datetime,
        next_attempt_at: datetime | None,
        status_code: int | None,
        error: str | None,
    ) -> None:
        values: dict[str, Any] = {
            "status": status.value,
            "attempts": attempts,
            "last_attempt_at": at,
            "last_status_code": status_code,
            "last_error": error,
            "claimed_until": None,
        }
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at
        if status is DeliveryStatus.DELIVERED:
            values["delivered_at"] = at
        self._db.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(**values))

    def deliveries_of(self, subscription_id: int, limit: int) -> list[StoredDelivery]:
        rows = self._db.execute(
            select(deliveries)
            .where(deliveries.c.subscription_id == subscription_id)
            .order_by(deliveries.c.event_seq.desc())
            .limit(limit)
        )
        return [_delivery(r) for r in rows]

    def find_delivery(self, subscription_id: int, delivery_id: int) -> StoredDelivery | None:
        row = self._db.execute(
            select(deliveries).where(
                and_(
                    deliveries.c.id == delivery_id, deliveries.c.subscription_id == subscription_id
                )
            )
        ).first()
        return _delivery(row) if row else None

    def redeliver(self, delivery_id: int, now: datetime) -> None:
        self._db.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id)
            .values(status=DeliveryStatus.PENDING.value, next_attempt_at=now, claimed_until=None)
        )
