"""Refusing text no backend stores faithfully (NUL, lone surrogates) anywhere in a REST request.

One check for every route, before any service runs: each query and path parameter and every key
and string of a JSON body. The rule is the domain's (:mod:`cardinal.domain.text`); this module
only names where in the request the text was found.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from cardinal.domain.text import UNSTORABLE_TEXT, storable, unstorable_path

# NUL and UTF-16 surrogates as JSON escapes: raw, they are not valid JSON or not valid UTF-8.
_MAY_HOLD_UNSTORABLE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")


def _refusal(location: tuple[str | int, ...], value: Any) -> RequestValidationError:
    return RequestValidationError(
        [
            {
                "type": "value_error",
                "loc": location,
                "msg": f"Value holds {UNSTORABLE_TEXT}",
                "input": value,
            }
        ]
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
    if not _MAY_HOLD_UNSTORABLE.search(raw):
        return  # JSON can carry these only as escapes; a body without one needs no walk
    try:
        body = await request.json()
    except ValueError:
        return  # the route's own body parsing answers malformed JSON
    path = unstorable_path(body)
    if path is not None:
        raise _refusal(("body", *path), None)
