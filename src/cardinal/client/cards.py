"""Model cards through the REST API: create, read any version with its ETag, update content or
status under If-Match, list, versions, diff (stored or draft), clone for a new model version,
attach an evaluation report, delete. Reads and writes of a card answer :class:`CardWithETag`, the
API's own :class:`~cardinal.wire.cards.CardRead` beside the ETag to send back as
``if_match``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from cardinal.client.http import Http, parse, value
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.report_kinds import ReportKind
from cardinal.wire.cards import CardRead, CardSummary, CardVersionRead, DiffRead
from cardinal.wire.evidence import ReportAttached

Content = Mapping[str, Any]


def etag_of(version: int) -> str:
    """The ETag the API gives a card version (``"v<N>"``)."""
    return f'"v{version}"'


@dataclass(frozen=True)
class CardWithETag:
    """One version of a card and its ETag (pass ``etag`` as ``if_match`` to change it)."""

    card: CardRead
    etag: str

    @property
    def version(self) -> int:
        return self.card.version


def _card(response: httpx.Response) -> CardWithETag:
    card = parse(CardRead, response)
    return CardWithETag(card=card, etag=response.headers.get("ETag") or etag_of(card.version))


def _path(name: str) -> str:
    return f"/cards/{quote(name, safe='')}"


class Cards:
    """``client.cards``: the ``/cards`` resource."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def create(
        self,
        name: str,
        content: Content,
        *,
        status: ModelCardStatus | str = ModelCardStatus.DRAFT,
        tags: Mapping[str, str] | None = None,
    ) -> CardWithETag:
        """Create a card (version 1)."""
        body = {"name": name, "content": dict(content), "status": value(status)}
        if tags is not None:
            body["tags"] = dict(tags)
        return _card(self._http.request("POST", "/cards", json_body=body))

    def get(
        self, name: str, version: int | None = None, *, as_of: datetime | None = None
    ) -> CardWithETag:
        """The latest version of a card, or the given one; with ``as_of``, the version that was
        the latest then, with the status it had then."""
        if version is not None and as_of is not None:
            raise ValueError("Ask for a version or for a moment (as_of), not both.")
        path = _path(name) if version is None else f"{_path(name)}/versions/{version}"
        params = {"as_of": None if as_of is None else as_of.isoformat()}
        return _card(self._http.request("GET", path, params=params))

    def update_content(
        self, name: str, content: Content, *, if_match: str | None = None
    ) -> CardWithETag:
        """Store new content as the card's next version (412 if ``if_match`` is stale)."""
        return _card(
            self._http.request(
                "PUT",
                f"{_path(name)}/content",
                json_body={"content": dict(content)},
                headers={"If-Match": if_match},
            )
        )

    def set_status(
        self, name: str, status: ModelCardStatus | str, *, if_match: str | None = None
    ) -> CardWithETag:
        """Change the status of the card's current version (no new version)."""
        return _card(
            self._http.request(
                "PUT",
                f"{_path(name)}/status",
                json_body={"status": value(status)},
                headers={"If-Match": if_match},
            )
        )

    def restore(self, name: str, status: ModelCardStatus | str, reason: str) -> CardWithETag:
        """Move an Archived card to ``status`` (an admin's recorded decision, with its reason)."""
        return _card(
            self._http.request(
                "POST",
                f"{_path(name)}/restore",
                json_body={"status": value(status), "reason": reason},
            )
        )

    def list(
        self,
        *,
        name_contains: str | None = None,
        status: ModelCardStatus | str | None = None,
        page_size: int = 50,
    ) -> Iterator[CardSummary]:
        """Every card, oldest first, fetched a page at a time."""
        params = {
            "name_contains": name_contains,
            "status": None if status is None else value(status),
            "limit": page_size,
        }
        return self._http.pages(CardSummary, "/cards", params)

    def versions(self, name: str, *, page_size: int = 50) -> Iterator[CardVersionRead]:
        """Every version of a card, newest first, fetched a page at a time."""
        return self._http.pages(CardVersionRead, f"{_path(name)}/versions", {"limit": page_size})

    def diff(self, name: str, from_version: int, to_version: int | None = None) -> DiffRead:
        """What changed between two versions (``to_version`` defaults to the latest)."""
        found, _ = self._http.model(
            DiffRead,
            "GET",
            f"{_path(name)}/diff",
            params={"from": from_version, "to": to_version},
        )
        return found

    def diff_draft(
        self, name: str, content: Content, *, from_version: int | None = None
    ) -> DiffRead:
        """What ``content`` would change against a version (the latest by default)."""
        found, _ = self._http.model(
            DiffRead,
            "POST",
            f"{_path(name)}/diff",
            json_body={"content": dict(content)},
            params={"from": from_version},
        )
        return found

    def clone(
        self, package: str, name: str, *, status: ModelCardStatus | str = ModelCardStatus.DRAFT
    ) -> CardWithETag:
        """Start the card of ``package`` (``<group>/<version>`` or its ARN) from the card of the
        group's previous documented version."""
        body = {"package": package, "name": name, "status": value(status)}
        return _card(self._http.request("POST", "/cards/clone", json_body=body))

    def attach_report(
        self, name: str, location: str, kind: ReportKind | str, evaluation: str
    ) -> ReportAttached:
        """Put an evaluation report's metric groups into the card as its next version."""
        body = {"location": location, "kind": value(kind), "evaluation": evaluation}
        found, _ = self._http.model(
            ReportAttached, "POST", f"{_path(name)}/reports", json_body=body
        )
        return found

    def upload_report(
        self, name: str, report: bytes, source: str, kind: ReportKind | str, evaluation: str
    ) -> ReportAttached:
        """Put the metric groups of the report ``report`` (its JSON, as its file holds it) into
        the card as its next version; ``source`` is the name errors cite (its file name)."""
        found, _ = self._http.model(
            ReportAttached,
            "POST",
            f"{_path(name)}/reports/upload/{quote(value(kind), safe='')}",
            content=report,
            params={"evaluation": evaluation, "source": source},
            headers={"Content-Type": "application/json"},
        )
        return found

    def delete(self, name: str) -> None:
        """Delete a card with its versions."""
        self._http.request("DELETE", _path(name))
