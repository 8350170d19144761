"""The one definition of each identifier: entity names, regions, ARN scopes, package references."""

from __future__ import annotations

import re

import pytest

from cardinal.domain.errors import InvalidInput
from cardinal.domain.identifiers import (
    ENTITY_NAME,
    ENTITY_NAME_MAX_LENGTH,
    Scope,
    check_entity_name,
    is_region,
    model_package_ref,
    parse_arn,
)

SCOPE = Scope("123456789012", "us-east-1")
WEST = Scope("123456789012", "eu-west-1")


@pytest.mark.parametrize("name", ["a", "churn", "churn-v2", "a--b", "A1", "x" * 63])
def test_entity_names(name: str) -> None:
    assert re.fullmatch(ENTITY_NAME, name)
    assert len(name) <= ENTITY_NAME_MAX_LENGTH


@pytest.mark.parametrize("name", ["", "-a", "a-", "a_b", "a.b", "a b", "é", "x" * 64, "a\n"])
def test_not_entity_names(name: str) -> None:
    assert not re.fullmatch(ENTITY_NAME, name)


def test_hyphens_count_towards_the_length_but_not_the_pattern() -> None:
    name = "a" + "-" * 62 + "b"
    assert re.fullmatch(ENTITY_NAME, name)
    assert len(name) > ENTITY_NAME_MAX_LENGTH


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"])
def test_regions(region: str) -> None:
    assert is_region(region)


@pytest.mark.parametrize(
    "region",
    [
        "",
        "us-east",
        "US-EAST-1",
        "us_east_1",
        "us-east-1\n",
        "üs-east-1",
        "us-east-\u0661",
        "x" * 17,
    ],
)
def test_not_regions(region: str) -> None:
    assert not is_region(region)


def test_an_arn_names_its_scope() -> None:
    parsed = parse_arn(WEST.arn("model-card", "churn"))
    assert parsed is not None
    assert parsed.scope == WEST
    assert parsed.is_in(WEST)
    assert not parsed.is_in(SCOPE)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("churn/3", ("churn", 3)),
        ("churn/999999999", ("churn", 999_999_999)),
        (SCOPE.arn("model-package", "churn/12"), ("churn", 12)),
        (WEST.arn("model-package", "churn/1"), ("churn", 1)),
        ("arn:aws-cn:sagemaker:cn-north-1:123456789012:model-package/churn/1", ("churn", 1)),
        ("churn", None),
        ("churn/0", None),
        ("churn/07", None),
        ("churn/1234567890", None),
        ("churn/\u0661", None),
        ("a/b/1", None),
        ("/1", None),
        (SCOPE.arn("model-package-group", "churn/1"), None),
        ("arn:nonsense:model-package/churn/1", None),
    ],
)
def test_package_references_read_without_a_scope(
    value: str, expected: tuple[str, int] | None
) -> None:
    ref = model_package_ref(value)
    assert (None if ref is None else (ref.group_name, ref.version)) == expected


@pytest.mark.parametrize("name", ["a", "churn-v2", "a--b", "A1", "x" * 63])
def test_an_entity_name_is_accepted(name: str) -> None:
    check_entity_name("model card", name)


@pytest.mark.parametrize("name", ["", "-a", "a-", "bad name", "café", "a_b", "x" * 64, "a\n"])
def test_a_name_that_is_not_an_entity_name_is_refused_with_the_rule(name: str) -> None:
    with pytest.raises(InvalidInput, match="can't be the name of a model card: a name is 1 to 63"):
        check_entity_name("model card", name)
