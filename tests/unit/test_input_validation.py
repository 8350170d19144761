"""Unit tests for the service-model-driven SageMaker request validation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cardinal.api.sagemaker.input_validation import (
    InputValidator,
    RequestInvalid,
    _compile_pattern,
    load_sagemaker_service_model,
)

PACKAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/grp/3"
NAME_PATTERN = "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"


@pytest.fixture(scope="module")
def validator() -> InputValidator:
    return InputValidator(load_sagemaker_service_model())


def invalid(validator: InputValidator, operation: str, body: object) -> RequestInvalid:
    with pytest.raises(RequestInvalid) as caught:
        validator.validate(operation, body)
    return caught.value


def validation_message(validator: InputValidator, operation: str, body: object) -> str:
    error = invalid(validator, operation, body)
    assert error.code == "ValidationException"
    return error.message


def serialization_message(validator: InputValidator, operation: str, body: object) -> str:
    error = invalid(validator, operation, body)
    assert error.code == "SerializationException"
    return error.message


def card(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ModelCardName": "my-card",
        "Content": json.dumps({"model_overview": {"model_description": "a model"}}),
        "ModelCardStatus": "Draft",
    }
    body.update(overrides)
    return body


def model_package() -> dict[str, Any]:
    return {
        "ModelPackageGroupName": "grp",
        "ModelPackageDescription": "A churn model",
        "InferenceSpecification": {
            "Containers": [
                {
                    "Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1.0",
                    "ModelDataUrl": "s3://bucket/churn/model.tar.gz",
                    "Environment": {"SAGEMAKER_PROGRAM": "inference.py"},
                    "Framework": "XGBOOST",
                }
            ],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
            "SupportedRealtimeInferenceInstanceTypes": ["ml.m5.large"],
            "SupportedTransformInstanceTypes": ["ml.m5.large"],
        },
        "ModelApprovalStatus": "PendingManualApproval",
        "CustomerMetadataProperties": {"team": "growth"},
        "ModelCard": {
            "ModelCardContent": json.dumps({"model_overview": {}}),
            "ModelCardStatus": "Draft",
        },
        "ModelLifeCycle": {"Stage": "Development", "StageStatus": "Approved"},
        "Tags": [{"Key": "project", "Value": "churn"}],
        "ClientToken": "token-1",
        "CertifyForMarketplace": False,
    }


# --- valid bodies ------------------------------------------------------------------------------


def test_valid_create_model_package_passes(validator: InputValidator) -> None:
    validator.validate("CreateModelPackage", model_package())


def test_valid_create_model_card_passes(validator: InputValidator) -> None:
    validator.validate("CreateModelCard", card(Tags=[{"Key": "team", "Value": "ml"}]))


@pytest.mark.parametrize("name", ["grp/3", "grp", PACKAGE_ARN])
def test_describe_model_package_accepts_names_and_arns(
    validator: InputValidator, name: str
) -> None:
    validator.validate("DescribeModelPackage", {"ModelPackageName": name})


def test_unknown_members_are_ignored(validator: InputValidator) -> None:
    validator.validate("DescribeModelCard", {"ModelCardName": "c", "Surprise": [1, 2, 3]})


def test_null_optional_member_counts_as_absent(validator: InputValidator) -> None:
    validator.validate("ListModelCards", {"MaxResults": None, "NameContains": None})


@pytest.mark.parametrize("stamp", [1700000000, 1700000000.5, "2024-05-01T12:00:00Z", "2024-05-01"])
def test_timestamps_accept_epoch_seconds_and_iso_strings(
    validator: InputValidator, stamp: object
) -> None:
    validator.validate("ListModelCards", {"CreationTimeAfter": stamp})


def test_long_content_within_limit_passes(validator: InputValidator) -> None:
    validator.validate("CreateModelCard", card(Content="x" * 100_000))


# --- required members --------------------------------------------------------------------------


def test_missing_model_card_name(validator: InputValidator) -> None:
    body = card()
    del body["ModelCardName"]
    assert validation_message(validator, "CreateModelCard", body) == (
        "1 validation error detected: Value null at 'modelCardName' failed to satisfy "
        "constraint: Member must not be null"
    )


def test_null_required_member_is_missing(validator: InputValidator) -> None:
    message = validation_message(validator, "CreateModelCard", card(ModelCardName=None))
    assert "Value null at 'modelCardName'" in message


def test_model_life_cycle_missing_stage(validator: InputValidator) -> None:
    body = model_package()
    del body["ModelLifeCycle"]["Stage"]
    assert validation_message(validator, "CreateModelPackage", body) == (
        "1 validation error detected: Value null at 'modelLifeCycle.stage' failed to satisfy "
        "constraint: Member must not be null"
    )


def test_filter_missing_name_deep_in_search_expression(validator: InputValidator) -> None:
    body = {
        "Resource": "ModelPackage",
        "SearchExpression": {
            "SubExpressions": [
                {"Filters": [{"Name": "ModelPackageGroupName", "Value": "grp"}]},
                {
                    "SubExpressions": [
                        {"Filters": [{"Name": "Tags.team", "Operator": "Exists"}]},
                        {"Filters": [{"Operator": "Equals", "Value": "x"}]},
                    ],
                    "Operator": "Or",
                },
            ],
            "Operator": "And",
        },
    }
    assert validation_message(validator, "Search", body) == (
        "1 validation error detected: Value null at 'searchExpression.subExpressions.2.member"
        ".subExpressions.2.member.filters.1.member.name' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_null_list_item(validator: InputValidator) -> None:
    message = validation_message(validator, "CreateModelCard", card(Tags=[None]))
    assert "Value null at 'tags.1.member' failed to satisfy constraint" in message


# --- strings -----------------------------------------------------------------------------------


def test_name_breaking_the_pattern(validator: InputValidator) -> None:
    assert validation_message(validator, "CreateModelCard", card(ModelCardName="my_card")) == (
        "1 validation error detected: Value 'my_card' at 'modelCardName' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {NAME_PATTERN}"
    )


def test_pattern_must_match_the_whole_value(validator: InputValidator) -> None:
    message = validation_message(validator, "CreateModelCard", card(ModelCardName="card-"))
    assert "Member must satisfy regular expression pattern" in message


def test_name_too_long(validator: InputValidator) -> None:
    name = "a" * 64
    message = validation_message(validator, "CreateModelCard", card(ModelCardName=name))
    # Sixty-four characters are also more than the pattern allows: two errors, length first.
    assert message == (
        f"2 validation errors detected: Value '{name}' at 'modelCardName' failed to satisfy "
        "constraint: Member must have length less than or equal to 63; "
        f"Value '{name}' at 'modelCardName' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {NAME_PATTERN}"
    )


def test_empty_name_is_too_short(validator: InputValidator) -> None:
    message = validation_message(validator, "CreateModelCard", card(ModelCardName=""))
    assert message.startswith("2 validation errors detected: ")
    assert (
        "Value '' at 'modelCardName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1" in message
    )


def test_bad_model_card_status(validator: InputValidator) -> None:
    assert validation_message(validator, "CreateModelCard", card(ModelCardStatus="Done")) == (
        "1 validation error detected: Value 'Done' at 'modelCardStatus' failed to satisfy "
        "constraint: Member must satisfy enum value set: "
        "[Draft, PendingReview, Approved, Archived]"
    )


def test_sensitive_content_is_never_echoed(validator: InputValidator) -> None:
    secret = "TOP-SECRET-" + "x" * 100_000
    message = validation_message(validator, "CreateModelCard", card(Content=secret))
    assert message == (
        "1 validation error detected: Value '***' at 'content' failed to satisfy constraint: "
        "Member must have length less than or equal to 100000"
    )
    assert "TOP-SECRET" not in message


def test_long_values_are_truncated(validator: InputValidator) -> None:
    value = "v" * 300
    body = {"ModelPackageArn": PACKAGE_ARN, "CustomerMetadataProperties": {"team": value}}
    message = validation_message(validator, "UpdateModelPackage", body)
    assert message == (
        f"1 validation error detected: Value '{'v' * 100}...' at "
        "'customerMetadataProperties.team' failed to satisfy constraint: "
        "Member must have length less than or equal to 256"
    )


def test_name_contains_with_underscore(validator: InputValidator) -> None:
    assert validation_message(
        validator, "ListModelPackageGroups", {"NameContains": "churn_model"}
    ) == (
        "1 validation error detected: Value 'churn_model' at 'nameContains' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9\\-]+"
    )


def test_unicode_letters_satisfy_tag_pattern(validator: InputValidator) -> None:
    validator.validate("CreateModelCard", card(Tags=[{"Key": "équipe", "Value": "données"}]))


def test_lookbehind_pattern_rejects_trailing_hyphen(validator: InputValidator) -> None:
    message = validation_message(validator, "DescribeModelPackage", {"ModelPackageName": "grp-"})
    assert "at 'modelPackageName' failed to satisfy constraint: Member must satisfy regular" in (
        message
    )


# --- lists and maps ----------------------------------------------------------------------------


def test_too_many_tags(validator: InputValidator) -> None:
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    message = validation_message(validator, "CreateModelCard", card(Tags=tags))
    assert message.startswith('1 validation error detected: Value \'[{"Key":"k0"')
    assert message.endswith(
        "...' at 'tags' failed to satisfy constraint: "
        "Member must have length less than or equal to 50"
    )


def test_tag_key_too_long(validator: InputValidator) -> None:
    key = "k" * 129
    message = validation_message(
        validator, "CreateModelCard", card(Tags=[{"Key": key, "Value": ""}])
    )
    assert message == (
        f"1 validation error detected: Value '{'k' * 100}...' at 'tags.1.member.key' failed to "
        "satisfy constraint: Member must have length less than or equal to 128"
    )


def test_customer_metadata_value_too_long(validator: InputValidator) -> None:
    body = {"ModelPackageArn": PACKAGE_ARN, "CustomerMetadataProperties": {"owner": "o" * 257}}
    message = validation_message(validator, "UpdateModelPackage", body)
    assert "at 'customerMetadataProperties.owner' failed to satisfy constraint: " in message
    assert message.endswith("Member must have length less than or equal to 256")


def test_customer_metadata_bad_key(validator: InputValidator) -> None:
    body = {"ModelPackageArn": PACKAGE_ARN, "CustomerMetadataProperties": {"a!": "b"}}
    assert validation_message(validator, "UpdateModelPackage", body) == (
        "1 validation error detected: Value 'a!' at 'customerMetadataProperties' failed to "
        "satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular "
        "expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,128}]"
    )


def test_empty_customer_metadata_map_is_too_short(validator: InputValidator) -> None:
    body = {"ModelPackageArn": PACKAGE_ARN, "CustomerMetadataProperties": {}}
    message = validation_message(validator, "UpdateModelPackage", body)
    assert message == (
        "1 validation error detected: Value '{}' at 'customerMetadataProperties' failed to "
        "satisfy constraint: Member must have length greater than or equal to 1"
    )


# --- numbers -----------------------------------------------------------------------------------


def test_max_results_zero(validator: InputValidator) -> None:
    assert validation_message(validator, "ListModelCards", {"MaxResults": 0}) == (
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1"
    )


def test_max_results_101(validator: InputValidator) -> None:
    assert validation_message(validator, "ListModelCards", {"MaxResults": 101}) == (
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 100"
    )


# --- unions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [{}, {"TabularJobConfig": {}, "TextGenerationJobConfig": {}}],
)
def test_union_needs_exactly_one_member(validator: InputValidator, config: object) -> None:
    message = validation_message(
        validator, "CreateAutoMLJobV2", {"AutoMLProblemTypeConfig": config}
    )
    assert (
        "at 'autoMLProblemTypeConfig' failed to satisfy constraint: "
        "Member must have exactly one member set" in message
    )


def test_union_with_one_member_is_fine(validator: InputValidator) -> None:
    body = {"AutoMLProblemTypeConfig": {"TextGenerationJobConfig": {}}}
    # Only the operation's other required members are reported; the union itself passes.
    assert validation_message(validator, "CreateAutoMLJobV2", body) == (
        "4 validation errors detected: "
        "Value null at 'autoMLJobName' failed to satisfy constraint: Member must not be null; "
        "Value null at 'autoMLJobInputDataConfig' failed to satisfy constraint: "
        "Member must not be null; "
        "Value null at 'outputDataConfig' failed to satisfy constraint: Member must not be null; "
        "Value null at 'roleArn' failed to satisfy constraint: Member must not be null"
    )


# --- several errors ----------------------------------------------------------------------------


def test_two_errors_at_once(validator: InputValidator) -> None:
    body = card(ModelCardStatus="Done")
    del body["Content"]
    assert validation_message(validator, "CreateModelCard", body) == (
        "2 validation errors detected: Value null at 'content' failed to satisfy constraint: "
        "Member must not be null; Value 'Done' at 'modelCardStatus' failed to satisfy "
        "constraint: Member must satisfy enum value set: [Draft, PendingReview, Approved, "
        "Archived]"
    )


def test_message_lists_at_most_ten_errors(validator: InputValidator) -> None:
    tags = [{"Key": "", "Value": "v"} for _ in range(12)]
    message = validation_message(validator, "CreateModelCard", card(Tags=tags))
    assert message.startswith("12 validation errors detected: ")
    assert message.count("failed to satisfy constraint") == 10
    assert "tags.10.member.key" in message
    assert "tags.11.member.key" not in message


# --- serialization errors ----------------------------------------------------------------------


def test_body_must_be_an_object(validator: InputValidator) -> None:
    message = serialization_message(validator, "CreateModelCard", [card()])
    assert message == "Expected a JSON object as the request body, got an array"


def test_model_card_version_as_string(validator: InputValidator) -> None:
    body = {"ModelCardName": "c", "ModelCardVersion": "1"}
    assert serialization_message(validator, "DescribeModelCard", body) == (
        "Expected an integer at 'modelCardVersion', got a string"
    )


@pytest.mark.parametrize(
    ("operation", "body", "expected"),
    [
        ("CreateModelCard", card(ModelCardName=7), "Expected a string at 'modelCardName'"),
        ("ListModelCards", {"MaxResults": True}, "Expected an integer at 'maxResults'"),
        ("ListModelCards", {"MaxResults": 5.5}, "Expected an integer at 'maxResults'"),
        ("CreateModelCard", card(Tags={"a": "b"}), "Expected a list at 'tags', got an object"),
        ("CreateModelCard", card(Tags=["a"]), "Expected an object at 'tags.1.member'"),
        (
            "CreateModelPackage",
            {"CertifyForMarketplace": "yes"},
            "Expected a boolean at 'certifyForMarketplace', got a string",
        ),
        (
            "UpdateModelPackage",
            {"ModelPackageArn": PACKAGE_ARN, "CustomerMetadataProperties": ["a"]},
            "Expected an object at 'customerMetadataProperties', got an array",
        ),
        (
            "ListModelCards",
            {"CreationTimeAfter": "last tuesday"},
            "Expected a timestamp (epoch seconds or an ISO-8601 string) at 'creationTimeAfter'",
        ),
        (
            "ListModelCards",
            {"CreationTimeAfter": [2024]},
            "Expected a timestamp (epoch seconds or an ISO-8601 string) at 'creationTimeAfter'",
        ),
        ("ListModelCards", {"MaxResults": 2**40}, "Expected a 32-bit integer at 'maxResults'"),
    ],
)
def test_type_mismatches(
    validator: InputValidator, operation: str, body: object, expected: str
) -> None:
    assert serialization_message(validator, operation, body).startswith(expected)


def test_serialization_error_wins_over_constraint_errors(validator: InputValidator) -> None:
    body = {"ModelCardName": "bad_name", "ModelCardStatus": 3}
    message = serialization_message(validator, "CreateModelCard", body)
    assert message == "Expected a string at 'modelCardStatus', got a number"


def test_deep_nesting_is_rejected_not_crashed(validator: InputValidator) -> None:
    expression: dict[str, Any] = {"Filters": [{"Name": "a"}]}
    for _ in range(5000):
        expression = {"SubExpressions": [expression]}
    error = invalid(
        validator, "Search", {"Resource": "ModelPackage", "SearchExpression": expression}
    )
    assert error.code == "SerializationException"


# --- the validator itself ----------------------------------------------------------------------


def test_unknown_operation_is_a_key_error(validator: InputValidator) -> None:
    with pytest.raises(KeyError):
        validator.validate("MakeCoffee", {})


def test_java_surrogate_pair_pattern_is_rewritten() -> None:
    pattern = _compile_pattern("[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*")
    assert pattern is not None
    assert pattern.fullmatch("table \U0001f600")
    assert not pattern.fullmatch("bell \x07")


def test_uncompilable_pattern_is_skipped() -> None:
    assert _compile_pattern("[z-a]") is None


def test_every_operation_builds() -> None:
    model = load_sagemaker_service_model()
    fresh = InputValidator(model)
    codes = set()
    for operation in model.operation_names:
        try:
            fresh.validate(operation, {})
        except RequestInvalid as error:
            codes.add(error.code)
    assert codes == {"ValidationException"}
