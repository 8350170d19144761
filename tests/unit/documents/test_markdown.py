"""The Markdown document: the same facts as the PDF, and card text that stays text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from markdown_it import MarkdownIt
from markdown_it.token import Token

from cardinal.documents import CardDocument, render
from cardinal.documents.markdown_text import escape, paragraph
from cardinal.domain.document_formats import DocumentFormat
from tests.unit.documents.cards import (
    EMPTY_SECTION_TITLES,
    HASH_V1,
    HASH_V3,
    NON_LATIN,
    SECTION_TITLES,
    SIMPLE_METRICS,
    build_document,
)
from tests.unit.documents.hostile import BLOCK_STARTS, HOSTILE, benign, hostile_texts
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
    for title in EMPTY_SECTION_TITLES:
        assert f"## {title}\n\nNot provided.\n" in page


# Containers and leaves only the renderer makes; a card's text never adds one.
NEVER_EMITTED = {
    "hr",
    "blockquote_open",
    "fence",
    "code_block",
    "html_block",
    "ordered_list_open",
}


def _one_line(text: str) -> str:
    """What a single-line field shows: its words, every run of whitespace one space."""
    return " ".join(text.split())


def _paragraph_lines(text: str) -> list[str]:
    """What a multi-line field's first paragraph shows, line by line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = re.split(r"\n[ \t]*\n", text)[0]
    return [line.strip() for line in first.split("\n") if line.strip()]


def _cell_text(text: str) -> str:
    return "\n".join(_one_line(line) for line in text.splitlines() if line.strip())


def _parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark", {"html": True}).enable("table").parse(markdown)


def _shape(tokens: list[Token]) -> list[tuple[str, ...]]:
    """The block tokens and, per inline token, the kinds of its children: all but the text."""
    shape: list[tuple[str, ...]] = []
    for token in tokens:
        if token.type == "inline":
            kinds = [child.type for child in token.children or () if child.type != "text"]
            shape.append(("inline", *kinds))
        else:
            shape.append((token.type, token.tag, str(token.level)))
    return shape


def _shown(token: Token) -> str:
    """The text an inline token shows, line breaks (hard or ``<br>``) as newlines."""
    out = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("hardbreak", "softbreak") or (
            child.type == "html_inline" and child.content == "<br>"
        ):
            out.append("\n")
    return "".join(out)


def _texts(tokens: list[Token]) -> list[str]:
    return [_shown(token) for token in tokens if token.type == "inline"]


def _hostile_content(text: str) -> dict[str, Any]:
    """A card with ``text`` in every kind of field: headings, labels, cells and free text."""
    return {
        "model_overview": {"model_description": text, "model_artifact": [text]},
        "evaluation_details": [
            {
                "name": text,
                "evaluation_observation": text,
                "metadata": {text: {"reviewer": "J. Doe"}},
                "metric_groups": [
                    {
                        "name": text,
                        "metric_data": [
                            {"name": text, "type": "number", "value": 1, "notes": text},
                            {
                                "name": "bars",
                                "type": "bar_chart",
                                "value": [1],
                                "x_axis_name": [text],
                            },
                        ],
                    }
                ],
            }
        ],
        "training_details": {"training_job_details": {"hyper_parameters": [{text: "0.1"}]}},
        "additional_information": {"custom_details": {text: "value"}},
        f"extra {text}": "value",
    }


def _hostile_card(text: str) -> CardDocument:
    return build_document(_hostile_content(text), name=text, created_by=text)


def _assert_no_structure_from(text: str) -> list[Token]:
    tokens = _parse(_markdown(_hostile_card(text)))
    assert _shape(tokens) == _shape(_parse(_markdown(_hostile_card(benign(text)))))
    assert not {token.type for token in tokens} & NEVER_EMITTED
    return tokens


def test_block_markers_in_any_field_add_no_structure() -> None:
    _assert_no_structure_from(HOSTILE)


def test_single_line_fields_show_their_text_on_one_line() -> None:
    texts = _texts(_assert_no_structure_from(HOSTILE))
    shown = _one_line(HOSTILE)
    assert texts.count(shown) >= 4  # the card name, evaluation, metric group, metadata key
    assert f"extra {shown}" in texts  # a section of the card's own
    assert f"{shown}: value" in texts  # a custom_details key as a label
    assert _cell_text(HOSTILE) in texts  # metric name, notes, bar label, column heading


def test_multi_line_fields_keep_their_lines() -> None:
    texts = _texts(_assert_no_structure_from(HOSTILE))
    lines = "\n".join(_paragraph_lines(HOSTILE))
    assert f"Description: {lines}" in texts
    assert f"Observations: {lines}" in texts
    assert lines in texts  # an item of a list value
    created = _paragraph_lines(f"2026-09-01 08:30:00 UTC by {HOSTILE}")
    assert "Created: " + "\n".join(created) in texts


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(hostile_texts)
def test_no_text_adds_structure_and_every_text_is_shown(text: str) -> None:
    texts = _texts(_assert_no_structure_from(text))
    assert _one_line(f"extra {text}") in texts
    if text.strip():
        assert f"{_one_line(text)}: value" in texts
        assert _cell_text(text) in texts
        assert "Description: " + "\n".join(_paragraph_lines(text)) in texts


@pytest.mark.parametrize("line", BLOCK_STARTS)
@pytest.mark.parametrize(
    "around",
    ["{}", "{}\nafter", "a | b\n{}"],  # after a line with a pipe, a delimiter row makes a table
    ids=["alone", "first", "last"],
)
def test_a_line_of_free_text_starting_a_block_stays_a_line_of_text(line: str, around: str) -> None:
    text = around.format(line)
    tokens = _parse(paragraph(text))
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert _texts(tokens) == ["\n".join(_paragraph_lines(text))]


@pytest.mark.parametrize("line", BLOCK_STARTS)
def test_a_single_line_field_is_one_line(line: str) -> None:
    heading = escape(f"before\n{line}\nafter")
    assert "\n" not in heading
    tokens = _parse(f"## {heading}")
    assert [token.type for token in tokens] == ["heading_open", "inline", "heading_close"]
    assert _texts(tokens) == [_one_line(f"before {line} after")]
