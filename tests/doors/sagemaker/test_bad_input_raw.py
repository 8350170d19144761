"""Bad requests boto3 will not send, over raw HTTP: broken signatures, bodies and targets, wrong
JSON types, ``min`` and ``required`` violations, and hostile values (out-of-range numbers and
times, lone surrogates, NUL, tampered page tokens, deep nesting).

Each must be answered with a 4xx in AWS's error format (``{"__type": ..., "message": ...}``,
the same code in ``x-amzn-ErrorType``) and change nothing; the registry and the state checks are
the ones of ``test_bad_input.py``. A few hostile values AWS may well accept (``ANSWERED``) need
only get no 5xx.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.conftest import BACKENDS
from tests.doors.sagemaker.test_bad_input import (
    BAD_TOKEN,
    GROUP,
    GROUP_ARN,
    HERE,
    LINKED,
    LINKED_ARN,
    V1,
    Registry,
    Seed,
    linking,
    running_registry,
)

AUTH = (
    "AWS4-HMAC-SHA256 Credential=alice/20261125/us-east-1/sagemaker/aws4_request, "
    "SignedHeaders=host, Signature=abcd"
)
CONTENT_TYPE = "application/x-amz-json-1.1"
CLIENT_ERRORS = ("ValidationException", "SerializationException")
SUPERSCRIPT_TWO = "\u00b2"  # str.isdigit() says yes, int() says no
HUGE_VERSION = "9" * 20  # past any integer column
LONE_SURROGATE = "churn\ud800"


Body = bytes | dict[str, Any] | Callable[[Seed], bytes | dict[str, Any]]


@dataclass(frozen=True)
class Raw:
    """A raw request and the refusal it must get.

    ``op`` is the operation in ``X-Amz-Target`` (``None``: no target header). ``code`` is the
    ``__type`` (or the codes any of which will do); ``says`` are substrings of the message.
    """

    name: str
    op: str | None
    body: Body
    code: str | tuple[str, ...]
    says: tuple[str, ...] = ()
    status: int | None = None
    headers: dict[str, str | None] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.op or 'no-target'}-{self.name}"


def raw(
    name: str,
    op: str | None,
    body: Body,
    code: str | tuple[str, ...],
    *says: str,
    status: int | None = None,
    headers: dict[str, str | None] | None = None,
) -> Raw:
    return Raw(name, op, body, code, says, status, headers or {})


def invalid(name: str, op: str, body: Body, *says: str, **extra: Any) -> Raw:
    return raw(name, op, body, "ValidationException", *says, **extra)


def wrong_type(name: str, op: str, body: Body, *says: str, **extra: Any) -> Raw:
    return raw(name, op, body, "SerializationException", *says, **extra)


def send(
    client: httpx.Client, url: str, op: str | None, body: bytes, headers: dict[str, Any]
) -> httpx.Response:
    sent = {"Content-Type": CONTENT_TYPE, "Authorization": AUTH}
    if op is not None:
        sent["X-Amz-Target"] = f"SageMaker.{op}"
    for name, value in headers.items():
        if value is None:
            sent.pop(name, None)
        else:
            sent[name] = value
    return client.post(url, content=body, headers=sent)


def encode(body: bytes | dict[str, Any]) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


def nested(depth: int) -> bytes:
    return b'{"NameContains": ' + b"[" * depth + b"]" * depth + b"}"


def tampered(token: str, **changes: Any) -> str:
    """A real NextToken with its payload changed; a ``v`` (plain sort value) replaces ``t``."""
    payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    if "v" in changes:
        payload.pop("t", None)
    payload.update(changes)
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def package_arn(version: str) -> str:
    return f"{HERE}:model-package/{GROUP}/{version}"


PROTOCOL_CASES = [
    raw(
        "no-authorization",
        "ListModelCards",
        {},
        "MissingAuthenticationTokenException",
        "missing Authentication Token",
        status=403,
        headers={"Authorization": None},
    ),
    raw(
        "bearer-authorization",
        "ListModelCards",
        {},
        "IncompleteSignatureException",
        "not a well-formed AWS Signature Version 4 header",
        status=403,
        headers={"Authorization": "Bearer abc.def"},
    ),
    raw(
        "sigv4-without-signature",
        "ListModelCards",
        {},
        "IncompleteSignatureException",
        "Signature Version 4",
        status=403,
        headers={"Authorization": AUTH.split(", Signature")[0]},
    ),
    raw(
        "sigv4-short-credential-scope",
        "ListModelCards",
        {},
        "IncompleteSignatureException",
        "Signature Version 4",
        status=403,
        headers={"Authorization": AUTH.replace("/20261125/us-east-1", "")},
    ),
    raw(
        "sigv4-signature-not-hex",
        "CreateModelCard",
        {"ModelCardName": "fresh", "Content": "{}", "ModelCardStatus": "Draft"},
        "IncompleteSignatureException",
        "Signature Version 4",
        status=403,
        headers={"Authorization": AUTH.replace("abcd", "not-hex!")},
    ),
    raw(
        "unknown-operation",
        "DescribeEverything",
        {},
        "UnknownOperationException",
        "'SageMaker.DescribeEverything'",
    ),
    raw("no-target", None, {}, "UnknownOperationException", "Unknown operation '(none)'"),
    raw(
        "other-service-prefix",
        None,
        {},
        "UnknownOperationException",
        "'AmazonSageMaker.ListModelCards'",
        headers={"X-Amz-Target": "AmazonSageMaker.ListModelCards"},
    ),
    raw(
        "training-job",
        "DescribeTrainingJob",
        {"TrainingJobName": "train-1"},
        "UnsupportedOperation",
        "does not serve the SageMaker operation DescribeTrainingJob",
        "It serves: AddTags",
    ),
    raw(
        "endpoint",
        "CreateEndpoint",
        {"EndpointName": "e", "EndpointConfigName": "c"},
        "UnsupportedOperation",
        "operation CreateEndpoint",
    ),
    raw(
        "group-policy",
        "PutModelPackageGroupPolicy",
        {"ModelPackageGroupName": GROUP, "ResourcePolicy": "{}"},
        "UnsupportedOperation",
        "operation PutModelPackageGroupPolicy",
    ),
    wrong_type(
        "not-json", "ListModelCards", b"{MaxResults: 1}", "The request body is not valid JSON"
    ),
    wrong_type("truncated-json", "CreateModelCard", b'{"ModelCardName": "fre', "not valid JSON"),
    wrong_type("not-utf8", "ListModelCards", b'{"NameContains": "\xff\xfe"}', "not valid JSON"),
    wrong_type(
        "json-array",
        "ListModelCards",
        b"[]",
        "Expected a JSON object as the request body, got an array",
    ),
    wrong_type("json-string", "ListModelCards", b'"cards"', "as the request body, got a string"),
    wrong_type("json-null", "DeleteModelCard", b"null", "as the request body, got null"),
    wrong_type(
        "json-nested-too-deeply",
        "ListModelCards",
        nested(100_000),
    ),
    raw(
        "card-of-another-region",
        "DescribeModelCard",
        {"ModelCardName": LINKED},
        "ResourceNotFound",
        f"Model card '{LINKED}' does not exist",
        headers={"Authorization": AUTH.replace("us-east-1", "eu-west-1")},
    ),
]

TYPE_CASES = [
    wrong_type(
        "name-a-number",
        "CreateModelCard",
        {"ModelCardName": 5, "Content": "{}", "ModelCardStatus": "Draft"},
        "Expected a string at 'modelCardName', got a number",
    ),
    wrong_type(
        "content-an-object",
        "CreateModelCard",
        {"ModelCardName": "fresh", "Content": {"intended_uses": {}}, "ModelCardStatus": "Draft"},
        "Expected a string at 'content', got an object",
    ),
    wrong_type(
        "status-a-list",
        "UpdateModelCard",
        {"ModelCardName": LINKED, "ModelCardStatus": ["Draft"]},
        "Expected a string at 'modelCardStatus', got an array",
    ),
    wrong_type(
        "max-results-a-string",
        "ListModelCards",
        {"MaxResults": "10"},
        "Expected an integer at 'maxResults', got a string",
    ),
    wrong_type(
        "max-results-fractional",
        "ListModelPackageGroups",
        {"MaxResults": 10.5},
        "Expected an integer at 'maxResults', got a number",
    ),
    wrong_type(
        "max-results-boolean",
        "Search",
        {"Resource": "ModelCard", "MaxResults": True},
        "Expected an integer at 'maxResults', got a boolean",
    ),
    wrong_type(
        "max-results-past-int32",
        "ListModelCardVersions",
        {"ModelCardName": LINKED, "MaxResults": 2**31},
        "Expected a 32-bit integer at 'maxResults', got a number out of range",
    ),
    wrong_type(
        "version-a-string",
        "DescribeModelCard",
        {"ModelCardName": LINKED, "ModelCardVersion": "1"},
        "Expected an integer at 'modelCardVersion', got a string",
    ),
    wrong_type(
        "tags-an-object",
        "CreateModelPackageGroup",
        {"ModelPackageGroupName": "fresh", "Tags": {"team": "ml"}},
        "Expected a list at 'tags', got an object",
    ),
    wrong_type(
        "tag-a-string",
        "AddTags",
        {"ResourceArn": LINKED_ARN, "Tags": ["team=ml"]},
        "Expected an object at 'tags.1.member', got a string",
    ),
    wrong_type(
        "tag-value-a-number",
        "AddTags",
        {"ResourceArn": LINKED_ARN, "Tags": [{"Key": "n", "Value": 1}]},
        "Expected a string at 'tags.1.member.value', got a number",
    ),
    wrong_type(
        "arn-list-a-string",
        "BatchDescribeModelPackage",
        {"ModelPackageArnList": V1},
        "Expected a list at 'modelPackageArnList', got a string",
    ),
    wrong_type(
        "metadata-a-list",
        "UpdateModelPackage",
        {"ModelPackageArn": V1, "CustomerMetadataProperties": ["a"]},
        "Expected an object at 'customerMetadataProperties', got an array",
    ),
    wrong_type(
        "metadata-value-a-number",
        "UpdateModelPackage",
        {"ModelPackageArn": V1, "CustomerMetadataProperties": {"team": 7}},
        "Expected a string at 'customerMetadataProperties.team', got a number",
    ),
    wrong_type(
        "model-card-a-string",
        "CreateModelPackage",
        {"ModelPackageGroupName": GROUP, "ModelCard": "{}"},
        "Expected an object at 'modelCard', got a string",
    ),
    wrong_type(
        "expression-a-string",
        "Search",
        {"Resource": "ModelCard", "SearchExpression": "ModelCardName = x"},
        "Expected an object at 'searchExpression', got a string",
    ),
    wrong_type(
        "filter-value-a-number",
        "Search",
        {
            "Resource": "ModelCard",
            "SearchExpression": {"Filters": [{"Name": "ModelCardVersion", "Value": 1}]},
        },
        "Expected a string at 'searchExpression.filters.1.member.value', got a number",
    ),
    wrong_type(
        "time-not-iso",
        "ListModelCards",
        {"CreationTimeAfter": "last tuesday"},
        "at 'creationTimeAfter'",
        "not ISO-8601",
    ),
    wrong_type(
        "time-a-boolean",
        "ListModelPackages",
        {"ModelPackageGroupName": GROUP, "CreationTimeBefore": False},
        "at 'creationTimeBefore', got a boolean",
    ),
    wrong_type(
        "skip-validation-a-boolean",
        "CreateModelPackage",
        {"ModelPackageGroupName": GROUP, "SkipModelValidation": True},
        "Expected a string at 'skipModelValidation', got a boolean",
    ),
]

MIN_AND_REQUIRED_CASES = [
    invalid(
        "max-results-0",
        "ListModelCards",
        {"MaxResults": 0},
        "1 validation error detected: Value '0' at 'maxResults'",
        "Member must have value greater than or equal to 1",
    ),
    invalid(
        "max-results-negative",
        "ListModelCardVersions",
        {"ModelCardName": LINKED, "MaxResults": -1},
        "at 'maxResults'",
        "greater than or equal to 1",
    ),
    invalid(
        "max-results-0",
        "Search",
        {"Resource": "ModelCard", "MaxResults": 0},
        "at 'maxResults'",
        "greater than or equal to 1",
    ),
    invalid(
        "max-results-0",
        "ListModelPackages",
        {"ModelPackageGroupName": GROUP, "MaxResults": 0},
        "at 'maxResults'",
        "greater than or equal to 1",
    ),
    invalid(
        "max-results-0",
        "ListModelPackageGroups",
        {"MaxResults": 0},
        "at 'maxResults'",
        "greater than or equal to 1",
    ),
    invalid(
        "max-results-49",
        "ListTags",
        {"ResourceArn": GROUP_ARN, "MaxResults": 49},
        "Value '49' at 'maxResults'",
        "Member must have value greater than or equal to 50",
    ),
    invalid(
        "empty-name",
        "CreateModelCard",
        {"ModelCardName": "", "Content": "{}", "ModelCardStatus": "Draft"},
        "at 'modelCardName'",
        "Member must have length greater than or equal to 1",
    ),
    invalid(
        "empty-name",
        "DescribeModelPackageGroup",
        {"ModelPackageGroupName": ""},
        "at 'modelPackageGroupName'",
        "length greater than or equal to 1",
    ),
    invalid(
        "empty-name",
        "DeleteModelPackage",
        {"ModelPackageName": ""},
        "at 'modelPackageName'",
        "length greater than or equal to 1",
    ),
    invalid(
        "empty-client-token",
        "CreateModelPackage",
        {"ModelPackageGroupName": GROUP, "ClientToken": ""},
        "at 'clientToken'",
        "length greater than or equal to 1",
    ),
    invalid(
        "no-name",
        "DescribeModelCard",
        {},
        "1 validation error detected: Value null at 'modelCardName' failed to satisfy constraint: Member must not be null",
    ),
    invalid(
        "empty-body",
        "CreateModelCard",
        b"",
        "3 validation errors detected",
        "at 'modelCardName'",
        "at 'content'",
        "at 'modelCardStatus'",
        "Member must not be null",
    ),
    invalid(
        "nulls",
        "CreateModelCard",
        {"ModelCardName": None, "Content": None, "ModelCardStatus": None},
        "3 validation errors detected",
    ),
    invalid(
        "no-arn",
        "UpdateModelPackage",
        {"ModelApprovalStatus": "Approved"},
        "Value null at 'modelPackageArn'",
        "Member must not be null",
    ),
    invalid("no-resource", "Search", {}, "Value null at 'resource'", "Member must not be null"),
    invalid(
        "no-tags",
        "AddTags",
        {"ResourceArn": LINKED_ARN},
        "Value null at 'tags'",
        "Member must not be null",
    ),
    invalid(
        "empty-tag-key",
        "AddTags",
        {"ResourceArn": LINKED_ARN, "Tags": [{"Key": "", "Value": "v"}]},
        "at 'tags.1.member.key'",
        "length greater than or equal to 1",
    ),
    invalid(
        "tag-without-value",
        "CreateModelPackageGroup",
        {"ModelPackageGroupName": "fresh", "Tags": [{"Key": "team"}]},
        "Value null at 'tags.1.member.value'",
        "Member must not be null",
    ),
    invalid(
        "no-keys",
        "DeleteTags",
        {"ResourceArn": GROUP_ARN, "TagKeys": []},
        "at 'tagKeys'",
        "Member must have length greater than or equal to 1",
    ),
    invalid(
        "null-key",
        "DeleteTags",
        {"ResourceArn": GROUP_ARN, "TagKeys": ["tag-1", None]},
        "Value null at 'tagKeys.2.member'",
        "Member must not be null",
    ),
    invalid(
        "twelve-bad-keys",
        "DeleteTags",
        {"ResourceArn": GROUP_ARN, "TagKeys": [f"bad*{i}" for i in range(12)]},
        "12 validation errors detected",
        "at 'tagKeys.1.member'",
        "at 'tagKeys.10.member'",
    ),
    invalid(
        "no-arns",
        "BatchDescribeModelPackage",
        {"ModelPackageArnList": []},
        "at 'modelPackageArnList'",
        "length greater than or equal to 1",
    ),
    invalid(
        "empty-metadata",
        "UpdateModelPackage",
        {"ModelPackageArn": V1, "CustomerMetadataProperties": {}},
        "at 'customerMetadataProperties'",
        "length greater than or equal to 1",
    ),
    invalid(
        "empty-metadata-value",
        "UpdateModelPackage",
        {"ModelPackageArn": V1, "CustomerMetadataProperties": {"team": ""}},
        "at 'customerMetadataProperties.team'",
        "length greater than or equal to 1",
    ),
    invalid(
        "no-filters",
        "Search",
        {"Resource": "ModelCard", "SearchExpression": {"Filters": []}},
        "at 'searchExpression.filters'",
        "length greater than or equal to 1",
    ),
    invalid(
        "filter-without-name",
        "Search",
        {"Resource": "ModelCard", "SearchExpression": {"Filters": [{"Operator": "Exists"}]}},
        "Value null at 'searchExpression.filters.1.member.name'",
        "Member must not be null",
    ),
    invalid(
        "empty-filter-value",
        "Search",
        {
            "Resource": "ModelCard",
            "SearchExpression": {"Filters": [{"Name": "ModelCardName", "Value": ""}]},
        },
        "at 'searchExpression.filters.1.member.value'",
        "length greater than or equal to 1",
    ),
    invalid(
        "nested-without-filters",
        "Search",
        {
            "Resource": "ModelCard",
            "SearchExpression": {"NestedFilters": [{"NestedPropertyName": "Tags"}]},
        },
        "Value null at 'searchExpression.nestedFilters.1.member.filters'",
        "Member must not be null",
    ),
    invalid(
        "lifecycle-without-status",
        "UpdateModelPackage",
        {"ModelPackageArn": V1, "ModelLifeCycle": {"Stage": "Staging"}},
        "Value null at 'modelLifeCycle.stageStatus'",
        "Member must not be null",
    ),
    invalid(
        "no-specs",
        "UpdateModelPackage",
        {"ModelPackageArn": V1, "AdditionalInferenceSpecificationsToAdd": []},
        "at 'additionalInferenceSpecificationsToAdd'",
        "length greater than or equal to 1",
    ),
]


def _token(**changes: Any) -> Callable[[Seed], dict[str, Any]]:
    return lambda seed: {"MaxResults": 1, "NextToken": tampered(seed.cards_token, **changes)}


HOSTILE_CASES = [
    raw(
        "creation-time-year-3e9",
        "ListModelCards",
        {"CreationTimeAfter": 1e20},
        CLIENT_ERRORS,
        "creationTimeAfter",
    ),
    raw(
        "creation-time-year-3e9",
        "ListModelPackages",
        {"ModelPackageGroupName": GROUP, "CreationTimeBefore": 1e20},
        CLIENT_ERRORS,
        "creationTimeBefore",
    ),
    raw(
        "version-superscript-digit",
        "UpdateModelPackage",
        {"ModelPackageArn": package_arn(SUPERSCRIPT_TWO), "ApprovalDescription": "x"},
        "ResourceNotFound",
        "Could not find model package",
    ),
    raw(
        "version-past-int64",
        "UpdateModelPackage",
        {"ModelPackageArn": package_arn(HUGE_VERSION), "ApprovalDescription": "x"},
        "ResourceNotFound",
        "Could not find model package",
    ),
    raw(
        "version-superscript-digit",
        "ListTags",
        {"ResourceArn": package_arn(SUPERSCRIPT_TWO)},
        "ResourceNotFound",
        "does not exist",
    ),
    raw(
        "version-superscript-digit",
        "DeleteTags",
        {"ResourceArn": package_arn("1" + SUPERSCRIPT_TWO), "TagKeys": ["k"]},
        "ResourceNotFound",
        "does not exist",
    ),
    raw(
        "links-version-superscript-digit",
        "CreateModelCard",
        {
            "ModelCardName": "fresh",
            "Content": linking(package_arn(SUPERSCRIPT_TWO)),
            "ModelCardStatus": "Draft",
        },
        "ValidationException",
        "$.model_package_details.model_package_arn",
    ),
    raw(
        "links-version-past-int64",
        "UpdateModelCard",
        {"ModelCardName": "draft-card", "Content": linking(package_arn(HUGE_VERSION))},
        "ValidationException",
        "$.model_package_details.model_package_arn",
    ),
    raw(
        "time-value-21-digits",
        "Search",
        {
            "Resource": "ModelCard",
            "SearchExpression": {
                "Filters": [
                    {"Name": "CreationTime", "Operator": "GreaterThan", "Value": "1" + "0" * 20}
                ]
            },
        },
        "ValidationException",
        "is not a time",
    ),
    raw(
        "approval-description-lone-surrogate",
        "UpdateModelPackage",
        {"ModelPackageArn": V1, "ApprovalDescription": LONE_SURROGATE},
        CLIENT_ERRORS,
    ),
    raw(
        "filter-value-lone-surrogate",
        "Search",
        {
            "Resource": "ModelCard",
            "SearchExpression": {"Filters": [{"Name": "ModelCardName", "Value": LONE_SURROGATE}]},
        },
        CLIENT_ERRORS,
    ),
    raw(
        "tag-property-lone-surrogate",
        "Search",
        {
            "Resource": "ModelPackageGroup",
            "SearchExpression": {
                "Filters": [{"Name": f"Tags.{LONE_SURROGATE}", "Operator": "Exists"}]
            },
        },
        CLIENT_ERRORS,
    ),
    raw(
        "arn-lone-surrogate",
        "ListTags",
        {"ResourceArn": f"{HERE}:model-card/{LONE_SURROGATE}"},
        ("ResourceNotFound", *CLIENT_ERRORS),
    ),
    raw(
        "arn-with-nul",
        "ListTags",
        {"ResourceArn": f"{HERE}:model-card/churn\x00"},
        ("ResourceNotFound", *CLIENT_ERRORS),
    ),
    wrong_type(
        "search-expression-nested-too-deeply",
        "Search",
        b'{"Resource": "ModelCard", "SearchExpression": '
        + b'{"SubExpressions": [' * 900
        + b'{"Filters": [{"Name": "ModelCardName", "Value": "x"}]}'
        + b"]}" * 900
        + b"}",
    ),
    invalid(
        "token-sort-value-a-list",
        "ListModelCards",
        _token(v=[1, 2]),
        BAD_TOKEN,
    ),
    invalid(
        "token-sort-value-not-a-time",
        "ListModelCards",
        _token(v="soon"),
        BAD_TOKEN,
    ),
    invalid(
        "token-naive-time",
        "ListModelCards",
        _token(t="2026-01-01T00:00:00"),
        BAD_TOKEN,
    ),
    invalid(
        "token-id-past-int64",
        "ListModelCards",
        _token(i=2**70),
        BAD_TOKEN,
    ),
]

CASES = PROTOCOL_CASES + TYPE_CASES + MIN_AND_REQUIRED_CASES + HOSTILE_CASES


@dataclass(frozen=True)
class Answered:
    """A hostile but well-formed request AWS may well accept: it must not get a 500."""

    name: str
    op: str
    body: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.op}-{self.name}"


ANSWERED = [
    Answered(
        "creation-time-31-million-years-ago",
        "ListModelPackageGroups",
        {"CreationTimeBefore": -1e15},
    ),
    Answered(
        "creation-time-past-9999-in-utc",
        "ListModelCardVersions",
        {"ModelCardName": LINKED, "CreationTimeAfter": "9999-12-31T23:59:59-05:00"},
    ),
    Answered(
        "number-value-past-int64",
        "Search",
        {
            "Resource": "ModelCard",
            "SearchExpression": {
                "Filters": [
                    {"Name": "ModelCardVersion", "Operator": "GreaterThan", "Value": HUGE_VERSION}
                ]
            },
        },
    ),
    Answered(
        "filter-value-with-nul",
        "Search",
        {
            "Resource": "ModelCard",
            "SearchExpression": {"Filters": [{"Name": "ModelCardName", "Value": "churn\x00"}]},
        },
    ),
    Answered(
        "approval-description-with-nul",
        "UpdateModelPackage",
        {"ModelPackageArn": V1, "ApprovalDescription": "checked\x00twice"},
    ),
    Answered(
        "batch-version-superscript-digit",
        "BatchDescribeModelPackage",
        {"ModelPackageArnList": [package_arn(SUPERSCRIPT_TWO)]},
    ),
    Answered(
        "batch-version-past-int64",
        "BatchDescribeModelPackage",
        {"ModelPackageArnList": [package_arn(HUGE_VERSION)]},
    ),
]


@pytest.fixture(scope="module", params=BACKENDS)
def registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registry]:
    """The seeded registry of test_bad_input.py, one per backend for this module."""
    with running_registry(request, tmp_path_factory) as built:
        yield built


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


def test_cases_have_unique_ids() -> None:
    ids = [case.id for case in CASES] + [case.id for case in ANSWERED]
    assert len(ids) == len(set(ids))


def test_tampering_starts_from_a_readable_token(registry: Registry) -> None:
    """The tampered-token cases start from a real token, so they test the server, not the test."""
    token = registry.seed.cards_token
    payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    assert set(payload) == {"t", "i", "q"}
    assert json.loads(base64.urlsafe_b64decode(tampered(token, i=1) + "==="))["q"] == payload["q"]


def test_a_well_formed_raw_request_is_answered(registry: Registry, http: httpx.Client) -> None:
    """The control: the harness itself sends what Cardinal accepts."""
    answer = send(http, registry.url, "ListModelCards", b"{}", {})
    assert answer.status_code == 200
    assert {card["ModelCardName"] for card in answer.json()["ModelCardSummaries"]} >= {LINKED}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_bad_raw_request_is_refused_and_changes_nothing(
    registry: Registry, http: httpx.Client, case: Raw
) -> None:
    body = case.body(registry.seed) if callable(case.body) else case.body
    before = registry.baseline
    try:
        answer = send(http, registry.url, case.op, encode(body), case.headers)
    finally:
        after = registry.baseline = registry.observe()
    codes = (case.code,) if isinstance(case.code, str) else case.code
    if case.status is None:
        assert 400 <= answer.status_code < 500, answer.text
    else:
        assert answer.status_code == case.status, answer.text
    assert answer.headers["content-type"] == CONTENT_TYPE
    assert answer.headers.get("x-amzn-RequestId")
    error = answer.json()
    assert set(error) == {"__type", "message"}
    assert error["__type"] in codes, error
    assert answer.headers.get("x-amzn-ErrorType") == error["__type"]
    for part in case.says:
        assert part in error["message"]
    assert after == before


@pytest.mark.parametrize("case", ANSWERED, ids=lambda case: case.id)
def test_hostile_request_gets_no_server_error(
    registry: Registry, http: httpx.Client, case: Answered
) -> None:
    before = registry.baseline
    try:
        answer = send(http, registry.url, case.op, encode(case.body), {})
    finally:
        after = registry.baseline = registry.observe()
    assert answer.status_code < 500, answer.text
    assert answer.headers["content-type"] == CONTENT_TYPE
    if answer.status_code >= 400:
        assert set(answer.json()) == {"__type", "message"}
        assert after == before
