"""The rules every tag key obeys, whichever door the tags come through.

As in AWS, keys that begin with ``aws:`` — in any mix of upper and lower case — belong to AWS:
they can be neither given nor removed. A request names each key at most once: a list of tags
that gives one key twice is refused rather than letting the last one win. Keys are otherwise
case-sensitive, so ``Team`` and ``team`` are two keys. Values may contain anything the key and
value patterns allow, ``aws:`` included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from cardinal.domain.errors import InputField, InvalidInput

MAX_TAGS_PER_RESOURCE = 50

RESERVED_PREFIX = "aws:"

V = TypeVar("V")


def is_reserved_tag_key(key: str) -> bool:
    return key[: len(RESERVED_PREFIX)].lower() == RESERVED_PREFIX


def check_tag_keys(keys: Iterable[str], field: InputField = InputField.TAGS) -> None:
    """Refuse the first reserved key with InvalidInput, in AWS's words."""
    for key in keys:
        if is_reserved_tag_key(key):
            raise InvalidInput(
                f"System prefix '{RESERVED_PREFIX}' reserved for AWS usage in tag key: {key}",
                field=field,
            )


def tag_map(pairs: Iterable[tuple[str, V]], field: InputField = InputField.TAGS) -> dict[str, V]:
    """The tags given as (key, value) pairs, in order; a key given twice is InvalidInput."""
    tags: dict[str, V] = {}
    for key, value in pairs:
        if key in tags:
            raise InvalidInput(
                f"Duplicate tag key: {key}. A request may give each tag key only once.",
                field=field,
            )
        tags[key] = value
    return tags
