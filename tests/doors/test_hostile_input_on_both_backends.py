"""Hostile input sent to a server on SQLite and to one on PostgreSQL, seeded alike.

Each request must get no 5xx and the same answer (status and error code) from both, and a
refused request must change nothing. The inputs are the ones a database stores differently or
not at all: NUL and lone surrogates (in names, descriptions, card content, queries, tag and
metadata keys), values longer than a column (an access key id as the actor), ARNs of another
partition, reserved and repeated tag keys, integers JSON can't carry exactly (2^53 and beyond).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.conftest import make_client
from tests.support.databases import PostgresDatabases, sqlite_url
from tests.support.server import RunningServer, start_server

pytestmark = pytest.mark.postgres

HERE = "arn:aws:sagemaker:us-east-1:000000000000"
V1 = f"{HERE}:model-package/churn/1"
V2 = f"{HERE}:model-package/churn/2"
GROUP_ARN = f"{HERE}:model-package-group/churn"
CARD_ARN = f"{HERE}:model-card/churn-card"
SM_TYPE = "application/x-amz-json-1.1"
NUL = "\x00"
LONE = "\ud800"
HUGE = 2**53


def auth(key: str = "alice") -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential={key}/20261204/us-east-1/sagemaker/aws4_request, "
        "SignedHeaders=host, Signature=abcd"
    )


@dataclass(frozen=True)
class Case:
    """One request: to the SageMaker door (``op`` set) or to REST (``method`` and ``path``)."""

    name: str
    op: str | None = None
    body: Any = None
    key: str = "alice"
    method: str = "POST"
    path: str = "/"
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    refused: bool = True


def sm(
    name: str, op: str, body: dict[str, Any], *, key: str = "alice", refused: bool = True
) -> Case:
    return Case(name, op=op, body=body, key=key, refused=refused)


def rest(
    name: str,
    method: str,
    path: str,
    body: Any = None,
    *,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    refused: bool = True,
) -> Case:
    return Case(
        name, method=method, path=f"/api/v1{path}", body=body, params=params or {},
        headers=headers or {}, refused=refused,
    )  # fmt: skip


def card(**overview: str) -> str:
    return json.dumps({"model_overview": overview})


CASES = [
    sm("access-key-300", "ListModelCards", {}, key="k" * 300),
    sm("access-key-5000", "CreateModelPackageGroup", {"ModelPackageGroupName": "x"}, key="k" * 5000),
    sm("access-key-128-is-fine", "ListModelCards", {}, key="K" * 128, refused=False),
    sm("card-model-id-nul", "CreateModelCard",
       {"ModelCardName": "nul-id", "Content": card(model_id=f"m{NUL}"), "ModelCardStatus": "Draft"}),
    sm("card-model-name-nul", "CreateModelCard",
       {"ModelCardName": "nul-name", "Content": card(model_name=NUL), "ModelCardStatus": "Draft"}),
    sm("card-update-model-id-nul", "UpdateModelCard",
       {"ModelCardName": "churn-card", "Content": card(model_id=f"x{NUL}y")}),
    sm("card-model-id-1025", "CreateModelCard",
       {"ModelCardName": "long-id", "Content": card(model_id="m" * 1025), "ModelCardStatus": "Draft"}),
    sm("card-model-id-1024-is-fine", "CreateModelCard",
       {"ModelCardName": "long-ok", "Content": card(model_id="m" * 1024), "ModelCardStatus": "Draft"},
       refused=False),
    sm("card-lone-surrogate", "CreateModelCard",
       {"ModelCardName": "lone", "Content": card(model_name=LONE), "ModelCardStatus": "Draft"}),
    sm("embedded-card-nul", "CreateModelPackage",
       {"ModelPackageGroupName": "churn",
        "ModelCard": {"ModelCardContent": card(model_name=NUL), "ModelCardStatus": "Draft"}}),
    sm("approval-description-nul", "UpdateModelPackage",
       {"ModelPackageArn": V2, "ModelApprovalStatus": "Rejected", "ApprovalDescription": f"a{NUL}b"}),
    sm("metadata-key-nul", "UpdateModelPackage",
       {"ModelPackageArn": V2, "CustomerMetadataProperties": {f"k{NUL}": "v"}}),
    sm("metadata-value-nul", "UpdateModelPackage",
       {"ModelPackageArn": V2, "CustomerMetadataProperties": {"k": f"v{NUL}"}}),
    sm("group-description-nul", "CreateModelPackageGroup",
       {"ModelPackageGroupName": "nul-group", "ModelPackageGroupDescription": f"d{NUL}"}),
    sm("name-contains-nul", "ListModelCards", {"NameContains": f"ch{NUL}"}),
    sm("search-value-nul", "Search",
       {"Resource": "ModelCard",
        "SearchExpression": {"Filters": [{"Name": "ModelCardName", "Value": f"churn{NUL}"}]}}),
    sm("tag-value-nul", "AddTags", {"ResourceArn": GROUP_ARN, "Tags": [{"Key": "k", "Value": NUL}]}),
    sm("tag-key-nul", "AddTags", {"ResourceArn": GROUP_ARN, "Tags": [{"Key": NUL, "Value": "v"}]}),
    sm("tags-foreign-partition-cn", "AddTags",
       {"ResourceArn": CARD_ARN.replace("arn:aws:", "arn:aws-cn:"), "Tags": [{"Key": "k", "Value": "v"}]}),
    sm("tags-foreign-partition-gov", "AddTags",
       {"ResourceArn": GROUP_ARN.replace("arn:aws:", "arn:aws-us-gov:"),
        "Tags": [{"Key": "k", "Value": "v"}]}),
    sm("list-tags-foreign-partition", "ListTags",
       {"ResourceArn": CARD_ARN.replace("arn:aws:", "arn:aws-cn:")}),
    sm("describe-package-foreign-partition", "DescribeModelPackage",
       {"ModelPackageName": V1.replace("arn:aws:", "arn:aws-us-gov:")}),
    sm("export-job-foreign-partition", "DescribeModelCardExportJob",
       {"ModelCardExportJobArn": f"{CARD_ARN}/export-job/x".replace("arn:aws:", "arn:aws-cn:")}),
    sm("tag-key-aws-prefix", "AddTags", {"ResourceArn": GROUP_ARN, "Tags": [{"Key": "aws:team", "Value": "v"}]}),
    sm("tag-key-AWS-prefix", "AddTags", {"ResourceArn": GROUP_ARN, "Tags": [{"Key": "AWS:team", "Value": "v"}]}),
    sm("tag-keys-repeated", "AddTags",
       {"ResourceArn": GROUP_ARN, "Tags": [{"Key": "team", "Value": "a"}, {"Key": "team", "Value": "b"}]}),
    sm("create-group-aws-tag", "CreateModelPackageGroup",
       {"ModelPackageGroupName": "aws-tagged", "Tags": [{"Key": "aws:x", "Value": "v"}]}),
    sm("export-path-nul", "CreateModelCardExportJob",
       {"ModelCardName": "churn-card", "ModelCardExportJobName": "nul",
        "OutputConfig": {"S3OutputPath": f"s3://bucket/x{NUL}"}}),
    sm("export-path-credentials", "CreateModelCardExportJob",
       {"ModelCardName": "churn-card", "ModelCardExportJobName": "creds",
        "OutputConfig": {"S3OutputPath": "s3://user:secret@bucket/x"}}),
    rest("actor-300", "GET", "/cards", headers={"X-Cardinal-Actor": "a" * 300}),
    rest("approve-description-nul", "POST", "/groups/churn/versions/2/approve",
         {"description": f"ok{NUL}"}),
    rest("reject-description-lone", "POST", "/groups/churn/versions/2/reject",
         {"description": f"no{LONE}"}),
    rest("cards-name-contains-nul", "GET", "/cards", params={"name_contains": f"ch{NUL}"}),
    rest("groups-name-contains-nul", "GET", "/groups", params={"name_contains": NUL}),
    rest("search-nul", "GET", "/search/cards", params={"q": f"name ~ ch{NUL}"}),
    rest("card-content-nul", "PUT", "/cards/churn-card/content",
         {"content": {"model_overview": {"model_id": NUL}}}),
    rest("card-create-nul-key", "POST", "/cards",
         {"name": "nul-key", "content": {"additional_information": {"custom_details": {NUL: "v"}}}}),
    rest("rest-group-description-nul", "POST", "/groups", {"name": "rest-nul", "description": NUL}),
    rest("metadata-nul", "PATCH", "/groups/churn/versions/2", {"customer_metadata": {"k": NUL}}),
    rest("tags-nul", "PUT", "/groups/churn/tags", {"tags": {"k": f"v{NUL}"}}),
    rest("tags-aws-prefix", "PUT", "/groups/churn/tags", {"tags": {"aws:k": "v"}}),
    rest("rest-export-path-credentials", "POST", "/cards/churn-card/export-jobs",
         {"name": "creds", "output_path": "s3://user:secret@bucket/x"}),
    rest("audit-actor-nul", "GET", "/audit", params={"actor": f"a{NUL}"}),
    sm("card-integer-2-53", "CreateModelCard",
       {"ModelCardName": "huge", "ModelCardStatus": "Draft",
        "Content": json.dumps({"model_overview": {"model_version": HUGE}})}),
    sm("card-integer-negative-2-53", "UpdateModelCard",
       {"ModelCardName": "churn-card",
        "Content": json.dumps({"model_overview": {"model_version": -HUGE}})}),
    sm("card-integer-2-53-minus-1-is-fine", "CreateModelCard",
       {"ModelCardName": "largest", "ModelCardStatus": "Draft",
        "Content": json.dumps({"model_overview": {"model_version": HUGE - 1}})}, refused=False),
    rest("rest-card-integer-2-53", "POST", "/cards",
         {"name": "rest-huge", "content": {"model_overview": {"model_version": HUGE}}}),
    rest("rest-card-integer-long", "PUT", "/cards/churn-card/content",
         {"content": {"model_overview": {"model_version": 10**30}}}),
    rest("rest-metadata-integer", "PATCH", "/groups/churn/versions/2",
         {"customer_metadata": {"k": 10**20}}),
    sm("unversioned-name-nul", "CreateModelPackage", {"ModelPackageName": f"a{NUL}"}),
    sm("unversioned-description-lone", "CreateModelPackage",
       {"ModelPackageName": "lone-package", "ModelPackageDescription": LONE}),
    sm("unversioned-foreign-partition", "DescribeModelPackage",
       {"ModelPackageName": f"{HERE}:model-package/solo".replace("arn:aws:", "arn:aws-cn:")}),
    rest("rest-unversioned-tag-nul", "POST", "/packages",
         {"name": "rest-solo", "tags": {"k": f"v{NUL}"}}),
]  # fmt: skip


@dataclass
class Backend:
    name: str
    server: RunningServer
    http: httpx.Client

    def audit_head(self) -> tuple[int, Any]:
        answer = self.http.get(
            f"{self.server.url}/api/v1/audit", params={"order": "desc", "limit": "1"}
        )
        items = answer.json()["items"]
        return len(items), items[0]["seq"] if items else None

    def send(self, case: Case) -> httpx.Response:
        if case.op is not None:
            return self.http.post(
                self.server.url,
                content=json.dumps(case.body).encode(),
                headers={
                    "X-Amz-Target": f"SageMaker.{case.op}",
                    "Content-Type": SM_TYPE,
                    "Authorization": auth(case.key),
                },
            )
        content = None if case.body is None else json.dumps(case.body).encode()
        headers = {**case.headers}
        if content is not None:
            headers["Content-Type"] = "application/json"
        return self.http.request(
            case.method, f"{self.server.url}{case.path}", params=case.params,
            content=content, headers=headers,
        )  # fmt: skip


def seed(url: str) -> None:
    client: Any = make_client(url)
    client.create_model_package_group(ModelPackageGroupName="churn")
    client.create_model_package(ModelPackageGroupName="churn")
    client.create_model_package(ModelPackageGroupName="churn")
    content = {"model_package_details": {"model_package_arn": V1}}
    client.create_model_card(
        ModelCardName="churn-card", Content=json.dumps(content), ModelCardStatus="Draft"
    )


@pytest.fixture(scope="module")
def backends(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Backend]]:
    databases: PostgresDatabases = request.getfixturevalue("postgres")
    directory = tmp_path_factory.mktemp("hostile")
    with databases.fresh() as postgres_url, httpx.Client(timeout=60) as http:
        servers = []
        try:
            for name, url in (("sqlite", sqlite_url(directory)), ("postgresql", postgres_url)):
                servers.append((name, start_server(url, directory / name)))
            for _, server in servers:
                seed(server.url)
            yield [Backend(name, server, http) for name, server in servers]
        finally:
            for _, server in servers:
                server.stop()


def test_case_names_are_unique() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))


def _answer(response: httpx.Response) -> tuple[int, str]:
    if response.status_code < 400:
        return response.status_code, "OK"
    if response.headers.get("content-type", "").startswith(SM_TYPE):
        return response.status_code, response.json()["__type"]
    assert response.headers.get("content-type") == "application/problem+json", response.text
    return response.status_code, response.json()["type"]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_both_backends_give_the_same_answer_and_no_server_error(
    backends: list[Backend], case: Case
) -> None:
    answers = {}
    for backend in backends:
        before = backend.audit_head()
        response = backend.send(case)
        assert response.status_code < 500, (backend.name, response.text)
        answers[backend.name] = _answer(response)
        if case.refused:
            assert 400 <= response.status_code < 500, (backend.name, response.text)
            assert backend.audit_head() == before, backend.name
    assert answers["sqlite"] == answers["postgresql"], answers
