"""Verification of AWS Signature Version 4, for every door that takes signed requests.

One pure function, ``verify_signature``: it recomputes the signature of a request as received
and either names the access key that signed it or refuses it, saying why (a ``Refusal``) with the
error code, message and status a JSON-protocol AWS service (SageMaker) would answer; a door of
another protocol renders the same refusal in its own codes.

Two flavours, as botocore signs them: a JSON-protocol service's (``SigV4Auth``: the path
normalized, the body hashed) and S3's (``S3SigV4Auth``: the path exactly as sent, the payload
hash taken from the ``x-amz-content-sha256`` header the request must carry, which may be
``UNSIGNED-PAYLOAD``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum
from urllib.parse import quote, unquote_to_bytes

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_CLOCK_SKEW = timedelta(minutes=15)

_BASIC_FORMAT = "%Y%m%dT%H%M%SZ"
_BASIC_TIME = re.compile(r"[0-9]{8}T[0-9]{6}Z")
_SCOPE_DATE = re.compile(r"[0-9]{8}")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")
_PARAMETERS = ("Credential", "SignedHeaders", "Signature")
_TERMINATOR = "aws4_request"

_MISSING = (
    "The request must contain either a valid (registered) AWS access key ID or X.509 certificate."
)
_UNRECOGNIZED = "The security token included in the request is invalid."
_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
_PAYLOAD_MISMATCH = "The provided 'x-amz-content-sha256' header does not match what was computed."
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"


class Refusal(StrEnum):
    """Why a request's signature does not hold, whatever the door's words for it."""

    MISSING = "missing"  # no Authorization header
    MALFORMED = "malformed"  # the Authorization header or a signed header is not as required
    SECURITY_TOKEN = "security-token"  # a session token, which Cardinal never issues
    UNKNOWN_KEY = "unknown-key"  # no such access key
    CLOCK_SKEW = "clock-skew"  # signed too long before or after now
    PAYLOAD = "payload"  # the declared payload hash is not the body's
    MISMATCH = "mismatch"  # the signature is not the one the key's secret makes


@dataclass(frozen=True)
class SignedBy:
    """The access key that signed a request, and the region and service of its credential scope."""

    access_key_id: str
    region: str
    service: str


class SignatureRefused(Exception):
    """A request refused for its signature: the AWS error code, message and HTTP status."""

    def __init__(
        self, code: str, message: str, status: int, reason: Refusal = Refusal.MALFORMED
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class _Authorization:
    access_key_id: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str

    @property
    def scope(self) -> str:
        return f"{self.date}/{self.region}/{self.service}/{_TERMINATOR}"


def verify_signature(
    *,
    method: str,
    path: str,
    query: bytes | str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    now: datetime,
    secret_for: Callable[[str], str | None],
    s3: bool = False,
    service: str | None = None,
) -> SignedBy:
    """Who signed this request, or ``SignatureRefused`` saying why it is not validly signed.

    ``path`` and ``query`` are as on the wire (percent-encoded); header values are the strings
    the server decoded (ASGI servers decode them as Latin-1, as HTTP clients encode them).
    ``now`` must be timezone-aware. ``s3``: signed as S3 signs (see the module's docstring).
    ``service``: the service the credential scope must name, when the door requires one.
    Checks that need no secret run before ``secret_for``.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    received: dict[str, list[str]] = {}
    for name, value in headers:
        received.setdefault(name.lower(), []).append(value)

    authorization = _single(received, "authorization")
    if authorization is None or not authorization.strip():
        raise SignatureRefused("MissingAuthenticationToken", _MISSING, 403, Refusal.MISSING)
    auth = _parse_authorization(authorization)
    if service is not None and auth.service != service:
        raise _incomplete(
            f"The credential scope names the service '{auth.service}'; requests to this "
            f"endpoint are signed for '{service}'."
        )
    if "host" not in auth.signed_headers:
        raise _incomplete(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        )
    if "x-amz-security-token" in received:
        raise SignatureRefused(
            "UnrecognizedClientException", _UNRECOGNIZED, 400, Refusal.SECURITY_TOKEN
        )

    request_time = _request_time(received, auth.signed_headers)
    for name in auth.signed_headers:
        if name not in received:
            raise _incomplete(f"Signed header '{name}' is not present in the request.")
    _check_clock_skew(request_time, now)
    signed_at = _basic(request_time)
    if auth.date != signed_at[:8]:
        raise _invalid(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: '{auth.date}' != '{signed_at[:8]}', from '{signed_at}'."
        )
    payload_hash = _payload_hash(received, body, s3)

    secret = secret_for(auth.access_key_id)
    if secret is None:
        raise SignatureRefused(
            "UnrecognizedClientException", _UNRECOGNIZED, 400, Refusal.UNKNOWN_KEY
        )

    canonical_request = "\n".join(
        [
            method.upper(),
            path if s3 else _canonical_uri(path),
            _canonical_query(query),
            _canonical_headers(received, auth.signed_headers),
            ";".join(auth.signed_headers),
            payload_hash,
        ]
    )
    string_to_sign = "\n".join(
        [ALGORITHM, signed_at, auth.scope, hashlib.sha256(_utf8(canonical_request)).hexdigest()]
    )
    key = _utf8(f"AWS4{secret}")
    for part in (auth.date, auth.region, auth.service, _TERMINATOR):
        key = hmac.new(key, _utf8(part), hashlib.sha256).digest()
    expected = hmac.new(key, _utf8(string_to_sign), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, auth.signature):
        raise _invalid(_MISMATCH, Refusal.MISMATCH)
    return SignedBy(auth.access_key_id, auth.region, auth.service)


def _payload_hash(received: dict[str, list[str]], body: bytes, s3: bool) -> str:
    """The payload hash the canonical request ends with: the body's SHA-256, which a declared
    ``x-amz-content-sha256`` must equal; for S3, the declared value, which may be
    ``UNSIGNED-PAYLOAD``."""
    computed = hashlib.sha256(body).hexdigest()
    declared = _single(received, "x-amz-content-sha256")
    if declared is None:
        if s3:
            raise _incomplete("Missing required header for this request: x-amz-content-sha256.")
        return computed
    if s3 and declared.strip() == UNSIGNED_PAYLOAD:
        return UNSIGNED_PAYLOAD
    if declared.strip() != computed:
        raise _invalid(_PAYLOAD_MISMATCH, Refusal.PAYLOAD)
    return computed


def read_credential(authorization: str | None) -> SignedBy:
    """The access key, region and service an ``Authorization`` header names, unverified (for
    open mode, where callers name themselves); ``SignatureRefused`` when there is none or it is
    not a well-formed SigV4 header."""
    if authorization is None or not authorization.strip():
        raise SignatureRefused("MissingAuthenticationToken", _MISSING, 403, Refusal.MISSING)
    auth = _parse_authorization(authorization)
    return SignedBy(auth.access_key_id, auth.region, auth.service)


def _parse_authorization(value: str) -> _Authorization:
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise _incomplete(f"Unsupported AWS 'algorithm': '{algorithm}'")
    parameters: dict[str, str] = {}
    for component in (part.strip() for part in rest.split(",")):
        if not component:
            continue
        key, equals, parameter = component.partition("=")
        if not equals or key not in _PARAMETERS:
            raise _incomplete(
                f"Authorization header has a malformed component: '{component}'; expecting "
                "Credential=..., SignedHeaders=... and Signature=..."
            )
        if key in parameters:
            raise _incomplete(f"Authorization header repeats the '{key}' parameter.")
        parameters[key] = parameter
    missing = [
        f"Authorization header requires '{key}' parameter."
        for key in _PARAMETERS
        if key not in parameters
    ]
    if missing:
        raise _incomplete(" ".join(missing))

    credential = parameters["Credential"]
    scope = credential.split("/")
    if (
        len(scope) != 5
        or not all(scope)
        or not _SCOPE_DATE.fullmatch(scope[1])
        or scope[4] != _TERMINATOR
    ):
        raise _incomplete(
            "Authorization header's 'Credential' parameter is malformed; expecting "
            f"'<access key id>/YYYYMMDD/<region>/<service>/aws4_request', not '{credential}'."
        )
    signed_headers = tuple(name.lower() for name in parameters["SignedHeaders"].split(";"))
    if not all(signed_headers):
        raise _incomplete(
            "Authorization header's 'SignedHeaders' parameter is malformed: "
            f"'{parameters['SignedHeaders']}'."
        )
    if not _SIGNATURE.fullmatch(parameters["Signature"]):
        raise _incomplete(
            "Authorization header's 'Signature' parameter must be 64 lowercase hexadecimal digits."
        )
    access_key_id, date, region, service, _ = scope
    return _Authorization(
        access_key_id, date, region, service, signed_headers, parameters["Signature"]
    )


def _request_time(received: dict[str, list[str]], signed_headers: tuple[str, ...]) -> datetime:
    amz_date = _single(received, "x-amz-date")
    if amz_date is not None:
        _require_signed("X-Amz-Date", signed_headers)
        if _BASIC_TIME.fullmatch(amz_date.strip()):
            try:
                return datetime.strptime(amz_date.strip(), _BASIC_FORMAT).replace(tzinfo=UTC)
            except ValueError:
                pass
        raise _incomplete(
            f"X-Amz-Date must be in the ISO-8601 basic format YYYYMMDD'T'HHMMSS'Z': '{amz_date}'."
        )
    date = _single(received, "date")
    if date is None:
        raise _incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        )
    _require_signed("Date", signed_headers)
    try:
        parsed = parsedate_to_datetime(date)
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        raise _incomplete(
            f"Date must be an RFC 1123 date such as 'Fri, 04 Dec 2026 10:30:00 GMT': '{date}'."
        ) from None


