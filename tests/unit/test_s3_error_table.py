"""The S3 door's one error table maps every error class of the domain, and every reason a
signature is refused, to exactly the S3 code and status written out here."""

from __future__ import annotations

import pytest

from cardinal.api.s3.errors import SIGNATURE_ERRORS, error_body, s3_error
from cardinal.api.signatures import Refusal
from cardinal.domain.errors import (
    AccessDenied,
    AlreadyExists,
    CardinalError,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NotAuthenticated,
    NotFound,
    StaleVersion,
    UnknownPageToken,
)
from cardinal.domain.export_artifacts import NoSuchBucket
from tests.unit.test_error_mapping import DOMAIN_ERRORS

S3: dict[type[CardinalError], tuple[str, int]] = {
    NotFound: ("NoSuchKey", 404),
    NoSuchBucket: ("NoSuchBucket", 404),
    AlreadyExists: ("InvalidRequest", 409),
    InvalidInput: ("InvalidArgument", 400),
    InvalidState: ("InvalidRequest", 409),
    StaleVersion: ("InvalidRequest", 409),
    LimitExceeded: ("InvalidArgument", 400),
    NotAuthenticated: ("InvalidAccessKeyId", 403),
    AccessDenied: ("AccessDenied", 403),
    UnknownPageToken: ("InvalidArgument", 400),
}

SIGNATURES: dict[Refusal, tuple[str, int]] = {
    Refusal.MISSING: ("AccessDenied", 403),
    Refusal.MALFORMED: ("AuthorizationHeaderMalformed", 400),
    Refusal.SECURITY_TOKEN: ("InvalidToken", 400),
    Refusal.UNKNOWN_KEY: ("InvalidAccessKeyId", 403),
    Refusal.CLOCK_SKEW: ("RequestTimeTooSkewed", 403),
    Refusal.PAYLOAD: ("XAmzContentSHA256Mismatch", 400),
    Refusal.MISMATCH: ("SignatureDoesNotMatch", 403),
}


def test_every_domain_error_has_an_expected_answer() -> None:
    assert set(DOMAIN_ERRORS) | {NoSuchBucket} == set(S3)


@pytest.mark.parametrize("cls", list(S3))
def test_each_error_maps_to_its_s3_code(cls: type[CardinalError]) -> None:
    assert s3_error(cls("no")) == S3[cls]


def test_every_signature_refusal_maps_to_its_s3_code() -> None:
    assert SIGNATURE_ERRORS == SIGNATURES
    assert set(SIGNATURE_ERRORS) == set(Refusal)


def test_the_error_body_is_xml_whatever_the_key_holds() -> None:
    body = error_body("NoSuchKey", "no <such> key\x00", "/b/k&\x01", "R1").decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>')
    assert "<Message>no &lt;such&gt; key\ufffd</Message>" in body
    assert "<Resource>/b/k&amp;\ufffd</Resource><RequestId>R1</RequestId>" in body
