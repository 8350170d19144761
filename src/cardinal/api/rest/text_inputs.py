"""Refusing text no backend stores faithfully (NUL, lone surrogates) anywhere in a REST request,
and integers JSON can't carry exactly in its body.

One check for every route, before any service runs: each query and path parameter and every key
and string of a JSON body. The rule is the domain's (:mod:`cardinal.domain.text`); this module
only names where in the request the text was found.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from cardinal.domain.text import (
    UNSAFE_INTEGER_TEXT,
    UNSTORABLE_TEXT,
    storable,
    unsafe_integer_path,
    unstorable_path,
)

# NUL and UTF-16 surrogates as JSON escapes: raw, they are not valid JSON or not valid UTF-8.
_MAY_HOLD_UNSTORABLE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
# 2^53 has 16 digits: a body without a run of 16 digits holds no integer beyond it.
_MAY_HOLD_UNSAFE_INTEGER = re.compile(rb"[0-9]{16}")


def _refusal(
    location: tuple[str | int, ...], value: Any, message: str = f"Value holds {UNSTORABLE_TEXT}"
) -> RequestValidationError:
    return RequestValidationError(
        [{"type": "value_error", "loc": location, "msg": message, "input": value}]
    )


async def refuse_unstorable_text(request: Request) -> None:
    for name, value in request.query_params.multi_items():
        if not storable(name) or not storable(value):
            raise _refusal(("query", name), value)
    for name, value in request.path_params.items():
        if isinstance(value, str) and not storable(value):
            raise _refusal(("path", name), value)
    if "json" not in request.headers.get("content-type", ""):
        return
    raw = await request.body()
    # JSON carries NUL and surrogates only as escapes: a body without one needs no walk.
    text_to_check = _MAY_HOLD_UNSTORABLE.search(raw) is not None
    integers_to_check = _MAY_HOLD_UNSAFE_INTEGER.search(raw) is not None
    if not text_to_check and not integers_to_check:
        return
    try:
        body = await request.json()
    except ValueError:
        return  # the route's own body parsing answers malformed JSON
    path = unstorable_path(body) if text_to_check else None
    if path is not None:
        raise _refusal(("body", *path), None)
    path = unsafe_integer_path(body) if integers_to_check else None
    if path is not None:
        raise _refusal(("body", *path), None, f"Value is {UNSAFE_INTEGER_TEXT}")