def _require_signed(header: str, signed_headers: tuple[str, ...]) -> None:
    if header.lower() not in signed_headers:
        raise _incomplete(f"'{header}' must be a 'SignedHeader' in the AWS Authorization.")


def _check_clock_skew(request_time: datetime, now: datetime) -> None:
    current = now.astimezone(UTC).replace(microsecond=0)
    earliest = current - MAX_CLOCK_SKEW
    latest = current + MAX_CLOCK_SKEW
    minutes = int(MAX_CLOCK_SKEW.total_seconds() // 60)
    if request_time < earliest:
        raise _skewed(
            f"Signature expired: {_basic(request_time)} is now earlier than {_basic(earliest)} "
            f"({_basic(current)} - {minutes} min.)"
        )
    if request_time > latest:
        raise _skewed(
            f"Signature not yet current: {_basic(request_time)} is still later than "
            f"{_basic(latest)} ({_basic(current)} + {minutes} min.)"
        )


def _canonical_uri(path: str) -> str:
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    normalized = "/" + "/".join(segments) + ("/" if segments and path.endswith("/") else "")
    return quote(normalized, safe="/~", errors="surrogatepass")


def _canonical_headers(received: dict[str, list[str]], names: tuple[str, ...]) -> str:
    lines = (
        name + ":" + ",".join(" ".join(value.split()) for value in received[name]) for name in names
    )
    return "".join(line + "\n" for line in lines)


def _canonical_query(query: bytes | str) -> str:
    raw = query if isinstance(query, bytes) else _utf8(query)
    if not raw:
        return ""
    pairs = sorted(
        (_query_component(name), _query_component(value))
        for name, _, value in (pair.partition(b"=") for pair in raw.split(b"&"))
    )
    return "&".join(f"{name}={value}" for name, value in pairs)


def _query_component(raw: bytes) -> str:
    return quote(unquote_to_bytes(raw.replace(b"+", b" ")), safe="-_.~")


def _single(received: dict[str, list[str]], name: str) -> str | None:
    values = received.get(name)
    if values is None:
        return None
    if len(values) > 1:
        raise _incomplete(f"The request has more than one '{name}' header.")
    return values[0]


def _basic(moment: datetime) -> str:
    return moment.strftime(_BASIC_FORMAT)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _incomplete(message: str) -> SignatureRefused:
    return SignatureRefused("IncompleteSignature", message, 400)


def _invalid(message: str, reason: Refusal = Refusal.MALFORMED) -> SignatureRefused:
    return SignatureRefused("InvalidSignatureException", message, 400, reason)


def _skewed(message: str) -> SignatureRefused:
    return _invalid(message, Refusal.CLOCK_SKEW)
