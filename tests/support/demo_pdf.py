"""What a PDF of one of the demo's model cards must show, read back from its text."""

from __future__ import annotations

from typing import Any

from tests.unit.documents.cards import SECTION_TITLES
from tests.unit.documents.reading import pdf_pages, squeeze

# The demo's evaluation metrics per card, and the cells of both cards' confusion matrix.
DEMO_METRICS = {
    "customer-churn-v1": (("auc", "0.871"), ("accuracy", "0.889")),
    "customer-churn-v2": (("auc", "0.884"), ("accuracy", "0.896")),
}
MATRIX_CELLS = ("812", "64", "71", "253")
ROC_POINTS = ("0.62", "0.85")


def check_demo_pdf(pdf: bytes, card: dict[str, Any]) -> None:
    """``pdf`` shows every section title, every metric value, the status and version of
    ``card`` (its REST read model) and, on every page, its hash."""
    pages = pdf_pages(pdf)
    lines = "\n".join(pages).splitlines()
    words = {word for line in lines for word in line.split()}
    name = card["name"]
    for title in SECTION_TITLES:
        assert title in lines, (name, title)
    for metric, value in DEMO_METRICS[name]:
        assert any(line.startswith(f"{metric} {value}") for line in lines), (name, metric)
    for cell in (*MATRIX_CELLS, *ROC_POINTS):
        assert cell in words, (name, cell)
    assert name in lines
    assert f"Version {card['version']}" in lines
    assert f"Status {card['status']}" in lines
    for page in pages:
        assert card["content_sha256"] in squeeze(page), name
