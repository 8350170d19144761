"""The registry through the REST API: ``client.groups`` (model package groups),
``client.packages`` (the versions of a group: register, read, list, update, approve, reject,
the release gate, delete) and ``client.tags`` (the tags of a group, a version or a card,
through one bound :class:`ResourceTags` per resource). Answers are the API's own pydantic
models.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from cardinal.client.http import Http, present, value
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus
from cardinal.wire.approvals import ApprovalDecisionRead
from cardinal.wire.cards import GateRead
from cardinal.wire.evidence import VersionHistoryRead
from cardinal.wire.point_in_time import ChainCheckRead
from cardinal.wire.registry import GroupRead, PackageRead, TagsRead, VersionsRead


def _group(name: str) -> str:
    return f"/groups/{quote(name, safe='')}"


def _version(group: str, version: int) -> str:
    return f"{_group(group)}/versions/{version}"


class Groups:
    """``client.groups``: the ``/groups`` resource."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def create(
        self,
        name: str,
        *,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> GroupRead:
        """Create an empty group (409 if the name is taken)."""
        body = present(name=name, description=description, tags=dict(tags) if tags else None)
        return self._http.model(GroupRead, "POST", "/groups", json_body=body)[0]

    def get(self, name: str) -> GroupRead:
        return self._http.model(GroupRead, "GET", _group(name))[0]

    def list(self, *, name_contains: str | None = None, page_size: int = 50) -> Iterator[GroupRead]:
        """Every group, oldest first, fetched a page at a time."""
        params = {"name_contains": name_contains, "limit": page_size}
        return self._http.pages(GroupRead, "/groups", params)

    def delete(self, name: str) -> None:
        """Delete a group (409 while it holds versions)."""
        self._http.request("DELETE", _group(name))


