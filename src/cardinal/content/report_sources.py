"""Reading an evaluation report: a JSON document from a local file or from an S3-compatible
object store (``s3://bucket/key``), at most :data:`MAX_REPORT_BYTES` long.

S3 is read through botocore's S3 client with the endpoint, credentials and region of the
:class:`S3Settings` the caller passes (the server's come from its settings, ``CARDINAL_S3_*``,
and it passes none unless they name a store); what they leave unset comes from botocore's usual
sources (``AWS_*`` variables, ``~/.aws``). As the SageMaker SDK v2 does, an object is accepted only with the
content type ``application/json``, ``binary/octet-stream`` or ``application/octet-stream``
(parameters such as ``; charset=utf-8`` are ignored).

The JSON is parsed as Python's ``json`` reads it, with one difference: a duplicate key in an
object is refused. ``NaN`` and ``Infinity`` literals are read (Python tools write them); the
report parsers decide what they mean. Every refusal is a :class:`ReportError` naming the file or
URI.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from cardinal.content.reports import ReportError, ReportNotFound
from cardinal.domain.report_kinds import MAX_REPORT_BYTES

if TYPE_CHECKING:
    from botocore.client import BaseClient

S3_CONTENT_TYPES = ("application/json", "binary/octet-stream", "application/octet-stream")

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+://")


@dataclass(frozen=True)
class S3Settings:
    """Where and as whom S3 objects are read; None leaves a value to botocore's defaults."""

    endpoint_url: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None
    region: str | None = None

    @property
    def configured(self) -> bool:
        """Whether these name a store (an endpoint or credentials) rather than leave it all to
        botocore's defaults: a server reads and writes S3 only then."""
        return bool(self.endpoint_url or self.access_key_id)


def is_s3_uri(location: str) -> bool:
    """Whether ``location`` is read from S3 rather than from a file (a URI of any scheme is,
    and all but ``s3://bucket/key`` are then refused)."""
    return _URI.match(location) is not None


def read_report(
    location: str, *, s3: S3Settings | None = None, local_files: bool = True
) -> tuple[Any, str]:
    """The parsed JSON at ``location`` (a file path or ``s3://bucket/key``) and its name.

    With ``local_files`` false only S3 URIs are read: a server never reads its own files for
    a caller.

    The name is ``location`` as given; errors use it. Raises :class:`ReportNotFound` when the
    bucket or object does not exist, :class:`ReportError` when the file or object cannot be
    read, is larger than :data:`MAX_REPORT_BYTES`, has a content type the SDK would not read,
    is not UTF-8, or is not JSON.
    """
    if is_s3_uri(location):
        scheme, _, rest = location.partition("://")
        if scheme.lower() != "s3":
            raise ReportError(
                location, None, "expected a local file path or an s3://bucket/key URI"
            )
        bucket, _, key = rest.partition("/")
        key = key.lstrip("/")
        if not bucket or not key:
            raise ReportError(location, None, "expected an S3 URI of the form s3://bucket/key")
        data = _read_s3(location, bucket, key, s3 or S3Settings())
    elif not local_files:
        raise ReportError(
            location,
            None,
            "expected an s3://bucket/key URI: the server reads reports from S3 only (attach a "
            "local file with `cardinal card attach-report` against a local store)",
        )
    else:
        data = _read_file(location)
    return _parse_json(location, data), location


def parse_report_bytes(source: str, data: bytes) -> Any:
    """The parsed JSON of a report's bytes (sent in a request, say), checked as a file is."""
    _check_size(source, len(data))
    return _parse_json(source, data)


def read_report_file(location: str) -> bytes:
    """The bytes of the report file at ``location``; :class:`ReportError` when they cannot be
    read or are more than :data:`MAX_REPORT_BYTES`."""
    return _read_file(location)


def _read_file(location: str) -> bytes:
    path = Path(location)
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            _check_size(location, size)
            data = stream.read(MAX_REPORT_BYTES + 1)
    except FileNotFoundError:
        raise ReportError(location, None, "cannot read it: there is no such file") from None
    except IsADirectoryError:
        raise ReportError(location, None, "cannot read it: it is a directory") from None
    except PermissionError:
        raise ReportError(location, None, "cannot read it: permission denied") from None
    except OSError as error:
        raise ReportError(location, None, f"cannot read it: {error.strerror}") from None
    _check_size(location, len(data))
    return data


