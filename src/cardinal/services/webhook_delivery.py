"""Delivering webhooks: every audit event is matched to the subscriptions that want it (the
trail is the outbox: an event is stored in the transaction of its change, and a subscription's
``through_seq`` says how far it has been matched), and each delivery is sent, signed as the
Standard Webhooks specification says, until the receiver answers 2xx.

A delivery keeps its ``webhook-id`` on every attempt; a failed one is tried again with backoff
and jitter for about a day (``RETRY_DELAYS``); 410 Gone disables the subscription. Deliveries
are claimed for a lease, so a server that dies mid-delivery leaves them to be claimed again:
an event may arrive twice (with the same ``webhook-id``), never not at all. Each resource's
events go out in order: a delivery waits while an earlier one of its resource is pending.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import httpcore
import httpx
from standardwebhooks import Webhook

from cardinal.domain.audit import AuditEvent
from cardinal.domain.webhooks import (
    DeliveryStatus,
    Destinations,
    envelope,
    matches,
    next_attempt,
)
from cardinal.services.context import utcnow
from cardinal.services.secret_box import SecretBox
from cardinal.store.repositories.webhooks import StoredDelivery, StoredSubscription
from cardinal.store.unit_of_work import Store, UnitOfWork

log = logging.getLogger(__name__)

MATCH_BATCH = 500
CLAIM_BATCH = 20
LEASE = timedelta(seconds=60)
TIMEOUT_SECONDS = 10.0


class RefusedDestination(httpx.TransportError):
    """The address a delivery would connect to is not an allowed destination."""


class _CheckedBackend(httpcore.SyncBackend):
    """Connects only to addresses the allowed destinations accept: the name is resolved here,
    each address checked, and the connection made to a checked address."""

    def __init__(self, destinations: Destinations) -> None:
        self._destinations = destinations

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            literal = ipaddress.ip_address(host)
            addresses = [literal]
        except ValueError:
            literal = None
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
        for address in addresses:
            refused = self._destinations.refuses_address(address, by_name=literal is None)
            if refused is not None:
                raise httpcore.ConnectError(refused)
        return super().connect_tcp(str(addresses[0]), port, timeout, local_address, socket_options)


def checked_client(destinations: Destinations) -> httpx.Client:
    """An HTTP client that connects only to allowed destinations, ignoring proxy settings."""
    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=_CheckedBackend(destinations)
    )
    return httpx.Client(
        transport=transport, timeout=TIMEOUT_SECONDS, trust_env=False, follow_redirects=False
    )


class WebhookDispatcher:
    def __init__(
        self,
        store: Store,
        secrets_box: SecretBox,
        destinations: Destinations,
        *,
        account: str,
        region: str,
    ) -> None:
        self._store = store
        self._box = secrets_box
        self._destinations = destinations
        self._account = account
        self._region = region
        self._client = checked_client(destinations)

    def close(self) -> None:
        self._client.close()

    def match_new_events(self) -> int:
        """Match the events appended since each subscription was last matched; how many
        deliveries that made."""

        def work(uow: UnitOfWork) -> int:
            made = 0
            for subscription in uow.webhooks.claim_for_matching():
                events = uow.webhooks.events_after(subscription.through_seq, MATCH_BATCH)
                if not events:
                    continue
                wanted = [e for e in events if matches(subscription.events, subscription.groups, e)]
                uow.webhooks.add_deliveries(subscription, wanted, utcnow())
                uow.webhooks.matched_through(subscription.id, events[-1].seq)
                made += len(wanted)
            return made

        # Matching, claiming and each attempt are the worker's bookkeeping (the delivery log):
        # they change nothing users store, and are not themselves events.
        return self._store.write(work, audited=False)

    def deliver_due(self) -> int:
        """Send the deliveries that are due; how many were attempted."""
        now = utcnow()
        claimed = self._store.write(
            lambda uow: uow.webhooks.claim_due(now, now + LEASE, CLAIM_BATCH), audited=False
        )
        for delivery in claimed:
            self._attempt(delivery)
        return len(claimed)

    def run_once(self) -> int:
        """One round: match new events, send what is due. A server with no subscription, or
        nothing due, only reads."""
        subscribed, due = self._store.read(lambda uow: uow.webhooks.anything_to_do(utcnow()))
        made = self.match_new_events() if subscribed else 0
        return made + (self.deliver_due() if due or made else 0)

    def _attempt(self, delivery: StoredDelivery) -> None:
        def read(uow: UnitOfWork) -> tuple[StoredSubscription | None, AuditEvent | None]:
            return (
                uow.webhooks.subscription_by_id(delivery.subscription_id),
                uow.webhooks.event(delivery.event_seq),
            )

        subscription, event = self._store.read(read)
        if subscription is None or event is None or not subscription.enabled:
            return
        secret = self._box.open(subscription.sealed_secret)
        at = utcnow()
        status_code: int | None = None
        error: str | None = None
        if secret is None:
            error = "the subscription's secret can't be opened with this server's secret key"
        else:
            body = json.dumps(envelope(event, self._account, self._region), sort_keys=True)
            headers = {
                "content-type": "application/json",
                "webhook-id": delivery.message_id,
                "webhook-timestamp": str(int(at.timestamp())),
                "webhook-signature": self._signatures(subscription, secret, delivery, at, body),
                "user-agent": "Cardinal-Webhooks/1",
            }
            try:
                response = self._client.post(subscription.url, content=body, headers=headers)
                status_code = response.status_code
            except httpx.HTTPError as failed:
                error = f"{type(failed).__name__}: {failed}"
        self._store.write(
            lambda uow: self._after(uow, delivery, at, status_code, error), audited=False
        )

    def _signatures(
        self,
        subscription: StoredSubscription,
        secret: str,
        delivery: StoredDelivery,
        at: datetime,
        body: str,
    ) -> str:
        """``v1,…`` with the secret, and after a rotation with the previous one too while it is
        kept (the specification's space-separated list: a receiver accepts either)."""
        signatures = [Webhook(secret).sign(delivery.message_id, at, body)]
        expires = subscription.previous_secret_expires_at
        if subscription.previous_sealed_secret is not None and expires is not None and at < expires:
            previous = self._box.open(subscription.previous_sealed_secret)
            if previous is not None:
                signatures.append(Webhook(previous).sign(delivery.message_id, at, body))
        return " ".join(signatures)

    def _after(
        self,
        uow: UnitOfWork,
        delivery: StoredDelivery,
        at: datetime,
        status_code: int | None,
        error: str | None,
    ) -> None:
        attempts = delivery.attempts + 1
        if status_code is not None and 200 <= status_code < 300:
            uow.webhooks.record_attempt(
                delivery.id, status=DeliveryStatus.DELIVERED, attempts=attempts, at=at,
                next_attempt_at=None, status_code=status_code, error=None,
            )  # fmt: skip
            return
        if status_code == 410:
            uow.webhooks.record_attempt(
                delivery.id, status=DeliveryStatus.FAILED, attempts=attempts, at=at,
                next_attempt_at=None, status_code=status_code, error="410 Gone",
            )  # fmt: skip
            uow.webhooks.disable(
                delivery.subscription_id,
                f"the receiver answered 410 Gone at {at.isoformat()}",
            )
            return
        later = next_attempt(attempts, at)
        uow.webhooks.record_attempt(
            delivery.id,
            status=DeliveryStatus.PENDING if later else DeliveryStatus.FAILED,
            attempts=attempts, at=at, next_attempt_at=later, status_code=status_code,
            error=error or f"the receiver answered {status_code}",
        )  # fmt: skip


class WebhookWorker:
    """The background thread of one server that matches and delivers webhooks."""

    def __init__(self, dispatcher: WebhookDispatcher, *, poll_seconds: float = 1.0) -> None:
        self._dispatcher = dispatcher
        self._poll_seconds = poll_seconds
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="cardinal-webhooks", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._dispatcher.close()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                busy = self._dispatcher.run_once()
            except Exception:
                log.exception("the webhook worker failed a round; trying again shortly")
                busy = 0
            if not busy:
                self._stopping.wait(self._poll_seconds)
