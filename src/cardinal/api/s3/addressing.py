"""Which S3 operation a request is, from its method, path and query alone: the door serves
``GetObject`` and ``HeadObject``, path-style (``/<bucket>/<key>`` below the door's prefix)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

SERVED = (
    "Cardinal serves only GetObject and HeadObject of its own model card export artifacts, "
    "path-style (GET or HEAD /s3/<bucket>/<key>, the s3:// URI an export job reports)"
)
# botocore may name the operation in the query; it changes nothing.
_HARMLESS_QUERY = frozenset({"x-id"})


@dataclass(frozen=True)
class ObjectAddress:
    bucket: str
    key: str


class Unsupported(Exception):
    """Not a GetObject or HeadObject: the message says what was asked and what is served."""


def object_address(method: str, path: str, query: str) -> ObjectAddress:
    """The object a GetObject or HeadObject names; ``path`` is the percent-decoded path below
    the door's prefix (``/bucket/key``). ``Unsupported`` for any other operation."""
    if method not in ("GET", "HEAD"):
        raise Unsupported(f"{SERVED}; it does not serve {method} requests.")
    bucket, _, key = path.removeprefix("/").partition("/")
    if not bucket:
        raise Unsupported(f"{SERVED}; it lists no buckets.")
    if not key:
        raise Unsupported(f"{SERVED}; it serves no bucket operations (such as ListObjects).")
    asked = sorted({name for name, _ in parse_qsl(query, keep_blank_values=True)})
    unserved = [name for name in asked if name not in _HARMLESS_QUERY]
    if unserved:
        raise Unsupported(
            f"{SERVED}; it serves no object subresources or parameters "
            f"(this request asks for {', '.join(unserved)})."
        )
    return ObjectAddress(bucket, key)
