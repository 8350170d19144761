"""The HTML page: escaped card text, the same facts as the PDF, one parseable SVG per chart."""

from __future__ import annotations

import html
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from cardinal.documents import CardDocument, render
from cardinal.domain.document_formats import DocumentFormat
from tests.unit.documents.cards import (
    CHART_METRICS,
    EMPTY_SECTION_TITLES,
    HASH_V3,
    NON_LATIN,
    SECTION_TITLES,
)
from tests.unit.documents.reading import SVG_NAMESPACE, svg_texts, svgs


class _Outline(HTMLParser):
    """Collects the text of every heading and every tag name used."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.tags: set[str] = set()
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._open, self._text = tag, ""

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self.headings.append((tag, self._text.strip()))
            self._open = None


def _parse(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    return parser


def test_sections_are_second_level_headings_in_reading_order(churn: CardDocument) -> None:
    headings = _parse(render(churn, DocumentFormat.HTML).decode()).headings
    assert headings[0] == ("h1", "customer-churn-v3")
    assert [text for tag, text in headings if tag == "h2"] == list(SECTION_TITLES)


def test_metric_groups_and_chart_metrics_have_headings(churn: CardDocument) -> None:
    headings = [text for _, text in _parse(render(churn, DocumentFormat.HTML).decode()).headings]
    for title in ("Holdout 2026-Q3", "Classification metrics", "Curves and matrices"):
        assert title in headings
    for title in CHART_METRICS:
        assert title in headings


def test_the_page_carries_the_hash_and_non_latin_text(churn: CardDocument) -> None:
    page = render(churn, DocumentFormat.HTML).decode()
    assert HASH_V3 in page
    assert NON_LATIN in html.unescape(page)
    assert '<meta charset="utf-8">' in page


def test_card_text_is_escaped(
    churn_with: Callable[[Callable[[dict[str, Any]], None]], CardDocument],
) -> None:
    def inject(content: dict[str, Any]) -> None:
        content["model_overview"]["model_description"] = "<script>alert(1)</script> <b>x</b>"
        content["additional_information"]["custom_details"] = {'"><img src=x>': "<i>y</i>"}
        content["evaluation_details"][0]["metric_groups"][0]["name"] = "</h4><iframe>"

    page = render(churn_with(inject), DocumentFormat.HTML).decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;" in page
    assert "&lt;i&gt;y&lt;/i&gt;" in page
    assert {"script", "b", "img", "iframe", "i"}.isdisjoint(_parse(page).tags)


def test_each_chart_metric_is_one_svg_that_parses_as_xml(churn: CardDocument) -> None:
    charts = svgs(render(churn, DocumentFormat.HTML).decode())
    assert len(charts) == len(CHART_METRICS)
    assert [svg.get("aria-label") for svg in charts] == ["line chart", "bar chart", "heat map"]
    bar_labels = svg_texts(charts[1])
    for label in ("Consumer", "Small business", "Enterprise", "Госсектор", "Churn rate"):
        assert label in bar_labels
    heat_labels = svg_texts(charts[2])
    for label in ("Predicted stay", "Predicted churn", "Actual stay", "Actual churn", "812"):
        assert label in heat_labels
    assert len(list(charts[0].iter(f"{SVG_NAMESPACE}polyline"))) == 1


def test_chart_labels_are_escaped_in_the_svg(
    churn_with: Callable[[Callable[[dict[str, Any]], None]], CardDocument],
) -> None:
    def inject(content: dict[str, Any]) -> None:
        metrics = content["evaluation_details"][0]["metric_groups"][1]["metric_data"]
        metrics[1]["x_axis_name"] = ["<script>", 'a"b', "&amp;", "\u0007bell"]
        metrics[0]["y_axis_name"] = "</svg><b>"

    page = render(churn_with(inject), DocumentFormat.HTML).decode()
    charts = svgs(page)
    assert len(charts) == len(CHART_METRICS)
    labels = svg_texts(charts[1])
    for label in ("<script>", 'a"b', "&amp;", "\ufffdbell"):
        assert label in labels
    assert "</svg><b>" in svg_texts(charts[0])
    assert {"script", "b"}.isdisjoint(_parse(page).tags)


def test_an_empty_card_says_not_provided_under_every_section(empty_card: CardDocument) -> None:
    page = render(empty_card, DocumentFormat.HTML).decode()
    assert page.count('<p class="not-provided">Not provided.</p>') == len(EMPTY_SECTION_TITLES)
    assert '<p class="not-provided">No decisions recorded.</p>' in page
    assert svgs(page) == []
