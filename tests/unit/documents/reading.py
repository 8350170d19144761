"""Reading rendered documents back the way a person or a tool would: PDF text, Markdown as HTML,
the YAML front matter of a Hugging Face card, the SVG charts of an HTML page."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import yaml
from markdown_it import MarkdownIt
from pypdf import PdfReader

SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_fonts(pdf: bytes) -> set[str]:
    """The base names of the fonts embedded in any page."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def squeeze(text: str) -> str:
    """``text`` without whitespace, for values a page may have wrapped."""
    return "".join(text.split())


def markdown_to_html(markdown: str) -> str:
    """The HTML a CommonMark renderer with raw HTML and GFM tables makes of ``markdown``."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def front_matter(card: str) -> dict[str, object]:
    match = re.match(r"---\n(.*?)\n---\n", card, re.S)
    assert match is not None, "no YAML front matter"
    data = yaml.safe_load(match[1])
    assert isinstance(data, dict)
    return data


def svgs(html: str) -> list[ET.Element]:
    """Every inline SVG of an HTML page, parsed as XML."""
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.S)]


def svg_texts(svg: ET.Element) -> list[str]:
    return ["".join(text.itertext()) for text in svg.iter(f"{SVG_NAMESPACE}text")]
