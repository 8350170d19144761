"""Rules of the domain that need no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cardinal.domain.errors import InvalidInput, InvalidState, NotFound
from cardinal.domain.identifiers import Scope, model_package_ref, name_from_name_or_arn
from cardinal.domain.model_cards import CardChange, ModelCard, ModelCardStatus, classify_card_update

SCOPE = Scope("123456789012", "us-east-1")
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _card(status: ModelCardStatus) -> ModelCard:
    return ModelCard(1, "c", SCOPE.arn("model-card", "c"), 1, status, NOW, "a", NOW, "a")


def test_update_kinds() -> None:
    draft = _card(ModelCardStatus.DRAFT)
    assert classify_card_update(draft, "{}", None) is CardChange.CONTENT
    assert classify_card_update(draft, None, ModelCardStatus.APPROVED) is CardChange.STATUS
    with pytest.raises(InvalidInput, match="in a single call"):
        classify_card_update(draft, "{}", ModelCardStatus.APPROVED)
    with pytest.raises(InvalidInput, match="either Content or ModelCardStatus"):
        classify_card_update(draft, None, None)


def test_archived_cards_take_status_but_not_content() -> None:
    archived = _card(ModelCardStatus.ARCHIVED)
    assert classify_card_update(archived, None, ModelCardStatus.DRAFT) is CardChange.STATUS
    with pytest.raises(InvalidState, match="Archived"):
        classify_card_update(archived, "{}", None)


def test_names_and_arns() -> None:
    arn = SCOPE.arn("model-card", "churn")
    assert name_from_name_or_arn("churn", SCOPE, "model-card", "model card") == "churn"
    assert name_from_name_or_arn(arn, SCOPE, "model-card", "model card") == "churn"
    other_region = Scope("123456789012", "eu-west-1").arn("model-card", "churn")
    with pytest.raises(NotFound):
        name_from_name_or_arn(other_region, SCOPE, "model-card", "model card")
    with pytest.raises(InvalidInput):
        name_from_name_or_arn(
            SCOPE.arn("model-package-group", "g"), SCOPE, "model-card", "model card"
        )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("churn/3", ("churn", 3)),
        (SCOPE.arn("model-package", "churn/12"), ("churn", 12)),
        ("churn", None),
        ("churn/x", None),
        ("a/b/1", None),
        (Scope("123456789012", "eu-west-1").arn("model-package", "churn/1"), None),
        (SCOPE.arn("model-package-group", "churn/1"), None),
    ],
)
def test_model_package_refs(value: str, expected: tuple[str, int] | None) -> None:
    ref = model_package_ref(value, SCOPE)
    assert (None if ref is None else (ref.group_name, ref.version)) == expected
