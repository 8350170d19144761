"""Rules of tags and ARNs that need no database: reserved keys, duplicate keys, partitions."""

from __future__ import annotations

import pytest

from cardinal.domain.errors import InputField, InvalidInput, NotFound
from cardinal.domain.identifiers import (
    Scope,
    model_package_ref,
    name_from_name_or_arn,
    parse_arn,
)
from cardinal.domain.tags import (
    check_tag_keys,
    is_reserved_tag_key,
    tag_map,
)

SCOPE = Scope("123456789012", "us-east-1")
CN = "arn:aws-cn:sagemaker:us-east-1:123456789012"
GOV = "arn:aws-us-gov:sagemaker:us-east-1:123456789012"
RESERVED = "System prefix 'aws:' reserved for AWS usage in tag key"


@pytest.mark.parametrize("key", ["aws:x", "AWS:x", "Aws:cost", "aWs:", "aws:cloudformation:stack"])
def test_aws_prefix_is_reserved_in_any_case(key: str) -> None:
    assert is_reserved_tag_key(key)
    with pytest.raises(InvalidInput) as refused:
        check_tag_keys(["team", key])
    assert refused.value.message == f"{RESERVED}: {key}"
    assert refused.value.field is InputField.TAGS


@pytest.mark.parametrize("key", ["aws", "awsome:x", "team:aws:x", " aws:x", "aws-x", "amazon:x"])
def test_keys_that_only_look_reserved_are_not(key: str) -> None:
    assert not is_reserved_tag_key(key)
    check_tag_keys([key])


def test_the_field_of_a_reserved_key_is_the_callers() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_tag_keys(["aws:x"], InputField.TAG_KEYS)
    assert refused.value.field is InputField.TAG_KEYS


def test_tag_pairs_become_a_map_in_order() -> None:
    assert tag_map([("b", "2"), ("a", "1"), ("aws-ish", "aws:value")]) == {
        "b": "2",
        "a": "1",
        "aws-ish": "aws:value",
    }
    assert tag_map([]) == {}


@pytest.mark.parametrize(
    "pairs",
    [
        [("team", "a"), ("team", "b")],
        [("team", "a"), ("tier", "x"), ("team", "a")],
    ],
)
def test_a_key_given_twice_is_refused(pairs: list[tuple[str, str]]) -> None:
    with pytest.raises(InvalidInput) as refused:
        tag_map(pairs)
    assert refused.value.message.startswith("Duplicate tag key: team")
    assert refused.value.field is InputField.TAGS


def test_keys_differing_in_case_are_different_keys() -> None:
    assert tag_map([("Team", "a"), ("team", "b")]) == {"Team": "a", "team": "b"}


def test_parse_arn_without_a_scope_reads_any_partition() -> None:
    parsed = parse_arn(f"{CN}:model-card/churn")
    assert parsed is not None
    assert (parsed.partition, parsed.kind, parsed.resource) == ("aws-cn", "model-card", "churn")
    assert parse_arn("churn") is None


@pytest.mark.parametrize("prefix", [CN, GOV, "arn:aws-iso:sagemaker:us-east-1:123456789012"])
def test_parse_arn_for_a_request_refuses_another_partition(prefix: str) -> None:
    arn = f"{prefix}:model-card/churn"
    with pytest.raises(InvalidInput) as refused:
        parse_arn(arn, SCOPE, what="resource", field=InputField.RESOURCE)
    partition = arn.split(":")[1]
    assert refused.value.message == (
        f"The resource ARN '{arn}' is in partition '{partition}', but this server serves "
        "partition 'aws': an ARN of another partition names nothing here."
    )
    assert refused.value.field is InputField.RESOURCE


def test_parse_arn_for_a_request_keeps_account_and_region_to_the_caller() -> None:
    arn = "arn:aws:sagemaker:eu-west-1:111111111111:model-card/churn"
    parsed = parse_arn(arn, SCOPE)
    assert parsed is not None
    assert not parsed.is_in(SCOPE)
    mine = parse_arn(SCOPE.arn("model-card", "churn"), SCOPE)
    assert mine is not None
    assert mine.is_in(SCOPE)


def test_a_server_of_another_partition_refuses_aws_arns() -> None:
    china = Scope("123456789012", "cn-north-1", "aws-cn")
    mine = china.arn("model-card", "churn")
    assert name_from_name_or_arn(mine, china, "model-card", "model card") == "churn"
    with pytest.raises(InvalidInput, match="partition 'aws', but this server serves"):
        name_from_name_or_arn(
            "arn:aws:sagemaker:cn-north-1:123456789012:model-card/churn",
            china,
            "model-card",
            "model card",
        )


@pytest.mark.parametrize("prefix", [CN, GOV])
def test_names_or_arns_of_another_partition_are_invalid(prefix: str) -> None:
    with pytest.raises(InvalidInput, match=r"The model card ARN .* is in partition"):
        name_from_name_or_arn(f"{prefix}:model-card/churn", SCOPE, "model-card", "model card")
    # Another kind in another partition: the partition is what is wrong first.
    with pytest.raises(InvalidInput, match="partition"):
        name_from_name_or_arn(f"{prefix}:model-package-group/g", SCOPE, "model-card", "model card")


def test_names_or_arns_of_another_account_or_region_are_still_not_found() -> None:
    for scope in (Scope("111111111111", "us-east-1"), Scope("123456789012", "eu-west-1")):
        with pytest.raises(NotFound):
            name_from_name_or_arn(
                scope.arn("model-card", "churn"), SCOPE, "model-card", "model card"
            )


@pytest.mark.parametrize("prefix", [CN, GOV])
def test_model_package_refs_of_another_partition_are_invalid(prefix: str) -> None:
    with pytest.raises(InvalidInput, match=r"The model package ARN .* is in partition"):
        model_package_ref(f"{prefix}:model-package/churn/1", SCOPE)
    assert model_package_ref(SCOPE.arn("model-package", "churn/1"), SCOPE) is not None
    other_account = Scope("111111111111", "us-east-1").arn("model-package", "churn/1")
    assert model_package_ref(other_account, SCOPE) is None
