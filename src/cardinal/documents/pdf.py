"""The PDF rendering of a card document: the HTML page printed by WeasyPrint.

WeasyPrint needs Pango and friends from the operating system, so it is imported only when a PDF
is asked for; importing Cardinal never needs them. A missing WeasyPrint is a
:class:`DocumentError`, not a crash. The page fetches nothing: the HTML is self-contained (its
charts are ``data:`` URLs) and any other URL WeasyPrint would follow is refused, so rendering
never touches the network or the file system.
"""

from __future__ import annotations

import functools
import importlib
import warnings
from types import ModuleType
from typing import Any

from cardinal.documents.errors import DocumentError
from cardinal.documents.html_page import render_html
from cardinal.documents.model import CardDocument


@functools.cache
def _weasyprint() -> ModuleType:
    with warnings.catch_warnings():
        # Without libharfbuzz-subset WeasyPrint warns at import that it will need it one day
        # (and subsets fonts with fontTools, much more slowly: install libharfbuzz-subset0).
        warnings.filterwarnings(
            "ignore", message="HarfBuzz-Subset will be required", category=DeprecationWarning
        )
        try:
            weasyprint = importlib.import_module("weasyprint")
        except (ImportError, OSError) as error:
            raise DocumentError(
                "PDF documents need WeasyPrint and its system libraries (Pango, HarfBuzz); "
                f"they could not be loaded: {error}"
            ) from error
    return weasyprint


def refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that allows no protocol but ``data:`` (not even ``file:``): a
    ``data:`` URL holds its content, as the charts' images do, and is read without any I/O."""
    return _weasyprint().URLFetcher(allowed_protocols=frozenset({"data"}))


def render_pdf(document: CardDocument) -> bytes:
    """The card version as an A4 PDF with the hash and page numbers in every page's footer."""
    weasyprint = _weasyprint()
    page = render_html(document, charts_as_images=True)
    try:
        pdf = weasyprint.HTML(string=page, url_fetcher=refusing_fetcher()).write_pdf()
    except Exception as error:  # WeasyPrint's failures have no common base class
        raise DocumentError(f"the PDF could not be rendered: {error}") from error
    if not isinstance(pdf, bytes):
        raise DocumentError("WeasyPrint returned no PDF")
    return pdf
