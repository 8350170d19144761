"""Webhook subscriptions (admin): create (the secret is in this one answer), list, read,
delete; each one's delivery log, and redelivering one delivery."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from cardinal.api.rest.context import ContextDep, ServicesDep
from cardinal.domain.webhooks import DeliveryStatus
from cardinal.services.webhooks import StoredDelivery, StoredSubscription
from cardinal.wire.evidence import problem_responses
from cardinal.wire.webhooks import (
    DeliveryList,
    DeliveryRead,
    WebhookCreate,
    WebhookCreated,
    WebhookList,
    WebhookRead,
    WebhookRotate,
)

router = APIRouter(
    prefix="/webhooks", tags=["webhooks"], responses=problem_responses(400, 404, 422)
)

WebhookId = Annotated[
    str, Path(pattern=r"^wh_[0-9a-f]{16}$", description="The subscription's id (wh_…).")
]
DeliveryId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def webhook_read(found: StoredSubscription) -> WebhookRead:
    return WebhookRead(
        id=found.public_id,
        url=found.url,
        events=list(found.events),
        groups=list(found.groups),
        previous_secret_expires_at=found.previous_secret_expires_at,
        enabled=found.enabled,
        disabled_reason=found.disabled_reason,
        created_at=found.created_at,
        created_by=found.created_by,
    )


def delivery_read(found: StoredDelivery) -> DeliveryRead:
    return DeliveryRead(
        id=found.id,
        webhook_id=found.message_id,
        event_seq=found.event_seq,
        resource_arn=found.resource_arn,
        status=found.status.value,
        attempts=found.attempts,
        next_attempt_at=found.next_attempt_at if found.status is DeliveryStatus.PENDING else None,
        last_status_code=found.last_status_code,
        last_error=found.last_error,
        last_attempt_at=found.last_attempt_at,
        delivered_at=found.delivered_at,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=WebhookCreated)
def create_webhook(body: WebhookCreate, services: ServicesDep, ctx: ContextDep) -> WebhookCreated:
    """Subscribe a URL to audit events from now on. The answer holds the signing secret, shown
    this once. 422 for a URL not of the documented form; 403 for a host the server's allowed
    destinations (CARDINAL_WEBHOOK_DESTINATIONS) do not name."""
    made = services.webhooks.create(ctx, body.url, body.events, body.groups)
    return WebhookCreated(**webhook_read(made.subscription).model_dump(), secret=made.secret)


@router.get("", response_model=WebhookList)
def list_webhooks(services: ServicesDep, ctx: ContextDep) -> WebhookList:
    """Every subscription (never its secret)."""
    return WebhookList(items=[webhook_read(s) for s in services.webhooks.subscriptions(ctx)])


@router.get("/{webhook}", response_model=WebhookRead)
def read_webhook(webhook: WebhookId, services: ServicesDep, ctx: ContextDep) -> WebhookRead:
    return webhook_read(services.webhooks.get(ctx, webhook))


@router.delete("/{webhook}", status_code=status.HTTP_204_NO_CONTENT)
def delete_webhook(webhook: WebhookId, services: ServicesDep, ctx: ContextDep) -> Response:
    """Delete a subscription and its delivery log."""
    services.webhooks.delete(ctx, webhook)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{webhook}/rotate", response_model=WebhookCreated)
def rotate_webhook(
    webhook: WebhookId,
    services: ServicesDep,
    ctx: ContextDep,
    body: WebhookRotate | None = None,
) -> WebhookCreated:
    """Give the subscription a new signing secret, shown this once. For `keep_previous_hours`
    (default 24) each delivery also carries a signature made with the previous secret."""
    kept = timedelta(hours=(body or WebhookRotate()).keep_previous_hours)
    rotated = services.webhooks.rotate(ctx, webhook, kept)
    return WebhookCreated(**webhook_read(rotated.subscription).model_dump(), secret=rotated.secret)


@router.get("/{webhook}/deliveries", response_model=DeliveryList)
def list_deliveries(webhook: WebhookId, services: ServicesDep, ctx: ContextDep) -> DeliveryList:
    """The subscription's newest 100 deliveries, each with its last attempt's answer."""
    return DeliveryList(
        items=[delivery_read(d) for d in services.webhooks.deliveries(ctx, webhook)]
    )


@router.post("/{webhook}/deliveries/{delivery}/redeliver", response_model=DeliveryRead)
def redeliver(
    webhook: WebhookId, delivery: DeliveryId, services: ServicesDep, ctx: ContextDep
) -> DeliveryRead:
    """Send one delivery again, with the same webhook-id, as soon as a server can."""
    return delivery_read(services.webhooks.redeliver(ctx, webhook, delivery))
