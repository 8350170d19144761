"""Authentication on, through real servers and real clients, on both backends: SigV4 with keys
Cardinal issued (boto3, and raw HTTP signed by botocore's own signer), bearer tokens on REST,
and the role each door enforces. Every refusal changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from cardinal.config import Settings
from cardinal.domain.access import Grant, Role
from cardinal.domain.audit import AuditQuery
from cardinal.services.container import Services
from tests.conftest import BACKENDS
from tests.support.contexts import OPERATOR
from tests.support.databases import module_database
from tests.support.server import RunningServer, free_port, start_server

REGION = "us-east-1"
TARGET = "SageMaker.CreateModelPackageGroup"


@dataclass
class Issued:
    key_id: str
    secret: str
    token: str


@dataclass
class Secured:
    server: RunningServer
    services: Services  # the server's store, with the server's key
    users: dict[str, Issued]

    def sagemaker(self, user: str) -> Any:
        issued = self.users[user]
        return client(self.server.url, issued.key_id, issued.secret)

    def group_names(self) -> list[str]:
        page = self.services.groups.list_model_package_groups(OPERATOR, _page())
        return [g.name for g in page.items]


def _page() -> Any:
    from cardinal.domain.paging import PageRequest

    return PageRequest(sort_by="Name")


def client(url: str, key_id: str, secret: str) -> Any:
    return boto3.client(
        "sagemaker",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


@pytest.fixture(scope="module", params=BACKENDS)
def secured(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Secured]:
    """One server with authentication on per backend, for the whole module: each test names
    its own resources and checks that a refusal left them as they were."""
    with ExitStack() as stack:
        database_url = module_database(request, tmp_path_factory, stack)
        data_dir = tmp_path_factory.mktemp("server")
        secrets = Settings(data_dir=data_dir).secret_box()
        services = Services.for_database(database_url, None, secrets)
        stack.callback(services.close)
        users = {}
        roles = [("vera", Role.VIEWER), ("alice", Role.AUTHOR), ("rita", Role.AUTHOR)]
        for name, role in roles:
            services.identities.create_principal(OPERATOR, name, grants=[Grant(role)])
            key = services.identities.create_access_key(OPERATOR, name)
            token = services.identities.create_token(OPERATOR, name).token
            users[name] = Issued(key.access_key_id, key.secret_access_key, token)
        server = start_server(database_url, data_dir, extra_env={"CARDINAL_AUTH": "on"})
        stack.callback(server.stop)
        yield Secured(server, services, users)


def signed(
    url: str, key_id: str, secret: str, body: bytes, *, at: datetime | None = None
) -> AWSRequest:
    request = AWSRequest(
        method="POST",
        url=url + "/",
        data=body,
        headers={"X-Amz-Target": TARGET, "Content-Type": "application/x-amz-json-1.1"},
    )
    signer = SigV4Auth(Credentials(key_id, secret), "sagemaker", REGION)
    if at is None:
        signer.add_auth(request)
    else:
        _sign_at(signer, request, at)
    return request


def _sign_at(signer: SigV4Auth, request: AWSRequest, at: datetime) -> None:
    import botocore.auth

    original = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda *_a, **_k: at.replace(tzinfo=None)
    try:
        signer.add_auth(request)
    finally:
        botocore.auth.get_current_datetime = original


def send(request: AWSRequest) -> httpx.Response:
    prepared = request.prepare()
    return httpx.post(prepared.url, content=prepared.body, headers=dict(prepared.headers.items()))


def body_for(name: str) -> bytes:
    return json.dumps({"ModelPackageGroupName": name}).encode()


def test_an_issued_key_signs_and_its_holder_is_the_actor(secured: Secured) -> None:
    secured.sagemaker("alice").create_model_package_group(ModelPackageGroupName="signed-churn")
    assert "signed-churn" in secured.group_names()
    arn = f"arn:aws:sagemaker:{REGION}:000000000000:model-package-group/signed-churn"
    events = secured.services.audit.list_audit_events(OPERATOR, AuditQuery(resource_arn=arn))
    assert [e.actor for e in events.items] == ["alice"]
    # botocore's signer over raw HTTP, as any other client signs.
    alice = secured.users["alice"]
    body = body_for("signed-fraud")
    response = send(signed(secured.server.url, alice.key_id, alice.secret, body))
    assert response.status_code == 200, response.text
    assert "signed-fraud" in secured.group_names()


@pytest.mark.parametrize(
    ("case", "code", "status"),
    [
        ("unsigned", "MissingAuthenticationToken", 403),
        ("unknown key", "UnrecognizedClientException", 400),
        ("revoked key", "UnrecognizedClientException", 400),
        ("wrong secret", "InvalidSignatureException", 400),
        ("tampered body", "InvalidSignatureException", 400),
        ("20 minutes old", "InvalidSignatureException", 400),
    ],
)
def test_a_request_not_signed_by_an_active_issued_key_is_refused_and_changes_nothing(
    secured: Secured, case: str, code: str, status: int
) -> None:
    url, alice = secured.server.url, secured.users["alice"]
    before = secured.group_names()
    body = body_for("refused-" + case.replace(" ", "-"))
    if case == "unsigned":
        response = httpx.post(
            url + "/", content=body, headers={"X-Amz-Target": TARGET,
                                              "Content-Type": "application/x-amz-json-1.1"},
        )  # fmt: skip
    elif case == "unknown key":
        response = send(signed(url, "CRDKAAAAAAAAAAAAAAAA", alice.secret, body))
    elif case == "revoked key":
        rita = secured.users["rita"]
        secured.services.identities.revoke_access_key(OPERATOR, "rita", rita.key_id)
        response = send(signed(url, rita.key_id, rita.secret, body))
    elif case == "wrong secret":
        response = send(
            signed(
                url,
                alice.key_id,
                alice.secret[:-1] + ("y" if alice.secret.endswith("x") else "x"),
                body,
            )
        )
    elif case == "tampered body":
        request = signed(url, alice.key_id, alice.secret, body)
        request.data = body_for("other")
        response = send(request)
    else:
        old = datetime.now(UTC) - timedelta(minutes=20)
        response = send(signed(url, alice.key_id, alice.secret, body, at=old))
    assert response.status_code == status, response.text
    assert response.json()["__type"] == code
    if case == "20 minutes old":
        assert response.json()["message"].startswith("Signature expired")
    assert secured.group_names() == before


def test_boto3_sees_the_aws_error_codes(secured: Secured) -> None:
    alice = secured.users["alice"]
    wrong = client(secured.server.url, alice.key_id, "not-the-secret")
    with pytest.raises(ClientError) as refused:
        wrong.list_model_package_groups()
    assert refused.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_a_viewer_is_refused_a_write_with_the_role_it_needs(secured: Secured) -> None:
    before = secured.group_names()
    with pytest.raises(ClientError) as refused:
        secured.sagemaker("vera").create_model_package_group(ModelPackageGroupName="by-vera")
    error = refused.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "needs the author role" in error["Message"]
    assert secured.group_names() == before
    listed = secured.sagemaker("vera").list_model_package_groups()
    assert [g["ModelPackageGroupName"] for g in listed["ModelPackageGroupSummaryList"]] == before


def test_rest_needs_a_token_and_names_the_missing_role(secured: Secured) -> None:
    api = secured.server.url + "/api/v1"
    missing = httpx.get(api + "/groups")
    assert missing.status_code == 401
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert "Bearer crd_" in missing.json()["detail"]
    bad = httpx.get(api + "/groups", headers={"Authorization": "Bearer crd_nonsense"})
    assert bad.status_code == 401

    before = secured.group_names()
    vera = {"Authorization": f"Bearer {secured.users['vera'].token}"}
    refused = httpx.post(api + "/groups", json={"name": "rest-churn"}, headers=vera)
    assert refused.status_code == 403, refused.text
    assert refused.json()["rule"] == "role"
    assert "needs the author role" in refused.json()["detail"]
    assert secured.group_names() == before

    alice = {
        "Authorization": f"Bearer {secured.users['alice'].token}",
        "X-Cardinal-Actor": "chief-risk-officer",
    }
    created = httpx.post(api + "/groups", json={"name": "rest-churn"}, headers=alice)
    assert created.status_code == 201, created.text
    arn = f"arn:aws:sagemaker:{REGION}:000000000000:model-package-group/rest-churn"
    events = secured.services.audit.list_audit_events(OPERATOR, AuditQuery(resource_arn=arn))
    assert [e.actor for e in events.items] == ["alice"]
    assert httpx.get(api + "/openapi.json").status_code == 200


def test_open_mode_refuses_to_serve_beyond_loopback(tmp_path: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "cardinal", "serve", "--host", "0.0.0.0",
         "--port", str(free_port()), "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=60, check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CARDINAL_AUTH": "off"},
    )  # fmt: skip
    assert ran.returncode == 2, ran.stderr
    assert "open mode (CARDINAL_AUTH=off)" in ran.stderr
    assert "loopback only" in ran.stderr
    assert not (tmp_path / "cardinal.db").exists()


def test_the_api_docs_are_public_and_served_without_internet(secured: Secured) -> None:
    api = secured.server.url + "/api/v1"
    page = httpx.get(api + "/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text
    assert "/api/v1/docs-assets/swagger-ui-bundle.js" in page.text
    script = httpx.get(api + "/docs-assets/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert len(script.content) > 100_000
    assert httpx.get(api + "/docs-assets/../groups").status_code in (401, 404)
