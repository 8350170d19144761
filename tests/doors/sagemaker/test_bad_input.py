"""Bad requests through boto3: each is refused with a 4xx in AWS's error format, with a message
that names the field (or the JSON path inside card content) and the rule, and changes nothing.

One server per backend serves the whole module: every case here must leave the registry as it
found it, and each test checks exactly that, through the API and in the database itself. Cases
boto3 will not send (``min`` violations, wrong JSON types, broken signatures or bodies) are in
``test_bad_input_raw.py``, which shares the registry built here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from sqlalchemy import Engine, select

from cardinal.store.database import create_database_engine
from cardinal.store.tables import metadata
from tests.conftest import BACKENDS, make_client
from tests.support.databases import PostgresDatabases, sqlite_url
from tests.support.server import start_server

HERE = "arn:aws:sagemaker:us-east-1:000000000000"
OTHER_ACCOUNT = "arn:aws:sagemaker:us-east-1:111111111111"
OTHER_REGION = "arn:aws:sagemaker:eu-west-1:000000000000"

GROUP = "churn"
GROUP_ARN = f"{HERE}:model-package-group/{GROUP}"
V1 = f"{HERE}:model-package/{GROUP}/1"  # documented by the card LINKED
V2 = f"{HERE}:model-package/{GROUP}/2"  # carries an Archived embedded model card
LINKED = "churn-v1"  # Approved, two versions, the second links V1
DRAFT = "draft-card"  # Draft, one version, links nothing
ARCHIVED = "old-card"  # Archived
LINKED_ARN = f"{HERE}:model-card/{LINKED}"

GROUP_TAGS = 48  # two short of the 50-tag limit
V1_METADATA = 49  # one short of the 50 customer metadata properties
V1_ADDITIONAL_SPECS = 14  # one short of the 15 additional inference specifications

PATTERN = "failed to satisfy constraint: Member must satisfy regular expression pattern"
ENTITY_PATTERN = "Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
CARD_STATUSES = "Member must satisfy enum value set: [Draft, PendingReview, Approved, Archived]"
APPROVAL_STATUSES = (
    "Member must satisfy enum value set: [Approved, Rejected, PendingManualApproval]"
)
AT_MOST_100 = "Member must have value less than or equal to 100"
BAD_TOKEN = "The NextToken is not valid for this request"


def content(**sections: Any) -> str:
    return json.dumps(sections)


USES = {"purpose_of_model": "Rank churn risk", "risk_rating": "Medium"}
BUSINESS = {"business_problem": "Churn", "line_of_business": "Subscriptions"}


def linking(arn: str) -> str:
    """Card content that documents the model package ``arn``."""
    details = {"model_package_arn": arn, "model_package_group_name": GROUP}
    return content(intended_uses=USES, model_package_details=details)


def metric(**fields: Any) -> str:
    """Card content holding one evaluation metric."""
    group = {"name": "holdout", "metric_data": [{"name": "auc", **fields}]}
    return content(evaluation_details=[{"name": "eval", "metric_groups": [group]}])


METRIC_VALUE = "$.evaluation_details[0].metric_groups[0].metric_data[0].value"
OVERSIZED = content(
    additional_information={"custom_details": {f"k{i}": "x" * 1000 for i in range(101)}}
)


# ---------------------------------------------------------------------------------------------
# The registry every case runs against


@dataclass
class Seed:
    """Tokens of real list responses, for cases that replay them where they do not belong."""

    cards_token: str
    cards_by_name_token: str
    versions_token: str
    packages_token: str


@dataclass
class Registry:
    backend: str
    url: str
    sm: Any
    engine: Engine
    seed: Seed
    baseline: dict[str, Any] = field(default_factory=dict)

    def observe(self) -> dict[str, Any]:
        return {"api": observe(self.sm), "rows": stored_rows(self.engine)}


def seed_registry(sm: Any) -> Seed:
    sm.create_model_package_group(
        ModelPackageGroupName=GROUP,
        ModelPackageGroupDescription="Customer churn",
        Tags=[{"Key": f"tag-{i}", "Value": str(i)} for i in range(GROUP_TAGS)],
    )
    sm.create_model_package(
        ModelPackageGroupName=GROUP,
        ModelApprovalStatus="Approved",
        InferenceSpecification={
            "Containers": [{"Image": "img:1", "ModelDataUrl": "s3://b/v1.tar.gz"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        AdditionalInferenceSpecifications=[
            {"Name": f"spec-{i}", "Containers": [{"Image": f"img:{i}"}]}
            for i in range(V1_ADDITIONAL_SPECS)
        ],
        CustomerMetadataProperties={f"key-{i}": "value" for i in range(V1_METADATA)},
    )
    sm.create_model_package(
        ModelPackageGroupName=GROUP,
        ModelCard={
            "ModelCardContent": content(intended_uses={"risk_rating": "Low"}),
            "ModelCardStatus": "Archived",
        },
    )
    sm.create_model_card(
        ModelCardName=LINKED,
        Content=content(business_details=BUSINESS, intended_uses=USES),
        ModelCardStatus="Draft",
        Tags=[{"Key": "team", "Value": "ml"}],
    )
    sm.update_model_card(ModelCardName=LINKED, Content=linking(V1))
    sm.update_model_card(ModelCardName=LINKED, ModelCardStatus="Approved")
    sm.create_model_card(
        ModelCardName=DRAFT, Content=content(intended_uses=USES), ModelCardStatus="Draft"
    )
    sm.create_model_card(
        ModelCardName=ARCHIVED, Content=content(business_details=BUSINESS), ModelCardStatus="Draft"
    )
    sm.update_model_card(ModelCardName=ARCHIVED, ModelCardStatus="Archived")
    return Seed(
        cards_token=sm.list_model_cards(MaxResults=1)["NextToken"],
        cards_by_name_token=sm.list_model_cards(MaxResults=1, SortBy="Name")["NextToken"],
        versions_token=sm.list_model_card_versions(ModelCardName=LINKED, MaxResults=1)["NextToken"],
        packages_token=sm.list_model_packages(ModelPackageGroupName=GROUP, MaxResults=1)[
            "NextToken"
        ],
    )


def _body(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def _tags(sm: Any, arn: str) -> list[dict[str, str]]:
    return sorted(sm.list_tags(ResourceArn=arn, MaxResults=100)["Tags"], key=lambda t: t["Key"])


def observe(sm: Any) -> dict[str, Any]:
    """Everything the API shows about the registry: every group, package and card version."""
    seen: dict[str, Any] = {}
    groups = sm.list_model_package_groups(MaxResults=100)["ModelPackageGroupSummaryList"]
    seen["groups"] = groups
    for group in groups:
        name = group["ModelPackageGroupName"]
        seen[f"group {name}"] = _body(sm.describe_model_package_group(ModelPackageGroupName=name))
        seen[f"group {name} tags"] = _tags(sm, group["ModelPackageGroupArn"])
    packages = sm.list_model_packages(ModelPackageType="Both", MaxResults=100)
    seen["packages"] = packages["ModelPackageSummaryList"]
    for package in packages["ModelPackageSummaryList"]:
        arn = package["ModelPackageArn"]
        seen[f"package {arn}"] = _body(sm.describe_model_package(ModelPackageName=arn))
        seen[f"package {arn} tags"] = _tags(sm, arn)
    cards = sm.list_model_cards(MaxResults=100)["ModelCardSummaries"]
    seen["cards"] = cards
    for card in cards:
        name = card["ModelCardName"]
        versions = sm.list_model_card_versions(ModelCardName=name, MaxResults=100)
        seen[f"card {name} versions"] = versions["ModelCardVersionSummaryList"]
        for version in versions["ModelCardVersionSummaryList"]:
            number = version["ModelCardVersion"]
            seen[f"card {name} v{number}"] = _body(
                sm.describe_model_card(ModelCardName=name, ModelCardVersion=number)
            )
        seen[f"card {name} tags"] = _tags(sm, card["ModelCardArn"])
    return seen


def stored_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns)
                ).all()
            ]
            for table in metadata.sorted_tables
        }


@contextmanager
def running_registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registry]:
    """A server on the backend ``request.param`` names, seeded, with its baseline taken."""
    backend = str(request.param)
    directory: Path = tmp_path_factory.mktemp(f"bad-input-{backend}")
    with ExitStack() as stack:
        if backend == "sqlite":
            url = sqlite_url(directory)
        else:
            databases: PostgresDatabases = request.getfixturevalue("postgres")
            url = stack.enter_context(databases.fresh())
        server = start_server(url, directory / "server")
        stack.callback(server.stop)
        engine = create_database_engine(url)
        stack.callback(engine.dispose)
        sm = make_client(server.url)
        built = Registry(backend, server.url, sm, engine, seed_registry(sm))
        built.baseline = built.observe()
        yield built


@pytest.fixture(scope="module", params=BACKENDS)
def registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registry]:
    """A seeded registry on one backend, shared by the module: bad requests change nothing."""
    with running_registry(request, tmp_path_factory) as built:
        yield built


@dataclass(frozen=True)
class Bad:
    """A bad request: boto3 method and parameters, and what the refusal must say.

    ``says`` are substrings of the message (the field or JSON path, and the rule).
    """

    name: str
    op: str
    params: dict[str, Any] | Callable[[Seed], dict[str, Any]]
    code: str
    says: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.op}-{self.name}"


def bad(
    name: str,
    op: str,
    params: dict[str, Any] | Callable[[Seed], dict[str, Any]],
    code: str,
    *says: str,
) -> Bad:
    return Bad(name, op, params, code, says)


def invalid(
    name: str,
    op: str,
    params: dict[str, Any] | Callable[[Seed], dict[str, Any]],
    *says: str,
) -> Bad:
    return bad(name, op, params, "ValidationException", *says)


def missing(name: str, op: str, params: dict[str, Any], *says: str) -> Bad:
    return bad(name, op, params, "ResourceNotFound", *says)


def conflict(name: str, op: str, params: dict[str, Any], *says: str) -> Bad:
    return bad(name, op, params, "ConflictException", *says)


def limit(name: str, op: str, params: dict[str, Any], *says: str) -> Bad:
    return bad(name, op, params, "ResourceLimitExceeded", *says)


def one_error(value: str, at: str) -> str:
    return f"1 validation error detected: Value '{value}' at '{at}'"


def search(resource: str = "ModelCard", **request: Any) -> dict[str, Any]:
    return {"Resource": resource, **request}


def where(*filters: dict[str, Any], **expression: Any) -> dict[str, Any]:
    return {"Filters": list(filters), **expression} if filters else expression


def flt(name: str, operator: str = "Equals", value: str | None = "x") -> dict[str, Any]:
    found: dict[str, Any] = {"Name": name, "Operator": operator}
    if value is not None:
        found["Value"] = value
    return found


def tags(count: int, prefix: str = "new") -> list[dict[str, str]]:
    return [{"Key": f"{prefix}-{i}", "Value": "v"} for i in range(count)]


# ---------------------------------------------------------------------------------------------
# The cases, per operation

GROUP_CASES = [
    invalid(
        "name-underscore",
        "create_model_package_group",
        {"ModelPackageGroupName": "churn_model"},
        one_error("churn_model", "modelPackageGroupName"),
        ENTITY_PATTERN,
    ),
    invalid(
        "name-trailing-hyphen",
        "create_model_package_group",
        {"ModelPackageGroupName": "churn-"},
        "at 'modelPackageGroupName'",
        PATTERN,
    ),
    invalid(
        "name-64-chars",
        "create_model_package_group",
        {"ModelPackageGroupName": "g" * 64},
        "at 'modelPackageGroupName'",
        "Member must have length less than or equal to 63",
    ),
    conflict(
        "duplicate-name",
        "create_model_package_group",
        {"ModelPackageGroupName": GROUP},
        "already exists",
        GROUP_ARN,
    ),
    invalid(
        "description-1025-chars",
        "create_model_package_group",
        {"ModelPackageGroupName": "fresh", "ModelPackageGroupDescription": "d" * 1025},
        "at 'modelPackageGroupDescription'",
        "Member must have length less than or equal to 1024",
    ),
    invalid(
        "description-control-char",
        "create_model_package_group",
        {"ModelPackageGroupName": "fresh", "ModelPackageGroupDescription": "bell\x07"},
        "at 'modelPackageGroupDescription'",
        PATTERN,
    ),
    invalid(
        "51-tags",
        "create_model_package_group",
        {"ModelPackageGroupName": "fresh", "Tags": tags(51)},
        "at 'tags'",
        "Member must have length less than or equal to 50",
    ),
    invalid(
        "tag-key-pattern",
        "create_model_package_group",
        {"ModelPackageGroupName": "fresh", "Tags": [{"Key": "cost*centre", "Value": "1"}]},
        one_error("cost*centre", "tags.1.member.key"),
        PATTERN,
    ),
    invalid(
        "tag-value-257-chars",
        "create_model_package_group",
        {"ModelPackageGroupName": "fresh", "Tags": [{"Key": "k", "Value": "v" * 257}]},
        "at 'tags.1.member.value'",
        "Member must have length less than or equal to 256",
    ),
    invalid(
        "two-errors",
        "create_model_package_group",
        {"ModelPackageGroupName": "bad name", "Tags": [{"Key": "k" * 129, "Value": "v"}]},
        "2 validation errors detected",
        "at 'modelPackageGroupName'",
        "at 'tags.1.member.key'",
    ),
    missing(
        "unknown-name",
        "describe_model_package_group",
        {"ModelPackageGroupName": "nope"},
        "'nope' does not exist",
    ),
    missing(
        "arn-other-account",
        "describe_model_package_group",
        {"ModelPackageGroupName": f"{OTHER_ACCOUNT}:model-package-group/{GROUP}"},
        f"{OTHER_ACCOUNT}:model-package-group/{GROUP}",
        "does not exist",
    ),
    missing(
        "arn-other-region",
        "describe_model_package_group",
        {"ModelPackageGroupName": f"{OTHER_REGION}:model-package-group/{GROUP}"},
        f"{OTHER_REGION}:model-package-group/{GROUP}",
        "does not exist",
    ),
    invalid(
        "arn-of-a-card",
        "describe_model_package_group",
        {"ModelPackageGroupName": f"{HERE}:model-card/{GROUP}"},
        f"{HERE}:model-card/{GROUP}",
        "is not the name or ARN of a model package group",
    ),
    invalid(
        "malformed-arn",
        "describe_model_package_group",
        {"ModelPackageGroupName": "arn:aws:sagemaker:us-east-1:0000:model-package-group/x"},
        "at 'modelPackageGroupName'",
        PATTERN,
    ),
    invalid(
        "name-171-chars",
        "describe_model_package_group",
        {"ModelPackageGroupName": "g" * 171},
        "at 'modelPackageGroupName'",
        "Member must have length less than or equal to 170",
    ),
    invalid(
        "max-results-101",
        "list_model_package_groups",
        {"MaxResults": 101},
        one_error("101", "maxResults"),
        AT_MOST_100,
    ),
    invalid(
        "name-contains-pattern",
        "list_model_package_groups",
        {"NameContains": "churn_"},
        "at 'nameContains'",
        "Member must satisfy regular expression pattern: [a-zA-Z0-9\\-]+",
    ),
    invalid(
        "name-contains-64-chars",
        "list_model_package_groups",
        {"NameContains": "c" * 64},
        "at 'nameContains'",
        "Member must have length less than or equal to 63",
    ),
    invalid(
        "sort-by",
        "list_model_package_groups",
        {"SortBy": "Version"},
        "at 'sortBy'",
        "Member must satisfy enum value set: [Name, CreationTime]",
    ),
    invalid(
        "sort-order",
        "list_model_package_groups",
        {"SortOrder": "Upwards"},
        "at 'sortOrder'",
        "Member must satisfy enum value set: [Ascending, Descending]",
    ),
    invalid(
        "cross-account-option",
        "list_model_package_groups",
        {"CrossAccountFilterOption": "Everyone"},
        "at 'crossAccountFilterOption'",
        "Member must satisfy enum value set: [SameAccount, CrossAccount]",
    ),
    invalid("garbage-token", "list_model_package_groups", {"NextToken": "garbage"}, BAD_TOKEN),
    invalid(
        "token-of-list-model-cards",
        "list_model_package_groups",
        lambda seed: {"NextToken": seed.cards_token},
        BAD_TOKEN,
    ),
    invalid(
        "garbage-token-cross-account",
        "list_model_package_groups",
        {"NextToken": "garbage", "CrossAccountFilterOption": "CrossAccount"},
        BAD_TOKEN,
    ),
    conflict(
        "group-holds-versions",
        "delete_model_package_group",
        {"ModelPackageGroupName": GROUP},
        f"'{GROUP}' still holds 2 model package version(s)",
    ),
    missing(
        "unknown-name",
        "delete_model_package_group",
        {"ModelPackageGroupName": "nope"},
        "'nope' does not exist",
    ),
    missing(
        "arn-other-account",
        "delete_model_package_group",
        {"ModelPackageGroupName": f"{OTHER_ACCOUNT}:model-package-group/{GROUP}"},
        "does not exist",
    ),
    invalid(
        "name-pattern",
        "delete_model_package_group",
        {"ModelPackageGroupName": "churn.v1"},
        "at 'modelPackageGroupName'",
        PATTERN,
    ),
]

EMBEDDED_OK = content(intended_uses={"risk_rating": "Low"})

PACKAGE_CASES = [
    invalid(
        "tags-with-a-group",
        "create_model_package",
        {"ModelPackageGroupName": GROUP, "Tags": [{"Key": "team", "Value": "ml"}]},
        "uses the tags of its group",
        "Tags cannot be given with ModelPackageGroupName",
    ),
    invalid(
        "unversioned-with-approval",
        "create_model_package",
        {"ModelPackageName": "standalone", "ModelApprovalStatus": "Approved"},
        "ModelApprovalStatus does not apply to an unversioned model package",
        "as a version of a model package group",
    ),
    invalid(
        "unversioned-with-embedded-card",
        "create_model_package",
        {
            "ModelPackageName": "standalone",
            "ModelCard": {"ModelCardContent": "{}", "ModelCardStatus": "Draft"},
        },
        "ModelCard does not apply to an unversioned model package",
        "model_package_details.model_package_arn",
    ),
    invalid(
        "unversioned-without-instance-types",
        "create_model_package",
        {
            "ModelPackageName": "standalone",
            "InferenceSpecification": {
                "Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1"}],
                "SupportedTransformInstanceTypes": ["ml.m5.large"],
            },
        },
        "InferenceSpecification.SupportedRealtimeInferenceInstanceTypes is required for an "
        "unversioned model package",
    ),
    invalid(
        "unversioned-name-with-underscore",
        "create_model_package",
        {"ModelPackageName": "stand_alone"},
        "Member must satisfy regular expression pattern",
    ),
    invalid(
        "certify-with-group",
        "create_model_package",
        {"ModelPackageGroupName": GROUP, "CertifyForMarketplace": True},
        "CertifyForMarketplace applies to unversioned model packages only",
    ),
    invalid(
        "name-and-group",
        "create_model_package",
        {"ModelPackageName": "standalone", "ModelPackageGroupName": GROUP},
        "Both ModelPackageName and ModelPackageGroupName are provided",
    ),
    invalid(
        "neither-name-nor-group",
        "create_model_package",
        {"ModelApprovalStatus": "Approved"},
        "Give ModelPackageGroupName to register a version",
        "or ModelPackageName to create an unversioned model package",
    ),
    missing(
        "unknown-group",
        "create_model_package",
        {"ModelPackageGroupName": "nope"},
        "'nope' does not exist",
    ),
    missing(
        "group-arn-other-account",
        "create_model_package",
        {"ModelPackageGroupName": f"{OTHER_ACCOUNT}:model-package-group/{GROUP}"},
        "does not exist",
    ),
    invalid(
        "group-arn-of-a-card",
        "create_model_package",
        {"ModelPackageGroupName": LINKED_ARN},
        "is not the name or ARN of a model package group",
    ),
    invalid(
        "approval-status",
        "create_model_package",
        {"ModelPackageGroupName": GROUP, "ModelApprovalStatus": "Maybe"},
        one_error("Maybe", "modelApprovalStatus"),
        APPROVAL_STATUSES,
    ),
    invalid(
        "description-1025-chars",
        "create_model_package",
        {"ModelPackageGroupName": GROUP, "ModelPackageDescription": "d" * 1025},
        "at 'modelPackageDescription'",
        "Member must have length less than or equal to 1024",
    ),
    invalid(
        "client-token-pattern",
        "create_model_package",
        {"ModelPackageGroupName": GROUP, "ClientToken": "not a token"},
        "at 'clientToken'",
        PATTERN,
    ),
    invalid(
        "sample-payload-url",
        "create_model_package",
        {"ModelPackageGroupName": GROUP, "SamplePayloadUrl": "ftp://b/payload.tar.gz"},
        "at 'samplePayloadUrl'",
        PATTERN,
    ),
    invalid(
        "container-image-with-space",
        "create_model_package",
        {
            "ModelPackageGroupName": GROUP,
            "InferenceSpecification": {
                "Containers": [{"Image": "my image"}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
        },
        "at 'inferenceSpecification.containers.1.member.image'",
        PATTERN,
    ),
    invalid(
        "16-additional-specs",
        "create_model_package",
        {
            "ModelPackageGroupName": GROUP,
            "AdditionalInferenceSpecifications": [
                {"Name": f"s{i}", "Containers": [{"Image": "img:1"}]} for i in range(16)
            ],
        },
        "at 'additionalInferenceSpecifications'",
        "Member must have length less than or equal to 15",
    ),
    invalid(
        "metadata-key-pattern",
        "create_model_package",
        {"ModelPackageGroupName": GROUP, "CustomerMetadataProperties": {"owner!": "me"}},
        "at 'customerMetadataProperties'",
        "Map keys must satisfy constraint",
    ),
    invalid(
        "51-metadata-properties",
        "create_model_package",
        {
            "ModelPackageGroupName": GROUP,
            "CustomerMetadataProperties": {f"k{i}": "v" for i in range(51)},
        },
        "at 'customerMetadataProperties'",
        "Member must have length less than or equal to 50",
    ),
    invalid(
        "lifecycle-stage-pattern",
        "create_model_package",
        {
            "ModelPackageGroupName": GROUP,
            "ModelLifeCycle": {"Stage": "stage_1", "StageStatus": "Approved"},
        },
        one_error("stage_1", "modelLifeCycle.stage"),
        PATTERN,
    ),
    invalid(
        "skip-model-validation",
        "create_model_package",
        {"ModelPackageGroupName": GROUP, "SkipModelValidation": "Some"},
        "at 'skipModelValidation'",
        "Member must satisfy enum value set: [All, None]",
    ),
    invalid(
        "card-with-model-package-details",
        "create_model_package",
        {
            "ModelPackageGroupName": GROUP,
            "ModelCard": {"ModelCardContent": linking(V2), "ModelCardStatus": "Draft"},
        },
        "Invalid model card content at $.model_package_details",
        "unknown field 'model_package_details'",
    ),
    invalid(
        "card-with-model-id",
        "create_model_package",
        {
            "ModelPackageGroupName": GROUP,
            "ModelCard": {"ModelCardContent": content(model_overview={"model_id": "m"})},
        },
        "Invalid model card content at $.model_overview.model_id",
        "unknown field 'model_id'",
        "allowed here: model_creator, model_artifact",
    ),
    invalid(
        "card-content-not-json",
        "create_model_package",
        {"ModelPackageGroupName": GROUP, "ModelCard": {"ModelCardContent": "{risk: high}"}},
        "Invalid model card content at $:",
        "not valid JSON",
    ),
    invalid(
        "card-risk-rating",
        "create_model_package",
        {
            "ModelPackageGroupName": GROUP,
            "ModelCard": {"ModelCardContent": content(intended_uses={"risk_rating": "Severe"})},
        },
        "Invalid model card content at $.intended_uses.risk_rating",
        "'Severe' is not one of ['High', 'Medium', 'Low', 'Unknown']",
    ),
    invalid(
        "card-status",
        "create_model_package",
        {
            "ModelPackageGroupName": GROUP,
            "ModelCard": {"ModelCardContent": EMBEDDED_OK, "ModelCardStatus": "Final"},
        },
        one_error("Final", "modelCard.modelCardStatus"),
        CARD_STATUSES,
    ),
    invalid(
        "card-status-without-content",
        "create_model_package",
        {"ModelPackageGroupName": GROUP, "ModelCard": {"ModelCardStatus": "Draft"}},
        "needs ModelCardContent",
    ),
    invalid(
        "card-content-too-long",
        "create_model_package",
        {"ModelPackageGroupName": GROUP, "ModelCard": {"ModelCardContent": OVERSIZED}},
        "Value '***' at 'modelCard.modelCardContent'",
        "Member must have length less than or equal to 100000",
    ),
    missing(
        "version-not-registered",
        "describe_model_package",
        {"ModelPackageName": f"{GROUP}/99"},
        f"Could not find model package '{GROUP}/99'",
    ),
    missing(
        "unversioned-name",
        "describe_model_package",
        {"ModelPackageName": GROUP},
        f"Could not find model package '{GROUP}'",
    ),
    missing(
        "arn-other-account",
        "describe_model_package",
        {"ModelPackageName": f"{OTHER_ACCOUNT}:model-package/{GROUP}/1"},
        "Could not find model package",
    ),
    missing(
        "arn-other-region",
        "describe_model_package",
        {"ModelPackageName": f"{OTHER_REGION}:model-package/{GROUP}/1"},
        "Could not find model package",
    ),
    missing(
        "group-arn",
        "describe_model_package",
        {"ModelPackageName": GROUP_ARN},
        "Could not find model package",
    ),
    invalid(
        "name-pattern",
        "describe_model_package",
        {"ModelPackageName": f"{GROUP}/1/2"},
        one_error(f"{GROUP}/1/2", "modelPackageName"),
        PATTERN,
    ),
    invalid(
        "version-10-digits",
        "describe_model_package",
        {"ModelPackageName": f"{GROUP}/1234567890"},
        "at 'modelPackageName'",
        PATTERN,
    ),
    invalid(
        "included-data",
        "describe_model_package",
        {"ModelPackageName": V1, "IncludedData": "Everything"},
        "at 'includedData'",
        "Member must satisfy enum value set: [AllData, MetadataOnly]",
    ),
    invalid(
        "max-results-101",
        "list_model_packages",
        {"ModelPackageGroupName": GROUP, "MaxResults": 101},
        "at 'maxResults'",
        AT_MOST_100,
    ),
    invalid(
        "approval-status",
        "list_model_packages",
        {"ModelPackageGroupName": GROUP, "ModelApprovalStatus": "approved"},
        "at 'modelApprovalStatus'",
        APPROVAL_STATUSES,
    ),
    invalid(
        "package-type",
        "list_model_packages",
        {"ModelPackageType": "Some"},
        "at 'modelPackageType'",
        "Member must satisfy enum value set: [Versioned, Unversioned, Both]",
    ),
    invalid(
        "sort-by",
        "list_model_packages",
        {"ModelPackageGroupName": GROUP, "SortBy": "Version"},
        "at 'sortBy'",
        "Member must satisfy enum value set: [Name, CreationTime]",
    ),
    invalid(
        "name-contains-pattern",
        "list_model_packages",
        {"ModelPackageGroupName": GROUP, "NameContains": "churn/1"},
        "at 'nameContains'",
        PATTERN,
    ),
    invalid(
        "group-arn-of-a-card",
        "list_model_packages",
        {"ModelPackageGroupName": LINKED_ARN},
        "is not the name or ARN of a model package group",
    ),
    invalid(
        "garbage-token",
        "list_model_packages",
        {"ModelPackageGroupName": GROUP, "NextToken": "garbage"},
        BAD_TOKEN,
    ),
    invalid(
        "garbage-token-without-group",
        "list_model_packages",
        {"NextToken": "garbage"},
        BAD_TOKEN,
    ),
    invalid(
        "token-of-another-sort-order",
        "list_model_packages",
        lambda seed: {
            "ModelPackageGroupName": GROUP,
            "SortOrder": "Descending",
            "NextToken": seed.packages_token,
        },
        BAD_TOKEN,
    ),
    invalid(
        "set-and-remove-one-key",
        "update_model_package",
        {
            "ModelPackageArn": V1,
            "CustomerMetadataProperties": {"key-0": "new"},
            "CustomerMetadataPropertiesToRemove": ["key-0"],
        },
        "['key-0']",
        "cannot be both set and removed",
    ),
    limit(
        "51st-metadata-property",
        "update_model_package",
        {"ModelPackageArn": V1, "CustomerMetadataProperties": {"one": "1", "two": "2"}},
        "At most 50 customer metadata properties",
    ),
    limit(
        "16th-additional-spec",
        "update_model_package",
        {
            "ModelPackageArn": V1,
            "AdditionalInferenceSpecificationsToAdd": [
                {"Name": f"more-{i}", "Containers": [{"Image": "img:1"}]} for i in range(2)
            ],
        },
        "Total number of additional Inference Specifications can not exceed 15",
    ),
    missing(
        "version-not-registered",
        "update_model_package",
        {"ModelPackageArn": f"{HERE}:model-package/{GROUP}/99", "ModelApprovalStatus": "Approved"},
        f"Could not find model package '{HERE}:model-package/{GROUP}/99'",
    ),
    missing(
        "arn-other-account",
        "update_model_package",
        {"ModelPackageArn": f"{OTHER_ACCOUNT}:model-package/{GROUP}/1", "ApprovalDescription": "x"},
        "Could not find model package",
    ),
    missing(
        "arn-other-region",
        "update_model_package",
        {"ModelPackageArn": f"{OTHER_REGION}:model-package/{GROUP}/1", "ApprovalDescription": "x"},
        "Could not find model package",
    ),
    missing(
        "version-in-arabic-indic-digits",
        "update_model_package",
        {"ModelPackageArn": f"{HERE}:model-package/{GROUP}/\u0661", "ApprovalDescription": "x"},
        "Could not find model package",
    ),
    invalid(
        "name-not-arn",
        "update_model_package",
        {"ModelPackageArn": f"{GROUP}/1", "ModelApprovalStatus": "Approved"},
        one_error(f"{GROUP}/1", "modelPackageArn"),
        PATTERN,
    ),
    invalid(
        "group-arn",
        "update_model_package",
        {"ModelPackageArn": GROUP_ARN, "ModelApprovalStatus": "Approved"},
        "at 'modelPackageArn'",
        PATTERN,
    ),
    invalid(
        "approval-status",
        "update_model_package",
        {"ModelPackageArn": V1, "ModelApprovalStatus": "Accepted"},
        one_error("Accepted", "modelApprovalStatus"),
        APPROVAL_STATUSES,
    ),
    invalid(
        "approval-description-1025-chars",
        "update_model_package",
        {"ModelPackageArn": V1, "ApprovalDescription": "a" * 1025},
        "at 'approvalDescription'",
        "Member must have length less than or equal to 1024",
    ),
    invalid(
        "remove-key-129-chars",
        "update_model_package",
        {"ModelPackageArn": V1, "CustomerMetadataPropertiesToRemove": ["k" * 129]},
        "at 'customerMetadataPropertiesToRemove.1.member'",
        "Member must have length less than or equal to 128",
    ),
    invalid(
        "registration-type",
        "update_model_package",
        {"ModelPackageArn": V1, "ModelPackageRegistrationType": "Published"},
        "at 'modelPackageRegistrationType'",
        "Member must satisfy enum value set: [Logged, Registered]",
    ),
    conflict(
        "content-of-archived-card",
        "update_model_package",
        {"ModelPackageArn": V2, "ModelCard": {"ModelCardContent": EMBEDDED_OK}},
        "Model Card is in Archived state",
    ),
    invalid(
        "card-with-model-package-details",
        "update_model_package",
        {"ModelPackageArn": V1, "ModelCard": {"ModelCardContent": linking(V1)}},
        "Invalid model card content at $.model_package_details",
        "unknown field",
    ),
    invalid(
        "card-artifacts-16",
        "update_model_package",
        {
            "ModelPackageArn": V1,
            "ModelCard": {
                "ModelCardContent": content(
                    model_overview={"model_artifact": [f"s3://b/{i}" for i in range(16)]}
                )
            },
        },
        "Invalid model card content at $.model_overview.model_artifact",
        "16 items is more than the limit of 15",
    ),
    invalid(
        "card-status-without-content",
        "update_model_package",
        {"ModelPackageArn": V1, "ModelCard": {"ModelCardStatus": "Approved"}},
        "needs ModelCardContent",
    ),
    conflict(
        "documented-by-a-card",
        "delete_model_package",
        {"ModelPackageName": V1},
        f"'{V1}' is documented by model card '{LINKED}'",
    ),
    missing(
        "version-not-registered",
        "delete_model_package",
        {"ModelPackageName": f"{GROUP}/99"},
        "Could not find model package",
    ),
    missing(
        "arn-other-account",
        "delete_model_package",
        {"ModelPackageName": f"{OTHER_ACCOUNT}:model-package/{GROUP}/2"},
        "Could not find model package",
    ),
    invalid(
        "name-pattern",
        "delete_model_package",
        {"ModelPackageName": "churn v2"},
        "at 'modelPackageName'",
        PATTERN,
    ),
    invalid(
        "malformed-arn",
        "batch_describe_model_package",
        {"ModelPackageArnList": [V1, f"{GROUP}/2"]},
        one_error(f"{GROUP}/2", "modelPackageArnList.2.member"),
        PATTERN,
    ),
    invalid(
        "group-arn",
        "batch_describe_model_package",
        {"ModelPackageArnList": [GROUP_ARN]},
        "at 'modelPackageArnList.1.member'",
        PATTERN,
    ),
    invalid(
        "101-arns",
        "batch_describe_model_package",
        {"ModelPackageArnList": [V1] * 101},
        "at 'modelPackageArnList'",
        "Member must have length less than or equal to 100",
    ),
]

CARD_CASES = [
    invalid(
        "name-underscore",
        "create_model_card",
        {"ModelCardName": "churn_v3", "Content": "{}", "ModelCardStatus": "Draft"},
        one_error("churn_v3", "modelCardName"),
        ENTITY_PATTERN,
    ),
    invalid(
        "name-64-chars",
        "create_model_card",
        {"ModelCardName": "c" * 64, "Content": "{}", "ModelCardStatus": "Draft"},
        "at 'modelCardName'",
        "Member must have length less than or equal to 63",
    ),
    conflict(
        "duplicate-name",
        "create_model_card",
        {"ModelCardName": LINKED, "Content": "{}", "ModelCardStatus": "Draft"},
        f"'{LINKED}' already exists",
    ),
    invalid(
        "status",
        "create_model_card",
        {"ModelCardName": "fresh", "Content": "{}", "ModelCardStatus": "Published"},
        one_error("Published", "modelCardStatus"),
        CARD_STATUSES,
    ),
    invalid(
        "content-not-json",
        "create_model_card",
        {"ModelCardName": "fresh", "Content": "intended uses: ranking", "ModelCardStatus": "Draft"},
        "Invalid model card content at $:",
        "not valid JSON",
        "line 1 column 1",
    ),
    invalid(
        "content-an-array",
        "create_model_card",
        {"ModelCardName": "fresh", "Content": "[]", "ModelCardStatus": "Draft"},
        "Invalid model card content at $:",
        "must be a JSON object, not a JSON array",
    ),
    invalid(
        "content-a-string",
        "create_model_card",
        {"ModelCardName": "fresh", "Content": '"card"', "ModelCardStatus": "Draft"},
        "must be a JSON object, not a JSON string",
    ),
    invalid(
        "content-unknown-section",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": content(intended_uses=USES, owner="me"),
            "ModelCardStatus": "Draft",
        },
        "Invalid model card content at $.owner",
        "unknown field 'owner'",
        "allowed here:",
    ),
    invalid(
        "content-unknown-nested-key",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": content(intended_uses={**USES, "risk": "High"}),
            "ModelCardStatus": "Draft",
        },
        "Invalid model card content at $.intended_uses.risk",
        "unknown field 'risk'",
    ),
    invalid(
        "content-risk-rating",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": content(intended_uses={"risk_rating": "high"}),
            "ModelCardStatus": "Draft",
        },
        "Invalid model card content at $.intended_uses.risk_rating",
        "'high' is not one of ['High', 'Medium', 'Low', 'Unknown']",
    ),
    invalid(
        "content-section-not-object",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": content(intended_uses="Rank churn"),
            "ModelCardStatus": "Draft",
        },
        "Invalid model card content at $.intended_uses",
        "is not of type 'object'",
    ),
    invalid(
        "content-string-too-long",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": content(intended_uses={"purpose_of_model": "p" * 2049}),
            "ModelCardStatus": "Draft",
        },
        "Invalid model card content at $.intended_uses.purpose_of_model",
        "2,049 characters is longer than the limit of 2,048",
    ),
    invalid(
        "content-number-metric-holds-text",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": metric(type="number", value="0.9"),
            "ModelCardStatus": "Draft",
        },
        f"Invalid model card content at {METRIC_VALUE}",
        "the value of a 'number' metric must be a number",
    ),
    invalid(
        "content-boolean-metric-holds-number",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": metric(type="boolean", value=1),
            "ModelCardStatus": "Draft",
        },
        f"Invalid model card content at {METRIC_VALUE}",
        "the value of a 'boolean' metric must be true or false",
    ),
    invalid(
        "content-bar-chart-empty",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": metric(type="bar_chart", value=[]),
            "ModelCardStatus": "Draft",
        },
        f"Invalid model card content at {METRIC_VALUE}",
        "the value of a 'bar_chart' metric must be a non-empty array of numbers",
    ),
    invalid(
        "content-metric-type",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": metric(type="percentage", value=9),
            "ModelCardStatus": "Draft",
        },
        "Invalid model card content at $.evaluation_details[0].metric_groups[0].metric_data[0].type",
        "'percentage' is not one of",
    ),
    invalid(
        "content-evaluation-without-name",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": content(evaluation_details=[{"evaluation_observation": "fine"}]),
            "ModelCardStatus": "Draft",
        },
        "Invalid model card content at $.evaluation_details[0].name",
        "'name' is a required property",
    ),
    invalid(
        "content-duplicate-key",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": '{"intended_uses": {}, "intended_uses": {}}',
            "ModelCardStatus": "Draft",
        },
        "Invalid model card content at $:",
        "duplicate key 'intended_uses'",
    ),
    invalid(
        "content-nan",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": metric(type="number", value=float("nan")),
            "ModelCardStatus": "Draft",
        },
        "Invalid model card content at $:",
        "NaN is not a JSON number",
    ),
    invalid(
        "content-over-100000-chars",
        "create_model_card",
        {"ModelCardName": "fresh", "Content": OVERSIZED, "ModelCardStatus": "Draft"},
        "1 validation error detected: Value '***' at 'content'",
        "Member must have length less than or equal to 100000",
    ),
    invalid(
        "links-unregistered-version",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": linking(f"{HERE}:model-package/{GROUP}/99"),
            "ModelCardStatus": "Draft",
        },
        "Invalid model card content at $.model_package_details.model_package_arn",
        f"'{HERE}:model-package/{GROUP}/99' does not exist",
    ),
    invalid(
        "links-other-account",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": linking(f"{OTHER_ACCOUNT}:model-package/{GROUP}/2"),
            "ModelCardStatus": "Draft",
        },
        "Invalid model card content at $.model_package_details.model_package_arn",
        "does not exist in this account and region",
    ),
    invalid(
        "links-a-group",
        "create_model_card",
        {"ModelCardName": "fresh", "Content": linking(GROUP_ARN), "ModelCardStatus": "Draft"},
        "Invalid model card content at $.model_package_details.model_package_arn",
        "does not exist",
    ),
    conflict(
        "links-documented-version",
        "create_model_card",
        {"ModelCardName": "fresh", "Content": linking(V1), "ModelCardStatus": "Draft"},
        f"'{V1}' is already documented by model card '{LINKED}'",
    ),
    invalid(
        "kms-key-pattern",
        "create_model_card",
        {
            "ModelCardName": "fresh",
            "Content": "{}",
            "ModelCardStatus": "Draft",
            "SecurityConfig": {"KmsKeyId": "my key"},
        },
        "at 'securityConfig.kmsKeyId'",
        PATTERN,
    ),
    invalid(
        "51-tags",
        "create_model_card",
        {"ModelCardName": "fresh", "Content": "{}", "ModelCardStatus": "Draft", "Tags": tags(51)},
        "at 'tags'",
        "Member must have length less than or equal to 50",
    ),
    missing(
        "unknown-name",
        "describe_model_card",
        {"ModelCardName": "nope"},
        "Model card 'nope' does not exist",
    ),
    missing(
        "version-99",
        "describe_model_card",
        {"ModelCardName": LINKED, "ModelCardVersion": 99},
        f"Model card '{LINKED}' has no version 99",
    ),
    missing(
        "version-0",
        "describe_model_card",
        {"ModelCardName": LINKED, "ModelCardVersion": 0},
        "has no version 0",
    ),
    missing(
        "arn-other-account",
        "describe_model_card",
        {"ModelCardName": f"{OTHER_ACCOUNT}:model-card/{LINKED}"},
        f"'{OTHER_ACCOUNT}:model-card/{LINKED}' does not exist",
    ),
    missing(
        "arn-other-region",
        "describe_model_card",
        {"ModelCardName": f"{OTHER_REGION}:model-card/{LINKED}"},
        "does not exist",
    ),
    invalid(
        "arn-of-a-group",
        "describe_model_card",
        {"ModelCardName": GROUP_ARN},
        one_error(GROUP_ARN, "modelCardName"),
        PATTERN,
    ),
    invalid(
        "name-257-chars",
        "describe_model_card",
        {"ModelCardName": "c" * 257},
        "at 'modelCardName'",
        "Member must have length less than or equal to 256",
    ),
    invalid(
        "included-data",
        "describe_model_card",
        {"ModelCardName": LINKED, "IncludedData": "Some"},
        "at 'includedData'",
        "Member must satisfy enum value set: [AllData, MetadataOnly]",
    ),
    invalid(
        "content-and-status",
        "update_model_card",
        {
            "ModelCardName": DRAFT,
            "Content": content(intended_uses=USES),
            "ModelCardStatus": "Approved",
        },
        "cannot update both model card content and model card status in a single call",
    ),
    invalid(
        "neither-content-nor-status",
        "update_model_card",
        {"ModelCardName": DRAFT},
        "Provide either Content or ModelCardStatus",
    ),
    conflict(
        "content-of-archived-card",
        "update_model_card",
        {"ModelCardName": ARCHIVED, "Content": content(business_details=BUSINESS)},
        f"Model card '{ARCHIVED}' is Archived",
        "content can no longer be changed",
    ),
    missing(
        "unknown-name",
        "update_model_card",
        {"ModelCardName": "nope", "ModelCardStatus": "Approved"},
        "Model card 'nope' does not exist",
    ),
    missing(
        "arn-other-account",
        "update_model_card",
        {"ModelCardName": f"{OTHER_ACCOUNT}:model-card/{DRAFT}", "ModelCardStatus": "Approved"},
        "does not exist",
    ),
    invalid(
        "status",
        "update_model_card",
        {"ModelCardName": DRAFT, "ModelCardStatus": "Done"},
        one_error("Done", "modelCardStatus"),
        CARD_STATUSES,
    ),
    invalid(
        "content-unknown-key",
        "update_model_card",
        {"ModelCardName": DRAFT, "Content": content(intended_uses=USES, notes="x")},
        "Invalid model card content at $.notes",
        "unknown field 'notes'",
    ),
    invalid(
        "content-risk-rating",
        "update_model_card",
        {"ModelCardName": DRAFT, "Content": content(intended_uses={"risk_rating": 3})},
        "Invalid model card content at $.intended_uses.risk_rating",
        "3 is not of type 'string'",
    ),
    invalid(
        "content-over-100000-chars",
        "update_model_card",
        {"ModelCardName": DRAFT, "Content": OVERSIZED},
        "at 'content'",
        "Member must have length less than or equal to 100000",
    ),
    invalid(
        "links-unregistered-version",
        "update_model_card",
        {"ModelCardName": DRAFT, "Content": linking(f"{HERE}:model-package/{GROUP}/3")},
        "Invalid model card content at $.model_package_details.model_package_arn",
        "does not exist",
    ),
    conflict(
        "links-documented-version",
        "update_model_card",
        {"ModelCardName": DRAFT, "Content": linking(V1)},
        f"'{V1}' is already documented by model card '{LINKED}'",
    ),
    missing(
        "unknown-name",
        "delete_model_card",
        {"ModelCardName": "nope"},
        "Model card 'nope' does not exist",
    ),
    invalid(
        "arn-not-name",
        "delete_model_card",
        {"ModelCardName": LINKED_ARN},
        one_error(LINKED_ARN, "modelCardName"),
        ENTITY_PATTERN,
    ),
    invalid(
        "max-results-101",
        "list_model_cards",
        {"MaxResults": 101},
        one_error("101", "maxResults"),
        AT_MOST_100,
    ),
    invalid(
        "status",
        "list_model_cards",
        {"ModelCardStatus": "draft"},
        one_error("draft", "modelCardStatus"),
        CARD_STATUSES,
    ),
    invalid(
        "sort-by",
        "list_model_cards",
        {"SortBy": "Version"},
        "at 'sortBy'",
        "Member must satisfy enum value set: [Name, CreationTime]",
    ),
    invalid(
        "sort-order",
        "list_model_cards",
        {"SortOrder": "Down"},
        "at 'sortOrder'",
        "Member must satisfy enum value set: [Ascending, Descending]",
    ),
    invalid(
        "name-contains-pattern",
        "list_model_cards",
        {"NameContains": "churn_"},
        "at 'nameContains'",
        PATTERN,
    ),
    invalid("garbage-token", "list_model_cards", {"NextToken": "garbage"}, BAD_TOKEN),
    invalid(
        "token-of-another-sort",
        "list_model_cards",
        lambda seed: {"NextToken": seed.cards_by_name_token},
        BAD_TOKEN,
    ),
    invalid(
        "token-of-card-versions",
        "list_model_cards",
        lambda seed: {"NextToken": seed.versions_token},
        BAD_TOKEN,
    ),
    missing(
        "unknown-name",
        "list_model_card_versions",
        {"ModelCardName": "nope"},
        "Model card 'nope' does not exist",
    ),
    missing(
        "arn-other-region",
        "list_model_card_versions",
        {"ModelCardName": f"{OTHER_REGION}:model-card/{LINKED}"},
        "does not exist",
    ),
    invalid(
        "sort-by",
        "list_model_card_versions",
        {"ModelCardName": LINKED, "SortBy": "CreationTime"},
        one_error("CreationTime", "sortBy"),
        "Member must satisfy enum value set: [Version]",
    ),
    invalid(
        "max-results-101",
        "list_model_card_versions",
        {"ModelCardName": LINKED, "MaxResults": 101},
        "at 'maxResults'",
        AT_MOST_100,
    ),
    invalid(
        "status",
        "list_model_card_versions",
        {"ModelCardName": LINKED, "ModelCardStatus": "Current"},
        "at 'modelCardStatus'",
        CARD_STATUSES,
    ),
    invalid(
        "garbage-token",
        "list_model_card_versions",
        {"ModelCardName": LINKED, "NextToken": "garbage"},
        BAD_TOKEN,
    ),
    invalid(
        "token-of-another-card",
        "list_model_card_versions",
        lambda seed: {"ModelCardName": DRAFT, "NextToken": seed.versions_token},
        BAD_TOKEN,
    ),
    invalid(
        "name-pattern",
        "list_model_card_versions",
        {"ModelCardName": "churn v1"},
        "at 'modelCardName'",
        PATTERN,
    ),
]

SEARCH_CASES = [
    invalid(
        "unknown-property",
        "search",
        search(SearchExpression=where(flt("Owner"))),
        "'Owner' is not a searchable property of ModelCard",
        "Use one of:",
    ),
    invalid(
        "unknown-property-of-package",
        "search",
        search("ModelPackage", SearchExpression=where(flt("ModelCardName"))),
        "'ModelCardName' is not a searchable property of ModelPackage",
    ),
    invalid(
        "comparison-on-text",
        "search",
        search(SearchExpression=where(flt("ModelCardName", "GreaterThan", "a"))),
        "Operator GreaterThan compares numbers and times; 'ModelCardName' is text",
    ),
    invalid(
        "contains-on-number",
        "search",
        search(SearchExpression=where(flt("ModelCardVersion", "Contains", "1"))),
        "Operator Contains applies to text; 'ModelCardVersion' is a number",
    ),
    invalid(
        "in-on-time",
        "search",
        search(SearchExpression=where(flt("CreationTime", "In", "2026-01-01T00:00:00"))),
        "Operator In applies to text; 'CreationTime' is a time",
    ),
    invalid(
        "two-contains",
        "search",
        search(
            SearchExpression=where(
                flt("ModelCardName", "Contains", "churn"), flt("RiskRating", "Contains", "M")
            )
        ),
        "'CONTAINS' operator usage limit of 1 exceeded.",
    ),
    invalid(
        "two-contains-in-subexpressions",
        "search",
        search(
            SearchExpression={
                "SubExpressions": [
                    where(flt("ModelCardName", "Contains", "churn")),
                    where(flt("ModelId", "Contains", "churn")),
                ]
            }
        ),
        "'CONTAINS' operator usage limit of 1 exceeded.",
    ),
    invalid(
        "unsupported-resource",
        "search",
        search("Endpoint"),
        "Cardinal does not hold Endpoint resources",
        "Search serves ModelPackageGroup, ModelPackage, ModelCard and TrainingJob",
    ),
    invalid(
        "unknown-resource",
        "search",
        search("ModelCards"),
        one_error("ModelCards", "resource"),
        "Member must satisfy enum value set: [TrainingJob",
    ),
    invalid(
        "nested-filter-not-on-tags",
        "search",
        search(
            SearchExpression={
                "NestedFilters": [
                    {"NestedPropertyName": "ModelCardName", "Filters": [flt("ModelCardName")]}
                ]
            }
        ),
        "'ModelCardName' is not a list property of ModelCard; nested filters apply to Tags",
    ),
    invalid(
        "nested-filter-on-tag-name",
        "search",
        search(
            SearchExpression={
                "NestedFilters": [{"NestedPropertyName": "Tags", "Filters": [flt("Tags.team")]}]
            }
        ),
        "Nested filters on Tags name Tags.Key or Tags.Value, not 'Tags.team'",
    ),
    invalid(
        "sort-by-not-sortable",
        "search",
        search(SortBy="RiskRating"),
        "Search results of ModelCard cannot be sorted by 'RiskRating'",
        "Sort by one of:",
    ),
    invalid(
        "sort-by-tag",
        "search",
        search("ModelPackageGroup", SortBy="Tags.team"),
        "cannot be sorted by 'Tags.team'",
    ),
    invalid(
        "sort-by-unknown",
        "search",
        search(SortBy="Popularity"),
        "SortBy",
        "'Popularity'",
    ),
    invalid(
        "sort-order",
        "search",
        search(SortOrder="Newest"),
        one_error("Newest", "sortOrder"),
        "Member must satisfy enum value set: [Ascending, Descending]",
    ),
    invalid(
        "equals-without-value",
        "search",
        search(SearchExpression=where(flt("ModelCardName", "Equals", None))),
        "Filter on 'ModelCardName' with operator Equals needs a Value",
    ),
    invalid(
        "operator",
        "search",
        search(SearchExpression=where(flt("ModelCardName", "Like", "churn"))),
        one_error("Like", "searchExpression.filters.1.member.operator"),
        "Member must satisfy enum value set: [Equals",
    ),
    invalid(
        "boolean-operator",
        "search",
        search(SearchExpression=where(flt("ModelCardName"), Operator="Xor")),
        "at 'searchExpression.operator'",
        "Member must satisfy enum value set: [And, Or]",
    ),
    invalid(
        "number-not-a-number",
        "search",
        search(SearchExpression=where(flt("ModelCardVersion", "GreaterThan", "two"))),
        "'two' is not a number, as 'ModelCardVersion' needs",
    ),
    invalid(
        "time-not-a-time",
        "search",
        search(SearchExpression=where(flt("CreationTime", "LessThan", "yesterday"))),
        "'yesterday' is not a time: use the form YYYY-mm-ddTHH:MM:SS",
    ),
    invalid(
        "empty-expression",
        "search",
        search(SearchExpression={}),
        "A SearchExpression needs at least one of Filters, NestedFilters or SubExpressions",
    ),
    invalid(
        "21-filters",
        "search",
        search(SearchExpression=where(*[flt("ModelCardName", value=str(i)) for i in range(21)])),
        "at 'searchExpression.filters'",
        "Member must have length less than or equal to 20",
    ),
    invalid(
        "51-nodes",
        "search",
        search(
            SearchExpression={
                "SubExpressions": [
                    where(*[flt("ModelCardName", value=f"{s}-{i}") for i in range(16)])
                    for s in range(3)
                ]
            }
        ),
        "at most 50 filters, nested filters and subexpressions",
    ),
    invalid(
        "max-results-101",
        "search",
        search(MaxResults=101),
        one_error("101", "maxResults"),
        AT_MOST_100,
    ),
    invalid("garbage-token", "search", search(NextToken="garbage"), BAD_TOKEN),
    invalid(
        "token-of-list-model-cards",
        "search",
        lambda seed: search(NextToken=seed.cards_token),
        BAD_TOKEN,
    ),
    invalid(
        "filter-value-1025-chars",
        "search",
        search(SearchExpression=where(flt("ModelCardName", value="v" * 1025))),
        "at 'searchExpression.filters.1.member.value'",
        "Member must have length less than or equal to 1024",
    ),
]

TAG_CASES = [
    limit(
        "over-50-tags",
        "add_tags",
        {"ResourceArn": GROUP_ARN, "Tags": tags(3)},
        "at most 50 tags",
        "would give it 51",
    ),
    missing(
        "unknown-card",
        "add_tags",
        {"ResourceArn": f"{HERE}:model-card/nope", "Tags": tags(1)},
        f"'{HERE}:model-card/nope' does not exist",
    ),
    missing(
        "unregistered-version",
        "add_tags",
        {"ResourceArn": f"{HERE}:model-package/{GROUP}/99", "Tags": tags(1)},
        "does not exist",
    ),
    missing(
        "version-with-leading-zero",
        "add_tags",
        {"ResourceArn": f"{HERE}:model-package/{GROUP}/01", "Tags": tags(1)},
        f"'{HERE}:model-package/{GROUP}/01' does not exist",
    ),
    missing(
        "arn-other-account",
        "add_tags",
        {"ResourceArn": f"{OTHER_ACCOUNT}:model-card/{LINKED}", "Tags": tags(1)},
        f"'{OTHER_ACCOUNT}:model-card/{LINKED}' does not exist",
    ),
    missing(
        "arn-other-region",
        "add_tags",
        {"ResourceArn": f"{OTHER_REGION}:model-package-group/{GROUP}", "Tags": tags(1)},
        "does not exist",
    ),
    missing(
        "kind-not-held",
        "add_tags",
        {"ResourceArn": f"{HERE}:endpoint/{GROUP}", "Tags": tags(1)},
        "does not exist",
    ),
    invalid(
        "not-an-arn",
        "add_tags",
        {"ResourceArn": LINKED, "Tags": tags(1)},
        one_error(LINKED, "resourceArn"),
        PATTERN,
    ),
    invalid(
        "arn-257-chars",
        "add_tags",
        {"ResourceArn": f"{HERE}:model-card/" + "c" * 220, "Tags": tags(1)},
        "at 'resourceArn'",
        "Member must have length less than or equal to 256",
    ),
    invalid(
        "key-pattern",
        "add_tags",
        {"ResourceArn": LINKED_ARN, "Tags": [{"Key": "a#b", "Value": "v"}]},
        one_error("a#b", "tags.1.member.key"),
        PATTERN,
    ),
    invalid(
        "51-tags",
        "add_tags",
        {"ResourceArn": LINKED_ARN, "Tags": tags(51)},
        "at 'tags'",
        "Member must have length less than or equal to 50",
    ),
    missing(
        "unknown-group",
        "list_tags",
        {"ResourceArn": f"{HERE}:model-package-group/nope"},
        "does not exist",
    ),
    invalid(
        "not-an-arn",
        "list_tags",
        {"ResourceArn": "model-card/churn-v1"},
        "at 'resourceArn'",
        PATTERN,
    ),
    invalid(
        "garbage-token",
        "list_tags",
        {"ResourceArn": GROUP_ARN, "NextToken": "garbage"},
        BAD_TOKEN,
    ),
    invalid(
        "token-of-list-model-cards",
        "list_tags",
        lambda seed: {"ResourceArn": GROUP_ARN, "NextToken": seed.cards_token},
        BAD_TOKEN,
    ),
    missing(
        "unknown-card",
        "delete_tags",
        {"ResourceArn": f"{HERE}:model-card/nope", "TagKeys": ["team"]},
        "does not exist",
    ),
    missing(
        "arn-other-account",
        "delete_tags",
        {"ResourceArn": f"{OTHER_ACCOUNT}:model-package-group/{GROUP}", "TagKeys": ["tag-1"]},
        "does not exist",
    ),
    invalid(
        "51-keys",
        "delete_tags",
        {"ResourceArn": GROUP_ARN, "TagKeys": [f"tag-{i}" for i in range(51)]},
        "at 'tagKeys'",
        "Member must have length less than or equal to 50",
    ),
    invalid(
        "key-pattern",
        "delete_tags",
        {"ResourceArn": GROUP_ARN, "TagKeys": ["tag-1", "tag*"]},
        one_error("tag*", "tagKeys.2.member"),
        PATTERN,
    ),
    invalid(
        "not-an-arn",
        "delete_tags",
        {"ResourceArn": "churn", "TagKeys": ["tag-1"]},
        "at 'resourceArn'",
        PATTERN,
    ),
]

JOB_ARN = f"{LINKED_ARN}/export-job/never-made"


def export_job(**overrides: Any) -> dict[str, Any]:
    return {
        "ModelCardName": LINKED,
        "ModelCardExportJobName": "audit",
        "OutputConfig": {"S3OutputPath": "s3://audits/cards"},
        **overrides,
    }


EXPORT_CASES = [
    invalid(
        "job-name-underscore",
        "create_model_card_export_job",
        export_job(ModelCardExportJobName="audit_1"),
        one_error("audit_1", "modelCardExportJobName"),
        ENTITY_PATTERN,
    ),
    invalid(
        "output-path-scheme",
        "create_model_card_export_job",
        export_job(OutputConfig={"S3OutputPath": "ftp://audits/cards"}),
        one_error("ftp://audits/cards", "outputConfig.s3OutputPath"),
        PATTERN,
    ),
    invalid(
        "output-path-dot-dot",
        "create_model_card_export_job",
        export_job(OutputConfig={"S3OutputPath": "s3://audits/../elsewhere"}),
        "is not an S3 output path: '.' and '..' are not allowed in it",
    ),
    missing(
        "card-missing",
        "create_model_card_export_job",
        export_job(ModelCardName="no-such-card"),
        "Model card 'no-such-card' does not exist",
    ),
    missing(
        "card-version-missing",
        "create_model_card_export_job",
        export_job(ModelCardVersion=9),
        f"Model card '{LINKED}' has no version 9",
    ),
    missing(
        "card-of-another-region",
        "create_model_card_export_job",
        export_job(ModelCardName=f"{OTHER_REGION}:model-card/{LINKED}"),
        "does not exist",
    ),
    invalid(
        "arn-of-a-card",
        "describe_model_card_export_job",
        {"ModelCardExportJobArn": LINKED_ARN},
        "at 'modelCardExportJobArn'",
        PATTERN,
    ),
    missing(
        "job-missing",
        "describe_model_card_export_job",
        {"ModelCardExportJobArn": JOB_ARN},
        "does not exist",
    ),
    invalid(
        "sort-by",
        "list_model_card_export_jobs",
        {"ModelCardName": LINKED, "SortBy": "Size"},
        one_error("Size", "sortBy"),
    ),
    invalid(
        "status",
        "list_model_card_export_jobs",
        {"ModelCardName": LINKED, "StatusEquals": "Done"},
        one_error("Done", "statusEquals"),
    ),
    invalid(
        "next-token",
        "list_model_card_export_jobs",
        {"ModelCardName": LINKED, "NextToken": "not-a-token"},
        BAD_TOKEN,
    ),
]

CASES = GROUP_CASES + PACKAGE_CASES + CARD_CASES + EXPORT_CASES + SEARCH_CASES + TAG_CASES


def test_cases_have_unique_ids() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_bad_request_is_refused_and_changes_nothing(registry: Registry, case: Bad) -> None:
    params = case.params(registry.seed) if callable(case.params) else case.params
    before = registry.baseline
    try:
        with pytest.raises(ClientError) as refused:
            getattr(registry.sm, case.op)(**params)
    finally:
        after = registry.baseline = registry.observe()
    response = refused.value.response
    assert 400 <= response["ResponseMetadata"]["HTTPStatusCode"] < 500
    assert response["Error"]["Code"] == case.code, response["Error"]
    message = response["Error"]["Message"]
    for part in case.says:
        assert part in message
    assert after == before
