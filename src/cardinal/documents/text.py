"""How values are written as text in every format: numbers as stored, times in UTC, slugs.

All renderers format through these functions, so a value reads the same in the PDF, the HTML,
the Markdown and the Hugging Face card.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from typing import Any, TypeGuard

NOT_PROVIDED = "Not provided."
"""What every format says for a section, part or fact with nothing in it."""

_SLUG_GAPS = re.compile(r"[^\w]+")


def text_of(value: Any) -> str:
    """``value`` as the document shows it: numbers exactly as stored, JSON for structures."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=False, default=str)


def number_text(value: float) -> str:
    """The shortest text that reads back as ``value`` (what the card's JSON said)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def time_text(moment: datetime) -> str:
    """A timestamp in UTC to the second; a naive time is taken to be UTC already."""
    return utc(moment).strftime("%Y-%m-%d %H:%M:%S UTC")


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def slug(text: str, fallback: str) -> str:
    """Lower-case words joined by hyphens (``Binary Classification`` -> ``binary-classification``)."""
    found = _SLUG_GAPS.sub("-", text.lower()).replace("_", "-").strip("-")
    return found or fallback


def is_empty(value: Any) -> bool:
    """Nothing to show: absent, blank text, or a structure holding only empty values."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, dict):
        return all(is_empty(item) for item in value.values())
    if isinstance(value, list):
        return all(is_empty(item) for item in value)
    return False


def is_number(value: Any) -> TypeGuard[int | float]:
    """A JSON number (``True`` is not one, although Python says it is an int)."""
    return isinstance(value, int | float) and not isinstance(value, bool)
