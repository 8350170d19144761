"""Export artifacts fetched at the URI their export job reports, with boto3's S3 client against
a real server on both backends: GetObject, HeadObject and download_file of the exported PDF;
every other S3 operation NotImplemented; signatures checked, then the permission to read, before
anything is looked up."""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import httpx
import pytest
from botocore import UNSIGNED
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from pypdf import PdfReader

from cardinal.config import Settings
from cardinal.services.container import Services
from tests.conftest import REGION, client_for
from tests.support.contexts import OPERATOR
from tests.support.server import RunningServer, start_server
from tests.unit.reports.s3server import S3Server, s3_server

CONTENT = {
    "model_overview": {"model_description": "Predicts churn"},
    "intended_uses": {"purpose_of_model": "Retention", "risk_rating": "Medium"},
}
BUCKET = "audits"
KEY = "2026/churn/audit-1/churn-v1.pdf"
URI = f"s3://{BUCKET}/{KEY}"
SERVED_ONLY = "Cardinal serves only GetObject and HeadObject of its own model card export artifacts"


def s3_client(
    server: RunningServer, key: str, secret: str, *, signature_version: Any = None
) -> Any:
    config = Config(retries={"max_attempts": 1, "mode": "standard"})
    if signature_version is not None:
        config = config.merge(Config(signature_version=signature_version))
    return boto3.client(
        "s3",
        endpoint_url=f"{server.url}/s3",
        region_name=REGION,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=config,
    )


def export(server: RunningServer) -> dict[str, Any]:
    """Create the card ``churn`` and export it to ``URI``; the Completed job."""
    sm: Any = client_for(server)
    sm.create_model_card(
        ModelCardName="churn", Content=json.dumps(CONTENT), ModelCardStatus="Draft"
    )
    arn = sm.create_model_card_export_job(
        ModelCardName="churn",
        ModelCardExportJobName="audit-1",
        OutputConfig={"S3OutputPath": f"s3://{BUCKET}/2026"},
    )["ModelCardExportJobArn"]
    deadline = time.monotonic() + 60
    while True:
        job: dict[str, Any] = sm.describe_model_card_export_job(ModelCardExportJobArn=arn)
        if job["Status"] != "InProgress" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert job["Status"] == "Completed", job.get("FailureReason")
    assert job["ExportArtifacts"]["S3ExportArtifacts"] == URI
    return job


def error_of(call: Any, **params: Any) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    response = caught.value.response
    error = response["Error"]
    return error["Code"], response["ResponseMetadata"]["HTTPStatusCode"], error.get("Message", "")


@pytest.fixture
def exported(secured_server: RunningServer) -> tuple[RunningServer, bytes]:
    """A server with authentication on, the artifact exported, and the PDF as stored."""
    export(secured_server)
    stored = secured_server.data_dir / "exports" / BUCKET / KEY
    return secured_server, stored.read_bytes()


@pytest.fixture
def alice_s3(exported: tuple[RunningServer, bytes]) -> Any:
    server, _ = exported
    assert server.credentials is not None
    return s3_client(server, *server.credentials)


def test_get_object_answers_the_stored_pdf(
    exported: tuple[RunningServer, bytes], alice_s3: Any
) -> None:
    _, stored = exported
    got = alice_s3.get_object(Bucket=BUCKET, Key=KEY)
    body = got["Body"].read()
    assert body == stored
    assert body.startswith(b"%PDF-")
    assert "Predicts churn" in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert got["ContentType"] == "application/pdf"
    assert got["ContentLength"] == len(stored)
    assert got["ETag"] == f'"{hashlib.md5(stored).hexdigest()}"'
    assert abs(time.time() - got["LastModified"].timestamp()) < 300


def test_head_object_answers_the_same_metadata_without_the_bytes(
    exported: tuple[RunningServer, bytes], alice_s3: Any
) -> None:
    _, stored = exported
    head = alice_s3.head_object(Bucket=BUCKET, Key=KEY)
    got = alice_s3.get_object(Bucket=BUCKET, Key=KEY)
    assert head["ContentType"] == "application/pdf"
    assert head["ContentLength"] == len(stored)
    assert (head["ETag"], head["LastModified"]) == (got["ETag"], got["LastModified"])


