"""Signature Version 4 verification against requests botocore signs."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from unittest import mock
from urllib.parse import quote, urlsplit

import botocore.auth
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from cardinal.api.signatures import (
    MAX_CLOCK_SKEW,
    SignatureRefused,
    SignedBy,
    verify_signature,
)

AKID = "AKIACARDINALTEST0001"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
NOW = datetime(2026, 12, 4, 10, 30, tzinfo=UTC)
URL = "http://127.0.0.1:8765/"
BODY = b'{"MaxResults": 10}'
SIGNED_HEADERS = "content-type;host;x-amz-date;x-amz-target"
CREDENTIAL = f"{AKID}/20261204/us-east-1/sagemaker/aws4_request"
ZEROS = "0" * 64

MISSING = (
    "The request must contain either a valid (registered) AWS access key ID or X.509 certificate."
)
UNRECOGNIZED = "The security token included in the request is invalid."
MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
PAYLOAD_MISMATCH = "The provided 'x-amz-content-sha256' header does not match what was computed."


@dataclass(frozen=True)
class Wire:
    """A request as the server receives it."""

    method: str
    path: str
    query: bytes
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str:
        [value] = [v for n, v in self.headers if n.lower() == name.lower()]
        return value

    def without(self, name: str) -> Wire:
        return replace(
            self, headers=tuple((n, v) for n, v in self.headers if n.lower() != name.lower())
        )

    def with_header(self, name: str, value: str) -> Wire:
        return replace(self, headers=(*self.without(name).headers, (name, value)))

    def with_authorization(
        self,
        *,
        credential: str = CREDENTIAL,
        signed_headers: str = SIGNED_HEADERS,
        signature: str = ZEROS,
    ) -> Wire:
        return self.with_header(
            "Authorization",
            f"AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders={signed_headers}, "
            f"Signature={signature}",
        )


class Keys:
    """``secret_for``, remembering what it was asked."""

    def __init__(self, keys: dict[str, str] | None = None) -> None:
        self.keys = {AKID: SECRET} if keys is None else keys
        self.asked: list[str] = []

    def __call__(self, access_key_id: str) -> str | None:
        self.asked.append(access_key_id)
        return self.keys.get(access_key_id)


def sign(
    *,
    url: str = URL,
    body: bytes = BODY,
    headers: Sequence[tuple[str, str]] = (),
    params: dict[str, str] | None = None,
    at: datetime = NOW,
    secret: str = SECRET,
    token: str | None = None,
) -> Wire:
    request = AWSRequest(
        method="POST",
        url=url,
        data=body,
        headers={
            "X-Amz-Target": "SageMaker.ListModelCards",
            "Content-Type": "application/x-amz-json-1.1",
        },
        params=params,
    )
    for name, value in headers:
        request.headers[name] = value
    with mock.patch.object(
        botocore.auth, "get_current_datetime", return_value=at.replace(tzinfo=None)
    ):
        SigV4Auth(Credentials(AKID, secret, token), "sagemaker", "us-east-1").add_auth(request)
    prepared = request.prepare()
    parts = urlsplit(prepared.url)
    added_by_prepare = [(n, v) for n, v in prepared.headers.items() if n not in request.headers]
    return Wire(
        method=prepared.method,
        path=quote(parts.path, safe="/%~"),
        query=parts.query.encode(),
        headers=(("Host", parts.netloc), *request.headers.items(), *added_by_prepare),
        body=prepared.body,
    )


def verify(wire: Wire, *, now: datetime = NOW, keys: Keys | None = None) -> SignedBy:
    return verify_signature(
        method=wire.method,
        path=wire.path,
        query=wire.query,
        headers=wire.headers,
        body=wire.body,
        now=now,
        secret_for=Keys() if keys is None else keys,
    )


def refusal(wire: Wire, *, now: datetime = NOW, keys: Keys | None = None) -> SignatureRefused:
    with pytest.raises(SignatureRefused) as caught:
        verify(wire, now=now, keys=keys)
    return caught.value


def assert_refused(refused: SignatureRefused, code: str, status: int, message: str) -> None:
    assert (refused.code, refused.status, refused.message) == (code, status, message)


def test_a_botocore_signature_names_its_key_region_and_service() -> None:
    keys = Keys()
    wire = sign()
    assert wire.header("Authorization").startswith(f"AWS4-HMAC-SHA256 Credential={CREDENTIAL}")
    assert verify(wire, keys=keys) == SignedBy(AKID, "us-east-1", "sagemaker")
    assert keys.asked == [AKID]


def test_the_scope_region_and_service_are_reported_as_signed() -> None:
    request = AWSRequest(method="POST", url=URL, data=BODY, headers={"X-Amz-Target": "x"})
    with mock.patch.object(
        botocore.auth, "get_current_datetime", return_value=NOW.replace(tzinfo=None)
    ):
        SigV4Auth(Credentials(AKID, SECRET), "execute-api", "eu-west-3").add_auth(request)
    headers = (("Host", "127.0.0.1:8765"), *request.headers.items())
    signed_by = verify_signature(
        method="POST",
        path="/",
        query="",
        headers=headers,
        body=BODY,
        now=NOW,
        secret_for=Keys(),
    )
    assert signed_by == SignedBy(AKID, "eu-west-3", "execute-api")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765/a b/../c",
        "http://127.0.0.1:8765//x",
        "http://127.0.0.1:8765/models/./my%20card//v1/",
        "http://127.0.0.1:8765/a/b/../../../c",
        "http://127.0.0.1:8765/?b=2&a=1&a=0&c=",
        "http://127.0.0.1:8765/x?Name=a%20b~c&%C3%A9=%C3%BC&flag",
    ],
)
def test_odd_paths_and_query_strings_signed_by_botocore_are_accepted(url: str) -> None:
    assert verify(sign(url=url)).access_key_id == AKID


def test_query_parameters_are_canonicalised_as_botocore_signs_them() -> None:
    params = {"q": "a b", "tilde": "x~y", "plus": "1+1", "é": "ü", "empty": "", "slash": "a/b"}
    wire = sign(params=params)
    assert b"q=a+b" in wire.query
    assert verify(wire).access_key_id == AKID
    assert verify(replace(wire, query=wire.query.decode())).access_key_id == AKID


def test_a_changed_query_string_is_refused() -> None:
    wire = sign(url="http://127.0.0.1:8765/?a=1&b=2")
    assert verify(replace(wire, query=b"b=2&a=1")).access_key_id == AKID
    assert_refused(
        refusal(replace(wire, query=b"a=1&b=3")), "InvalidSignatureException", 400, MISMATCH
    )


def test_the_path_is_encoded_twice_as_for_every_service_but_s3() -> None:
    wire = sign(url="http://127.0.0.1:8765/models/my%20card")
    assert wire.path == "/models/my%20card"
    assert verify(wire).access_key_id == AKID
    assert verify(replace(wire, path="/models//./my%20card")).access_key_id == AKID
    for path in ["/models/my card", "/models/my%2520card", "/models/other", "/"]:
        assert_refused(
            refusal(replace(wire, path=path)), "InvalidSignatureException", 400, MISMATCH
        )


def test_header_values_are_trimmed_and_inner_spaces_collapsed() -> None:
    wire = sign(headers=[("X-Cardinal-Note", "several   inner    spaces")])
    assert wire.header("X-Cardinal-Note") == "several   inner    spaces"
    assert verify(wire).access_key_id == AKID
    assert verify(wire.with_header("X-Cardinal-Note", "several inner spaces")).access_key_id
    assert_refused(
        refusal(wire.with_header("X-Cardinal-Note", "severalinner spaces")),
        "InvalidSignatureException",
        400,
        MISMATCH,
    )


def test_a_repeated_header_is_signed_as_its_values_joined_in_order() -> None:
    wire = sign(headers=[("X-Cardinal-Tag", "one"), ("X-Cardinal-Tag", "two")])
    assert verify(wire).access_key_id == AKID
    swapped = replace(
        wire.without("X-Cardinal-Tag"),
        headers=(*wire.without("X-Cardinal-Tag").headers, ("x-cardinal-tag", "two")),
    )
    swapped = replace(swapped, headers=(*swapped.headers, ("X-CARDINAL-TAG", "one")))
    assert_refused(refusal(swapped), "InvalidSignatureException", 400, MISMATCH)


def test_header_names_are_matched_in_any_case() -> None:
    wire = sign()
    renamed = replace(wire, headers=tuple((n.upper(), v) for n, v in wire.headers))
    assert verify(renamed).access_key_id == AKID


@pytest.mark.parametrize("authorization", [None, "", "   "])
def test_an_unsigned_request_is_refused(authorization: str | None) -> None:
    keys = Keys()
    wire = sign().without("Authorization")
    if authorization is not None:
        wire = wire.with_header("Authorization", authorization)
    assert_refused(refusal(wire, keys=keys), "MissingAuthenticationToken", 403, MISSING)
    assert keys.asked == []


def test_a_presigned_query_is_not_authentication() -> None:
    wire = sign().without("Authorization")
    query = f"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={CREDENTIAL}".encode()
    assert_refused(refusal(replace(wire, query=query)), "MissingAuthenticationToken", 403, MISSING)


def test_an_unknown_access_key_is_refused() -> None:
    keys = Keys({})
    assert_refused(refusal(sign(), keys=keys), "UnrecognizedClientException", 400, UNRECOGNIZED)
    assert keys.asked == [AKID]


def test_a_signature_made_with_another_secret_is_refused() -> None:
    wire = sign(secret="not-the-secret")
    assert_refused(refusal(wire), "InvalidSignatureException", 400, MISMATCH)


def test_a_body_changed_after_signing_is_refused() -> None:
    wire = sign()
    for body in [b'{"MaxResults": 11}', b"", BODY + b" "]:
        assert_refused(
            refusal(replace(wire, body=body)), "InvalidSignatureException", 400, MISMATCH
        )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("X-Amz-Target", "SageMaker.DeleteModelCard"),
        ("Host", "127.0.0.1:8766"),
        ("Content-Type", "application/json"),
    ],
)
def test_a_signed_header_changed_after_signing_is_refused(name: str, value: str) -> None:
    wire = sign().with_header(name, value)
    assert_refused(refusal(wire), "InvalidSignatureException", 400, MISMATCH)


def test_a_changed_method_is_refused() -> None:
    assert_refused(
        refusal(replace(sign(), method="PUT")), "InvalidSignatureException", 400, MISMATCH
    )


def test_headers_that_were_not_signed_may_change() -> None:
    wire = sign().with_header("User-Agent", "something/1.0").with_header("Content-Length", "99")
    assert verify(wire).access_key_id == AKID


@pytest.mark.parametrize(
    ("signed_at", "now", "message"),
    [
        (
            datetime(2026, 12, 4, 10, 0, tzinfo=UTC),
            datetime(2026, 12, 4, 10, 35, tzinfo=UTC),
            "Signature expired: 20261204T100000Z is now earlier than 20261204T102000Z "
            "(20261204T103500Z - 15 min.)",
        ),
        (
            NOW - timedelta(minutes=20),
            NOW,
            "Signature expired: 20261204T101000Z is now earlier than 20261204T101500Z "
            "(20261204T103000Z - 15 min.)",
        ),
        (
            datetime(2026, 12, 4, 11, 0, tzinfo=UTC),
            NOW,
            "Signature not yet current: 20261204T110000Z is still later than 20261204T104500Z "
            "(20261204T103000Z + 15 min.)",
        ),
        (
            NOW + timedelta(minutes=20),
            NOW,
            "Signature not yet current: 20261204T105000Z is still later than 20261204T104500Z "
            "(20261204T103000Z + 15 min.)",
        ),
    ],
)
def test_a_signature_outside_the_clock_skew_is_refused(
    signed_at: datetime, now: datetime, message: str
) -> None:
    keys = Keys({})
    refused = refusal(sign(at=signed_at), now=now, keys=keys)
    assert_refused(refused, "InvalidSignatureException", 400, message)
    assert keys.asked == []


@pytest.mark.parametrize(
    "age",
    [
        timedelta(minutes=14),
        -timedelta(minutes=14),
        MAX_CLOCK_SKEW,
        -MAX_CLOCK_SKEW,
        timedelta(0),
    ],
)
def test_a_signature_within_the_clock_skew_is_accepted(age: timedelta) -> None:
    assert verify(sign(at=NOW - age)).access_key_id == AKID


def test_the_clock_skew_is_fifteen_minutes() -> None:
    assert timedelta(minutes=15) == MAX_CLOCK_SKEW
    wire = sign(at=NOW - MAX_CLOCK_SKEW - timedelta(seconds=1))
    assert refusal(wire).message.startswith("Signature expired: 20261204T101459Z")


def test_now_may_be_given_in_any_timezone_but_must_be_aware() -> None:
    paris = NOW.astimezone(timezone(timedelta(hours=1)))
    assert verify(sign(), now=paris).access_key_id == AKID
    with pytest.raises(ValueError, match="aware"):
        verify(sign(), now=NOW.replace(tzinfo=None))


def test_a_credential_scope_for_another_date_is_refused() -> None:
    keys = Keys()
    wire = sign()
    authorization = wire.header("Authorization").replace("/20261204/", "/20261203/")
    refused = refusal(wire.with_header("Authorization", authorization), keys=keys)
    assert_refused(
        refused,
        "InvalidSignatureException",
        400,
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '20261203' != '20261204', from '20261204T103000Z'.",
    )
    assert keys.asked == []


def test_a_signature_across_midnight_uses_the_date_of_the_request() -> None:
    at = datetime(2026, 12, 4, 23, 59, 59, tzinfo=UTC)
    wire = sign(at=at)
    assert "/20261204/" in wire.header("Authorization")
    assert verify(wire, now=at + timedelta(minutes=5)).access_key_id == AKID


def test_host_must_be_signed() -> None:
    wire = sign().with_authorization(signed_headers="content-type;x-amz-date;x-amz-target")
    assert_refused(
        refusal(wire),
        "IncompleteSignature",
        400,
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    )


def test_the_request_time_must_be_given() -> None:
    wire = sign().without("X-Amz-Date")
    assert_refused(
        refusal(wire),
        "IncompleteSignature",
        400,
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    )


def test_the_request_time_must_be_signed() -> None:
    wire = sign().with_authorization(signed_headers="content-type;host;x-amz-target")
    assert_refused(
        refusal(wire),
        "IncompleteSignature",
        400,
        "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
    )


@pytest.mark.parametrize("value", ["2026-12-04T10:30:00Z", "20261304T103000Z", "20261204T1030Z"])
def test_an_unreadable_request_time_is_refused(value: str) -> None:
    refused = refusal(sign().with_header("X-Amz-Date", value))
    assert (refused.code, refused.status) == ("IncompleteSignature", 400)
    assert refused.message.startswith("X-Amz-Date must be in the ISO-8601 basic format")


def test_a_signed_header_absent_from_the_request_is_refused() -> None:
    wire = sign().with_authorization(signed_headers=f"{SIGNED_HEADERS};x-cardinal-missing")
    assert_refused(
        refusal(wire),
        "IncompleteSignature",
        400,
        "Signed header 'x-cardinal-missing' is not present in the request.",
    )


def test_a_request_dated_by_its_date_header_is_accepted() -> None:
    wire = sign(headers=[("Date", "placeholder")])
    assert wire.header("Date") == "Fri, 04 Dec 2026 10:30:00 -0000"
    assert "x-amz-date" not in wire.header("Authorization")
    assert verify(wire).access_key_id == AKID
    old = sign(headers=[("Date", "placeholder")], at=NOW - timedelta(minutes=20))
    assert refusal(old).message.startswith("Signature expired: 20261204T101000Z")
    unsigned = wire.with_authorization(signed_headers="content-type;host;x-amz-target")
    assert refusal(unsigned).message == (
        "'Date' must be a 'SignedHeader' in the AWS Authorization."
    )


@pytest.mark.parametrize(
    "value", ["yesterday", "Fri, 04 Dec 2026", "Fri, 31 Dec 9999 23:59:59 -0100"]
)
def test_an_unreadable_date_header_is_refused(value: str) -> None:
    wire = sign(headers=[("Date", "placeholder")]).with_header("Date", value)
    refused = refusal(wire)
    assert (refused.code, refused.status) == ("IncompleteSignature", 400)
    assert refused.message == (
        f"Date must be an RFC 1123 date such as 'Fri, 04 Dec 2026 10:30:00 GMT': '{value}'."
    )


def credential_malformed(credential: str) -> str:
    return (
        "Authorization header's 'Credential' parameter is malformed; expecting "
        f"'<access key id>/YYYYMMDD/<region>/<service>/aws4_request', not '{credential}'."
    )


SIGNATURE_MALFORMED = (
    "Authorization header's 'Signature' parameter must be 64 lowercase hexadecimal digits."
)


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        (
            f"AWS4-HMAC-SHA1 Credential={CREDENTIAL}, SignedHeaders={SIGNED_HEADERS}, "
            f"Signature={ZEROS}",
            "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1'",
        ),
        ("Bearer abc.def", "Unsupported AWS 'algorithm': 'Bearer'"),
        (
            f"AWS4-HMAC-SHA256 Credential={CREDENTIAL}, SignedHeaders={SIGNED_HEADERS}",
            "Authorization header requires 'Signature' parameter.",
        ),
        (
            f"AWS4-HMAC-SHA256 SignedHeaders={SIGNED_HEADERS}, Signature={ZEROS}",
            "Authorization header requires 'Credential' parameter.",
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={CREDENTIAL}, Signature={ZEROS}",
            "Authorization header requires 'SignedHeaders' parameter.",
        ),
        (
            "AWS4-HMAC-SHA256",
            "Authorization header requires 'Credential' parameter. "
            "Authorization header requires 'SignedHeaders' parameter. "
            "Authorization header requires 'Signature' parameter.",
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={AKID}/20261204/us-east-1/sagemaker, "
            f"SignedHeaders={SIGNED_HEADERS}, Signature={ZEROS}",
            credential_malformed(f"{AKID}/20261204/us-east-1/sagemaker"),
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={AKID}/20261204/us-east-1/sagemaker/aws5_request, "
            f"SignedHeaders={SIGNED_HEADERS}, Signature={ZEROS}",
            credential_malformed(f"{AKID}/20261204/us-east-1/sagemaker/aws5_request"),
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={AKID}/2026-12-04/us-east-1/sagemaker/aws4_request, "
            f"SignedHeaders={SIGNED_HEADERS}, Signature={ZEROS}",
            credential_malformed(f"{AKID}/2026-12-04/us-east-1/sagemaker/aws4_request"),
        ),
        (
            "AWS4-HMAC-SHA256 Credential=/20261204/us-east-1/sagemaker/aws4_request, "
            f"SignedHeaders={SIGNED_HEADERS}, Signature={ZEROS}",
            credential_malformed("/20261204/us-east-1/sagemaker/aws4_request"),
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={CREDENTIAL}, SignedHeaders=host;;x-amz-date, "
            f"Signature={ZEROS}",
            "Authorization header's 'SignedHeaders' parameter is malformed: 'host;;x-amz-date'.",
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={CREDENTIAL}, SignedHeaders={SIGNED_HEADERS}, "
            f"Signature={'A' * 64}",
            SIGNATURE_MALFORMED,
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={CREDENTIAL}, SignedHeaders={SIGNED_HEADERS}, "
            f"Signature={ZEROS[:-1]}",
            SIGNATURE_MALFORMED,
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={CREDENTIAL}, SignedHeaders={SIGNED_HEADERS}, "
            f"Signature={'é' * 64}",
            SIGNATURE_MALFORMED,
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={CREDENTIAL}, SignedHeaders={SIGNED_HEADERS}, "
            f"Signature={ZEROS}, Signature={ZEROS}",
            "Authorization header repeats the 'Signature' parameter.",
        ),
        (
            f"AWS4-HMAC-SHA256 Credential={CREDENTIAL}, SignedHeaders={SIGNED_HEADERS}, "
            f"Signature={ZEROS}, Extra=1",
            "Authorization header has a malformed component: 'Extra=1'; expecting "
            "Credential=..., SignedHeaders=... and Signature=...",
        ),
        (
            f"AWS4-HMAC-SHA256 Credential {CREDENTIAL}, SignedHeaders={SIGNED_HEADERS}, "
            f"Signature={ZEROS}",
            f"Authorization header has a malformed component: 'Credential {CREDENTIAL}'; "
            "expecting Credential=..., SignedHeaders=... and Signature=...",
        ),
    ],
)
def test_a_malformed_authorization_header_is_refused(authorization: str, message: str) -> None:
    keys = Keys()
    wire = sign().with_header("Authorization", authorization)
    assert_refused(refusal(wire, keys=keys), "IncompleteSignature", 400, message)
    assert keys.asked == []


def test_authorization_components_may_come_in_any_order_with_or_without_spaces() -> None:
    wire = sign()
    _, _, rest = wire.header("Authorization").partition(" ")
    credential, signed_headers, signature = rest.split(", ")
    reordered = f"AWS4-HMAC-SHA256 {signature},{credential} ,  {signed_headers}"
    assert verify(wire.with_header("Authorization", reordered)).access_key_id == AKID


def test_two_authorization_headers_are_refused() -> None:
    wire = sign()
    doubled = replace(
        wire, headers=(*wire.headers, ("authorization", wire.header("Authorization")))
    )
    assert_refused(
        refusal(doubled),
        "IncompleteSignature",
        400,
        "The request has more than one 'authorization' header.",
    )


def test_a_session_token_is_refused_before_anything_else_is_checked() -> None:
    keys = Keys()
    wire = sign(token="FwoGZXIvYXdzEBYaDHqa0AP", at=NOW - timedelta(hours=2))
    assert "x-amz-security-token" in wire.header("Authorization")
    assert_refused(refusal(wire, keys=keys), "UnrecognizedClientException", 400, UNRECOGNIZED)
    assert keys.asked == []


def test_a_content_sha256_header_must_match_the_body() -> None:
    keys = Keys()
    other = hashlib.sha256(b"something else").hexdigest()
    wire = sign(headers=[("X-Amz-Content-SHA256", other)])
    assert_refused(refusal(wire, keys=keys), "InvalidSignatureException", 400, PAYLOAD_MISMATCH)
    assert keys.asked == []


def test_an_unsigned_payload_is_refused_since_the_payload_hash_comes_from_the_body() -> None:
    wire = sign(headers=[("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")])
    assert_refused(refusal(wire), "InvalidSignatureException", 400, PAYLOAD_MISMATCH)


def test_a_matching_content_sha256_header_is_accepted() -> None:
    wire = sign(headers=[("X-Amz-Content-SHA256", hashlib.sha256(BODY).hexdigest())])
    assert verify(wire).access_key_id == AKID


def test_a_non_ascii_header_value_is_signed_as_utf8() -> None:
    wire = sign(headers=[("X-Cardinal-Note", "café déjà vu ß")])
    assert verify(wire).access_key_id == AKID
    assert_refused(
        refusal(wire.with_header("X-Cardinal-Note", "cafe deja vu ss")),
        "InvalidSignatureException",
        400,
        MISMATCH,
    )


def test_non_ascii_where_ascii_is_expected_is_refused_not_crashed() -> None:
    wire = sign()
    authorization = wire.header("Authorization").replace(AKID, "AKIAÉTÉ")
    assert_refused(
        refusal(wire.with_header("Authorization", authorization)),
        "UnrecognizedClientException",
        400,
        UNRECOGNIZED,
    )
    assert_refused(
        refusal(replace(wire, path="/modèles/\udce9", query=b"\xff=\xfe")),
        "InvalidSignatureException",
        400,
        MISMATCH,
    )


def test_a_refusal_carries_its_code_message_and_status() -> None:
    refused = SignatureRefused("InvalidSignatureException", "no", 400)
    assert (refused.code, refused.message, refused.status, str(refused)) == (
        "InvalidSignatureException",
        "no",
        400,
        "no",
    )
