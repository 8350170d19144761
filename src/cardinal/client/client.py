"""The entry point of :mod:`cardinal.client`: :class:`CardinalClient`, a context manager over one
reused ``httpx.Client`` aimed at a server's ``/api/v1``, sending ``Authorization: Bearer`` with a
token (else ``X-Cardinal-Actor``, where nobody is checked) and ``X-Cardinal-Region`` when given,
with the API's resources as attributes (``cards``, ``groups``, ``packages``, ``tags``,
``search``, ``audit``, ``exports``, ``users``, ``webhooks``), ``whoami()`` and ``verify()``.
"""

from __future__ import annotations

from types import TracebackType

import httpx

from cardinal.client.approvals import Policies
from cardinal.client.cards import Cards
from cardinal.client.evidence import Audit, Progress, Search, verify
from cardinal.client.exports import Exports
from cardinal.client.http import Http
from cardinal.client.identities import Users, whoami
from cardinal.client.registry import Groups, Packages, Tags
from cardinal.client.webhooks import Webhooks
from cardinal.wire.evidence import VerificationRead
from cardinal.wire.identities import WhoAmI


class CardinalClient:
    """A typed client of Cardinal's REST API.

    ``token`` (an API token, ``crd_…``) is sent with every request; without one, ``actor``
    names the caller to a server that checks nobody (open mode).

    >>> with CardinalClient("http://localhost:8080", token="crd_...") as client:  # doctest: +SKIP
    ...     made = client.cards.create("churn", {"intended_uses": {"risk_rating": "Low"}})
    ...     client.cards.update_content("churn", {...}, if_match=made.etag)
    """

    def __init__(
        self,
        endpoint: str,
        *,
        actor: str | None = None,
        region: str | None = None,
        timeout: float = 30,
        transport: httpx.BaseTransport | None = None,
        token: str | None = None,
    ) -> None:
        self._http = Http(
            endpoint,
            actor=actor,
            region=region,
            timeout=timeout,
            transport=transport,
            token=token,
        )
        self.cards = Cards(self._http)
        self.groups = Groups(self._http)
        self.packages = Packages(self._http)
        self.tags = Tags(self._http)
        self.search = Search(self._http)
        self.audit = Audit(self._http)
        self.exports = Exports(self._http)
        self.policies = Policies(self._http)
        self.users = Users(self._http)
        self.webhooks = Webhooks(self._http)

    @property
    def base_url(self) -> str:
        """Where requests go (the endpoint with ``/api/v1``)."""
        return self._http.base_url

    def whoami(self) -> WhoAmI:
        """Who the server takes the caller for, with its grants (``checked`` is false where
        nobody is checked: open mode, a local store)."""
        return whoami(self._http)

    def verify(self, progress: Progress | None = None) -> VerificationRead:
        """Verify every hash chain and every resource's state against its audit trail (nothing
        is repaired); ``progress`` is called with (stage, done, total) as the server goes."""
        return verify(self._http, progress)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CardinalClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
