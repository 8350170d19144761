"""Card documents through the REST API: ``client.exports.render(...)`` renders a card version
now; ``start_job`` / ``job`` / ``jobs`` / ``download`` drive export jobs, which a server runs in
the background and which end ``Completed`` (with an artifact) or ``Failed`` (with a reason).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import quote

import httpx

from cardinal.client.http import Http, value
from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.export_jobs import ExportJobStatus
from cardinal.wire.exports import ExportJobRead


@dataclass(frozen=True)
class Document:
    """A rendered document: its bytes, media type and the file name the server suggests (a
    bare name, never a path)."""

    data: bytes
    media_type: str
    file_name: str


def _document(response: httpx.Response, fallback_name: str) -> Document:
    disposition = Message()
    disposition["Content-Disposition"] = response.headers.get("Content-Disposition", "")
    # Only a bare name: a server cannot point a download at another directory.
    suggested = PurePosixPath((disposition.get_filename() or "").replace("\\", "/")).name
    file_name = suggested if suggested not in {"", ".", ".."} else fallback_name
    media_type = response.headers.get("Content-Type", "application/octet-stream")
    return Document(data=response.content, media_type=media_type, file_name=file_name)


def _card(name: str) -> str:
    return f"/cards/{quote(name, safe='')}"


class Exports:
    """``client.exports``: ``/cards/{name}/export`` and ``/cards/{name}/export-jobs``."""

    def __init__(self, http: Http) -> None:
        self._http = http

    def render(
        self,
        name: str,
        document_format: DocumentFormat | str = DocumentFormat.PDF,
        *,
        version: int | None = None,
    ) -> Document:
        """A card version (the latest unless ``version``) rendered now."""
        fmt = value(document_format)
        response = self._http.request(
            "GET",
            f"{_card(name)}/export",
            params={"format": fmt, "version": version},
            headers={"Accept": "*/*"},
        )
        return _document(response, f"{name}.{fmt}")

    def start_job(
        self,
        name: str,
        job: str,
        output_path: str,
        *,
        document_format: DocumentFormat | str = DocumentFormat.PDF,
        version: int | None = None,
    ) -> ExportJobRead:
        """Start an export job that writes under ``output_path`` (``s3://bucket/prefix``)."""
        body: dict[str, object] = {
            "name": job,
            "output_path": output_path,
            "format": value(document_format),
        }
        if version is not None:
            body["version"] = version
        found, _ = self._http.model(
            ExportJobRead, "POST", f"{_card(name)}/export-jobs", json_body=body
        )
        return found

    def job(self, name: str, job: str) -> ExportJobRead:
        """One export job of a card, as it stands now."""
        path = f"{_card(name)}/export-jobs/{quote(job, safe='')}"
        return self._http.model(ExportJobRead, "GET", path)[0]

    def jobs(
        self,
        name: str,
        *,
        status: ExportJobStatus | str | None = None,
        name_contains: str | None = None,
        sort: str = "creation_time",
        order: Literal["asc", "desc"] = "desc",
        page_size: int = 50,
    ) -> Iterator[ExportJobRead]:
        """A card's export jobs (newest first by default), fetched a page at a time."""
        params = {
            "status": None if status is None else value(status),
            "name_contains": name_contains,
            "sort": sort,
            "order": order,
            "limit": page_size,
        }
        return self._http.pages(ExportJobRead, f"{_card(name)}/export-jobs", params)

    def download(self, name: str, job: str) -> Document:
        """What a Completed job wrote."""
        path = f"{_card(name)}/export-jobs/{quote(job, safe='')}/artifact"
        response = self._http.request("GET", path, headers={"Accept": "*/*"})
        return _document(response, job)
