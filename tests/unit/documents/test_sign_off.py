"""The sign-off block, the "current state" and "snapshot" labels, numbers rounded for reading
and charts kept with their titles, in the PDF, the HTML page, the Markdown and the JSON document."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from cardinal.documents import CardDecision, CardDocument, PackageDecision, render
from cardinal.documents.text import number_text
from cardinal.domain.document_formats import DocumentFormat
from tests.unit.documents.cards import HASH_V2, HASH_V3, build_document, churn_content
from tests.unit.documents.reading import markdown_to_html, pdf_pages, squeeze, svg_texts, svgs

SEVENTH = 1 / 7  # 0.14285714285714285


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 10, day, hour, 0, tzinfo=UTC)


CARD_DECISIONS = (
    CardDecision("root", _at(3, 9), 2, "Archived", "Draft", reason="Archived by mistake <b>x</b>"),
    CardDecision("alice", _at(5, 9), 3, "Draft", "PendingReview"),
    CardDecision("mrc-chair", _at(7, 9), 3, "PendingReview", "Approved"),
)
PACKAGE_DECISIONS = (
    PackageDecision(
        "ann", _at(6, 9), "Approved", "1 of 2 approvals (ann)", "metrics reviewed",
        "customer-churn", 2, "customer-churn-v3", 2, HASH_V2,
    ),
    PackageDecision(
        "bo", _at(8, 9), "Approved", "Approved", None, "*", 1, "customer-churn-v3", 3, HASH_V3,
    ),
)  # fmt: skip
# The decisions of both kinds in time order, as the sign-off lists them.
TITLES = [
    "Card restored: Archived → Draft",
    "Card status: Draft → PendingReview",
    "Model version customer-churn/3: Approved",
    "Card status: PendingReview → Approved",
    "Model version customer-churn/3: Approved",
]


def _content() -> dict[str, Any]:
    content = churn_content()
    groups = content["evaluation_details"][0]["metric_groups"]
    groups[0]["metric_data"].append({"name": "Recall", "type": "number", "value": SEVENTH})
    groups[1]["metric_data"][1]["value"][0] = SEVENTH  # the first bar of the bar chart
    return content


@pytest.fixture(scope="module")
def signed() -> CardDocument:
    return build_document(
        _content(), card_decisions=CARD_DECISIONS, package_decisions=PACKAGE_DECISIONS
    )


@pytest.fixture(scope="module")
def pdf_lines(signed: CardDocument) -> list[str]:
    return "\n".join(pdf_pages(render(signed, DocumentFormat.PDF))).splitlines()


@pytest.fixture(scope="module")
def page(signed: CardDocument) -> str:
    return render(signed, DocumentFormat.HTML).decode()


def _after(lines: list[str], heading: str) -> list[str]:
    return lines[len(lines) - lines[::-1].index(heading) :]


def test_the_pdf_lists_every_decision_oldest_first(pdf_lines: list[str]) -> None:
    sign_off = _after(pdf_lines, "Sign-off")
    titles = [line for line in sign_off if line.startswith(("Card ", "Model version "))]
    titles = [line for line in titles if not line.startswith(("Card version", "Card reviewed"))]
    assert titles == TITLES
    for line in (
        "Every recorded decision on this card and on the model version it documents, oldest first.",
        "When 2026-10-03 09:00:00 UTC",
        "By root",
        "Card version 2, not the version in this document (version 3)",
        "Reason for the restore Archived by mistake <b>x</b>",
        "By mrc-chair",
        "Card version 3, the version in this document",
        "Decision Approved",
        "Outcome 1 of 2 approvals (ann)",
        "Comment metrics reviewed",
        "Policy customer-churn policy v2",
        "Policy global policy v1",
        "Card reviewed customer-churn-v3 version 2, not the version in this document (version 3)",
        "Card reviewed customer-churn-v3 version 3, the version in this document",
    ):
        assert line in sign_off, line


def test_the_pdf_prints_the_full_sha256_of_each_card_reviewed(pdf_lines: list[str]) -> None:
    sign_off = squeeze("\n".join(_after(pdf_lines, "Sign-off")))
    assert f"SHA-256ofthecardreviewed{HASH_V2}" in sign_off
    assert f"SHA-256ofthecardreviewed{HASH_V3}" in sign_off


def test_the_pdf_says_which_package_facts_are_current_and_which_a_snapshot(
    pdf_lines: list[str],
) -> None:
    text = " ".join(pdf_lines)
    assert (
        "Current state in the model registry as of 2026-11-25 06:00:00 UTC, when this document "
        "was generated." in text
    )
    assert (
        "Snapshot recorded in the card content (version 3, written 2026-09-01 08:30:00 UTC by "
        'alice). It may differ from the current state, under "Linked model package".' in text
    )
    linked = pdf_lines.index("Linked model package")
    snapshot = pdf_lines.index("Model package details")
    assert pdf_lines[linked + 1].startswith("Current state in the model registry as of")
    assert pdf_lines[snapshot + 1].startswith("Snapshot recorded in the card content")


def test_the_pdf_rounds_numbers_for_reading(pdf_lines: list[str]) -> None:
    assert "Recall 0.1429" in pdf_lines
    assert "Consumer 0.1429" in pdf_lines  # the bar chart's table
    assert not any("0.14285" in line for line in pdf_lines)
    assert "AUC 0.9134" in pdf_lines
    assert "Decision threshold 42" in pdf_lines
    assert any(line.startswith("Numbers Shown to 4 significant digits") for line in pdf_lines)


def test_the_html_sign_off_shows_every_decision_as_text(page: str) -> None:
    sign_off = page[page.index('<section class="section sign-off"') :]
    titles = [html.unescape(title) for title in re.findall(r"<h3>(.*?)</h3>", sign_off)]
    assert titles == TITLES
    assert "Archived by mistake &lt;b&gt;x&lt;/b&gt;" in sign_off
    assert "<b>" not in sign_off
    for sha in (HASH_V2, HASH_V3):
        assert f'<span class="mono">{sha}</span>' in sign_off
    assert "metrics reviewed" in sign_off


def test_the_html_rounds_numbers_in_tables_and_charts(page: str) -> None:
    assert "0.1429" in page
    assert "0.14285" not in page
    bars = svg_texts(svgs(page)[1])
    assert "0.1429" in bars


def test_markdown_has_a_plain_sign_off_section(signed: CardDocument) -> None:
    markdown = render(signed, DocumentFormat.MARKDOWN).decode()
    sign_off = markdown[markdown.index("## Sign-off") :]
    assert re.findall(r"^### (.*)$", sign_off, re.M) == TITLES
    shown = markdown_to_html(sign_off)
    assert f"<strong>SHA-256 of the card reviewed:</strong> {HASH_V2}" in shown
    assert "<strong>Reason for the restore:</strong> Archived by mistake &lt;b&gt;x&lt;/b&gt;" in (
        shown
    )
    assert "0.1429" in markdown
    assert "0.14285" not in markdown


def test_the_json_document_carries_the_decisions_and_exact_numbers(
    signed: CardDocument,
) -> None:
    data = json.loads(render(signed, DocumentFormat.JSON))
    assert data["card_decisions"][0] == {
        "decided_by": "root",
        "decided_at": "2026-10-03T09:00:00+00:00",
        "card_version": 2,
        "from_status": "Archived",
        "to_status": "Draft",
        "reason": "Archived by mistake <b>x</b>",
    }
    assert [d["decided_by"] for d in data["package_decisions"]] == ["ann", "bo"]
    assert data["package_decisions"][1]["card_content_sha256"] == HASH_V3
    assert data["package_decisions"][1]["policy_group"] == "*"
    metrics = data["content"]["evaluation_details"][0]["metric_groups"][0]["metric_data"]
    assert metrics[-1]["value"] == SEVENTH
    assert "0.14285714285714285" in render(signed, DocumentFormat.JSON).decode()


def test_a_decision_without_a_policy_or_a_card_says_so() -> None:
    bare = PackageDecision("ann", _at(6, 9), "Rejected", "Rejected")
    document = build_document({}, package_decisions=(bare,))
    markdown = render(document, DocumentFormat.MARKDOWN).decode()
    assert "**Policy:** None (no approval policy was set)" in markdown
    assert "**Card reviewed:** None: no card documented the version then" in markdown
    assert "**Comment:**" not in markdown


def test_a_card_created_approved_counts_as_a_decision() -> None:
    created = CardDecision("mrc-chair", _at(1, 9), 1, None, "Approved")
    markdown = render(
        build_document({}, version=1, card_decisions=(created,)), DocumentFormat.MARKDOWN
    ).decode()
    assert "### Card created as Approved" in markdown
    assert "**Card version:** 1, the version in this document" in markdown


def _chart_after(rows: int) -> dict[str, Any]:
    numbers = [{"name": f"m{i:02d}", "type": "number", "value": i} for i in range(rows)]
    chart = {
        "name": "Lift curve",
        "type": "linear_graph",
        "value": [[0, 0], [1, 1]],
        "notes": "Holdout data.",
    }
    groups = [
        {"name": "Numbers", "metric_data": numbers},
        {"name": "Charts", "metric_data": [chart]},
    ]
    return {"evaluation_details": [{"name": "Holdout", "metric_groups": groups}]}


@pytest.mark.parametrize("rows", range(20, 50, 3))
def test_a_charts_title_and_notes_stay_on_the_charts_page(rows: int) -> None:
    """Wherever the chart falls, its title, notes and drawing (the only "0.8": a tick of its
    axis) are on one page."""
    document = build_document(_chart_after(rows), package=None, history=())
    pages = [page.split("\n") for page in pdf_pages(render(document, DocumentFormat.PDF))]
    title = [number for number, lines in enumerate(pages) if "Lift curve" in lines]
    notes = [number for number, lines in enumerate(pages) if "Notes Holdout data." in lines]
    drawing = [number for number, lines in enumerate(pages) if "0.8" in lines]
    assert title == notes == drawing, (title, notes, drawing)
    assert len(title) == 1


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (SEVENTH, "0.1429"),
        (0.87, "0.87"),
        (-0.3071, "-0.3071"),
        (12345.678, "12346"),
        (37.375, "37.38"),
        (42, "42"),
        (42.0, "42"),
        (-0.0, "0"),
        (999_999_999_999_999, "999999999999999"),
        (10**30, "1 \N{MULTIPLICATION SIGN} 10³⁰"),
        (6.02214076e23, "6.022 \N{MULTIPLICATION SIGN} 10²³"),
        (0.0000123456, "1.235 \N{MULTIPLICATION SIGN} 10⁻⁵"),
        (float("nan"), "NaN"),
        (float("-inf"), "-Infinity"),
    ],
)
def test_numbers_read_as_a_person_writes_them(value: float, shown: str) -> None:
    assert number_text(value) == shown


def test_only_a_card_with_rounded_numbers_says_that_numbers_are_rounded(
    signed: CardDocument,
) -> None:
    note = "**Numbers:** Shown to 4 significant digits"
    assert note in render(signed, DocumentFormat.MARKDOWN).decode()
    assert note not in render(build_document(churn_content()), DocumentFormat.MARKDOWN).decode()