def test_download_file_writes_the_stored_pdf(
    exported: tuple[RunningServer, bytes], alice_s3: Any, tmp_path: Path
) -> None:
    _, stored = exported
    target = tmp_path / "downloaded.pdf"
    alice_s3.download_file(BUCKET, KEY, str(target))
    assert target.read_bytes() == stored


def test_a_range_gets_those_bytes(exported: tuple[RunningServer, bytes], alice_s3: Any) -> None:
    _, stored = exported
    got = alice_s3.get_object(Bucket=BUCKET, Key=KEY, Range="bytes=0-7")
    assert got["Body"].read() == stored[:8]
    assert got["ContentRange"] == f"bytes 0-7/{len(stored)}"
    tail = alice_s3.get_object(Bucket=BUCKET, Key=KEY, Range="bytes=-5")["Body"].read()
    assert tail == stored[-5:]
    code, status, _ = error_of(
        alice_s3.get_object, Bucket=BUCKET, Key=KEY, Range=f"bytes={len(stored)}-"
    )
    assert (code, status) == ("InvalidRange", 416)


def test_a_key_that_is_no_artifact_is_no_such_key(
    exported: tuple[RunningServer, bytes], alice_s3: Any
) -> None:
    server, _ = exported
    for key in ("2026/churn/audit-2/churn-v1.pdf", "2026/churn/audit-1/churn-v2.pdf", "2026"):
        code, status, message = error_of(alice_s3.get_object, Bucket=BUCKET, Key=key)
        assert (code, status) == ("NoSuchKey", 404), key
        assert f"s3://{BUCKET}/{key}" in message
        assert error_of(alice_s3.head_object, Bucket=BUCKET, Key=key)[:2] == ("404", 404)
    # A file beside the artifact in the directory standing in for the bucket is not served.
    (server.data_dir / "exports" / BUCKET / "2026" / "notes.txt").write_text("not an artifact")
    assert error_of(alice_s3.get_object, Bucket=BUCKET, Key="2026/notes.txt")[0] == "NoSuchKey"
    code, status, message = error_of(alice_s3.get_object, Bucket="elsewhere", Key=KEY)
    assert (code, status) == ("NoSuchBucket", 404)
    assert "elsewhere" in message


def test_a_deleted_cards_artifact_is_no_longer_served(
    exported: tuple[RunningServer, bytes], alice_s3: Any
) -> None:
    server, _ = exported
    sm: Any = client_for(server)
    sm.delete_model_card(ModelCardName="churn")
    assert error_of(alice_s3.get_object, Bucket=BUCKET, Key=KEY)[:2] == ("NoSuchKey", 404)


def test_unsigned_or_wrongly_signed_requests_are_refused_before_any_lookup(
    exported: tuple[RunningServer, bytes],
) -> None:
    """The same refusal for an artifact, a missing key and a missing bucket: nothing is
    looked up for a request that is not validly signed."""
    server, _ = exported
    assert server.credentials is not None
    key_id, secret = server.credentials
    callers = {
        ("AccessDenied", 403): s3_client(server, key_id, secret, signature_version=UNSIGNED),
        ("SignatureDoesNotMatch", 403): s3_client(server, key_id, secret + "x"),
        ("InvalidAccessKeyId", 403): s3_client(server, "CRDKNOSUCHKEY0000000", secret),
    }
    for expected, client in callers.items():
        for bucket, key in ((BUCKET, KEY), (BUCKET, "2026/none/none/none.pdf"), ("nope", KEY)):
            assert error_of(client.get_object, Bucket=bucket, Key=key)[:2] == expected, expected
            assert error_of(client.head_object, Bucket=bucket, Key=key)[:2] == (
                str(expected[1]),
                expected[1],
            )


def test_a_signature_for_another_service_is_refused(
    exported: tuple[RunningServer, bytes],
) -> None:
    server, _ = exported
    assert server.credentials is not None
    url = f"{server.url}/s3/{BUCKET}/{KEY}"
    request = AWSRequest(method="GET", url=url, headers={"Host": urlsplit(url).netloc})
    S3SigV4Auth(Credentials(*server.credentials), "sagemaker", REGION).add_auth(request)
    answer = httpx.get(url, headers=dict(request.headers.items()))
    assert answer.status_code == 400
    assert "<Code>AuthorizationHeaderMalformed</Code>" in answer.text
    assert "'sagemaker'" in answer.text
    assert "%PDF" not in answer.text


