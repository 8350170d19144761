"""Webhook subscriptions through the REST API: ``client.webhooks`` (admin)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence

from cardinal.client.http import Http
from cardinal.wire.webhooks import (
    DeliveryList,
    DeliveryRead,
    WebhookCreated,
    WebhookList,
    WebhookRead,
)


class Webhooks:
    """``client.webhooks``: the ``/webhooks`` resource."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def create(
        self, url: str, events: Sequence[str] = ("*",), groups: Sequence[str] = ()
    ) -> WebhookCreated:
        """Subscribe ``url``; the answer holds the signing secret, shown this once."""
        body = {"url": url, "events": list(events), "groups": list(groups)}
        return self._http.model(WebhookCreated, "POST", "/webhooks", json_body=body)[0]

    def rotate(self, webhook: str, keep_previous_hours: int = 24) -> WebhookCreated:
        """A new signing secret, shown this once; the previous one also signs for
        ``keep_previous_hours``."""
        body = {"keep_previous_hours": keep_previous_hours}
        path = f"/webhooks/{webhook}/rotate"
        return self._http.model(WebhookCreated, "POST", path, json_body=body)[0]

    def list(self) -> builtins.list[WebhookRead]:
        return self._http.model(WebhookList, "GET", "/webhooks")[0].items

    def delete(self, webhook: str) -> None:
        self._http.request("DELETE", f"/webhooks/{webhook}")

    def deliveries(self, webhook: str) -> builtins.list[DeliveryRead]:
        """The newest 100 deliveries, each with its last attempt's answer."""
        return self._http.model(DeliveryList, "GET", f"/webhooks/{webhook}/deliveries")[0].items

    def redeliver(self, webhook: str, delivery: int) -> DeliveryRead:
        path = f"/webhooks/{webhook}/deliveries/{delivery}/redeliver"
        return self._http.model(DeliveryRead, "POST", path)[0]
