"""Signature Version 4 as S3 signs it (botocore's ``S3SigV4Auth``): the path exactly as sent,
below a path prefix too, and the payload hash the request declares."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from unittest import mock
from urllib.parse import urlsplit

import botocore.auth
import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from cardinal.api.signatures import (
    UNSIGNED_PAYLOAD,
    Refusal,
    SignatureRefused,
    SignedBy,
    read_credential,
    verify_signature,
)

AKID = "CRDKCARDINALTEST0001"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
NOW = datetime(2026, 12, 4, 10, 30, tzinfo=UTC)
# A key with a space, a doubled slash and a dot segment: S3 signs it as sent, unnormalized.
URL = "http://127.0.0.1:8765/s3/audits/2026//churn/./audit%201/churn-v1.pdf"


def signed(
    url: str = URL, *, service: str = "s3", unsigned_payload: bool = False
) -> dict[str, str]:
    request = AWSRequest(method="GET", url=url, headers={"Host": urlsplit(url).netloc})
    if unsigned_payload:
        request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    with mock.patch.object(botocore.auth.datetime, "datetime", wraps=datetime) as clock:
        clock.now.return_value = NOW.replace(tzinfo=None)
        clock.utcnow.return_value = NOW.replace(tzinfo=None)
        S3SigV4Auth(Credentials(AKID, SECRET), service, "eu-west-1").add_auth(request)
    return dict(request.headers.items())


def verify(
    headers: dict[str, str],
    *,
    s3: bool = True,
    secret: str = SECRET,
    service: str | None = None,
) -> SignedBy:
    return verify_signature(
        method="GET",
        path=urlsplit(URL).path,
        query=b"",
        headers=list(headers.items()),
        body=b"",
        now=NOW,
        secret_for=lambda key: secret if key == AKID else None,
        s3=s3,
        service=service,
    )


def refusal(headers: dict[str, str], *, s3: bool = True, secret: str = SECRET) -> SignatureRefused:
    with pytest.raises(SignatureRefused) as caught:
        verify(headers, s3=s3, secret=secret)
    return caught.value


def test_a_request_signed_as_s3_signs_holds_with_its_path_as_sent() -> None:
    headers = signed()
    assert verify(headers, service="s3") == SignedBy(AKID, "eu-west-1", "s3")
    # Normalizing the path, as for a JSON-protocol service, breaks the signature.
    assert refusal(headers, s3=False).reason is Refusal.MISMATCH


def test_an_unsigned_payload_is_accepted_as_declared() -> None:
    headers = signed(unsigned_payload=True)
    assert headers["X-Amz-Content-SHA256"] == UNSIGNED_PAYLOAD
    assert verify(headers).access_key_id == AKID


def test_s3_requires_the_payload_hash_header_and_it_must_be_the_bodys() -> None:
    headers = signed()
    missing = {k: v for k, v in headers.items() if k != "X-Amz-Content-SHA256"}
    assert refusal(missing).reason is Refusal.MALFORMED
    assert "x-amz-content-sha256" in refusal(missing).message
    wrong = {**headers, "X-Amz-Content-SHA256": "0" * 64}
    assert refusal(wrong).reason is Refusal.PAYLOAD


def test_a_signature_for_another_service_is_refused_before_any_secret_is_read() -> None:
    headers = signed(service="sagemaker")
    looked_up: list[str] = []

    def secret_for(key: str) -> str:
        looked_up.append(key)
        return SECRET

    with pytest.raises(SignatureRefused) as caught:
        verify_signature(
            method="GET", path=urlsplit(URL).path, query=b"", headers=list(headers.items()),
            body=b"", now=NOW, secret_for=secret_for, s3=True, service="s3",
        )  # fmt: skip
    assert caught.value.reason is Refusal.MALFORMED
    assert "'sagemaker'" in caught.value.message
    assert looked_up == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda h: {k: v for k, v in h.items() if k != "Authorization"}, Refusal.MISSING),
        (lambda h: {**h, "X-Amz-Security-Token": "t"}, Refusal.SECURITY_TOKEN),
        (lambda h: {**h, "X-Amz-Date": "20261204T120000Z"}, Refusal.CLOCK_SKEW),
    ],
)
def test_each_refusal_says_why(
    change: Callable[[dict[str, str]], dict[str, str]], reason: Refusal
) -> None:
    assert refusal(change(signed())).reason is reason


def test_an_unknown_key_and_a_wrong_secret_are_told_apart() -> None:
    assert refusal(signed(), secret="other").reason is Refusal.MISMATCH
    headers = signed()
    headers["Authorization"] = headers["Authorization"].replace(AKID, "CRDKNOSUCHKEY0000000")
    assert refusal(headers).reason is Refusal.UNKNOWN_KEY


def test_the_credential_a_header_names_is_read_without_a_secret() -> None:
    named = read_credential(signed()["Authorization"])
    assert named == SignedBy(AKID, "eu-west-1", "s3")
    with pytest.raises(SignatureRefused) as caught:
        read_credential(None)
    assert caught.value.reason is Refusal.MISSING
    with pytest.raises(SignatureRefused) as caught:
        read_credential("AWS4-HMAC-SHA256 Credential=x")
    assert caught.value.reason is Refusal.MALFORMED
