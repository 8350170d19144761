"""Request bodies are bounded before they are read, on both doors.

A body over the limit is answered 413 in the door's error format (AWS's JSON error on the
SageMaker door, problem details on REST) whether its ``Content-Length`` says so up front or it
arrives chunked; the server stops reading it, stores nothing and keeps serving. A body of exactly
the limit is served as usual. The bodies are valid requests padded with JSON whitespace, so only
the size can be why one is refused. Most tests run a server with a 64 KiB limit per door; the
last two check the defaults (4 MiB on the SageMaker door, 1 MiB on REST) and that the SageMaker
door's takes the largest model card botocore can send.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.conftest import make_client
from tests.support.databases import sqlite_url
from tests.support.server import RunningServer, start_server

LIMIT = 64 * 1024
AUTH = (
    "AWS4-HMAC-SHA256 Credential=alice/20261125/us-east-1/sagemaker/aws4_request, "
    "SignedHeaders=host, Signature=abcd"
)
AMZ_JSON = "application/x-amz-json-1.1"
STREAMED = 200 * 1000 * 1000
CHUNK = 64 * 1024
# What a refused 200 MB stream may have got out of the client before it saw the answer: the
# limit plus the socket buffers on both sides, nowhere near the whole body.
SENT_BEFORE_REFUSAL = 32 * 1000 * 1000


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server whose doors take bodies of at most 64 KiB."""
    running = start_server(
        sqlite_url(tmp_path_factory.mktemp("db")),
        tmp_path_factory.mktemp("server"),
        extra_env={
            "CARDINAL_MAX_SAGEMAKER_BODY_BYTES": str(LIMIT),
            "CARDINAL_MAX_REST_BODY_BYTES": str(LIMIT),
        },
    )
    yield running
    running.stop()


def padded(document: dict[str, Any], size: int) -> bytes:
    """``document`` as JSON of exactly ``size`` bytes (spaces before the closing brace)."""
    text = json.dumps(document).encode()
    assert len(text) <= size
    return text[:-1] + b" " * (size - len(text)) + b"}"


