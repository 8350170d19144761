"""Integers JSON carries exactly (within ±(2^53 - 1)) are stored; the path of the first one
beyond is found wherever it sits, and booleans and floats are never taken for one."""

from __future__ import annotations

from typing import Any

import pytest

from cardinal.content.card_content import CardFlavour, InvalidCardContent, parse_card_content
from cardinal.domain.text import MAX_EXACT_INTEGER, unsafe_integer_path


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"a": [1, 2, {"b": MAX_EXACT_INTEGER + 1}]}, ["a", 2, "b"]),
        ([-MAX_EXACT_INTEGER - 1], [0]),
        ({"first": 2**64, "second": 2**70}, ["first"]),
        (10**30, []),
    ],
)
def test_the_first_integer_beyond_is_found(value: Any, path: list[str | int]) -> None:
    assert unsafe_integer_path(value) == path


@pytest.mark.parametrize(
    "value",
    [
        {"a": MAX_EXACT_INTEGER, "b": -MAX_EXACT_INTEGER},
        {"float": 1e300, "flag": True, "text": "9" * 40},
        [],
    ],
)
def test_what_json_carries_exactly_passes(value: Any) -> None:
    assert unsafe_integer_path(value) is None


def test_card_content_with_an_integer_beyond_is_refused_at_its_path() -> None:
    text = '{"model_overview": {"model_version": 9007199254740992}}'
    with pytest.raises(InvalidCardContent) as refused:
        parse_card_content(text, CardFlavour.MODEL_CARD)
    assert refused.value.path == "$.model_overview.model_version"
    assert "2^53 - 1" in refused.value.message
    fine = '{"model_overview": {"model_version": 9007199254740991}}'
    assert parse_card_content(fine, CardFlavour.MODEL_CARD)["model_overview"]["model_version"] == (
        MAX_EXACT_INTEGER
    )
