"""Text every backend stores faithfully, and finding text that is not.

PostgreSQL refuses the NUL character in text columns and UTF-8 has no encoding for a lone UTF-16
surrogate, while SQLite would store both; so both are refused at every door, whatever the
backend, and the two backends give the same answer to the same request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

Step = str | int
"""An object key or an array index."""

UNSTORABLE = re.compile("[\\x00\\ud800-\\udfff]")
UNSTORABLE_TEXT = "a NUL character or a lone UTF-16 surrogate, which cannot be stored"


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