def pieces(body: bytes, size: int = 16 * 1024) -> Iterator[bytes]:
    """``body`` as a stream, which httpx sends chunked (no Content-Length)."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def sagemaker_post(
    server: RunningServer, operation: str, content: bytes | Iterator[bytes], **headers: str
) -> httpx.Response:
    return httpx.post(
        server.url,
        content=content,
        headers={
            "Content-Type": AMZ_JSON,
            "X-Amz-Target": f"SageMaker.{operation}",
            "Authorization": AUTH,
            **headers,
        },
        timeout=60,
        trust_env=False,
    )


def rest_post(
    server: RunningServer, path: str, content: bytes | Iterator[bytes], **headers: str
) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/v1{path}",
        content=content,
        headers={"Content-Type": "application/json", "X-Cardinal-Actor": "alice", **headers},
        timeout=60,
        trust_env=False,
    )


def group_exists(server: RunningServer, name: str) -> bool:
    answer = httpx.get(f"{server.url}/api/v1/groups/{name}", timeout=10, trust_env=False)
    assert answer.status_code in (200, 404), answer.text
    return answer.status_code == 200


def assert_aws_refusal(answer: httpx.Response) -> None:
    assert answer.status_code == 413, answer.text
    assert answer.headers["content-type"] == AMZ_JSON
    assert answer.headers["x-amzn-errortype"] == "RequestEntityTooLargeException"
    assert answer.headers["x-amzn-requestid"]
    body = answer.json()
    assert body["__type"] == "RequestEntityTooLargeException"
    assert f"{LIMIT:,} bytes" in body["message"]


def assert_problem_refusal(answer: httpx.Response) -> None:
    assert answer.status_code == 413, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"].endswith("/content-too-large")
    assert problem["status"] == 413
    assert problem["title"]
    assert f"{LIMIT:,} bytes" in problem["detail"]
    assert problem["max_bytes"] == LIMIT


def assert_serving(server: RunningServer) -> None:
    assert httpx.get(f"{server.url}/healthz", timeout=10, trust_env=False).status_code == 200
    listed = sagemaker_post(server, "ListModelPackageGroups", b"{}")
    assert listed.status_code == 200, listed.text


# --------------------------------------------------------------------------- at the limit


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_sagemaker_body_of_exactly_the_limit_is_served(
    limited: RunningServer, framing: str
) -> None:
    name = f"at-limit-{framing}"
    body = padded({"ModelPackageGroupName": name}, LIMIT)
    answer = sagemaker_post(
        limited, "CreateModelPackageGroup", body if framing == "content-length" else pieces(body)
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["ModelPackageGroupArn"].endswith(f"/{name}")
    assert group_exists(limited, name)


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_rest_body_of_exactly_the_limit_is_served(limited: RunningServer, framing: str) -> None:
    name = f"rest-at-limit-{framing}"
    body = padded({"name": name}, LIMIT)
    answer = rest_post(limited, "/groups", body if framing == "content-length" else pieces(body))
    assert answer.status_code == 201, answer.text
    assert group_exists(limited, name)


# --------------------------------------------------------------------------- just over it


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_sagemaker_body_one_byte_over_the_limit_is_refused(
    limited: RunningServer, framing: str
) -> None:
    name = f"over-limit-{framing}"
    body = padded({"ModelPackageGroupName": name}, LIMIT + 1)
    answer = sagemaker_post(
        limited, "CreateModelPackageGroup", body if framing == "content-length" else pieces(body)
    )
    assert_aws_refusal(answer)
    assert answer.headers["connection"] == "close"
    assert not group_exists(limited, name)
    assert_serving(limited)


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_rest_body_one_byte_over_the_limit_is_refused(
    limited: RunningServer, framing: str
) -> None:
    name = f"rest-over-limit-{framing}"
    body = padded({"name": name}, LIMIT + 1)
    answer = rest_post(limited, "/groups", body if framing == "content-length" else pieces(body))
    assert_problem_refusal(answer)
    assert answer.headers["connection"] == "close"
    assert not group_exists(limited, name)
    assert_serving(limited)


def test_boto3_gets_the_refusal_as_a_client_error(limited: RunningServer) -> None:
    # A valid card of 70,000 characters: under the content limit, over this server's body limit.
    details = {f"note-{i:02d}": "x" * 990 for i in range(70)}
    content = json.dumps({"additional_information": {"custom_details": details}})
    client: Any = make_client(limited.url)
    with pytest.raises(ClientError) as raised:
        client.create_model_card(ModelCardName="too-big", Content=content, ModelCardStatus="Draft")
    error = raised.value.response
    assert error["Error"]["Code"] == "RequestEntityTooLargeException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 413
    with pytest.raises(ClientError) as missing:
        client.describe_model_card(ModelCardName="too-big")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFound"


# --------------------------------------------------------------------------- far over it


def raw_exchange(server: RunningServer, head: bytes, body_start: bytes) -> httpx.Response:
    """Send a request head and the start of its body, then read the answer without sending
    more. The socket times out (and the test fails) if the server waits for the rest."""
    address = urlsplit(server.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(head + body_start)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head_bytes, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head_bytes.decode("latin-1").split("\r\n")
    headers = [tuple(line.split(": ", 1)) for line in header_lines]
    return httpx.Response(int(status_line.split()[1]), headers=headers, content=body)


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(
    limited: RunningServer,
) -> None:
    start = b'{"ModelPackageGroupName": "declared-huge"'
    head = (
        "POST / HTTP/1.1\r\n"
        f"Host: {urlsplit(limited.url).netloc}\r\n"
        f"Content-Type: {AMZ_JSON}\r\n"
        "X-Amz-Target: SageMaker.CreateModelPackageGroup\r\n"
        f"Authorization: {AUTH}\r\n"
        f"Content-Length: {10 * 1024**3}\r\n\r\n"
    ).encode()
    assert_aws_refusal(raw_exchange(limited, head, start))
    assert not group_exists(limited, "declared-huge")
    assert_serving(limited)


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read_rest(
    limited: RunningServer,
) -> None:
    head = (
        "POST /api/v1/groups HTTP/1.1\r\n"
        f"Host: {urlsplit(limited.url).netloc}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {10 * 1024**3}\r\n\r\n"
    ).encode()
    assert_problem_refusal(raw_exchange(limited, head, b'{"name": "rest-declared-huge"'))
    assert not group_exists(limited, "rest-declared-huge")
    assert_serving(limited)


class Stream:
    """200 MB of a valid request (the document, then spaces), counting what was sent."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.head = json.dumps(document).encode()[:-1]
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        self.sent += len(self.head)
        yield self.head
        padding = b" " * CHUNK
        while self.sent + CHUNK < STREAMED:
            self.sent += CHUNK
            yield padding
        rest = STREAMED - self.sent
        self.sent += rest
        yield b" " * (rest - 1) + b"}"