def test_a_caller_without_read_permission_is_refused_access(
    exported: tuple[RunningServer, bytes], database_url: str
) -> None:
    server, _ = exported
    services = Services.for_database(
        database_url, None, Settings(data_dir=server.data_dir).secret_box()
    )
    try:
        services.identities.create_principal(OPERATOR, "no-role")
        issued = services.identities.create_access_key(OPERATOR, "no-role")
    finally:
        services.close()
    client = s3_client(server, issued.access_key_id, issued.secret_access_key)
    for bucket, key in ((BUCKET, KEY), (BUCKET, "2026/none/none/none.pdf"), ("nope", KEY)):
        code, status, message = error_of(client.get_object, Bucket=bucket, Key=key)
        assert (code, status) == ("AccessDenied", 403)
        assert "no-role: reading needs the viewer role" in message


def test_other_s3_operations_are_not_implemented_and_change_nothing(
    exported: tuple[RunningServer, bytes], alice_s3: Any
) -> None:
    server, stored = exported
    calls: list[tuple[Any, dict[str, Any]]] = [
        (alice_s3.put_object, {"Bucket": BUCKET, "Key": KEY, "Body": b"%PDF-forged"}),
        (alice_s3.put_object, {"Bucket": BUCKET, "Key": "2026/new.pdf", "Body": b"new"}),
        (alice_s3.delete_object, {"Bucket": BUCKET, "Key": KEY}),
        (alice_s3.list_objects_v2, {"Bucket": BUCKET}),
        (alice_s3.list_objects, {"Bucket": BUCKET}),
        (alice_s3.list_buckets, {}),
        (alice_s3.get_object_tagging, {"Bucket": BUCKET, "Key": KEY}),
        (alice_s3.get_object, {"Bucket": BUCKET, "Key": KEY, "VersionId": "1"}),
    ]
    for call, params in calls:
        code, status, message = error_of(call, **params)
        assert (code, status) == ("NotImplemented", 501), call
        assert SERVED_ONLY in message
    assert (server.data_dir / "exports" / BUCKET / KEY).read_bytes() == stored
    assert not (server.data_dir / "exports" / BUCKET / "2026" / "new.pdf").exists()
    assert alice_s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read() == stored


def test_in_open_mode_callers_name_themselves(server: RunningServer) -> None:
    export(server)
    stored = (server.data_dir / "exports" / BUCKET / KEY).read_bytes()
    client = s3_client(server, "alice", "unused")
    assert client.get_object(Bucket=BUCKET, Key=KEY)["Body"].read() == stored
    unsigned = s3_client(server, "alice", "unused", signature_version=UNSIGNED)
    assert error_of(unsigned.get_object, Bucket=BUCKET, Key=KEY)[:2] == ("AccessDenied", 403)


@pytest.fixture
def object_store() -> Iterator[S3Server]:
    with s3_server() as running:
        running.client().create_bucket(Bucket=BUCKET)
        yield running


def test_with_an_object_store_the_artifact_is_served_from_it(
    database_url: str, tmp_path: Path, object_store: S3Server
) -> None:
    settings = object_store.settings
    server = start_server(
        database_url,
        tmp_path / "server",
        extra_env={
            "CARDINAL_S3_ENDPOINT_URL": str(settings.endpoint_url),
            "CARDINAL_S3_ACCESS_KEY_ID": str(settings.access_key_id),
            "CARDINAL_S3_SECRET_ACCESS_KEY": str(settings.secret_access_key),
            "CARDINAL_S3_REGION": str(settings.region),
        },
    )
    try:
        export(server)
        in_store = object_store.client().get_object(Bucket=BUCKET, Key=KEY)["Body"].read()
        assert in_store.startswith(b"%PDF-")
        assert not (server.data_dir / "exports").exists()
        client = s3_client(server, "alice", "unused")
        assert client.get_object(Bucket=BUCKET, Key=KEY)["Body"].read() == in_store
        code, _, _ = error_of(client.get_object, Bucket="no-such-bucket", Key=KEY)
        assert code == "NoSuchBucket"
        object_store.client().put_object(Bucket=BUCKET, Key="2026/other.pdf", Body=b"x")
        assert error_of(client.get_object, Bucket=BUCKET, Key="2026/other.pdf")[0] == "NoSuchKey"
    finally:
        server.stop()
