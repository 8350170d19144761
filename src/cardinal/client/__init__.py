"""A typed Python client of Cardinal's REST API (``/api/v1``), built on httpx: open a
:class:`CardinalClient` on a server's endpoint and call ``client.cards``, ``client.groups``,
``client.packages``, ``client.tags``, ``client.search``, ``client.audit``,
``client.exports`` and ``client.verify()``. Answers are the REST API's own pydantic models (card reads come as
:class:`CardWithETag`, the card and its ETag), lists are lazy iterators that follow ``next``
links, and every failure is a :class:`CardinalClientError` (see :mod:`cardinal.client.errors`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cardinal.client.cards import CardWithETag, etag_of
    from cardinal.client.client import CardinalClient
    from cardinal.client.errors import (
        ApiError,
        CardinalClientError,
        ConflictError,
        ForbiddenError,
        InvalidInputError,
        NotAuthenticatedError,
        NotFoundError,
        PreconditionFailedError,
        TransportError,
        UnexpectedResponseError,
    )
    from cardinal.client.exports import Document
    from cardinal.client.registry import ResourceTags

# Where each name lives: importing ``cardinal.client.errors`` (as the CLI does for every command)
# then doesn't load httpx and the REST models; the names load on first use.
_HOMES = {
    "CardWithETag": "cardinal.client.cards",
    "etag_of": "cardinal.client.cards",
    "CardinalClient": "cardinal.client.client",
    "Document": "cardinal.client.exports",
    "ResourceTags": "cardinal.client.registry",
    **dict.fromkeys(
        (
            "ApiError",
            "CardinalClientError",
            "ConflictError",
            "ForbiddenError",
            "InvalidInputError",
            "NotAuthenticatedError",
            "NotFoundError",
            "PreconditionFailedError",
            "TransportError",
            "UnexpectedResponseError",
        ),
        "cardinal.client.errors",
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'cardinal.client' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


__all__ = [
    "ApiError",
    "CardWithETag",
    "CardinalClient",
    "CardinalClientError",
    "ConflictError",
    "Document",
    "ForbiddenError",
    "InvalidInputError",
    "NotAuthenticatedError",
    "NotFoundError",
    "PreconditionFailedError",
    "ResourceTags",
    "TransportError",
    "UnexpectedResponseError",
    "etag_of",
]