@pytest.mark.parametrize("declared", [False, True], ids=["chunked", "content-length"])
def test_a_200_mb_sagemaker_body_is_refused_soon_after_the_limit(
    limited: RunningServer, declared: bool
) -> None:
    stream = Stream({"ModelPackageGroupName": "streamed-huge"})
    length = {"Content-Length": str(STREAMED)} if declared else {}
    answer = sagemaker_post(limited, "CreateModelPackageGroup", iter(stream), **length)
    assert_aws_refusal(answer)
    assert stream.sent < SENT_BEFORE_REFUSAL
    assert not group_exists(limited, "streamed-huge")
    assert_serving(limited)


@pytest.mark.parametrize("declared", [False, True], ids=["chunked", "content-length"])
def test_a_200_mb_rest_body_is_refused_soon_after_the_limit(
    limited: RunningServer, declared: bool
) -> None:
    stream = Stream({"name": "rest-streamed-huge"})
    length = {"Content-Length": str(STREAMED)} if declared else {}
    answer = rest_post(limited, "/groups", iter(stream), **length)
    assert_problem_refusal(answer)
    assert stream.sent < SENT_BEFORE_REFUSAL
    assert not group_exists(limited, "rest-streamed-huge")
    assert_serving(limited)


# --------------------------------------------------------------------------- the default limits

DEFAULT_SAGEMAKER_LIMIT = 4 * 1024 * 1024
DEFAULT_REST_LIMIT = 1024 * 1024


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_default_limits(server: RunningServer) -> None:
    at_limit = padded({"ModelPackageGroupName": "default-at-limit"}, DEFAULT_SAGEMAKER_LIMIT)
    assert sagemaker_post(server, "CreateModelPackageGroup", at_limit).status_code == 200
    over = padded({"ModelPackageGroupName": "default-over"}, DEFAULT_SAGEMAKER_LIMIT + 1)
    assert sagemaker_post(server, "CreateModelPackageGroup", over).status_code == 413

    at_limit = padded({"name": "default-rest-at-limit"}, DEFAULT_REST_LIMIT)
    assert rest_post(server, "/groups", at_limit).status_code == 201
    over = padded({"name": "default-rest-over"}, DEFAULT_REST_LIMIT + 1)
    assert rest_post(server, "/groups", over).status_code == 413

    assert group_exists(server, "default-at-limit")
    assert group_exists(server, "default-rest-at-limit")
    assert not group_exists(server, "default-over")
    assert not group_exists(server, "default-rest-over")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_default_limit_takes_the_largest_card_botocore_sends(server: RunningServer) -> None:
    # 100,000 characters outside the BMP: botocore escapes each as a surrogate pair
    # (\ud83d\ude00, 12 bytes), so the body is some 1.2 MB.
    emoji = "\U0001f600"
    details: dict[str, str] = {}
    document = {"additional_information": {"custom_details": details}}
    while len(json.dumps(document, ensure_ascii=False)) < 100_000 - 1100:
        details[f"d{len(details):02d}"] = emoji * 1024
    room = 100_000 - len(json.dumps(document, ensure_ascii=False)) - len(', "last": ""')
    details["last"] = emoji * room
    content = json.dumps(document, ensure_ascii=False)
    assert len(content) == 100_000
    assert len(json.dumps({"Content": content}).encode()) > 1_150_000

    client: Any = make_client(server.url)
    client.create_model_card(ModelCardName="largest", Content=content, ModelCardStatus="Draft")
    described = client.describe_model_card(ModelCardName="largest")
    assert described["Content"] == content
