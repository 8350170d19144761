"""Text and numbers every backend stores faithfully, and finding those that are not.

PostgreSQL refuses the NUL character in text columns and UTF-8 has no encoding for a lone UTF-16
surrogate, while SQLite would store both; so both are refused at every door, whatever the
backend, and the two backends give the same answer to the same request.

An integer beyond 2^53 - 1 in either direction has no exact IEEE 754 double: JSON readers
(JavaScript's, PostgreSQL's ``jsonb`` casts, the canonical form the audit trail hashes, RFC 8785)
would round it. Such an integer in stored JSON is refused rather than silently altered; a value
that needs more digits is written as a string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

Step = str | int
"""An object key or an array index."""

UNSTORABLE = re.compile("[\\x00\\ud800-\\udfff]")
UNSTORABLE_TEXT = "a NUL character or a lone UTF-16 surrogate, which cannot be stored"

MAX_EXACT_INTEGER = 2**53 - 1
UNSAFE_INTEGER_TEXT = (
    f"an integer beyond ±{MAX_EXACT_INTEGER:,} (2^53 - 1), which JSON can't carry exactly; "
    "write it as a string"
)


def storable(text: str) -> bool:
    return UNSTORABLE.search(text) is None


def unstorable_path(value: Any) -> list[Step] | None:
    """The path of the first key or string in ``value`` (JSON-like) that is not storable."""
    stack: list[tuple[list[Step], Any]] = [([], value)]
    while stack:
        path, item = stack.pop()
        children: Iterable[tuple[Step, Any]]
        if isinstance(item, dict):
            for key in item:
                if isinstance(key, str) and not storable(key):
                    return [*path, key]
            children = item.items()
        elif isinstance(item, list):
            children = enumerate(item)
        else:
            if isinstance(item, str) and not storable(item):
                return path
            continue
        stack.extend(([*path, step], child) for step, child in reversed(list(children)))
    return None


def _unsafe_integer(item: Any) -> bool:
    return isinstance(item, int) and not isinstance(item, bool) and abs(item) > MAX_EXACT_INTEGER


def unsafe_integer_path(value: Any) -> list[Step] | None:
    """The path of the first integer in ``value`` (JSON-like) beyond ±(2^53 - 1)."""
    stack: list[tuple[list[Step], Any]] = [([], value)]
    while stack:
        path, item = stack.pop()
        children: Iterable[tuple[Step, Any]]
        if isinstance(item, dict):
            children = item.items()
        elif isinstance(item, list):
            children = enumerate(item)
        else:
            if _unsafe_integer(item):
                return path
            continue
        stack.extend(([*path, step], child) for step, child in reversed(list(children)))
    return None
