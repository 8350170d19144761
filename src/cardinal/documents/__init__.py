"""Card documents: one model card version rendered as PDF, HTML, Markdown, a Hugging Face
README or JSON.

:func:`render` is the one entry point. The HTML page (Jinja2, always escaping) is also the PDF's
source (WeasyPrint, imported only when a PDF is asked for); Markdown and the Hugging Face card
walk the same outline (``outline.py``), so all formats show the same facts; charts are SVG drawn
by ``charts.py``. Rendering reads only the :class:`CardDocument` and never touches the network.
"""

from __future__ import annotations

from collections.abc import Callable

from cardinal.documents.errors import DocumentError
from cardinal.documents.html_page import render_html
from cardinal.documents.hugging_face import render_hugging_face
from cardinal.documents.json_document import render_json
from cardinal.documents.markdown_text import render_markdown
from cardinal.documents.model import (
    CardDecision,
    CardDocument,
    HistoryEntry,
    LinkedPackage,
    PackageDecision,
)
from cardinal.documents.pdf import render_pdf
from cardinal.domain.document_formats import DocumentFormat

__all__ = [
    "CardDecision",
    "CardDocument",
    "DocumentError",
    "DocumentFormat",
    "HistoryEntry",
    "LinkedPackage",
    "PackageDecision",
    "render",
]

_RENDERERS: dict[DocumentFormat, Callable[[CardDocument], bytes]] = {
    DocumentFormat.PDF: render_pdf,
    DocumentFormat.HTML: lambda document: render_html(document).encode("utf-8"),
    DocumentFormat.MARKDOWN: lambda document: render_markdown(document).encode("utf-8"),
    DocumentFormat.HUGGING_FACE: lambda document: render_hugging_face(document).encode("utf-8"),
    DocumentFormat.JSON: render_json,
}


def render(document: CardDocument, fmt: DocumentFormat) -> bytes:
    """The document in format ``fmt``, as the bytes of a file of ``fmt.media_type``.

    Raises :class:`DocumentError` when this installation cannot render the format (a PDF needs
    WeasyPrint and Pango) or the content cannot be written in it.
    """
    return _RENDERERS[DocumentFormat(fmt)](document)
