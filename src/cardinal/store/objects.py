"""Where export artifacts go: an S3-compatible object store, or a directory standing in for one.

Both are addressed by bucket and key, so an artifact's URI is ``s3://bucket/key`` whichever
holds it. The directory keeps ``<root>/<bucket>/<key>``; a file appears whole or not at all
(it is written beside its place and renamed into it). Which one is used, and where, is the
caller's to say (the settings, through the composition root); this module reads no settings.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Protocol

from cardinal.content.report_sources import S3Settings, s3_client

log = logging.getLogger(__name__)


class ObjectStoreError(Exception):
    """An object could not be written or read; the message says why, for a FailureReason (which
    callers of the API see, so it names the s3:// URI and never a path of the server's)."""


class ObjectStore(Protocol):
    def put(self, bucket: str, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, bucket: str, key: str) -> bytes: ...

    def holds_bucket(self, bucket: str) -> bool:
        """Whether ``bucket`` exists here (False only when the store says it does not)."""
        ...

    def describe(self) -> str: ...


class DirectoryObjectStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def describe(self) -> str:
        return f"the directory {self.root}"

    def _path(self, bucket: str, key: str) -> Path:
        parts = [bucket, *key.split("/")]
        if any(part in {"", ".", ".."} or os.sep in part for part in parts):
            raise ObjectStoreError(f"cannot use the key {key!r} in bucket {bucket!r}")
        return self.root.joinpath(*parts)

    def put(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        path = self._path(bucket, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                dir=path.parent, prefix=".partial-", delete=False
            ) as partial:
                partial.write(data)
            os.replace(partial.name, path)
        except OSError as error:
            log.warning("cannot write %s: %s", path, error)
            raise ObjectStoreError(
                f"cannot write s3://{bucket}/{key}: {error.strerror or error}"
            ) from None

    def holds_bucket(self, bucket: str) -> bool:
        """A bucket exists once something was written into it."""
        if bucket in {"", ".", ".."} or os.sep in bucket:
            return False
        return (self.root / bucket).is_dir()

    def get(self, bucket: str, key: str) -> bytes:
        path = self._path(bucket, key)
        try:
            return path.read_bytes()
        except OSError as error:
            log.warning("cannot read %s: %s", path, error)
            raise ObjectStoreError(
                f"cannot read s3://{bucket}/{key}: {error.strerror or error}"
            ) from None


class S3ObjectStore:
    def __init__(self, settings: S3Settings) -> None:
        self.settings = settings

    def describe(self) -> str:
        return f"the object store at {self.settings.endpoint_url or 'AWS S3'}"

    def put(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            s3_client(self.settings).put_object(
                Bucket=bucket, Key=key, Body=data, ContentType=content_type
            )
        except ClientError as error:
            raise ObjectStoreError(_client_error("write", error, bucket, key)) from None
        except BotoCoreError as error:
            raise ObjectStoreError(f"cannot write s3://{bucket}/{key}: {error}") from None

    def get(self, bucket: str, key: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = s3_client(self.settings).get_object(Bucket=bucket, Key=key)
            body = response["Body"]
            try:
                return bytes(body.read())
            finally:
                body.close()
        except ClientError as error:
            raise ObjectStoreError(_client_error("read", error, bucket, key)) from None
        except BotoCoreError as error:
            raise ObjectStoreError(f"cannot read s3://{bucket}/{key}: {error}") from None

    def holds_bucket(self, bucket: str) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            s3_client(self.settings).head_bucket(Bucket=bucket)
        except ClientError as error:
            code = str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
            return code not in ("NoSuchBucket", "404", "NotFound")
        except BotoCoreError:
            return True
        return True


def _client_error(verb: str, error: object, bucket: str, key: str) -> str:
    details = getattr(error, "response", {}).get("Error", {})
    code = str(details.get("Code", ""))
    if code == "NoSuchBucket":
        return f"cannot {verb} s3://{bucket}/{key}: there is no bucket {bucket!r}"
    if code in ("NoSuchKey", "404", "NotFound"):
        return f"cannot {verb} s3://{bucket}/{key}: there is no such object"
    if code in ("AccessDenied", "403", "Forbidden"):
        return f"cannot {verb} s3://{bucket}/{key}: access denied"
    return f"cannot {verb} s3://{bucket}/{key}: {code}: {details.get('Message') or error}"


def object_store(directory: Path, s3: S3Settings) -> ObjectStore:
    """S3 when an endpoint or credentials are configured, else the directory."""
    if s3.configured:
        return S3ObjectStore(s3)
    return DirectoryObjectStore(directory)


class NoObjectStore:
    """The store of a process given none: every write and read is refused with a reason, so an
    export job run there fails visibly rather than writing somewhere nobody chose."""

    def describe(self) -> str:
        return "no object store"

    def put(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        raise ObjectStoreError(f"cannot write s3://{bucket}/{key}: no object store is configured")

    def get(self, bucket: str, key: str) -> bytes:
        raise ObjectStoreError(f"cannot read s3://{bucket}/{key}: no object store is configured")

    def holds_bucket(self, bucket: str) -> bool:
        return False
