"""The ``Range`` header of a GetObject: one byte range, as S3 serves it (RFC 9110 §14)."""

from __future__ import annotations

import re

_SINGLE = re.compile(r"bytes=(?:([0-9]+)-([0-9]*)|-([0-9]+))")


class RangeNotSatisfiable(Exception):
    """The range starts beyond the object's last byte (HTTP 416)."""


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The first and last byte (inclusive) a ``Range`` header asks of an object of ``size``
    bytes; None for the whole object. A header that is not one well-formed byte range is
    ignored, as HTTP servers do and S3 does with several ranges."""
    if header is None:
        return None
    match = _SINGLE.fullmatch(header.strip())
    if match is None:
        return None
    first, last, suffix = match.groups()
    if suffix is not None:
        length = int(suffix)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(size - length, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None
    if start >= size:
        raise RangeNotSatisfiable
    return start, min(end, size - 1)
