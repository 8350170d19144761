"""Hostile tags and ARNs through boto3: ARNs of another partition, reserved ``aws:`` keys and
duplicate keys are refused with ``ValidationException`` and leave every stored row as it was.

One seeded server per backend serves the refusal table; each case compares what the API shows
and every row of every table (tags and the audit trail included) before and after.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.exceptions import ClientError
from sqlalchemy import Engine, select

from cardinal.store.database import create_database_engine
from cardinal.store.tables import metadata
from tests.conftest import BACKENDS, make_client
from tests.support.databases import PostgresDatabases, sqlite_url
from tests.support.server import RunningServer, start_server

HERE = "arn:aws:sagemaker:us-east-1:000000000000"
CHINA = "arn:aws-cn:sagemaker:us-east-1:000000000000"
GOVCLOUD = "arn:aws-us-gov:sagemaker:us-east-1:000000000000"
OTHER_ACCOUNT = "arn:aws:sagemaker:us-east-1:111111111111"
OTHER_REGION = "arn:aws:sagemaker:eu-west-1:000000000000"

GROUP, CARD = "churn", "churn-card"
GROUP_ARN = f"{HERE}:model-package-group/{GROUP}"
VERSION_ARN = f"{HERE}:model-package/{GROUP}/1"
CARD_ARN = f"{HERE}:model-card/{CARD}"
RESOURCES = (GROUP_ARN, VERSION_ARN, CARD_ARN)

RESERVED = "System prefix 'aws:' reserved for AWS usage in tag key"
DUPLICATE = "Duplicate tag key"
FOREIGN = "but this server serves partition 'aws'"
SPEC = {"Containers": [{"Image": "img:1", "ModelDataUrl": "s3://b/v1.tar.gz"}]}


def tag(key: str, value: str = "v") -> dict[str, str]:
    return {"Key": key, "Value": value}


@dataclass
class Registry:
    sm: Any
    engine: Engine
    baseline: dict[str, Any] = field(default_factory=dict)

    def observe(self) -> dict[str, Any]:
        seen: dict[str, Any] = {arn: list_tags(self.sm, arn) for arn in RESOURCES}
        seen["groups"] = [
            g["ModelPackageGroupName"]
            for g in self.sm.list_model_package_groups()["ModelPackageGroupSummaryList"]
        ]
        seen["cards"] = [
            c["ModelCardName"] for c in self.sm.list_model_cards()["ModelCardSummaries"]
        ]
        with self.engine.connect() as connection:
            for table in metadata.sorted_tables:
                statement = select(table).order_by(*table.primary_key.columns)
                seen[table.name] = [tuple(row) for row in connection.execute(statement)]
        return seen


def list_tags(sm: Any, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn, MaxResults=100)["Tags"]}


def seed(sm: Any) -> None:
    sm.create_model_package_group(ModelPackageGroupName=GROUP, Tags=[tag("team", "risk")])
    sm.create_model_package(ModelPackageGroupName=GROUP, InferenceSpecification=SPEC)
    sm.create_model_card(
        ModelCardName=CARD, Content="{}", ModelCardStatus="Draft", Tags=[tag("kind", "card")]
    )
    sm.add_tags(ResourceArn=VERSION_ARN, Tags=[tag("stage", "qa")])


@pytest.fixture(scope="module", params=BACKENDS)
def registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registry]:
    directory: Path = tmp_path_factory.mktemp(f"tag-rules-{request.param}")
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = sqlite_url(directory)
        else:
            databases: PostgresDatabases = request.getfixturevalue("postgres")
            url = stack.enter_context(databases.fresh())
        server = start_server(url, directory / "server")
        stack.callback(server.stop)
        engine = create_database_engine(url)
        stack.callback(engine.dispose)
        sm = make_client(server.url)
        seed(sm)
        built = Registry(sm, engine)
        built.baseline = built.observe()
        yield built


def linking(arn: str) -> str:
    return json.dumps({"model_package_details": {"model_package_arn": arn}})


# (id, boto3 method, parameters, error code, substrings of the message)
Case = tuple[str, str, dict[str, Any], str, tuple[str, ...]]
INVALID = "ValidationException"
MISSING = "ResourceNotFound"

PARTITION_CASES: list[Case] = [
    ("add-tags-china-card", "add_tags",
     {"ResourceArn": f"{CHINA}:model-card/{CARD}", "Tags": [tag("a")]},
     INVALID, ("The resource ARN", "partition 'aws-cn'", FOREIGN)),
    ("add-tags-govcloud-group", "add_tags",
     {"ResourceArn": f"{GOVCLOUD}:model-package-group/{GROUP}", "Tags": [tag("a")]},
     INVALID, ("partition 'aws-us-gov'", FOREIGN)),
    ("add-tags-china-version", "add_tags",
     {"ResourceArn": f"{CHINA}:model-package/{GROUP}/1", "Tags": [tag("a")]},
     INVALID, ("partition 'aws-cn'",)),
    ("add-tags-china-unknown-kind", "add_tags",
     {"ResourceArn": f"{CHINA}:endpoint/{GROUP}", "Tags": [tag("a")]},
     INVALID, ("partition 'aws-cn'",)),
    ("list-tags-china-card", "list_tags",
     {"ResourceArn": f"{CHINA}:model-card/{CARD}"}, INVALID, ("partition 'aws-cn'",)),
    ("delete-tags-govcloud-group", "delete_tags",
     {"ResourceArn": f"{GOVCLOUD}:model-package-group/{GROUP}", "TagKeys": ["team"]},
     INVALID, ("partition 'aws-us-gov'",)),
    ("describe-card-china", "describe_model_card",
     {"ModelCardName": f"{CHINA}:model-card/{CARD}"},
     INVALID, ("The model card ARN", "partition 'aws-cn'")),
    ("update-card-china", "update_model_card",
     {"ModelCardName": f"{CHINA}:model-card/{CARD}", "ModelCardStatus": "PendingReview"},
     INVALID, ("The model card ARN", "partition 'aws-cn'")),
    ("list-card-versions-china", "list_model_card_versions",
     {"ModelCardName": f"{CHINA}:model-card/{CARD}"}, INVALID, ("partition 'aws-cn'",)),
    ("describe-group-govcloud", "describe_model_package_group",
     {"ModelPackageGroupName": f"{GOVCLOUD}:model-package-group/{GROUP}"},
     INVALID, ("The model package group ARN", "partition 'aws-us-gov'")),
    ("delete-group-govcloud", "delete_model_package_group",
     {"ModelPackageGroupName": f"{GOVCLOUD}:model-package-group/{GROUP}"},
     INVALID, ("partition 'aws-us-gov'",)),
    ("describe-version-china", "describe_model_package",
     {"ModelPackageName": f"{CHINA}:model-package/{GROUP}/1"},
     INVALID, ("The model package ARN", "partition 'aws-cn'")),
    ("approve-version-china", "update_model_package",
     {"ModelPackageArn": f"{CHINA}:model-package/{GROUP}/1", "ModelApprovalStatus": "Approved"},
     INVALID, ("partition 'aws-cn'",)),
    ("batch-describe-china", "batch_describe_model_package",
     {"ModelPackageArnList": [VERSION_ARN, f"{CHINA}:model-package/{GROUP}/1"]},
     INVALID, ("partition 'aws-cn'",)),
    ("card-links-china-version", "create_model_card",
     {"ModelCardName": "linked", "ModelCardStatus": "Draft",
      "Content": linking(f"{CHINA}:model-package/{GROUP}/1")},
     INVALID, ("The model package ARN", "partition 'aws-cn'")),
    # Another account or region: the resource is not here (unchanged behaviour).
    ("add-tags-other-account", "add_tags",
     {"ResourceArn": f"{OTHER_ACCOUNT}:model-card/{CARD}", "Tags": [tag("a")]},
     MISSING, ("does not exist",)),
    ("add-tags-other-region", "add_tags",
     {"ResourceArn": f"{OTHER_REGION}:model-package-group/{GROUP}", "Tags": [tag("a")]},
     MISSING, ("does not exist",)),
    ("describe-card-other-region", "describe_model_card",
     {"ModelCardName": f"{OTHER_REGION}:model-card/{CARD}"}, MISSING, ("does not exist",)),
]  # fmt: skip

RESERVED_CASES: list[Case] = [
    ("add-tags-aws-key", "add_tags",
     {"ResourceArn": CARD_ARN, "Tags": [tag("aws:owner")]},
     INVALID, (f"{RESERVED}: aws:owner",)),
    ("add-tags-upper-case-aws-key", "add_tags",
     {"ResourceArn": GROUP_ARN, "Tags": [tag("AWS:owner")]},
     INVALID, (f"{RESERVED}: AWS:owner",)),
    ("add-tags-mixed-case-aws-key-among-good-ones", "add_tags",
     {"ResourceArn": VERSION_ARN, "Tags": [tag("good"), tag("Aws:cost"), tag("fine")]},
     INVALID, (f"{RESERVED}: Aws:cost",)),
    ("delete-tags-aws-key", "delete_tags",
     {"ResourceArn": GROUP_ARN, "TagKeys": ["aws:cloudformation:stack-name"]},
     INVALID, (f"{RESERVED}: aws:cloudformation:stack-name",)),
    ("delete-tags-aws-key-with-a-real-one", "delete_tags",
     {"ResourceArn": GROUP_ARN, "TagKeys": ["team", "AWS:x"]},
     INVALID, (f"{RESERVED}: AWS:x",)),
    ("create-group-aws-key", "create_model_package_group",
     {"ModelPackageGroupName": "new-group", "Tags": [tag("team"), tag("aws:x")]},
     INVALID, (f"{RESERVED}: aws:x",)),
    ("create-card-aws-key", "create_model_card",
     {"ModelCardName": "new-card", "Content": "{}", "ModelCardStatus": "Draft",
      "Tags": [tag("AWS:Team")]},
     INVALID, (f"{RESERVED}: AWS:Team",)),
]  # fmt: skip

DUPLICATE_CASES: list[Case] = [
    ("add-tags-same-key-two-values", "add_tags",
     {"ResourceArn": CARD_ARN, "Tags": [tag("team", "a"), tag("team", "b")]},
     INVALID, (f"{DUPLICATE}: team",)),
    ("add-tags-same-tag-twice", "add_tags",
     {"ResourceArn": GROUP_ARN, "Tags": [tag("tier", "x"), tag("new"), tag("tier", "x")]},
     INVALID, (f"{DUPLICATE}: tier",)),
    ("add-tags-existing-key-twice", "add_tags",
     {"ResourceArn": GROUP_ARN, "Tags": [tag("team", "a"), tag("team", "risk")]},
     INVALID, (f"{DUPLICATE}: team",)),
    ("create-group-duplicate-key", "create_model_package_group",
     {"ModelPackageGroupName": "new-group", "Tags": [tag("team", "a"), tag("team", "b")]},
     INVALID, (f"{DUPLICATE}: team",)),
    ("create-card-duplicate-key", "create_model_card",
     {"ModelCardName": "new-card", "Content": "{}", "ModelCardStatus": "Draft",
      "Tags": [tag("team", "a"), tag("team", "b")]},
     INVALID, (f"{DUPLICATE}: team",)),
]  # fmt: skip

CASES = PARTITION_CASES + RESERVED_CASES + DUPLICATE_CASES


def test_case_ids_are_unique() -> None:
    ids = [case[0] for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("name", "op", "params", "code", "says"), CASES, ids=[c[0] for c in CASES])
def test_refused_and_nothing_stored(
    registry: Registry,
    name: str,
    op: str,
    params: dict[str, Any],
    code: str,
    says: tuple[str, ...],
) -> None:
    before = registry.baseline
    try:
        with pytest.raises(ClientError) as refused:
            getattr(registry.sm, op)(**params)
    finally:
        after = registry.baseline = registry.observe()
    error = refused.value.response["Error"]
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Code"] == code, error
    for part in says:
        assert part in error["Message"], error["Message"]
    assert after == before


def audit_events(server: RunningServer) -> list[Any]:
    answer = httpx.get(
        f"{server.url}/api/v1/audit", params={"limit": 100}, headers={"X-Cardinal-Actor": "t"}
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def test_a_foreign_partition_arn_leaves_no_tag_behind(
    sagemaker: Any, server: RunningServer
) -> None:
    """The tag refused under an ``aws-cn`` ARN is nowhere: not on the card, not on a new card of
    the same name, not in the audit trail."""
    arn = sagemaker.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")[
        "ModelCardArn"
    ]
    foreign = arn.replace("arn:aws:", "arn:aws-cn:", 1)
    events = audit_events(server)
    with pytest.raises(ClientError) as refused:
        sagemaker.add_tags(ResourceArn=foreign, Tags=[tag("leak", "yes")])
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert audit_events(server) == events
    assert list_tags(sagemaker, arn) == {}

    sagemaker.delete_model_card(ModelCardName="c")
    again = sagemaker.create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
    assert again["ModelCardArn"] == arn
    assert list_tags(sagemaker, arn) == {}


def test_tags_are_kept_under_the_canonical_arn(sagemaker: Any, server: RunningServer) -> None:
    group = sagemaker.create_model_package_group(ModelPackageGroupName="g")
    arn = group["ModelPackageGroupArn"]
    sagemaker.add_tags(
        ResourceArn=arn,
        Tags=[tag("aws", "name only"), tag("team:aws:x"), tag("owner", "aws:someone")],
    )
    assert list_tags(sagemaker, arn) == {
        "aws": "name only",
        "team:aws:x": "v",
        "owner": "aws:someone",
    }
    added = [e for e in audit_events(server) if e["action"] == "tags:add"]
    assert [e["resource_arn"] for e in added] == [arn]
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["aws", "team:aws:x"])
    assert list_tags(sagemaker, arn) == {"owner": "aws:someone"}
