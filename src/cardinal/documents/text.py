"""How values are written as text in every format: numbers as a person writes them, times in
UTC, slugs.

All renderers format through these functions, so a value reads the same in the PDF, the HTML,
the Markdown and the Hugging Face card (the JSON document keeps every number exactly).
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeGuard

NOT_PROVIDED = "Not provided."
"""What every format says for a section, part or fact with nothing in it."""

SIGNIFICANT_DIGITS = 4
"""A fraction is shown to this many significant digits; the digits before the point all stay."""
# Outside these bounds a number is written as a power of ten (1.5 times 10⁻⁵).
# Integers stay exact up to 15 digits: a count is read as a count.
_SMALLEST_PLAIN = Decimal("1e-4")
_LARGEST_PLAIN_FRACTION = Decimal("1e9")
_LARGEST_PLAIN_INTEGER = 10**15
_TIMES = "\N{MULTIPLICATION SIGN}"
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_SLUG_GAPS = re.compile(r"[^\w]+")


def text_of(value: Any) -> str:
    """``value`` as the document shows it: numbers rounded (:func:`number_text`), JSON for
    structures."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=False, default=str)


def number_text(value: int | float, digits: int = SIGNIFICANT_DIGITS) -> str:
    """``value`` as a person writes it: 0.14285714285714285 as 0.1429, 12345.678 as 12346, an
    integer as it is, 0.0000123 and 6.02e23 as powers of ten (1.23 and 6.02 times 10⁻⁵, 10²³)."""
    if isinstance(value, float) and not math.isfinite(value):
        if math.isnan(value):
            return "NaN"
        return "Infinity" if value > 0 else "-Infinity"
    shown = _rounded(value, digits)
    if shown.is_zero():
        return "0"
    if _plain(value):
        return _trimmed(format(shown, "f"))
    exponent = shown.adjusted()
    mantissa = _trimmed(format(shown.scaleb(-exponent), "f"))
    return f"{mantissa} {_TIMES} 10{str(exponent).translate(_SUPERSCRIPTS)}"


def is_rounded(value: Any, digits: int = SIGNIFICANT_DIGITS) -> bool:
    """A number that :func:`number_text` shows with fewer digits than it has."""
    if not is_number(value) or (isinstance(value, float) and not math.isfinite(value)):
        return False
    return _rounded(value, digits) != _exact(value)


def _exact(value: int | float) -> Decimal:
    """The number the card's JSON said (a float's shortest text that reads back as it)."""
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _plain(value: int | float) -> bool:
    if isinstance(value, int):
        return abs(value) < _LARGEST_PLAIN_INTEGER
    return value == 0 or _SMALLEST_PLAIN <= abs(_exact(value)) < _LARGEST_PLAIN_FRACTION


def _rounded(value: int | float, digits: int) -> Decimal:
    exact = _exact(value)
    if exact.is_zero() or (isinstance(value, int) and _plain(value)):
        return exact
    last = exact.adjusted() - digits + 1  # the power of ten of the last digit shown
    if _plain(value):
        last = min(0, last)
    return exact.quantize(Decimal(1).scaleb(last), rounding=ROUND_HALF_UP)


def _trimmed(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


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
