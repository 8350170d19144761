"""The Markdown document: the same facts as the PDF, and card text that stays text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from cardinal.documents import CardDocument, DocumentFormat, render
from cardinal.documents.markdown_text import escape, paragraph
from tests.unit.documents.cards import HASH_V1, HASH_V3, NON_LATIN, SECTION_TITLES, SIMPLE_METRICS
from tests.unit.documents.reading import markdown_to_html


def _markdown(document: CardDocument) -> str:
    return render(document, DocumentFormat.MARKDOWN).decode()


def test_sections_are_second_level_headings_in_reading_order(churn: CardDocument) -> None:
    headings = re.findall(r"^## (.*)$", _markdown(churn), re.M)
    assert headings == list(SECTION_TITLES)


def test_the_facts_of_the_pdf_are_there(churn: CardDocument) -> None:
    page = markdown_to_html(_markdown(churn))
    assert "<h1>customer-churn-v3</h1>" in page
    assert f"<strong>SHA-256 of this version:</strong> {HASH_V3}" in page
    assert HASH_V1 in page
    assert "<strong>Risk rating:</strong> Medium" in page
    assert NON_LATIN in page
    for name, value in SIMPLE_METRICS:
        assert re.search(rf"<td>{name}</td>\s*<td[^>]*>{value}</td>", page), name
    for row in (("Consumer", "0.12"), ("Enterprise", "-0.05"), ("Actual stay", "812")):
        assert re.search(rf"<t[dh][^>]*>{row[0]}</t[dh]>\s*<td[^>]*>{row[1]}</td>", page), row


def test_injected_html_and_markdown_show_as_text(
    churn_with: Callable[[Callable[[dict[str, Any]], None]], CardDocument],
) -> None:
    def inject(content: dict[str, Any]) -> None:
        content["model_overview"]["model_description"] = (
            "<script>alert(1)</script> <b>x</b> **bold** [link](https://example.com) &amp;\n"
            "# not a heading\n- not a list\n1. not a list\n> not a quote\n```\nnot code"
        )
        metrics = content["evaluation_details"][0]["metric_groups"][0]["metric_data"]
        metrics[0]["name"] = "a | b"

    page = markdown_to_html(_markdown(churn_with(inject)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt; **bold**" in page
    assert "[link](https://example.com) &amp;amp;" in page
    for shown in ("# not a heading", "- not a list", "1. not a list", "&gt; not a quote", "```"):
        assert shown in page
    for tag in ("<script", "<b>", "<strong>bold", "<a ", "<blockquote", "<pre", "<ol", "<h1>not"):
        assert tag not in page
    assert re.search(r"<td>a \| b</td>\s*<td[^>]*>0.9134</td>", page)


@pytest.mark.parametrize(
    "text",
    ["*x*", "_x_", "`x`", "<x>", "&lt;", "[x](y)", "![x](y)", "~~x~~", "$x$", "a\\", "\\*", "#1"],
)
def test_escaped_text_renders_as_itself(text: str) -> None:
    html = markdown_to_html(escape(text))
    rendered = re.sub(r"</?p>|\n", "", html)
    expected = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert rendered == expected


def test_line_breaks_and_paragraphs_of_card_text_are_kept() -> None:
    html = markdown_to_html(paragraph("one\ntwo\n\nthree"))
    assert html == "<p>one<br />\ntwo</p>\n<p>three</p>\n"


def test_an_empty_card_says_not_provided_under_every_section(empty_card: CardDocument) -> None:
    page = _markdown(empty_card)
    for title in SECTION_TITLES:
        assert f"## {title}\n\nNot provided.\n" in page
