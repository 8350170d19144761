"""Model card export jobs: a card version rendered as a document and written to an output path.

As in SageMaker, a job starts ``InProgress`` and ends ``Completed`` (with the URI of what it
wrote) or ``Failed`` (with a reason); it never changes again after that. A job belongs to one
card; its name is unique among that card's jobs. Any server may run a job: it claims it for a
lease, and only the holder of the current claim may finish it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from cardinal.domain.errors import InputField, InvalidInput

# How long a claim lasts. A server that dies mid-job leaves it claimed; another server takes it
# over once the lease has run out.
CLAIM_LEASE = timedelta(minutes=5)
MAX_FAILURE_REASON = 1024
_OUTPUT_PATH = re.compile(r"(https|s3)://([^/]+)/?(.*)", re.DOTALL)
# Object keys and database text must hold the path as given: no control characters, no lone
# UTF-16 surrogates (which no UTF-8 store can keep).
_UNSAFE_CHARACTER = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_PORT = re.compile(r":[0-9]*\Z")
# The usual form of an output path, as the REST door's document states it: s3:// or https://, a
# bucket or host of letters, digits, dots, hyphens and underscores, then a prefix without control
# characters whose segments are not '.' or '..'. ``output_location`` is the rule (it also takes a
# port, for one); a path of this form always passes it.
_SEGMENT = r"(?:|[^./\x00-\x1f\x7f][^/\x00-\x1f\x7f]*|\.[^./\x00-\x1f\x7f][^/\x00-\x1f\x7f]*|\.\.[^/\x00-\x1f\x7f]+)"
OUTPUT_PATH_PATTERN = rf"^(https|s3)://[A-Za-z0-9][A-Za-z0-9._\-]*(/{_SEGMENT}(/{_SEGMENT})*)?$"


class ExportJobStatus(StrEnum):
    IN_PROGRESS = "InProgress"
    COMPLETED = "Completed"
    FAILED = "Failed"


@dataclass(frozen=True)
class OutputLocation:
    """Where a job writes: a bucket and a key prefix (``s3://bucket/prefix``)."""

    bucket: str
    prefix: str

    def key_for(self, card_name: str, job_name: str, file_name: str) -> str:
        parts = [self.prefix.strip("/"), card_name, job_name, file_name]
        return "/".join(part for part in parts if part)

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"


def output_location(path: str) -> OutputLocation:
    """Read an ``S3OutputPath``: ``s3://bucket[/prefix]`` or ``https://host[/prefix]``.

    An ``https`` path names its host as the bucket, as a virtual-hosted S3 URL does. A path
    that carries credentials is refused without being shown back, since the path is stored and
    shown with the job; every other refusal shows the path.
    """
    if _carries_credentials(path):
        raise InvalidInput(
            "The S3 output path is refused: credentials do not belong in it (a user name or "
            "password, or anything ahead of an '@' before the bucket), since the path is stored "
            "and shown with the job. Give s3://bucket/prefix, and give the server its S3 "
            "credentials instead: CARDINAL_S3_ACCESS_KEY_ID and CARDINAL_S3_SECRET_ACCESS_KEY "
            "(with CARDINAL_S3_ENDPOINT_URL for a store other than AWS).",
            field=InputField.OUTPUT_PATH,
        )
    if _UNSAFE_CHARACTER.search(path):
        raise _not_an_output_path(
            ascii(path)[1:-1], "control characters and lone surrogates are not allowed in it"
        )
    match = _OUTPUT_PATH.fullmatch(path)
    if match is None or not match[2]:
        raise _not_an_output_path(path, "expected s3://bucket/prefix")
    try:
        host = urlsplit(path).hostname
    except ValueError:
        host = None
    if host is None or "[" in match[2] or "]" in match[2]:
        raise _not_an_output_path(path, f"'{match[2]}' is not a valid host or bucket name")
    prefix = match[3]
    if any(part in {".", ".."} for part in prefix.split("/")) or host in {".", ".."}:
        raise _not_an_output_path(path, "'.' and '..' are not allowed in it")
    return OutputLocation(bucket=host, prefix=prefix)


def _carries_credentials(path: str) -> bool:
    """User info in the path: ``user:password@bucket``, ``user@bucket``, a bare ``@``.

    A password may hold a ``/`` (AWS secret keys do), which ends the authority early, as in
    ``s3://key:se/cret@bucket``; so a ``:`` in the authority counts when an ``@`` follows
    anywhere or when what follows it is not a port. A path not of the form ``scheme://bucket``
    counts when it has an ``@`` at all: it is refused either way, and may not be shown back.
    """
    match = _OUTPUT_PATH.fullmatch(path)
    if match is None:
        return "@" in path
    authority, rest = match[2], match[3]
    if "@" in authority:
        return True
    if ":" not in authority:
        return False
    if "@" in rest:
        return True
    # An IPv6 literal has colons of its own; it is refused as a host after this.
    return not authority.startswith("[") and ":" in _PORT.sub("", authority)


def _not_an_output_path(shown: str, reason: str) -> InvalidInput:
    return InvalidInput(
        f"'{shown}' is not an S3 output path: {reason}.", field=InputField.OUTPUT_PATH
    )


@dataclass(frozen=True)
class ExportJob:
    id: int
    name: str
    arn: str
    card_id: int
    card_name: str
    card_version: int
    output_path: str
    document_format: str
    status: ExportJobStatus
    created_at: datetime
    created_by: str
    last_modified_at: datetime
    failure_reason: str | None = None
    artifact_uri: str | None = None
    runs: int = 0


@dataclass(frozen=True)
class Claim:
    """A job a worker holds until ``expires_at``; ``token`` proves it is still this claim."""

    job: ExportJob
    token: str
    expires_at: datetime


def failure_reason(text: str) -> str:
    """A reason that fits SageMaker's FailureReason (at most 1,024 characters)."""
    text = " ".join(text.split()) or "The export failed."
    if len(text) <= MAX_FAILURE_REASON:
        return text
    return text[: MAX_FAILURE_REASON - 1] + "…"
