"""RFC 9457 problem details: the one table from Cardinal's errors to HTTP problems.

Every error of the REST door leaves as ``application/problem+json``: Cardinal's errors through
:data:`PROBLEMS`, FastAPI's validation errors and Starlette's HTTP errors (404, 405, a body that
cannot be parsed) through their handlers, a body over the size limit through
:func:`body_too_large`, and anything else through :class:`UnexpectedErrors`, as a 500 that names
a request id under which the error is logged.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cardinal.content.card_content import InvalidCardContent
from cardinal.domain.errors import (
    AccessDenied,
    AlreadyExists,
    CardinalError,
    InputField,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NotAuthenticated,
    NotFound,
    StaleVersion,
    UnknownPageToken,
)
from cardinal.domain.json_paths import json_path

log = logging.getLogger(__name__)

PROBLEM_TYPE = "https://cardinal.dev/problems/"
MEDIA_TYPE = "application/problem+json"

PROBLEMS: dict[type[CardinalError], tuple[int, str, str]] = {
    NotFound: (404, "not-found", "Not found"),
    AlreadyExists: (409, "already-exists", "Already exists"),
    InvalidInput: (422, "invalid-input", "Invalid input"),
    InvalidState: (409, "invalid-state", "Refused by the stored state"),
    StaleVersion: (412, "precondition-failed", "Precondition failed"),
    # The token has the form of one (the route checks it) but names no position in the list:
    # what the server issued decides, not the request's shape.
    UnknownPageToken: (409, "unknown-page-token", "Unknown page token"),
    LimitExceeded: (422, "limit-exceeded", "Limit exceeded"),
    NotAuthenticated: (401, "not-authenticated", "Not authenticated"),
    AccessDenied: (403, "forbidden", "Forbidden"),
}

# Where each input sits in this door's requests. Resources and export jobs are named in the URL,
# so no body field holds them.
FIELD_PATHS: dict[InputField, str] = {
    InputField.EMBEDDED_CARD_CONTENT: "$.model_card.content",
    InputField.METADATA_TO_REMOVE: "$.customer_metadata",
    InputField.OUTPUT_PATH: "$.output_path",
    InputField.PAGE_TOKEN: "$.next",
    InputField.SEARCH_FILTER: "$.q",
    InputField.SEARCH_SORT: "$.sort",
    InputField.TAGS: "$.tags",
    InputField.TAG_KEYS: "$.tag_keys",
}


def error_path(error: InvalidInput) -> str | None:
    """Where ``error`` points in the request, as this door's JSON path."""
    if error.field is None:
        return error.path
    return FIELD_PATHS.get(error.field)


def problem(
    status: int,
    kind: str,
    title: str,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": PROBLEM_TYPE + kind, "title": title, "status": status, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def body_too_large(max_bytes: int) -> JSONResponse:
    """The answer to a request body over ``max_bytes``."""
    return problem(
        413,
        "content-too-large",
        "Content too large",
        f"The request body is larger than {max_bytes:,} bytes, the most this API accepts.",
        max_bytes=max_bytes,
    )


def internal_error(request_id: str) -> JSONResponse:
    return problem(
        500,
        "internal-error",
        "Internal error",
        f"Cardinal failed to handle the request; its log has the error under request id "
        f"{request_id}.",
        request_id=request_id,
    )


def problem_for(error: CardinalError) -> JSONResponse:
    for cls in type(error).__mro__:
        if cls in PROBLEMS:
            status, kind, title = PROBLEMS[cls]
            path = error_path(error) if isinstance(error, InvalidInput) else None
            rule = error.rule if isinstance(error, AccessDenied) else None
            challenge = {"WWW-Authenticate": 'Bearer realm="cardinal"'}
            headers = challenge if isinstance(error, NotAuthenticated) else None
            return problem(
                status, kind, title, error.message,
                headers=headers, path=path, rule=rule, errors=_listed(error),
            )  # fmt: skip
    raise KeyError(type(error).__name__)


def _listed(error: CardinalError) -> list[dict[str, str]] | None:
    """Each problem of card content refused in several places (paths inside the content)."""
    if not isinstance(error, InvalidCardContent) or len(error.problems) < 2:
        return None
    return [{"path": p.path, "in": "content", "detail": p.detail} for p in error.problems]


def _input_path(location: Any) -> str:
    """Where a refused input sits: a header by its name (``X-Cardinal-Region``), anything else
    by the JSON path of its place in the query, path or body."""
    steps = [p for p in location[1:] if isinstance(p, str | int) and p != "[key]"]
    if location[:1] == ("header",) and len(steps) == 1:
        return "-".join(word.capitalize() for word in str(steps[0]).split("-"))
    return json_path(steps)


def install(app: FastAPI) -> None:
    """Answer every error as problem details."""

    @app.exception_handler(CardinalError)
    async def _cardinal(_: Request, error: CardinalError) -> JSONResponse:
        return problem_for(error)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "path": _input_path(e.get("loc", ())),
                "in": str(e.get("loc", ("body",))[0]),
                "detail": e.get("msg", ""),
            }
            for e in error.errors()
        ]
        first = errors[0] if errors else {"path": "$", "detail": "invalid request"}
        return problem(
            422,
            "invalid-input",
            "Invalid input",
            f"{first['detail']} (at {first['path']})",
            path=first["path"],
            errors=errors,
        )

    @app.exception_handler(HTTPException)
    async def _http(_: Request, error: HTTPException) -> JSONResponse:
        detail = str(error.detail)
        return problem(error.status_code, "http", detail, detail, headers=error.headers)

    app.add_middleware(UnexpectedErrors)


class UnexpectedErrors:
    """Answers an exception no handler took with a problem+json 500 naming a request id, and
    logs the exception under that id; the exception's text stays in the log.

    It sits inside Starlette's own last-resort handler, which would answer ``text/plain`` and
    pass the exception on to the server to be logged a second time.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:
            if started:
                raise  # too late for an answer: the server closes the connection
            request_id = str(uuid.uuid4())
            log.exception("request %s failed: %s %r", request_id, scope["method"], scope["path"])
            await internal_error(request_id)(scope, receive, send)
