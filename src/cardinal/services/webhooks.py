"""Webhook subscriptions (an admin's): create one (its secret shown once), list, delete, read
its delivery log, redeliver one delivery."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from cardinal.domain.access import Action
from cardinal.domain.audit import AuditAction
from cardinal.domain.errors import AccessDenied, InvalidInput, NotFound
from cardinal.domain.identifiers import check_entity_name
from cardinal.domain.webhooks import (
    PREVIOUS_SECRET_KEPT,
    Destinations,
    check_patterns,
    check_previous_kept,
    new_secret,
    url_form_refusal,
)
from cardinal.services.audit import record
from cardinal.services.context import RequestContext, utcnow
from cardinal.services.secret_box import SecretBox
from cardinal.services.webhook_delivery import WebhookDispatcher
from cardinal.store.repositories.webhooks import StoredDelivery, StoredSubscription

__all__ = ["NewSubscription", "StoredDelivery", "StoredSubscription", "WebhookService"]
from cardinal.store.unit_of_work import Store, UnitOfWork

MAX_DELIVERIES_SHOWN = 100


@dataclass(frozen=True)
class NewSubscription:
    subscription: StoredSubscription
    secret: str
    """``whsec_…``: shown this once; deliveries are signed with it."""


def _arn(ctx: RequestContext, public_id: str) -> str:
    return ctx.scope.arn("webhook", public_id)


class WebhookService:
    def __init__(self, store: Store, secrets_box: SecretBox, destinations: Destinations) -> None:
        self._store = store
        self._box = secrets_box
        self.destinations = destinations

    def create(
        self, ctx: RequestContext, url: str, events: Sequence[str], groups: Sequence[str] = ()
    ) -> NewSubscription:
        """Subscribe ``url`` to the audit events matching ``events`` (in ``groups``; none: all)
        from now on. Raises InvalidInput for a URL not of a subscription's form, and
        AccessDenied for one the allowed destinations (the server's setting) refuse."""
        ctx.require(Action.ADMINISTER)
        malformed = url_form_refusal(url)
        if malformed is not None:
            raise InvalidInput(malformed)
        refused = self.destinations.refuses_destination(url)
        if refused is not None:
            raise AccessDenied(refused, rule="webhook_destinations")
        patterns = check_patterns(events)
        named = tuple(dict.fromkeys(g.strip() for g in groups if g.strip()))
        for group in named:
            check_entity_name("model package group", group)
        secret = new_secret()
        public_id = "wh_" + secrets.token_hex(8)

        def work(uow: UnitOfWork) -> StoredSubscription:
            after = {"url": url, "events": list(patterns), "groups": list(named)}
            made = record(uow, ctx, AuditAction.WEBHOOK_CREATE, _arn(ctx, public_id), after=after)
            # Events from the next one on: this subscription's own creation is not sent to it.
            return uow.webhooks.add(
                public_id=public_id, url=url, events=patterns, groups=named,
                sealed_secret=self._box.seal(secret), through_seq=made.seq, now=made.occurred_at,
                actor=ctx.actor,
            )  # fmt: skip

        return NewSubscription(self._store.write(work), secret)

    def dispatcher(self, *, account: str, region: str) -> WebhookDispatcher:
        """What a server's worker delivers with: this service's store, key and destinations."""
        return WebhookDispatcher(
            self._store, self._box, self.destinations, account=account, region=region
        )

    def subscriptions(self, ctx: RequestContext) -> list[StoredSubscription]:
        ctx.require(Action.ADMINISTER)
        return self._store.read(lambda uow: uow.webhooks.all())

    def get(self, ctx: RequestContext, public_id: str) -> StoredSubscription:
        ctx.require(Action.ADMINISTER)
        return self._store.read(lambda uow: _find(uow, public_id))

    def delete(self, ctx: RequestContext, public_id: str) -> None:
        """Delete a subscription and its delivery log; nothing more is sent to it."""
        ctx.require(Action.ADMINISTER)

        def work(uow: UnitOfWork) -> None:
            found = _find(uow, public_id)
            uow.webhooks.delete(found.id)
            before = {"url": found.url, "events": list(found.events), "groups": list(found.groups)}
            record(uow, ctx, AuditAction.WEBHOOK_DELETE, _arn(ctx, public_id), before=before)

        self._store.write(work)

    def rotate(
        self, ctx: RequestContext, public_id: str, keep_previous: timedelta = PREVIOUS_SECRET_KEPT
    ) -> NewSubscription:
        """Give a subscription a new secret (shown this once). Deliveries carry a signature with
        the previous secret too for ``keep_previous`` (zero: the previous one stops at once, as
        after a leak); a secret rotated out before that is dropped."""
        ctx.require(Action.ADMINISTER)
        kept = check_previous_kept(keep_previous)
        secret = new_secret()

        def work(uow: UnitOfWork) -> StoredSubscription:
            found = _find(uow, public_id)
            now = utcnow()
            until = now + kept if kept else None
            uow.webhooks.rotate(
                found.id,
                sealed_secret=self._box.seal(secret),
                previous_sealed_secret=found.sealed_secret if until else None,
                previous_expires_at=until,
            )
            after = {"previous_secret_expires_at": until.isoformat() if until else None}
            record(uow, ctx, AuditAction.WEBHOOK_ROTATE, _arn(ctx, public_id), after=after)
            rotated = uow.webhooks.find(public_id)
            assert rotated is not None
            return rotated

        return NewSubscription(self._store.write(work), secret)

    def deliveries(self, ctx: RequestContext, public_id: str) -> list[StoredDelivery]:
        """The subscription's newest deliveries first, each with its last attempt."""
        ctx.require(Action.ADMINISTER)

        def work(uow: UnitOfWork) -> list[StoredDelivery]:
            return uow.webhooks.deliveries_of(_find(uow, public_id).id, MAX_DELIVERIES_SHOWN)

        return self._store.read(work)

    def redeliver(self, ctx: RequestContext, public_id: str, delivery_id: int) -> StoredDelivery:
        """Send one delivery again (with its webhook-id), as soon as a server can."""
        ctx.require(Action.ADMINISTER)

        def work(uow: UnitOfWork) -> StoredDelivery:
            found = _find(uow, public_id)
            if not found.enabled:
                raise InvalidInput(
                    f"Webhook {public_id} is disabled ({found.disabled_reason}): create a new "
                    "subscription to send to it again."
                )
            delivery = uow.webhooks.find_delivery(found.id, delivery_id)
            if delivery is None:
                raise NotFound(f"Webhook {public_id} has no delivery {delivery_id}.")
            uow.webhooks.redeliver(delivery.id, utcnow())
            after = {"delivery": delivery.id, "webhook_id": delivery.message_id,
                     "event_seq": delivery.event_seq}  # fmt: skip
            record(uow, ctx, AuditAction.WEBHOOK_REDELIVER, _arn(ctx, public_id), after=after)
            again = uow.webhooks.find_delivery(found.id, delivery_id)
            assert again is not None
            return again

        return self._store.write(work)


def _find(uow: UnitOfWork, public_id: str) -> StoredSubscription:
    found = uow.webhooks.find(public_id)
    if found is None:
        raise NotFound(f"Webhook '{public_id}' does not exist.")
    return found
