"""The one table from Cardinal's errors, and from signature refusals, to S3's error codes and
HTTP statuses; and S3's XML error body."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

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
)
from cardinal.domain.export_artifacts import NoSuchBucket

S3_ERRORS: dict[type[CardinalError], tuple[str, int]] = {
    NotFound: ("NoSuchKey", 404),
    NoSuchBucket: ("NoSuchBucket", 404),
    AlreadyExists: ("InvalidRequest", 409),
    InvalidInput: ("InvalidArgument", 400),
    InvalidState: ("InvalidRequest", 409),
    LimitExceeded: ("InvalidArgument", 400),
    NotAuthenticated: ("InvalidAccessKeyId", 403),
    AccessDenied: ("AccessDenied", 403),
}

SIGNATURE_ERRORS: dict[Refusal, tuple[str, int]] = {
    Refusal.MISSING: ("AccessDenied", 403),
    Refusal.MALFORMED: ("AuthorizationHeaderMalformed", 400),
    Refusal.SECURITY_TOKEN: ("InvalidToken", 400),
    Refusal.UNKNOWN_KEY: ("InvalidAccessKeyId", 403),
    Refusal.CLOCK_SKEW: ("RequestTimeTooSkewed", 403),
    Refusal.PAYLOAD: ("XAmzContentSHA256Mismatch", 400),
    Refusal.MISMATCH: ("SignatureDoesNotMatch", 403),
}

# Characters XML 1.0 cannot carry, which a percent-decoded key may hold.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def s3_error(error: CardinalError) -> tuple[str, int]:
    """The S3 code and status of ``error``; KeyError for an unmapped class is a bug."""
    for cls in type(error).__mro__:
        if cls in S3_ERRORS:
            return S3_ERRORS[cls]
    raise KeyError(type(error).__name__)


def error_body(code: str, message: str, resource: str, request_id: str) -> bytes:
    """S3's ``<Error>`` document."""
    fields = {"Code": code, "Message": message, "Resource": resource, "RequestId": request_id}
    inner = "".join(f"<{name}>{_text(value)}</{name}>" for name, value in fields.items())
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Error>{inner}</Error>'.encode()


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", value))
