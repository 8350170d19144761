"""The entry point of :mod:`cardinal.client`: :class:`CardinalClient`, a context manager over one
reused ``httpx.Client`` aimed at a server's ``/api/v1``, sending ``Authorization: Bearer`` with a
token (else ``X-Cardinal-Actor``, where nobody is checked) and ``X-Cardinal-Region`` when given,
with the API's resources as attributes (``cards``, ``groups``, ``packages``,
``unversioned_packages``, ``tags``, ``search``, ``audit``, ``exports``, ``users``, ``webhooks``),
``whoami()`` and ``verify()``.
"""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

import httpx

from cardinal.client.http import Http
from cardinal.wire.caller import TIMEOUT_SECONDS

if TYPE_CHECKING:
    from cardinal.client.approvals import Policies
    from cardinal.client.cards import Cards
    from cardinal.client.evidence import Audit, Progress, Search
    from cardinal.client.exports import Exports
    from cardinal.client.identities import Users
    from cardinal.client.registry import Groups, Packages, Tags
    from cardinal.client.unversioned_packages import UnversionedPackages
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
        timeout: float = TIMEOUT_SECONDS,
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

    # Each resource (and the REST models it answers with) is loaded on first use, so a command
    # that reads one resource doesn't load them all.

    @cached_property
    def cards(self) -> Cards:
        from cardinal.client.cards import Cards

        return Cards(self._http)

    @cached_property
    def groups(self) -> Groups:
        from cardinal.client.registry import Groups

        return Groups(self._http)

    @cached_property
    def packages(self) -> Packages:
        from cardinal.client.registry import Packages

        return Packages(self._http)

    @cached_property
    def unversioned_packages(self) -> UnversionedPackages:
        from cardinal.client.unversioned_packages import UnversionedPackages

        return UnversionedPackages(self._http)

    @cached_property
    def tags(self) -> Tags:
        from cardinal.client.registry import Tags

        return Tags(self._http)

    @cached_property
    def search(self) -> Search:
        from cardinal.client.evidence import Search

        return Search(self._http)

    @cached_property
    def audit(self) -> Audit:
        from cardinal.client.evidence import Audit

        return Audit(self._http)

    @cached_property
    def exports(self) -> Exports:
        from cardinal.client.exports import Exports

        return Exports(self._http)

    @cached_property
    def policies(self) -> Policies:
        from cardinal.client.approvals import Policies

        return Policies(self._http)

    @cached_property
    def users(self) -> Users:
        from cardinal.client.identities import Users

        return Users(self._http)

    @cached_property
    def webhooks(self) -> Webhooks:
        from cardinal.client.webhooks import Webhooks

        return Webhooks(self._http)

    @property
    def base_url(self) -> str:
        """Where requests go (the endpoint with ``/api/v1``)."""
        return self._http.base_url

    def whoami(self) -> WhoAmI:
        """Who the server takes the caller for, with its grants (``checked`` is false where
        nobody is checked: open mode, a local store)."""
        from cardinal.client.identities import whoami

        return whoami(self._http)

    def verify(self, progress: Progress | None = None) -> VerificationRead:
        """Verify every hash chain and every resource's state against its audit trail (nothing
        is repaired); ``progress`` is called with (stage, done, total) as the server goes."""
        from cardinal.client.evidence import verify

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
