"""``render``: every format, one empty-section rule everywhere, and what a PDF needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cardinal.documents import CardDocument, DocumentError, render
from cardinal.domain.document_formats import DocumentFormat
from cardinal.domain.errors import CardinalError, InvalidState
from tests.unit.documents.cards import build_document, churn_content
from tests.unit.documents.reading import pdf_pages

ROOT = Path(__file__).parents[3]


@pytest.mark.parametrize("fmt", list(DocumentFormat))
def test_every_format_renders_the_full_card(churn: CardDocument, fmt: DocumentFormat) -> None:
    data = render(churn, fmt)
    assert data
    if fmt is DocumentFormat.PDF:
        assert data.startswith(b"%PDF-")
    else:
        assert "customer-churn-v3" in data.decode("utf-8")


def test_every_format_says_not_provided_as_often_for_an_empty_card(
    empty_card: CardDocument,
) -> None:
    """Seven card sections, the linked package, the history and the risk rating."""
    counts = {
        fmt: (
            "\n".join(pdf_pages(render(empty_card, fmt)))
            if fmt is DocumentFormat.PDF
            else render(empty_card, fmt).decode()
        ).count("Not provided.")
        for fmt in DocumentFormat
        if fmt is not DocumentFormat.JSON
    }
    assert set(counts.values()) == {10}, counts
    not_provided = json.loads(render(empty_card, DocumentFormat.JSON))["sections_not_provided"]
    assert len(not_provided) == 7


def test_a_section_holding_only_empty_values_is_not_provided() -> None:
    content: dict[str, Any] = {
        "business_details": {"business_problem": "  ", "line_of_business": ""},
        "additional_information": {"custom_details": {}},
        "model_overview": {"model_artifact": []},
    }
    document = build_document(content)
    markdown = render(document, DocumentFormat.MARKDOWN).decode()
    for title in ("Business details", "Additional information", "Model overview"):
        assert f"## {title}\n\nNot provided.\n" in markdown
    assert json.loads(render(document, DocumentFormat.JSON))["sections_not_provided"] == [
        "model_overview",
        "intended_uses",
        "business_details",
        "training_details",
        "evaluation_details",
        "additional_information",
        "model_package_details",
    ]


def test_unknown_keys_are_shown_not_dropped() -> None:
    content = churn_content()
    content["model_overview"]["shoe_size"] = 4711
    content["evaluation_details"][0]["metric_groups"][0]["owner"] = "team-x"
    content["evaluation_details"][0]["metric_groups"][0]["metric_data"][0]["unit"] = "ratio"
    content["evaluation_details"][0]["metric_groups"][1]["metric_data"][0]["source"] = "mlflow"
    content["future_section"] = {"answer": "forty-two"}
    for fmt in (DocumentFormat.HTML, DocumentFormat.MARKDOWN):
        page = render(build_document(content), fmt).decode()
        for shown in (
            "shoe_size",
            "4711",
            "team-x",
            "unit: ratio",
            "source: mlflow",
            "future_section",
        ):
            assert shown in page.replace("\\_", "_"), (fmt, shown)
        assert "forty-two" in page


def test_importing_cardinal_documents_does_not_load_weasyprint() -> None:
    code = "import sys, cardinal.documents; print('weasyprint' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.stdout.strip() == "False"


def test_without_weasyprint_a_pdf_is_a_document_error_and_other_formats_still_work() -> None:
    # A None entry in sys.modules makes "import weasyprint" fail as if it were not installed.
    code = (
        "import sys; sys.modules['weasyprint'] = None\n"
        "from cardinal.documents import render, DocumentError, DocumentFormat\n"
        "from tests.unit.documents.cards import build_document\n"
        "document = build_document({})\n"
        "assert render(document, DocumentFormat.HTML)\n"
        "try:\n"
        "    render(document, DocumentFormat.PDF)\n"
        "except DocumentError as error:\n"
        "    print(error.message)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.stdout.startswith("PDF documents need WeasyPrint"), result.stdout


def test_a_document_error_is_an_invalid_state() -> None:
    assert issubclass(DocumentError, InvalidState)
    assert issubclass(DocumentError, CardinalError)
