"""The formats a model card version is exported in, with their media types and file names."""

from __future__ import annotations

from enum import StrEnum


class DocumentFormat(StrEnum):
    PDF = "pdf"
    HTML = "html"
    MARKDOWN = "md"
    HUGGING_FACE = "hf"
    JSON = "json"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def file_extension(self) -> str:
        return _EXTENSIONS[self]


_MEDIA_TYPES = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.HTML: "text/html; charset=utf-8",
    DocumentFormat.MARKDOWN: "text/markdown; charset=utf-8",
    DocumentFormat.HUGGING_FACE: "text/markdown; charset=utf-8",
    DocumentFormat.JSON: "application/json",
}
_EXTENSIONS = {
    DocumentFormat.PDF: ".pdf",
    DocumentFormat.HTML: ".html",
    DocumentFormat.MARKDOWN: ".md",
    DocumentFormat.HUGGING_FACE: ".md",
    DocumentFormat.JSON: ".json",
}