class Packages:
    """``client.packages``: the versions of a group, ``/groups/{group}/versions``."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def register(
        self,
        group: str,
        *,
        description: str | None = None,
        approval_status: ApprovalStatus | str | None = None,
        inference_specification: Mapping[str, Any] | None = None,
        customer_metadata: Mapping[str, str] | None = None,
        lifecycle: Mapping[str, str] | None = None,
        source_uri: str | None = None,
        domain: str | None = None,
        task: str | None = None,
        model_card: Mapping[str, Any] | None = None,
        model_card_status: ModelCardStatus | str | None = None,
        client_token: str | None = None,
    ) -> PackageRead:
        """Register the group's next version (a repeated ``client_token`` returns the first);
        ``model_card`` is the content of the card embedded in it (status Draft by default)."""
        card = None
        if model_card is not None:
            card = present(
                content=dict(model_card),
                status=None if model_card_status is None else value(model_card_status),
            )
        body = present(
            description=description,
            approval_status=None if approval_status is None else value(approval_status),
            inference_specification=(
                None if inference_specification is None else dict(inference_specification)
            ),
            customer_metadata=None if customer_metadata is None else dict(customer_metadata),
            lifecycle=None if lifecycle is None else dict(lifecycle),
            source_uri=source_uri,
            domain=domain,
            task=task,
            model_card=card,
            client_token=client_token,
        )
        path = f"{_group(group)}/versions"
        return self._http.model(PackageRead, "POST", path, json_body=body)[0]

    def get(self, group: str, version: int) -> PackageRead:
        return self._http.model(PackageRead, "GET", _version(group, version))[0]

    def list(
        self,
        group: str,
        *,
        approval_status: ApprovalStatus | str | None = None,
        page_size: int = 50,
    ) -> Iterator[PackageRead]:
        """Every version of a group, oldest first, fetched a page at a time."""
        params = {
            "approval_status": None if approval_status is None else value(approval_status),
            "limit": page_size,
        }
        return self._http.pages(PackageRead, f"{_group(group)}/versions", params)

    def list_as_of(
        self, group: str, as_of: datetime, *, limit: int | None = None, page_size: int = 50
    ) -> VersionsRead:
        """The versions of a group that existed at ``as_of``, as they were then, oldest first
        (at most ``limit``), with whether the audit events the answer rests on hold."""
        params: dict[str, str | int | None] = {"as_of": as_of.isoformat(), "limit": page_size}
        path = f"{_group(group)}/versions"
        items: builtins.list[PackageRead] = []
        events, breaks = 0, []
        while True:
            page = self._http.model(VersionsRead, "GET", path, params=params)[0]
            items += page.items
            if page.chain is not None:
                events += page.chain.events
                breaks += page.chain.breaks
            token = httpx.URL(page.next).params.get("next") if page.next else None
            if not token or (limit is not None and len(items) >= limit):
                break
            params["next"] = token
        chain = ChainCheckRead(verified=not breaks, events=events, breaks=breaks)
        return VersionsRead(items=items[:limit], as_of=as_of, chain=chain)

    def update(
        self,
        group: str,
        version: int,
        *,
        customer_metadata: Mapping[str, str | None] | None = None,
        lifecycle: Mapping[str, str] | None = None,
        source_uri: str | None = None,
    ) -> PackageRead:
        """Set or remove customer metadata (a key with None is removed), replace the lifecycle
        stage or the source URI."""
        body = present(
            customer_metadata=None if customer_metadata is None else dict(customer_metadata),
            lifecycle=None if lifecycle is None else dict(lifecycle),
            source_uri=source_uri,
        )
        path = _version(group, version)
        return self._http.model(PackageRead, "PATCH", path, json_body=body)[0]

    def approve(self, group: str, version: int, description: str | None = None) -> PackageRead:
        """Approve a version, with an optional description of the decision."""
        return self._decide(group, version, "approve", description)

    def reject(self, group: str, version: int, description: str | None = None) -> PackageRead:
        """Reject a version, with an optional description of the decision."""
        return self._decide(group, version, "reject", description)

    def decisions(self, group: str, version: int) -> builtins.list[ApprovalDecisionRead]:
        """Every approval decision on a version, oldest first, with the card version it saw."""
        response = self._http.request("GET", f"{_version(group, version)}/decisions")
        items = response.json().get("items", [])
        return [ApprovalDecisionRead.model_validate(item) for item in items]

    def gate(self, group: str, version: int, *, as_of: datetime | None = None) -> GateRead:
        """The release gate: open only if the version and the card documenting it are Approved
        (with ``as_of``: what it would have answered then)."""
        params = {"as_of": None if as_of is None else as_of.isoformat()}
        path = f"{_version(group, version)}/gate"
        return self._http.model(GateRead, "GET", path, params=params)[0]

    def evidence_pack(
        self, group: str, version: int, *, as_of: datetime | None = None
    ) -> tuple[bytes, str]:
        """The version's evidence pack at ``as_of`` (default: now): the zip and its file name."""
        params = {"as_of": None if as_of is None else as_of.isoformat()}
        response = self._http.request("GET", f"{_version(group, version)}/evidence", params=params)
        disposition = response.headers.get("Content-Disposition", "")
        name = disposition.partition('filename="')[2].rstrip('"') or "evidence.zip"
        return response.content, name

    def history(self, group: str, version: int) -> VersionHistoryRead:
        """The version's timeline: its events and its cards', oldest first."""
        return self._http.model(VersionHistoryRead, "GET", f"{_version(group, version)}/history")[0]

    def delete(self, group: str, version: int) -> None:
        """Delete a version (409 while a model card documents it)."""
        self._http.request("DELETE", _version(group, version))

    def _decide(
        self, group: str, version: int, decision: str, description: str | None
    ) -> PackageRead:
        path = f"{_version(group, version)}/{decision}"
        body = present(description=description)
        return self._http.model(PackageRead, "POST", path, json_body=body)[0]


class ResourceTags:
    """The tags of one resource: ``get()``, ``put(tags)`` (add or overwrite), ``delete(key)``."""

    def __init__(self, http: Http, path: str) -> None:
        self._http = http
        self._path = f"{path}/tags"

    def get(self) -> TagsRead:
        return self._http.model(TagsRead, "GET", self._path)[0]

    def put(self, tags: Mapping[str, str]) -> TagsRead:
        """Add or overwrite tags; answers all the resource's tags."""
        return self._http.model(TagsRead, "PUT", self._path, json_body={"tags": dict(tags)})[0]

    def delete(self, key: str) -> None:
        """Remove one tag (no error if it is not there)."""
        self._http.request("DELETE", f"{self._path}/{quote(key, safe='')}")


class Tags:
    """``client.tags``: ``client.tags.group(name)``, ``.version(group, n)``, ``.card(name)``."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def group(self, name: str) -> ResourceTags:
        return ResourceTags(self._http, _group(name))

    def version(self, group: str, version: int) -> ResourceTags:
        return ResourceTags(self._http, _version(group, version))

    def card(self, name: str) -> ResourceTags:
        return ResourceTags(self._http, f"/cards/{quote(name, safe='')}")

    def unversioned_package(self, name: str) -> ResourceTags:
        return ResourceTags(self._http, f"/packages/{quote(name, safe='')}")
