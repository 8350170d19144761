"""The PDF: every section, metric value, hash and page number can be read back from its text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cardinal.documents import CardDocument, render
from cardinal.documents.pdf import refusing_fetcher
from cardinal.documents.text import number_text
from cardinal.domain.document_formats import DocumentFormat
from tests.unit.documents.cards import (
    EMPTY_SECTION_TITLES,
    HASH_V1,
    HASH_V3,
    NON_LATIN,
    SECTION_TITLES,
    SIMPLE_METRICS,
    build_document,
    churn_content,
)
from tests.unit.documents.reading import pdf_fonts, pdf_pages, squeeze


@pytest.fixture(scope="module")
def churn_pdf() -> bytes:
    return render(build_document(churn_content()), DocumentFormat.PDF)


@pytest.fixture(scope="module")
def churn_text(churn_pdf: bytes) -> str:
    return "\n".join(pdf_pages(churn_pdf))


def test_it_is_a_pdf(churn_pdf: bytes) -> None:
    assert churn_pdf.startswith(b"%PDF-")
    assert churn_pdf.rstrip().endswith(b"%%EOF")


def test_every_section_has_its_title(churn_text: str) -> None:
    lines = churn_text.splitlines()
    for title in SECTION_TITLES:
        assert title in lines


def test_the_title_block_names_the_card_version_status_and_risk(churn_text: str) -> None:
    lines = churn_text.splitlines()
    assert "customer-churn-v3" in lines
    for line in ("Version 3", "Status PendingReview", "Risk rating Medium"):
        assert line in lines
    assert "Created 2026-09-01 08:30:00 UTC by alice" in lines
    assert "Last modified 2026-10-02 16:45:12 UTC by bob" in lines
    assert f"SHA-256 of this version {HASH_V3}" in lines


def test_every_simple_metric_shows_its_value_beside_its_name(churn_text: str) -> None:
    lines = churn_text.splitlines()
    for name, value in SIMPLE_METRICS:
        assert any(line.startswith(f"{name} {value}") for line in lines), name


def test_chart_metrics_show_their_numbers_in_tables(churn_text: str) -> None:
    lines = churn_text.splitlines()
    for row in ("Consumer 0.12", "Enterprise -0.05", "Госсектор 0.22", "0.25 0.78", "1 1"):
        assert row in lines
    assert "Actual stay 812 43" in lines
    assert "Actual churn 61 284" in lines


def test_every_page_carries_the_hash_and_its_number(churn_pdf: bytes) -> None:
    pages = pdf_pages(churn_pdf)
    assert len(pages) > 1
    for number, text in enumerate(pages, 1):
        assert f"SHA-256 {HASH_V3}" in text
        assert f"Page {number} of {len(pages)}" in text


def test_the_history_lists_every_version_with_its_hash(churn_text: str) -> None:
    squeezed = squeeze(churn_text)
    assert HASH_V1 in squeezed
    assert "1Approved2026-05-04" in squeezed


def test_non_latin_text_is_set_in_fonts_that_have_it(churn_pdf: bytes, churn_text: str) -> None:
    assert squeeze(NON_LATIN) in squeeze(churn_text)
    fonts = {font.replace("-", "") for font in pdf_fonts(churn_pdf)}
    assert any(font.endswith("+DejaVuSans") for font in fonts), fonts
    assert any(font.endswith("+NotoSansCJKSC") for font in fonts), fonts


def test_markup_in_card_text_is_printed_as_text(
    churn_with: Callable[[Callable[[dict[str, Any]], None]], CardDocument],
) -> None:
    def inject(content: dict[str, Any]) -> None:
        content["model_overview"]["model_description"] = "<script>alert(1)</script> and <b>x</b>"
        content["business_details"]["business_problem"] = "</td></tr></table><h1>forged</h1>"

    text = "\n".join(pdf_pages(render(churn_with(inject), DocumentFormat.PDF)))
    assert "<script>alert(1)</script> and <b>x</b>" in text
    assert "</td></tr></table><h1>forged</h1>" in text


def test_a_300_row_metric_group_and_a_30_by_30_matrix_split_over_pages(
    churn_with: Callable[[Callable[[dict[str, Any]], None]], CardDocument],
) -> None:
    def enlarge(content: dict[str, Any]) -> None:
        groups = content["evaluation_details"][0]["metric_groups"]
        rows = [{"name": f"feature_{i:03d}", "type": "number", "value": i / 8} for i in range(300)]
        groups.append({"name": "Feature drift", "metric_data": rows})
        matrix = [[r * 30 + c for c in range(30)] for r in range(30)]
        groups.append(
            {"name": "Big", "metric_data": [{"name": "30x30", "type": "matrix", "value": matrix}]}
        )

    pages = pdf_pages(render(churn_with(enlarge), DocumentFormat.PDF))
    text = "\n".join(pages)
    lines = text.splitlines()
    for i in range(300):
        assert f"feature_{i:03d} {number_text(i / 8)}" in lines
    holding_rows = [page for page in pages if "feature_" in page]
    assert len(holding_rows) > 2
    for page in holding_rows:  # the header row is repeated on every page of the table
        assert "Metric Value" in page.splitlines()
    last_row = "30 " + " ".join(str(value) for value in range(890, 900))  # rows, columns 1..30
    assert last_row in lines
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page


def test_an_empty_card_says_not_provided_for_every_section(empty_card: CardDocument) -> None:
    text = "\n".join(pdf_pages(render(empty_card, DocumentFormat.PDF)))
    lines = text.splitlines()
    for title in EMPTY_SECTION_TITLES:
        index = lines.index(title)
        assert lines[index + 1] == "Not provided."
    assert "Risk rating Not provided." in lines
    assert lines[lines.index("Sign-off") + 2] == "No decisions recorded."


def test_charts_are_drawn_with_their_labels(churn_text: str) -> None:
    lines = churn_text.splitlines()
    # Lines only a chart holds: the ROC curve's ticks, the heat map's column labels one by one.
    for line in ("0.4", "0.6", "Predicted stay", "Predicted churn", "Actual stay"):
        assert line in lines


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x.png", "https://example.com/", "file:///etc/passwd", "ftp://x/"]
)
def test_the_pdf_renderer_fetches_nothing(url: str) -> None:
    with pytest.raises(ValueError, match="disallowed protocol"):
        refusing_fetcher()(url)


def test_the_pdf_renderer_reads_data_urls_which_hold_their_content() -> None:
    answer = refusing_fetcher()("data:image/svg+xml;base64,PHN2Zy8+")
    try:
        assert answer.read() == b"<svg/>"
        assert answer.content_type == "image/svg+xml"
    finally:
        answer.close()