def _check_size(location: str, size: int | None) -> None:
    if size is not None and size > MAX_REPORT_BYTES:
        raise ReportError(
            location,
            None,
            f"it is {size:,} bytes; a report may be at most {MAX_REPORT_BYTES:,} bytes",
        )


def _read_s3(location: str, bucket: str, key: str, settings: S3Settings) -> bytes:
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    if (settings.access_key_id is None) != (settings.secret_access_key is None):
        raise ReportError(
            location,
            None,
            "cannot read it: set both CARDINAL_S3_ACCESS_KEY_ID and "
            "CARDINAL_S3_SECRET_ACCESS_KEY, or neither",
        )
    try:
        client = s3_client(settings)
        response = client.get_object(Bucket=bucket, Key=key)
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code in ("NoSuchKey", "404", "NotFound"):
            raise ReportNotFound(location, f"bucket {bucket!r} has no object {key!r}") from None
        if code in ("NoSuchBucket", "InvalidBucketName"):
            raise ReportNotFound(location, f"there is no bucket {bucket!r}") from None
        raise ReportError(location, None, _client_error(error)) from None
    except NoCredentialsError:
        raise ReportError(
            location,
            None,
            "cannot read it: no S3 credentials (set CARDINAL_S3_ACCESS_KEY_ID and "
            "CARDINAL_S3_SECRET_ACCESS_KEY, or the usual AWS_* variables)",
        ) from None
    except BotoCoreError as error:
        raise ReportError(location, None, f"cannot read it: {error}") from None
    body: BinaryIO = response["Body"]
    try:
        _check_size(location, response.get("ContentLength"))
        content_type = str(response.get("ContentType") or "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type not in S3_CONTENT_TYPES:
            raise ReportError(
                location,
                None,
                f"expected an object of content type {', '.join(S3_CONTENT_TYPES)}, "
                f"found {content_type or 'none'}",
            )
        data = body.read(MAX_REPORT_BYTES + 1)
    except BotoCoreError as error:
        raise ReportError(location, None, f"cannot read it: {error}") from None
    finally:
        body.close()
    _check_size(location, len(data))
    return data


def s3_client(settings: S3Settings) -> BaseClient:
    import botocore.session
    from botocore.config import Config

    config = Config(
        connect_timeout=10,
        read_timeout=60,
        retries={"max_attempts": 3, "mode": "standard"},
        # S3-compatible stores (MinIO, Ceph, moto) serve buckets by path, not by host name.
        s3={"addressing_style": "path"} if settings.endpoint_url else None,
    )
    session = botocore.session.Session()
    return session.create_client(
        "s3",
        region_name=settings.region,
        endpoint_url=settings.endpoint_url,
        aws_access_key_id=settings.access_key_id,
        aws_secret_access_key=settings.secret_access_key,
        config=config,
    )


def _client_error(error: Any) -> str:
    details = error.response.get("Error", {})
    code = str(details.get("Code", ""))
    if code in ("AccessDenied", "403", "Forbidden"):
        return "cannot read it: access denied"
    message = details.get("Message") or str(error)
    return f"cannot read it: {code}: {message}"


def _parse_json(location: str, data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReportError(
            location,
            "$",
            f"expected UTF-8 JSON text, found a byte that is not UTF-8 at {error.start}",
        ) from None
    try:
        return json.loads(text, object_pairs_hook=_object_without_duplicates)
    except _DuplicateKey as duplicate:
        raise ReportError(
            location, "$", f"expected JSON objects with unique keys, found {duplicate.key!r} twice"
        ) from None
    except json.JSONDecodeError as error:
        raise ReportError(
            location,
            "$",
            f"expected JSON, found an error at line {error.lineno} column {error.colno}: {error.msg}",
        ) from None
    except RecursionError:
        raise ReportError(location, "$", "expected JSON, found nesting too deep to read") from None
    except ValueError as error:  # int() refuses numbers past sys.get_int_max_str_digits()
        raise ReportError(location, "$", f"expected JSON, found {error}") from None


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return obj
