"""The JSON document: metadata and content, stable bytes, the hash."""

from __future__ import annotations

import json

from cardinal.documents import CardDocument, render
from cardinal.domain.document_formats import DocumentFormat
from tests.unit.documents.cards import CARD_ARN, HASH_V1, HASH_V3, build_document, churn_content


def test_it_round_trips_the_content_and_metadata(churn: CardDocument) -> None:
    data = json.loads(render(churn, DocumentFormat.JSON))
    assert data["format"] == "cardinal.model-card-document"
    assert data["format_version"] == 1
    assert data["content"] == churn.content
    assert data["content_sha256"] == HASH_V3
    assert data["name"] == "customer-churn-v3"
    assert data["arn"] == CARD_ARN
    assert (data["version"], data["status"], data["risk_rating"]) == (3, "PendingReview", "Medium")
    assert data["created_at"] == "2026-09-01T08:30:00+00:00"
    assert data["last_modified_by"] == "bob"
    assert data["package"]["approval_status"] == "Approved"
    assert [entry["version"] for entry in data["history"]] == [1, 2, 3]
    assert data["history"][0]["content_sha256"] == HASH_V1
    assert data["sections_not_provided"] == []


def test_the_bytes_do_not_depend_on_the_order_of_the_contents_keys() -> None:
    content = churn_content()
    reordered = json.loads(json.dumps(content, sort_keys=True))
    assert list(reordered) != list(content)
    first = render(build_document(content), DocumentFormat.JSON)
    assert render(build_document(reordered), DocumentFormat.JSON) == first
    assert first.decode().index('"name"') < first.decode().index('"content"')


def test_an_empty_card_lists_every_section_as_not_provided(empty_card: CardDocument) -> None:
    data = json.loads(render(empty_card, DocumentFormat.JSON))
    assert data["content"] == {}
    assert data["package"] is None
    assert data["history"] == []
    assert data["risk_rating"] is None
    assert data["sections_not_provided"] == [
        "model_overview",
        "intended_uses",
        "business_details",
        "training_details",
        "evaluation_details",
        "additional_information",
        "model_package_details",
    ]
