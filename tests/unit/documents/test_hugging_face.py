"""The Hugging Face card: huggingface_hub's own parser reads it, eval results included.

Only the local parser is used (``ModelCard(text)``, ``ModelCard.load(path)``): nothing here may
reach the network, so ``ModelCard.validate()`` and ``push_to_hub`` are never called.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from huggingface_hub import ModelCard, ModelCardData
from hypothesis import given, settings

from cardinal.documents import CardDocument, render
from cardinal.domain.document_formats import DocumentFormat
from tests.unit.documents.cards import (
    EMPTY_SECTION_TITLES,
    HASH_V3,
    NUMERIC_METRICS,
    PACKAGE_ARN,
    build_document,
    churn_content,
)
from tests.unit.documents.hostile import HOSTILE, YAML_MARKERS, hostile_texts
from tests.unit.documents.reading import front_matter


def _card(document: CardDocument) -> str:
    return render(document, DocumentFormat.HUGGING_FACE).decode()


def test_huggingface_hub_reads_the_numeric_metrics_as_eval_results(churn: CardDocument) -> None:
    card = ModelCard(_card(churn))
    assert isinstance(card.data, ModelCardData)
    assert card.data.model_name == "customer-churn-v3"
    results = card.data.eval_results
    assert results is not None
    values = {result.metric_name: result.metric_value for result in results}
    assert values == {f"Classification metrics: {k}": v for k, v in NUMERIC_METRICS.items()}
    for result in results:
        assert result.task_type == "tabular-classification"  # the package's task, CLASSIFICATION
        assert result.dataset_name == "Holdout 2026-Q3"
        assert result.dataset_type == "s3://data/churn/holdout.parquet"
    types = {result.metric_type for result in results}
    assert types == {"auc", "accuracy", "f1-score", "decision-threshold", "log-loss"}


def test_the_card_loads_from_a_file(churn: CardDocument, tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(render(churn, DocumentFormat.HUGGING_FACE))
    card = ModelCard.load(path)
    assert card.data.eval_results is not None
    assert len(card.data.eval_results) == len(NUMERIC_METRICS)
    assert "## Evaluation details" in card.text


def test_the_front_matter_is_yaml_with_the_cards_identity(churn: CardDocument) -> None:
    data = front_matter(_card(churn))
    assert data["tags"] == ["cardinal", "model-card"]
    identity = data["cardinal"]
    assert isinstance(identity, dict)
    assert identity["content_sha256"] == HASH_V3
    assert identity["card_version"] == 3
    assert identity["risk_rating"] == "Medium"
    assert identity["model_package_arn"] == PACKAGE_ARN


def test_the_body_is_the_markdown_document(churn: CardDocument) -> None:
    card = ModelCard(_card(churn))
    assert card.text.strip() == render(churn, DocumentFormat.MARKDOWN).decode().strip()


def test_without_a_package_task_the_problem_type_names_the_task(
    churn_with: Callable[[Callable[[dict[str, Any]], None]], CardDocument],
) -> None:
    def drop_task(content: dict[str, Any]) -> None:
        del content["model_package_details"]["task"]
        del content["evaluation_details"][0]["datasets"]

    results = ModelCard(_card(churn_with(drop_task))).data.eval_results
    assert results is not None
    assert {r.task_type for r in results} == {"binary-classification"}
    assert {r.task_name for r in results} == {"Binary Classification"}
    assert {r.dataset_type for r in results} == {"holdout-2026-q3"}


def test_a_card_without_numeric_metrics_has_no_model_index(empty_card: CardDocument) -> None:
    text = _card(empty_card)
    assert "model-index" not in front_matter(text)
    card = ModelCard(text)
    assert card.data.eval_results is None
    for title in EMPTY_SECTION_TITLES:
        assert f"## {title}\n\nNot provided.\n" in card.text


def _hostile_card(text: str) -> CardDocument:
    """The churn card with ``text`` in every value its front matter carries."""
    content = churn_content()
    del content["model_package_details"]["task"]  # the problem type names the task
    content["model_overview"]["problem_type"] = text
    evaluation = content["evaluation_details"][0]
    evaluation["name"] = text
    evaluation["datasets"] = [text]
    group = evaluation["metric_groups"][0]
    group["name"] = text
    group["metric_data"][0]["name"] = text
    return build_document(content, name=text, arn=text, status=text, created_by=text)


def _front_lines(card: str) -> list[str]:
    head, _, _ = card.removeprefix("---\n").partition("\n---\n")
    return head.split("\n")


def _assert_values_stay_values(text: str) -> None:
    card = _card(_hostile_card(text))
    plain = _card(_hostile_card("plain" if text.strip() else " "))
    assert len(_front_lines(card)) == len(_front_lines(plain))  # every value on one line
    identity = front_matter(card)["cardinal"]
    assert isinstance(identity, dict)
    assert (identity["card_name"], identity["card_arn"], identity["status"]) == (text,) * 3
    parsed = ModelCard(card)
    assert parsed.data.model_name == text
    assert (
        parsed.text.strip() == render(_hostile_card(text), DocumentFormat.MARKDOWN).decode().strip()
    )
    results = parsed.data.eval_results
    assert results is not None
    assert len(results) == len(NUMERIC_METRICS)
    if text.strip():
        assert {(r.dataset_name, r.dataset_type, r.task_name) for r in results} == {(text,) * 3}
        assert f"{text}: {text}" in {r.metric_name for r in results}


def test_no_value_breaks_the_front_matter() -> None:
    _assert_values_stay_values(HOSTILE)
    for marker in YAML_MARKERS:
        _assert_values_stay_values(marker)
        _assert_values_stay_values(f"{marker}\n{marker}")


@settings(max_examples=100, derandomize=True, database=None, deadline=None)
@given(hostile_texts)
def test_any_text_stays_a_value_of_the_front_matter(text: str) -> None:
    _assert_values_stay_values(text)
