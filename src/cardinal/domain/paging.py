"""Asking for one page of a list, and the page that comes back.

Lists are keyset-paginated: a page ends with an opaque token that says where the next page
starts, so pages stay stable while new resources are added.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100

# The form of every page token: a JSON object in URL-safe base64 without padding (so it starts
# with the encoding of '{"'). The form never changes, as tokens leave the server; which
# position a token names is for the list that issued it to say.
PAGE_TOKEN_PATTERN = r"^eyJ[A-Za-z0-9_\-]*$"
PAGE_TOKEN_MAX_LENGTH = 8192


class SortOrder(StrEnum):
    ASCENDING = "Ascending"
    DESCENDING = "Descending"


@dataclass(frozen=True)
class PageRequest:
    """``sort_by`` names a sort key the list understands; ``next_token`` continues a list."""

    sort_by: str
    sort_order: SortOrder = SortOrder.ASCENDING
    max_results: int = DEFAULT_PAGE_SIZE
    next_token: str | None = None

    @property
    def descending(self) -> bool:
        return self.sort_order is SortOrder.DESCENDING


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_token: str | None = None
