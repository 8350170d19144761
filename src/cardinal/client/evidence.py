"""Search, the audit trail and verification through the REST API: ``client.search`` (cards,
packages and groups matching the filter language, as lazy iterators over the pages),
``client.audit.events(...)`` (the audit trail by resource, actor, action and time) and the
``verify`` call behind ``client.verify()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Literal

from cardinal.client.errors import UnexpectedResponseError
from cardinal.client.http import Http, M, value
from cardinal.domain.audit import AuditAction
from cardinal.wire.evidence import (
    AuditEventRead,
    CardSearchSummary,
    GroupSearchSummary,
    PackageSearchSummary,
    VerificationLine,
    VerificationRead,
)

Progress = Callable[[str, int, int], None]
"""Called with (what is being checked, how many done, how many in all)."""

Order = Literal["asc", "desc"]


class Search:
    """``client.search``: ``/search/{cards,packages,groups}?q=`` with the filter language."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def cards(
        self, q: str = "", *, sort: str = "modified", order: Order = "desc", page_size: int = 50
    ) -> Iterator[CardSearchSummary]:
        """Cards matching ``q`` (e.g. ``group = churn and risk = High``)."""
        return self._search(CardSearchSummary, "cards", q, sort, order, page_size)

    def packages(
        self, q: str = "", *, sort: str = "modified", order: Order = "desc", page_size: int = 50
    ) -> Iterator[PackageSearchSummary]:
        """Model package versions matching ``q`` (e.g. ``group = churn and approval = Approved``)."""
        return self._search(PackageSearchSummary, "packages", q, sort, order, page_size)

    def groups(
        self, q: str = "", *, sort: str = "modified", order: Order = "desc", page_size: int = 50
    ) -> Iterator[GroupSearchSummary]:
        """Model package groups matching ``q`` (e.g. ``name ~ churn``)."""
        return self._search(GroupSearchSummary, "groups", q, sort, order, page_size)

    def _search(
        self, item: type[M], resource: str, q: str, sort: str, order: Order, page_size: int
    ) -> Iterator[M]:
        params: dict[str, str | int | None] = {
            "q": q,
            "sort": sort,
            "order": order,
            "limit": page_size,
        }
        return self._http.pages(item, f"/search/{resource}", params)


class Audit:
    """``client.audit``: the audit trail at ``/audit``."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def events(
        self,
        *,
        resource: str | None = None,
        actor: str | None = None,
        action: AuditAction | str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        order: Order = "asc",
        page_size: int = 50,
    ) -> Iterator[AuditEventRead]:
        """Audit events (``since <= occurred_at < until``; ``resource`` is an ARN), oldest first
        unless ``order="desc"``."""
        params = _audit_params(resource, actor, action, since, until, order, page_size)
        return self._http.pages(AuditEventRead, "/audit", params)

    def page(
        self,
        *,
        resource: str | None = None,
        actor: str | None = None,
        action: AuditAction | str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        order: Order = "asc",
        limit: int = 50,
        next_token: str | None = None,
    ) -> tuple[list[AuditEventRead], str | None]:
        """One page of :meth:`events` and the token of the next one (None on the last), for
        callers that hand the token on (``next_token`` continues a listing)."""
        params = _audit_params(resource, actor, action, since, until, order, limit)
        return self._http.page(AuditEventRead, "/audit", {**params, "next": next_token})


def _audit_params(
    resource: str | None,
    actor: str | None,
    action: AuditAction | str | None,
    since: datetime | None,
    until: datetime | None,
    order: Order,
    limit: int,
) -> dict[str, str | int | None]:
    return {
        "resource": resource,
        "actor": actor,
        "action": None if action is None else value(action),
        "since": None if since is None else since.isoformat(),
        "until": None if until is None else until.isoformat(),
        "order": order,
        "limit": limit,
    }


def verify(http: Http, progress: Progress | None = None) -> VerificationRead:
    """Walk every hash chain; ``ok`` is false and ``breaks`` lists them when one does not hold.

    With ``progress``, the server streams how far each stage has got, and ``progress`` is called
    with (stage, done, total) as each line arrives.
    """
    if progress is None:
        return http.model(VerificationRead, "POST", "/verify")[0]
    for line in http.lines(VerificationLine, "POST", "/verify"):
        if line.progress is not None:
            progress(line.progress.stage, line.progress.done, line.progress.total)
        elif line.result is not None:
            return line.result
        elif line.error is not None:
            raise UnexpectedResponseError(f"POST /verify: {line.error}")
    raise UnexpectedResponseError("POST /verify: the answer ended before its result.")
