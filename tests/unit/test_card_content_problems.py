"""Card content with several problems: each place the schema walk finds is reported, in a stable
order, the first as the error's path; content with one problem reads as it always has."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cardinal.api.rest.problems import problem_for
from cardinal.content.card_content import (
    MAX_PROBLEMS,
    CardFlavour,
    ContentProblem,
    InvalidCardContent,
    parse_card_content,
)
from cardinal.domain.errors import InvalidInput

RISK = "'Extreme' is not one of ['High', 'Medium', 'Low', 'Unknown']"


def refusal(document: Any, flavour: CardFlavour = CardFlavour.MODEL_CARD) -> InvalidCardContent:
    text = document if isinstance(document, str) else json.dumps(document)
    with pytest.raises(InvalidCardContent) as caught:
        parse_card_content(text, flavour)
    return caught.value


def three_problems() -> dict[str, Any]:
    return {
        "model_overview": {"model_name": 7},
        "intended_uses": {"risk_rating": "Extreme"},
        "owner": "alice",
    }


def test_every_problem_is_reported_shallowest_first() -> None:
    error = refusal(three_problems())
    assert isinstance(error, InvalidInput)
    assert [p.path for p in error.problems] == [
        "$.owner",
        "$.model_overview.model_name",
        "$.intended_uses.risk_rating",
    ]
    assert error.problems[1:] == (
        ContentProblem("$.model_overview.model_name", "7 is not of type 'string'"),
        ContentProblem("$.intended_uses.risk_rating", RISK),
    )
    assert error.path == "$.owner"
    assert error.message == (
        "Invalid model card content: 3 problems: "
        f"at $.owner: {error.problems[0].detail}; "
        "at $.model_overview.model_name: 7 is not of type 'string'; "
        f"at $.intended_uses.risk_rating: {RISK}"
    )
    assert error.problems[0].detail.startswith("unknown field 'owner'; allowed here: ")


def test_the_report_is_the_same_every_time() -> None:
    reports = {refusal(three_problems()).message for _ in range(3)}
    assert len(reports) == 1


def test_one_problem_reads_as_one_message_at_its_path() -> None:
    error = refusal({"intended_uses": {"risk_rating": "Extreme"}})
    assert error.problems == (ContentProblem("$.intended_uses.risk_rating", RISK),)
    assert error.message == f"Invalid model card content at $.intended_uses.risk_rating: {RISK}"
    assert error.path == "$.intended_uses.risk_rating"


def test_each_missing_field_is_a_problem_of_its_own() -> None:
    error = refusal({"evaluation_details": [{"metric_groups": []}, {"evaluation_observation": ""}]})
    assert [(p.path, p.detail) for p in error.problems] == [
        ("$.evaluation_details[0].name", "'name' is a required property"),
        ("$.evaluation_details[1].name", "'name' is a required property"),
    ]


def test_several_faults_in_one_place_are_one_problem() -> None:
    metric = {"name": "cm", "type": "matrix", "value": [[1, "x"], ["a", "b"]]}
    card = {"evaluation_details": [{"name": "e", "metric_groups": [{"name": "g"}]}]}
    card["evaluation_details"][0]["metric_groups"][0]["metric_data"] = [metric]
    error = refusal(card)
    value = "$.evaluation_details[0].metric_groups[0].metric_data[0].value"
    assert [p.path for p in error.problems] == [value]
    assert error.message.startswith(f"Invalid model card content at {value}: ")
    assert f"('x' is not of type 'number' at {value}[0][1])" in error.message


def test_problems_past_the_cap_are_counted_not_listed() -> None:
    count = MAX_PROBLEMS + 10
    error = refusal({"evaluation_details": [{} for _ in range(count)]})
    assert len(error.problems) == MAX_PROBLEMS
    assert error.problems[-1].path == f"$.evaluation_details[{MAX_PROBLEMS - 1}].name"
    assert error.message.startswith(
        f"Invalid model card content: {count} problems (the first {MAX_PROBLEMS}): "
        "at $.evaluation_details[0].name: 'name' is a required property; "
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[1, 2]",
            "Invalid model card content at $: content must be a JSON object, not a JSON array",
        ),
        ('{"a": 1, "a": 2}', "Invalid model card content at $: duplicate key 'a' in a JSON object"),
    ],
)
def test_text_that_cannot_be_walked_is_one_problem(text: str, message: str) -> None:
    error = refusal(text)
    assert error.message == message
    assert [p.path for p in error.problems] == ["$"]


def test_rest_problem_lists_every_problem_when_there_are_several() -> None:
    body = json.loads(bytes(problem_for(refusal(three_problems())).body))
    assert body["status"] == 422
    assert body["path"] == "$.owner"
    assert body["detail"].startswith("Invalid model card content: 3 problems: at $.owner: ")
    assert [(e["path"], e["in"]) for e in body["errors"]] == [
        ("$.owner", "content"),
        ("$.model_overview.model_name", "content"),
        ("$.intended_uses.risk_rating", "content"),
    ]
    assert body["errors"][2]["detail"] == RISK


def test_rest_problem_of_one_problem_has_no_list() -> None:
    body = json.loads(bytes(problem_for(refusal({"owner": "alice"})).body))
    assert body["path"] == "$.owner"
    assert "errors" not in body
